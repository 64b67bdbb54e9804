// The built-in typed-array accessors, captured when this module loads. Before a
// native call, `length`, `byteOffset` and `buffer` must not be read through the
// object itself: a Float64Array subclass can override those getters, and a lie about
// the length would let OpenBLAS run past the end of the real memory.

const typedArrayPrototype: object = Object.getPrototypeOf(Uint8Array.prototype);
const apply = Reflect.apply;

function intrinsicGetter<T>(property: 'length' | 'byteOffset' | 'buffer'): (view: ArrayBufferView) => T {
  const getter = Object.getOwnPropertyDescriptor(typedArrayPrototype, property)?.get;
  if (getter === undefined) throw new Error(`%TypedArray%.prototype.${property} has no getter`);
  return (view) => apply(getter, view, []) as T;
}

/** The element count of a typed array, as the engine knows it. */
export const typedArrayLength = intrinsicGetter<number>('length');
/** The byte offset of a typed array into its buffer, as the engine knows it. */
export const typedArrayByteOffset = intrinsicGetter<number>('byteOffset');
/** The buffer behind a typed array, as the engine knows it. */
export const typedArrayBuffer = intrinsicGetter<ArrayBufferLike>('buffer');

import { checkFloatArray, rangeError, typeError } from '../util/check.js';
import { type DType, dtypeInfo, dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { typedArrayLength } from '../util/typed-array.js';

/** Tensors by name: parameters by their dotted names (`"0.weight"`), or an optimizer's buffers. */
export type StateDict = Record<string, FloatArray>;

/** How an entry is named in messages: `state.W1`, or `state["0.weight"]` for a key that is not an identifier. */
export function entryName(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * Reads `targets.length` tensors out of `state` into staging copies and checks them
 * all — exactly these keys, each an array of its target's dtype (a Float64Array, or a
 * Float32Array for a float32 target: never converted) and length holding finite
 * values — before anything is written. Each entry is read from `state` exactly once
 * (a getter cannot hand over one array to the check and another to the copy), and the
 * checks run on the copies (another thread writing to a shared buffer cannot change
 * what was checked). Returns the copies, in the order of `targets`.
 */
export function readTensors(
  name: string,
  state: unknown,
  targets: readonly (readonly [key: string, length: number, dtype?: DType])[],
): FloatArray[] {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw typeError(name, 'an object of typed arrays by name', state);
  }
  const expected = new Set(targets.map(([key]) => key));
  const unexpected = Object.keys(state).filter((key) => !expected.has(key));
  if (unexpected.length > 0) {
    const shown = unexpected.slice(0, 5).map((key) => JSON.stringify(key));
    throw rangeError(
      name,
      `exactly the entries ${[...expected].map((key) => JSON.stringify(key)).join(', ')}`,
      state,
      `unexpected ${shown.join(', ')}${unexpected.length > shown.length ? ', …' : ''}`,
    );
  }
  return targets.map(([key, length, dtype = 'float64']) => {
    const entry = entryName(name, key);
    const { arrayName, create } = dtypeInfo(dtype);
    const source = checkFloatArray(entry, (state as Record<string, unknown>)[key], dtype);
    const sourceLength = typedArrayLength(source);
    if (sourceLength !== length) throw rangeError(entry, `a ${arrayName} of length ${length}`, source);
    // set() copies through the engine's own view of the array, never a subclass's getters.
    const staged = create(length);
    staged.set(source);
    for (let i = 0; i < length; i++) {
      if (!Number.isFinite(staged[i])) throw rangeError(entry, 'finite values', source, `${staged[i]} at index ${i}`);
    }
    return staged;
  });
}

/** `readTensors` into the given arrays: all are checked before any is overwritten. */
export function loadTensors(
  name: string,
  state: unknown,
  targets: readonly (readonly [key: string, target: FloatArray])[],
): void {
  const staged = readTensors(
    name,
    state,
    targets.map(([key, target]) => [key, target.length, dtypeOfArray(target) ?? 'float64'] as const),
  );
  targets.forEach(([, target], i) => {
    target.set(staged[i]);
  });
}

// The two element types blasprop computes in, and the one place that knows what each
// means: its typed array, its element size, how a number is rounded to it.

import { types } from 'node:util';

/** The element type of a matrix, a layer or a model: 32- or 64-bit IEEE floats. */
export type DType = 'float32' | 'float64';

export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** The typed arrays blasprop computes on. */
export type FloatArray = Float32Array | Float64Array;

/** The typed array holding elements of a dtype. */
export type ArrayOfDType<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

/** The dtype of a typed array's elements. */
export type DTypeOfArray<A extends FloatArray> = A extends Float32Array ? 'float32' : 'float64';

export interface DTypeInfo<D extends DType = DType> {
  readonly dtype: D;
  /** The typed array's name, as error messages say it. */
  readonly arrayName: 'Float32Array' | 'Float64Array';
  readonly bytesPerElement: 4 | 8;
  /** Whether a value is this dtype's typed array, from any realm (util.types, not instanceof). */
  readonly isArray: (value: unknown) => value is ArrayOfDType<D>;
  /** A zero-filled array of `length` elements. */
  readonly create: (length: number) => ArrayOfDType<D>;
  /** A number as an element of this dtype holds it (float32: rounded to nearest, as Math.fround). */
  readonly round: (value: number) => number;
}

const FLOAT32: DTypeInfo<'float32'> = {
  dtype: 'float32',
  arrayName: 'Float32Array',
  bytesPerElement: 4,
  isArray: (value): value is Float32Array => types.isFloat32Array(value),
  create: (length) => new Float32Array(length),
  round: Math.fround,
};

const FLOAT64: DTypeInfo<'float64'> = {
  dtype: 'float64',
  arrayName: 'Float64Array',
  bytesPerElement: 8,
  isArray: (value): value is Float64Array => types.isFloat64Array(value),
  create: (length) => new Float64Array(length),
  round: (value) => value,
};

export function dtypeInfo<D extends DType>(dtype: D): DTypeInfo<D> {
  return (dtype === 'float32' ? FLOAT32 : FLOAT64) as DTypeInfo<D>;
}

/** The dtype of a Float32Array or Float64Array (any realm); undefined for anything else. */
export function dtypeOfArray(value: unknown): DType | undefined {
  if (types.isFloat64Array(value)) return 'float64';
  if (types.isFloat32Array(value)) return 'float32';
  return undefined;
}

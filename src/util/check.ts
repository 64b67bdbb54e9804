import { types } from 'node:util';

import { describe } from './describe.js';
import { type ArrayOfDType, DTYPES, type DType, dtypeInfo, dtypeOfArray } from './dtype.js';
import { typedArrayBuffer, typedArrayLength } from './typed-array.js';

// The single place where argument errors are worded, so that every message has the
// same shape: `Expected <what> for <name> but received <value>`.
function message(name: string, expected: string, value: unknown, detail?: string): string {
  return `Expected ${expected} for ${name} but received ${describe(value)}${detail ? ` (${detail})` : ''}`;
}

export function typeError(name: string, expected: string, value: unknown, detail?: string): TypeError {
  return new TypeError(message(name, expected, value, detail));
}

export function rangeError(name: string, expected: string, value: unknown, detail?: string): RangeError {
  return new RangeError(message(name, expected, value, detail));
}

/** The largest size or stride OpenBLAS's 32-bit `blasint` can hold. */
export const MAX_BLAS_INT = 2 ** 31 - 1;

/** An integer in [min, max]; a non-number is a TypeError, anything else out of range a RangeError. */
export function checkInteger(name: string, value: unknown, min: number, max = MAX_BLAS_INT): number {
  if (typeof value !== 'number') throw typeError(name, `an integer in [${min}, ${max}]`, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(name, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** A finite number. */
export function checkFinite(name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(name, 'a finite number', value);
  if (!Number.isFinite(value)) throw rangeError(name, 'a finite number', value);
  return value;
}

/** A number strictly above zero and finite (learning rates and the like). */
export function checkPositive(name: string, value: unknown): number {
  checkFinite(name, value);
  if ((value as number) <= 0) throw rangeError(name, 'a finite number > 0', value);
  return value as number;
}

/** A finite number >= 0. */
export function checkNonNegative(name: string, value: unknown): number {
  checkFinite(name, value);
  if ((value as number) < 0) throw rangeError(name, 'a finite number >= 0', value);
  return value as number;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value);
  return value;
}

/** One of a fixed set of string values. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  // Valid values return before any message is built: this runs on every BLAS call.
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const expected = allowed.map((a) => JSON.stringify(a)).join(' or ');
  if (typeof value !== 'string') throw typeError(name, expected, value);
  throw rangeError(name, expected, value);
}

/**
 * Whether an ArrayBuffer has been detached (transferred or structured-cloned away).
 * Node 20 lacks ArrayBuffer.prototype.detached; a detached buffer has byteLength 0
 * and refuses to back a new view, which tells it apart from a genuinely empty one.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer as ArrayBuffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * A typed array of the given dtype (a Float32Array or a Float64Array) over a live (not
 * detached) buffer, of at least `minLength` elements; `why` explains the minimum in the
 * error message. An array of the other dtype is a TypeError like any other wrong type:
 * nothing is converted.
 */
export function checkFloatArray<D extends DType>(
  name: string,
  value: unknown,
  dtype: D,
  minLength = 0,
  why?: string | (() => string),
): ArrayOfDType<D> {
  const { arrayName, isArray } = dtypeInfo(dtype);
  if (!isArray(value)) {
    const other = dtypeOfArray(value);
    const detail = other && `${other} where ${dtype} is expected: convert it explicitly, nothing converts implicitly`;
    throw typeError(name, `a ${arrayName}`, value, detail);
  }
  return checkTypedArray(name, value, isArray, `a ${arrayName}`, minLength, why);
}

/** A Float64Array over a live buffer, of at least `minLength` elements (see checkFloatArray). */
export function checkFloat64Array(
  name: string,
  value: unknown,
  minLength = 0,
  why?: string | (() => string),
): Float64Array {
  return checkFloatArray(name, value, 'float64', minLength, why);
}

/** A Uint32Array (row orders, indices) over a live buffer, as checkFloat64Array. */
export function checkUint32Array(
  name: string,
  value: unknown,
  minLength = 0,
  why?: string | (() => string),
): Uint32Array {
  return checkTypedArray(name, value, types.isUint32Array, 'a Uint32Array', minLength, why);
}

function checkTypedArray<T extends ArrayBufferView>(
  name: string,
  value: unknown,
  // util.types rather than instanceof: arrays made in another realm (vm, a worker's
  // message) are typed arrays too.
  is: (value: unknown) => value is T,
  expected: string,
  minLength: number,
  why: string | (() => string) | undefined,
): T {
  if (!is(value)) throw typeError(name, expected, value);
  const length = typedArrayLength(value);
  if (length === 0 && isDetached(typedArrayBuffer(value))) {
    throw typeError(name, expected, value, 'its ArrayBuffer is detached');
  }
  if (length < minLength) {
    throw rangeError(name, `${expected} of length >= ${minLength}`, value, typeof why === 'function' ? why() : why);
  }
  return value;
}

/** 'float32' or 'float64'. */
export function checkDType(name: string, value: unknown): DType {
  return checkOneOf(name, value, DTYPES);
}

/**
 * A finite number that stays finite in `dtype`: for float32, one that rounds to a
 * finite float32 (|value| below about 3.4e38), since the routine computes with it there.
 */
export function checkFiniteIn(name: string, value: unknown, dtype: DType): number {
  checkFinite(name, value);
  if (!Number.isFinite(dtypeInfo(dtype).round(value as number))) {
    throw rangeError(
      name,
      `a number that is finite in ${dtype}`,
      value,
      `it rounds to ${dtypeInfo(dtype).round(value as number)}`,
    );
  }
  return value as number;
}

/** An object whose prototype is Object.prototype (of any realm) or null: what JSON calls an object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

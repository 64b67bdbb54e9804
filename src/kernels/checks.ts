// Argument checks shared by the kernels' `validate` functions, so that every kernel
// refuses the same things with the same messages: sizes that are not whole numbers,
// arrays shorter than the sizes say, outputs that share memory with another operand.

import { types } from 'node:util';

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkFloat64Array, checkInteger, isDetached, rangeError, typeError } from '../util/check.js';
import { typedArrayBuffer, typedArrayLength } from '../util/typed-array.js';

export type Operand = readonly [name: string, array: Float64Array, length: number];

/**
 * Checks every operand (a Float64Array of at least its length), in order, then
 * that no output overlaps an input or another output.
 */
export function checkOperands(inputs: readonly Operand[], outputs: readonly Operand[]): void {
  for (const [name, array, length] of [...inputs, ...outputs]) checkVector(name, array, length, 1);
  outputs.forEach(([name, array, length], i) => {
    for (const [otherName, other, otherLength] of [...inputs, ...outputs.slice(0, i)]) {
      checkNoOverlap(name, array, length, otherName, other, otherLength);
    }
  });
}

/** A count of elements, rows or columns: an integer >= 0 that a C int holds. */
export function checkCount(name: string, value: unknown): number {
  return checkInteger(name, value, 0);
}

/** Elements a rows × cols matrix holds, refused when a C int cannot index them. */
export function checkElements(rows: number, cols: number): number {
  const n = rows * cols;
  if (n > 2 ** 31 - 1) throw rangeError('rows', `at most ${2 ** 31 - 1} elements in all`, rows, `${rows} × ${cols}`);
  return n;
}

/** A hyper-parameter buffer (or a loss's output): a Float64Array of at least `length` entries. */
export function checkBuffer(name: string, value: unknown, length: number): Float64Array {
  return checkFloat64Array(name, value, length);
}

/** A generator state (src/random/prng.ts): a Uint32Array of at least `words` words over a live buffer. */
export function checkRandomState(name: string, value: unknown, words: number): Uint32Array {
  if (!types.isUint32Array(value)) throw typeError(name, 'a Uint32Array', value);
  const length = typedArrayLength(value);
  if (length === 0 && isDetached(typedArrayBuffer(value))) {
    throw typeError(name, 'a Uint32Array', value, 'its ArrayBuffer is detached');
  }
  if (length < words) throw rangeError(name, `a Uint32Array of length >= ${words}`, value);
  return value;
}

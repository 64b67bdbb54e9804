// Argument checks shared by the kernels' `validate` functions, so that every kernel
// refuses the same things with the same messages: sizes that are not whole numbers,
// arrays shorter than the sizes say, outputs that share memory with another operand.

import { types } from 'node:util';

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkFloat64Array, checkInteger, isDetached, rangeError, typeError } from '../util/check.js';
import { typedArrayBuffer, typedArrayLength } from '../util/typed-array.js';

export type Operand = readonly [name: string, array: Float64Array, length: number];

/** What to pass for an operand a call does not use (a buffer the optimizer's settings leave out): never detached. */
export const UNUSED = new Float64Array(0);

/**
 * One operand: a live Float64Array of at least `length` elements. The common case
 * costs a type check and a length read; anything else goes through checkVector for
 * the library's message (a detached buffer, a short array).
 */
function checkOperand(name: string, array: Float64Array, length: number): void {
  if (array === UNUSED && length === 0) return;
  if (types.isFloat64Array(array) && length > 0 && typedArrayLength(array) >= length) return;
  checkVector(name, array, length, 1);
}

// The buffers of the operands of one call, in an array reused from call to call: each
// buffer is read once, and the full overlap check runs only for operands that share one.
const buffersOf: (ArrayBufferLike | undefined)[] = [];

/**
 * Checks every operand (a Float64Array of at least its length), in order, then
 * that no output overlaps an input or another output. Plain loops without
 * allocations: this runs on every kernel call of a training step.
 */
export function checkOperands(inputs: readonly Operand[], outputs: readonly Operand[]): void {
  const count = inputs.length + outputs.length;
  for (let i = 0; i < count; i++) {
    const operand = i < inputs.length ? inputs[i] : outputs[i - inputs.length];
    checkOperand(operand[0], operand[1], operand[2]);
    buffersOf[i] = typedArrayBuffer(operand[1]);
  }
  for (let i = inputs.length; i < count; i++) {
    for (let j = 0; j < i; j++) {
      if (buffersOf[i] !== buffersOf[j]) continue;
      const out = outputs[i - inputs.length];
      const other = j < inputs.length ? inputs[j] : outputs[j - inputs.length];
      checkNoOverlap(out[0], out[1], out[2], other[0], other[1], other[2]);
    }
  }
  // Let go of the buffers, without shrinking the array.
  for (let i = 0; i < count; i++) buffersOf[i] = undefined;
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

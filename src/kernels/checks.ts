// Argument checks shared by the kernels' `validate` functions, so that every kernel
// refuses the same things with the same messages: sizes that are not whole numbers,
// arrays shorter than the sizes say, outputs that share memory with another operand.

import { types } from 'node:util';

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkFloat64Array, checkInteger, isDetached, rangeError, typeError } from '../util/check.js';
import { typedArrayBuffer, typedArrayLength } from '../util/typed-array.js';

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

/**
 * The operands of one kernel call, checked together: each a Float64Array of at least
 * its length, then no output overlapping an input or another output. Built by
 * chaining, `operands().input('x', x, n).output('y', y, n).check()`, into arrays
 * reused from call to call: this runs on every kernel call of a training step, and
 * allocates nothing. Each operand's buffer is read once, and the full overlap check
 * runs only for operands that share one.
 */
class Operands {
  private readonly names: string[] = [];
  private readonly arrays: Float64Array[] = [];
  private readonly lengths: number[] = [];
  private readonly buffers: (ArrayBufferLike | undefined)[] = [];
  private count = 0;
  private outputsFrom = 0;

  reset(): this {
    for (let i = 0; i < this.count; i++) this.buffers[i] = undefined;
    this.count = 0;
    this.outputsFrom = 0;
    return this;
  }

  /** An operand the kernel reads (all of them come before the outputs). */
  input(name: string, array: Float64Array, length: number): this {
    this.add(name, array, length);
    this.outputsFrom = this.count;
    return this;
  }

  /** An operand the kernel writes. */
  output(name: string, array: Float64Array, length: number): this {
    this.add(name, array, length);
    return this;
  }

  check(): void {
    try {
      for (let i = 0; i < this.count; i++) {
        checkOperand(this.names[i], this.arrays[i], this.lengths[i]);
        this.buffers[i] = typedArrayBuffer(this.arrays[i]);
      }
      for (let i = this.outputsFrom; i < this.count; i++) {
        for (let j = 0; j < i; j++) {
          if (this.buffers[i] !== this.buffers[j]) continue;
          checkNoOverlap(
            this.names[i],
            this.arrays[i],
            this.lengths[i],
            this.names[j],
            this.arrays[j],
            this.lengths[j],
          );
        }
      }
    } finally {
      this.reset();
    }
  }

  private add(name: string, array: Float64Array, length: number): void {
    this.names[this.count] = name;
    this.arrays[this.count] = array;
    this.lengths[this.count] = length;
    this.count++;
  }
}

const shared = new Operands();

/** Starts the operand checks of one kernel call (see Operands). */
export function operands(): Operands {
  return shared.reset();
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

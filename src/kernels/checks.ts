// Argument checks shared by the kernels' `validate` functions, so that every kernel
// refuses the same things with the same messages: sizes that are not whole numbers,
// arrays shorter than the sizes say, tensors of mixed dtypes, outputs that share
// memory with another operand.

import { types } from 'node:util';

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkFloat64Array, checkInteger, isDetached, rangeError, typeError } from '../util/check.js';
import { type DType, dtypeInfo, dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { typedArrayBuffer, typedArrayLength } from '../util/typed-array.js';

/** What to pass for an operand a call does not use (a buffer the optimizer's settings leave out): never detached. */
export const UNUSED = new Float64Array(0);
const UNUSED_FLOAT32 = new Float32Array(0);

/** The unused operand of `like`'s dtype, for a call whose tensors are of that dtype. */
export function unusedLike(like: FloatArray): FloatArray {
  return dtypeOfArray(like) === 'float32' ? UNUSED_FLOAT32 : UNUSED;
}

/**
 * One operand: a live array of `dtype` of at least `length` elements. The common case
 * costs a type check and a length read; anything else goes through checkVector for
 * the library's message (a detached buffer, a short array, the other dtype).
 */
function checkOperand(name: string, array: FloatArray, length: number, dtype: DType): void {
  if (length === 0 && array === (dtype === 'float32' ? UNUSED_FLOAT32 : UNUSED)) return;
  if (dtypeInfo(dtype).isArray(array) && length > 0 && typedArrayLength(array) >= length) return;
  checkVector(name, array, length, 1, dtype);
}

/**
 * The operands of one kernel call, checked together: each an array of at least its
 * length, then no output overlapping an input or another output. Built by chaining,
 * `operands().input('x', x, n).output('y', y, n).check()`, into arrays reused from
 * call to call: this runs on every kernel call of a training step, and allocates
 * nothing. Each operand's buffer is read once, and the full overlap check runs only
 * for operands that share one.
 *
 * The tensors (`input`, `output`) of one call share a dtype, the first tensor's: all
 * Float32Arrays or all Float64Arrays, and the native kernel runs in that precision.
 * A tensor of the other dtype is a TypeError naming it. What a kernel keeps in double
 * whatever the tensors' dtype (a loss's value, metric sums, hyper-parameters, class
 * weights) is a `float64Input` or `float64Output`, always a Float64Array.
 */
class Operands {
  private readonly names: string[] = [];
  private readonly arrays: FloatArray[] = [];
  private readonly lengths: number[] = [];
  /** Each operand's dtype, or undefined for a tensor (the call's dtype). */
  private readonly fixed: (DType | undefined)[] = [];
  private readonly buffers: (ArrayBufferLike | undefined)[] = [];
  private count = 0;
  private outputsFrom = 0;

  reset(): this {
    for (let i = 0; i < this.count; i++) this.buffers[i] = undefined;
    this.count = 0;
    this.outputsFrom = 0;
    return this;
  }

  /** A tensor the kernel reads (all inputs come before the outputs). */
  input(name: string, array: FloatArray, length: number): this {
    this.add(name, array, length, undefined);
    this.outputsFrom = this.count;
    return this;
  }

  /** A tensor the kernel writes. */
  output(name: string, array: FloatArray, length: number): this {
    this.add(name, array, length, undefined);
    return this;
  }

  /** An input that is a Float64Array whatever the tensors' dtype. */
  float64Input(name: string, array: Float64Array, length: number): this {
    this.add(name, array, length, 'float64');
    this.outputsFrom = this.count;
    return this;
  }

  /** An output that is a Float64Array whatever the tensors' dtype. */
  float64Output(name: string, array: Float64Array, length: number): this {
    this.add(name, array, length, 'float64');
    return this;
  }

  check(): void {
    try {
      // The tensors' dtype is the first tensor's; float64 when it is neither, for the message.
      let tensors: DType | undefined;
      for (let i = 0; i < this.count && tensors === undefined; i++) {
        if (this.fixed[i] === undefined) tensors = dtypeOfArray(this.arrays[i]) ?? 'float64';
      }
      for (let i = 0; i < this.count; i++) {
        checkOperand(this.names[i], this.arrays[i], this.lengths[i], this.fixed[i] ?? tensors ?? 'float64');
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

  private add(name: string, array: FloatArray, length: number, dtype: DType | undefined): void {
    this.names[this.count] = name;
    this.arrays[this.count] = array;
    this.lengths[this.count] = length;
    this.fixed[this.count] = dtype;
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

// Which parts of a model a recorded step may stand in for.
//
// A recording sees kernel calls and nothing else, so it is faithful only for code
// that computes nothing in JavaScript on a step's path, branches on no value it
// computed, and reads every number that can change between steps (a learning rate
// aside, which the plans of a model follow: src/model/plans.ts) from an array a
// kernel reads. No test can tell that of a function from the outside, so parts say
// it of themselves: a class is declared here (each built-in in coverage.ts), and
// its instances, not those of a subclass, which may override a method with
// JavaScript of its own, are capturable. A model with any part that is not falls
// back to running its steps eagerly, all of them.

import { types } from 'node:util';

import { typedArrayLength } from '../util/typed-array.js';

const declared = new WeakSet<object>();

/**
 * Declares that the instances of each class (exactly that class: not its
 * subclasses), or each object itself (metrics are plain objects), compute a training
 * step only through the validated BLAS routines and kernels.
 */
export function declareCapturable(...parts: (abstract new (...args: never[]) => unknown)[] | object[]): void {
  for (const part of parts) declared.add(typeof part === 'function' ? (part.prototype as object) : part);
}

/** Whether `part` is an instance of a declared class, or a declared object. */
export function isDeclaredCapturable(part: object): boolean {
  return declared.has(part) || declared.has(Object.getPrototypeOf(part) as object);
}

/**
 * What a capturable loss adds to the Loss interface: `forward` writes the loss
 * into element 0 of this one-element array (with a kernel), and returns it; a
 * recorded step stops before its backward pass when that value is not finite.
 */
export interface RecordableLoss {
  readonly lossBuffer: Float64Array;
}

/** The loss's one-element array, or undefined when it has none. */
export function lossBufferOf(loss: object): Float64Array | undefined {
  const buffer = (loss as Partial<RecordableLoss>).lossBuffer;
  return types.isFloat64Array(buffer) && typedArrayLength(buffer) === 1 ? buffer : undefined;
}

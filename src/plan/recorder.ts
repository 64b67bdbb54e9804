// The recording hook. Every kernel of a training step passes through one of two
// doors: the validated BLAS routines (src/blas/routines.ts) and defineKernel
// (src/kernels/define.ts). While a recording is open, each door adds the call it
// has just validated, kernel name and arguments, before running it; so a step run
// once under a recording both trains and leaves behind the exact list of what it
// computed, which src/plan/step-plan.ts hands to the addon to replay.
//
// A call that cannot be replayed natively (the TypeScript reference of a kernel, an
// argument that is neither a number nor an array) spoils the recording instead of
// being left out of it: a plan is the whole step or nothing.

import { types } from 'node:util';

import { dtypeOfArray, type FloatArray } from '../util/dtype.js';

/** An array a call reads or writes: a tensor of either dtype, or a Uint32Array (a row order, a generator's state). */
export type RecordedArray = FloatArray | Uint32Array;
/** Several tensors of one dtype as one argument (the gradients clipGradNorm scales together). */
export type RecordedList = readonly Float64Array[] | readonly Float32Array[];
export type RecordedArgument = number | boolean | RecordedArray | RecordedList;

export interface RecordedCall {
  /** The addon's kernel (native/src/kernels/registry.cc), or a check of the plan's own. */
  readonly kernel: string;
  readonly args: readonly RecordedArgument[];
}

/** The plan's own check: stop the step unless element 0 of the array is finite (native/src/plan/plan.cc). */
export const REQUIRE_FINITE = '.requireFinite';

export class Recording {
  readonly calls: RecordedCall[] = [];
  /** Why this recording cannot be replayed, if it cannot. */
  spoiled: string | undefined;

  add(kernel: string, args: readonly unknown[]): void {
    const copied: RecordedArgument[] = [];
    for (const arg of args) {
      if (typeof arg === 'number' || typeof arg === 'boolean' || isRecordedArray(arg)) copied.push(arg);
      // A copy: the caller may refill its list for the next call.
      else if (isRecordedList(arg)) copied.push([...arg] as RecordedList);
      else {
        this.spoil(`${kernel} was called with an argument that is neither a number nor an array`);
        return;
      }
    }
    this.calls.push({ kernel, args: copied });
  }

  spoil(reason: string): void {
    this.spoiled ??= reason;
  }
}

function isRecordedArray(value: unknown): value is RecordedArray {
  return dtypeOfArray(value) !== undefined || types.isUint32Array(value);
}

export function isRecordedList(value: unknown): value is RecordedList {
  if (!Array.isArray(value)) return false;
  // Empty, or tensors of one dtype.
  const dtype = dtypeOfArray(value[0]);
  return value.length === 0 || (dtype !== undefined && value.every((entry) => dtypeOfArray(entry) === dtype));
}

let active: Recording | undefined;

/** Whether a recording is open (checked before building anything to record). */
export function isRecording(): boolean {
  return active !== undefined;
}

/** Adds a validated call to the open recording. */
export function recordCall(kernel: string, args: readonly unknown[]): void {
  active?.add(kernel, args);
}

/** Marks the open recording as one that cannot be replayed. */
export function spoilRecording(reason: string): void {
  active?.spoil(reason);
}

/** Runs `run` with a recording open, and returns both its result and the recording. */
export function record<T>(run: () => T): { result: T; recording: Recording } {
  if (active !== undefined) throw new Error('internal: a recording is already open');
  const recording = new Recording();
  active = recording;
  try {
    return { result: run(), recording };
  } finally {
    active = undefined;
  }
}

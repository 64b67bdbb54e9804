// A recorded training step, handed to the addon (native/src/plan/plan.cc) to replay.
//
// The recording's calls were each validated when they ran, for the arrays they ran
// on. A replay runs the same calls on the same arrays, except for the inputs (the
// batch's x and y), which it may be pointed at others of the same shape. What can
// change under it is checked before every replay, in TypeScript: that no array was
// detached or resized since (an error naming it, before anything runs), and that new
// inputs share no memory with the arrays the plan writes (else the step runs eagerly,
// whose checks decide).

import { types } from 'node:util';

import { backend } from '../blas/backend.js';
import type { NativePlan } from '../native/binding.js';
import { isDetached, rangeError, typeError } from '../util/check.js';
import { dtypeInfo, dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { typedArrayBuffer, typedArrayLength } from '../util/typed-array.js';
import { isRecordedList, REQUIRE_FINITE, type RecordedArray, type Recording } from './recorder.js';

export interface StepPlanSpec {
  readonly recording: Recording;
  /** The arrays the step took its batch from: x's and y's data, of the model's dtype. */
  readonly inputs: readonly [FloatArray, FloatArray];
  /** Arrays whose values trainBatches copies out after every batch (the loss, a metric's sums), in order. */
  readonly records: readonly Float64Array[];
  /** What to call an array in an error (a parameter's name); others are described by the call that uses it. */
  readonly names: ReadonlyMap<RecordedArray, string>;
}

/** Why trainBatches stopped (native/src/plan/plan.h). */
export type BatchesStop = 'count' | 'budget' | 'stop' | 'nonFiniteLoss';
const STOPS: readonly BatchesStop[] = ['count', 'budget', 'stop', 'nonFiniteLoss'];
const NON_FINITE_LOSS = 3;

export interface BatchLayout {
  /** The whole data set's x and y, of the inputs' dtype, and its rows. */
  x: FloatArray;
  xCols: number;
  y: FloatArray;
  yCols: number;
  rows: number;
  order: Uint32Array;
  /** Rows in each of these batches. */
  batchRows: number;
}

export class StepPlan {
  /** Values copied out per batch by trainBatches: the records' lengths added up. */
  readonly recordLength: number;
  private readonly native: NativePlan;
  private readonly bound: FloatArray[];
  /** Every array but the inputs (and empty ones), with the length it had when recorded and what to call it. */
  private readonly owned: readonly RecordedArray[];
  private readonly ownedLengths: readonly number[];
  private readonly ownedNames: readonly string[];
  private readonly ownedMemory: ReadonlySet<ArrayBufferLike>;

  private constructor(
    native: NativePlan,
    inputs: readonly FloatArray[],
    owned: RecordedArray[],
    ownedNames: string[],
    recordLength: number,
  ) {
    this.native = native;
    this.bound = [...inputs];
    // An empty array has no memory a call could reach: only the others are checked.
    const checked = owned.flatMap((array, i) => (typedArrayLength(array) > 0 ? [i] : []));
    this.owned = checked.map((i) => owned[i]);
    this.ownedLengths = this.owned.map((array) => typedArrayLength(array));
    this.ownedNames = checked.map((i) => ownedNames[i]);
    this.ownedMemory = new Set(owned.map((array) => typedArrayBuffer(array)));
    this.recordLength = recordLength;
  }

  /** The plan of a recording, or why there can be none. Only with the native backend. */
  static build(spec: StepPlanSpec): StepPlan | string {
    const { recording, inputs, records, names } = spec;
    if (recording.spoiled !== undefined) return recording.spoiled;
    const active = backend();
    if (active.kind !== 'native') return 'plans need the native backend';
    const arrays: RecordedArray[] = [...inputs];
    const index = new Map<RecordedArray, number>(inputs.map((array, i) => [array, i]));
    const inputMemory = new Set(inputs.map((array) => typedArrayBuffer(array)));
    const ownedNames: string[] = [];
    const indexOf = (array: RecordedArray, describe: () => string): number | string => {
      const known = index.get(array);
      if (known !== undefined) return known;
      // An input's memory is replaced when the plan is pointed at another input; an
      // array that reached into it would be left behind.
      if (inputMemory.has(typedArrayBuffer(array))) return 'the step used a view into its input';
      index.set(array, arrays.length);
      arrays.push(array);
      ownedNames.push(names.get(array) ?? describe());
      return arrays.length - 1;
    };
    const kernels: string[] = [];
    const values: number[] = [];
    const isArray: number[] = [];
    const lists: number[] = [];
    for (const [c, call] of recording.calls.entries()) {
      kernels.push(call.kernel);
      for (const [a, arg] of call.args.entries()) {
        if (typeof arg === 'number' || typeof arg === 'boolean') {
          values.push(Number(arg));
          isArray.push(0);
          continue;
        }
        if (isRecordedList(arg)) {
          values.push(lists.length);
          isArray.push(2);
          lists.push(arg.length);
          for (const [e, entry] of arg.entries()) {
            const at = indexOf(
              entry,
              () => `array ${e} of argument ${a} of ${call.kernel}, call ${c} of the recorded step`,
            );
            if (typeof at === 'string') return at;
            if (at < inputs.length) return 'the step used its input in a list';
            lists.push(at);
          }
          continue;
        }
        const at = indexOf(arg, () => `argument ${a} of ${call.kernel}, call ${c} of the recorded step`);
        if (typeof at === 'string') return at;
        if (call.kernel === REQUIRE_FINITE && at < inputs.length) return 'the step checks a value of its input';
        values.push(at);
        isArray.push(1);
      }
    }
    const recordPairs: number[] = [];
    for (const [r, array] of records.entries()) {
      const at = indexOf(array, () => `record ${r} of the recorded step`);
      if (typeof at === 'string' || at < inputs.length) return 'a record is an input';
      recordPairs.push(at, typedArrayLength(array));
    }
    const native = new active.native.binding.Plan({
      kernels,
      values: Float64Array.from(values),
      isArray: Uint8Array.from(isArray),
      arrays,
      inputs: inputs.length,
      records: Uint32Array.from(recordPairs),
      lists: Uint32Array.from(lists),
    });
    const recordLength = records.reduce((total, array) => total + typedArrayLength(array), 0);
    return new StepPlan(native, inputs, arrays.slice(inputs.length), ownedNames, recordLength);
  }

  /**
   * Points the plan at these inputs, of the shapes it was recorded with. False when
   * one shares memory with an array the plan owns: such a step must run eagerly,
   * where every call's own checks see the overlap.
   */
  bind(x: FloatArray, y: FloatArray): boolean {
    return this.bindInput(0, x) && this.bindInput(1, y);
  }

  /** Throws, naming the array, when an array the plan owns was detached or resized since it was recorded. */
  checkArrays(): void {
    const { owned, ownedLengths } = this;
    for (let i = 0; i < owned.length; i++) {
      if (typedArrayLength(owned[i]) !== ownedLengths[i]) this.throwChanged(i);
    }
  }

  /** Runs the step once; false when its loss was not finite, which stops it before the backward pass. */
  step(): boolean {
    return this.native.step() !== NON_FINITE_LOSS;
  }

  /**
   * Trains up to `count` batches natively (native/src/plan/plan.cc: gather, step, copy
   * the records into `records`), stopping early once `budgetMs` have passed, when
   * `stop[0]` is nonzero, or at a batch whose loss is not finite (its record is
   * written, its update not applied).
   */
  trainBatches(
    layout: BatchLayout,
    start: number,
    count: number,
    records: Float64Array,
    stop: Int32Array | null,
    budgetMs: number,
  ): { trained: number; stopped: BatchesStop } {
    const { x, xCols, y, yCols, rows, order, batchRows } = layout;
    const outcome = this.native.trainBatches(
      x,
      xCols,
      y,
      yCols,
      rows,
      order,
      start,
      batchRows,
      count,
      records,
      stop,
      budgetMs,
    );
    return { trained: Math.floor(outcome / 4), stopped: STOPS[outcome % 4] };
  }

  private bindInput(slot: number, input: FloatArray): boolean {
    if (input === this.bound[slot]) return true;
    if (this.ownedMemory.has(typedArrayBuffer(input))) return false;
    this.native.bind(slot, input);
    this.bound[slot] = input;
    return true;
  }

  private throwChanged(i: number): never {
    const array = this.owned[i];
    const expected = `a ${arrayName(array)} of length ${this.ownedLengths[i]}`;
    const detail = 'its buffer was detached or resized after the training step was recorded';
    if (isDetached(typedArrayBuffer(array))) throw typeError(this.ownedNames[i], expected, array, detail);
    throw rangeError(this.ownedNames[i], expected, array, detail);
  }
}

function arrayName(array: RecordedArray): string {
  if (types.isUint32Array(array)) return 'Uint32Array';
  return dtypeInfo(dtypeOfArray(array) ?? 'float64').arrayName;
}

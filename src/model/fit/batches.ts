// The batches of a fit: the rows of each epoch's order gathered into buffers
// allocated once (the shorter last batch is a view of their first rows) and trained
// on, a run of consecutive batches at a time. A run goes natively, gather and step
// and all, whenever the model has a recorded step for the batch size (src/plan/),
// and batch by batch through trainBatch otherwise; either way it leaves, for every
// batch it trained, the batch's loss and metric sums in `records`.

import { type AnyMatrix, gatherRows, Matrix } from '../../nn/matrix.js';
import type { BatchLayout, StepPlan } from '../../plan/step-plan.js';
import type { FloatArray } from '../../util/dtype.js';
import { nonFiniteLossError } from '../errors.js';
import type { MetricSums } from './logs.js';
import { checkMatrixBuffer } from './options.js';

/** Trains batches of one size natively: StepPlan.trainBatches, for a model's recorded step. */
export interface NativeBatches {
  train: StepPlan['trainBatches'];
}

/** What the batches need of the model. */
export interface BatchTarget {
  /**
   * One step on a batch, its gradients clipped to a total norm of `clipNorm` when
   * given, adding its metrics to `sums`; throws before updating when its loss is not finite.
   */
  trainBatch(x: AnyMatrix, y: AnyMatrix, sums: MetricSums | undefined, clipNorm?: number): number;
  /** Native training of batches in the arrays (x, y), or undefined when the next must go through trainBatch. */
  nativeBatches(
    rows: number,
    sums: MetricSums | undefined,
    clipNorm: number | undefined,
    x: AnyMatrix,
    y: AnyMatrix,
  ): NativeBatches | undefined;
}

export interface BatchesRun {
  /** Batches trained, one after another; their records are in `records`. */
  trained: number;
  /** What the batch after them threw (its loss was not finite, say): nothing of it was applied. */
  failure?: unknown;
  /** The stop flag ended the run. */
  stopRequested?: true;
}

export interface RunOptions {
  /** Milliseconds after which the run ends, once a batch is done. */
  budgetMs: number;
  /** Adds every batch's metrics to these sums, and records them. */
  sums: MetricSums | undefined;
  /** Clips every batch's gradients to this total norm. */
  clipNorm: number | undefined;
  /** A run ends before a batch when element 0 is nonzero (a flag another thread raises). */
  stop?: Int32Array;
}

export class Batches {
  /** Per batch of the last run: its loss, then its metric sums (`recordLength` values in all). */
  readonly records: Float64Array;
  readonly recordLength: number;
  private readonly fullX: AnyMatrix;
  private readonly fullY: AnyMatrix;
  private readonly tailX: AnyMatrix;
  private readonly tailY: AnyMatrix;

  constructor(
    private readonly target: BatchTarget,
    private readonly x: AnyMatrix,
    private readonly y: AnyMatrix,
    private readonly order: Uint32Array,
    private readonly batchSize: number,
    private readonly trainRows: number,
    sums: MetricSums | undefined,
    maxBatches: number,
  ) {
    this.fullX = new Matrix<FloatArray>(batchSize, x.cols, { dtype: x.dtype });
    this.fullY = new Matrix<FloatArray>(batchSize, y.cols, { dtype: y.dtype });
    const tail = trainRows % batchSize;
    this.tailX = tail > 0 ? this.fullX.rowRange(0, tail) : this.fullX;
    this.tailY = tail > 0 ? this.fullY.rowRange(0, tail) : this.fullY;
    this.recordLength = 1 + (sums?.batchLength ?? 0);
    this.records = new Float64Array(maxBatches * this.recordLength);
  }

  /**
   * Trains up to `count` batches (at most the constructor's `maxBatches`), the first
   * starting at row `start` of the order, and ends early once `budgetMs` have passed,
   * when the stop flag is raised, or at a batch that fails.
   */
  train(start: number, count: number, { budgetMs, sums, clipNorm, stop }: RunOptions): BatchesRun {
    // Another thread, or a callback, may have detached or shrunk the data since fit began.
    checkMatrixBuffer('x', this.x);
    checkMatrixBuffer('y', this.y);
    const { batchSize, trainRows, recordLength, records } = this;
    const began = performance.now();
    let trained = 0;
    let at = start;
    while (trained < count && at < trainRows) {
      if (stop !== undefined && Atomics.load(stop, 0) !== 0) return { trained, stopRequested: true };
      const rows = Math.min(batchSize, trainRows - at);
      const [bx, by] = rows === batchSize ? [this.fullX, this.fullY] : [this.tailX, this.tailY];
      const { x, y } = this;
      const native = this.target.nativeBatches(rows, sums, clipNorm, bx, by);
      if (native !== undefined) {
        const batches = rows === batchSize ? Math.min(count - trained, Math.floor((trainRows - at) / batchSize)) : 1;
        const layout: BatchLayout = {
          x: x.data,
          xCols: x.cols,
          y: y.data,
          yCols: y.cols,
          rows: x.rows,
          order: this.order,
          batchRows: rows,
        };
        const left = budgetMs - (performance.now() - began);
        const run = native.train(layout, at, batches, records.subarray(trained * recordLength), stop ?? null, left);
        trained += run.trained;
        at += run.trained * rows;
        if (run.stopped === 'nonFiniteLoss') {
          return { trained, failure: nonFiniteLossError(bx, by, records[trained * recordLength]) };
        }
        if (run.stopped === 'stop') return { trained, stopRequested: true };
        if (run.stopped === 'budget') return { trained };
        continue;
      }
      gatherRows(this.x, this.order, at, rows, bx.data);
      gatherRows(this.y, this.order, at, rows, by.data);
      let loss: number;
      try {
        loss = this.target.trainBatch(bx, by, sums, clipNorm);
      } catch (failure) {
        return { trained, failure };
      }
      records[trained * recordLength] = loss;
      sums?.copyBatch(records, trained * recordLength + 1);
      trained++;
      at += rows;
      if (performance.now() - began >= budgetMs) break;
    }
    return { trained };
  }
}

// The sums behind the metrics (native/src/kernels/metrics.cc). Each kernel writes one
// batch's sums into `batch` and merges them into `total` (an epoch's, or an
// evaluation's), so that a batch's value and an epoch's come from the same code and
// nothing but the kernel touches the data. Native and reference agree bit for bit.

import { rangeError } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { checkCount, checkElements, operands } from './checks.js';
import { defineKernel } from './define.js';

/** A batch's [sum, count], written into batch and added into the running total. */
function recordSums(batch: Float64Array, total: Float64Array, sum: number, count: number): void {
  batch[0] = sum;
  batch[1] = count;
  total[0] += sum;
  total[1] += count;
}

/** Sums of the form [Σ something, count]: mae, rmse and accuracy keep two. */
export const PAIR_SUMS = 2;

/** R²'s sums for `cols` target columns: [rows, then per column mean, Σ(t − mean)², Σ(p − t)²]. */
export function r2SumsLength(cols: number): number {
  return 1 + 3 * cols;
}

function validatePair(n: number, pred: FloatArray, target: FloatArray, batch: Float64Array, total: Float64Array) {
  const N = checkCount('n', n);
  operands()
    .input('pred', pred, N)
    .input('target', target, N)
    .float64Output('batch', batch, PAIR_SUMS)
    .float64Output('total', total, PAIR_SUMS)
    .check();
}

/** batch = [Σ|pred − target|, n], added into total. */
export const maeSums = defineKernel({
  name: 'maeSums',
  validate: validatePair,
  reference(n: number, pred: FloatArray, target: FloatArray, batch: Float64Array, total: Float64Array): void {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(pred[i] - target[i]);
    recordSums(batch, total, sum, n);
  },
});

/** batch = [Σ(pred − target)², n], added into total. */
export const squaredErrorSums = defineKernel({
  name: 'squaredErrorSums',
  validate: validatePair,
  reference(n: number, pred: FloatArray, target: FloatArray, batch: Float64Array, total: Float64Array): void {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = pred[i] - target[i];
      sum += diff * diff;
    }
    recordSums(batch, total, sum, n);
  },
});

/**
 * batch = [correct, count], added into total. With targets of the predictions' shape,
 * each element is a binary logit, right when (logit > 0) = (target > 0.5); with one
 * target column for several prediction columns, each row is right when its largest
 * logit (the first, on a tie) is at the target class index.
 */
export const accuracySums = defineKernel({
  name: 'accuracySums',
  validate(
    rows: number,
    predCols: number,
    targetCols: number,
    pred: FloatArray,
    target: FloatArray,
    batch: Float64Array,
    total: Float64Array,
  ): void {
    const R = checkCount('rows', rows);
    const P = checkCount('predCols', predCols);
    const T = checkCount('targetCols', targetCols);
    if (T !== P && T !== 1) throw rangeError('targetCols', `1 or predCols (${P})`, targetCols);
    operands()
      .input('pred', pred, checkElements(R, P))
      .input('target', target, checkElements(R, T))
      .float64Output('batch', batch, PAIR_SUMS)
      .float64Output('total', total, PAIR_SUMS)
      .check();
  },
  reference(
    rows: number,
    predCols: number,
    targetCols: number,
    pred: FloatArray,
    target: FloatArray,
    batch: Float64Array,
    total: Float64Array,
  ): void {
    let correct = 0;
    let count = 0;
    if (targetCols === predCols) {
      const n = rows * predCols;
      for (let i = 0; i < n; i++) correct += pred[i] > 0 === target[i] > 0.5 ? 1 : 0;
      count = n;
    } else {
      for (let r = 0; r < rows; r++) {
        const base = r * predCols;
        let best = 0;
        for (let c = 1; c < predCols; c++) best = pred[base + c] > pred[base + best] ? c : best;
        correct += target[r] === best ? 1 : 0;
      }
      count = rows;
    }
    recordSums(batch, total, correct, count);
  },
});

/**
 * R²'s sums (layout: r2SumsLength), the batch's from two passes over each column, merged
 * into total with Chan's update: mean += δ·n_b/n, M2 += M2_b + δ²·n_a·n_b/n.
 */
export const r2Sums = defineKernel({
  name: 'r2Sums',
  validate(
    rows: number,
    cols: number,
    pred: FloatArray,
    target: FloatArray,
    batch: Float64Array,
    total: Float64Array,
  ): void {
    const R = checkCount('rows', rows);
    const C = checkCount('cols', cols);
    const N = checkElements(R, C);
    operands()
      .input('pred', pred, N)
      .input('target', target, N)
      .float64Output('batch', batch, r2SumsLength(C))
      .float64Output('total', total, r2SumsLength(C))
      .check();
  },
  reference(
    rows: number,
    cols: number,
    pred: FloatArray,
    target: FloatArray,
    batch: Float64Array,
    total: Float64Array,
  ): void {
    batch[0] = rows;
    const before = total[0];
    const after = before + rows;
    for (let c = 0; c < cols; c++) {
      const b = 1 + 3 * c;
      if (rows === 0) {
        batch[b] = batch[b + 1] = batch[b + 2] = 0;
        continue;
      }
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += target[r * cols + c];
      const mean = sum / rows;
      let squares = 0;
      let errors = 0;
      for (let r = 0; r < rows; r++) {
        const i = r * cols + c;
        const deviation = target[i] - mean;
        const error = pred[i] - target[i];
        squares += deviation * deviation;
        errors += error * error;
      }
      batch[b] = mean;
      batch[b + 1] = squares;
      batch[b + 2] = errors;
      const delta = mean - total[b];
      total[b] += delta * (rows / after);
      total[b + 1] += squares + delta * delta * ((before * rows) / after);
      total[b + 2] += errors;
    }
    total[0] = after;
  },
});

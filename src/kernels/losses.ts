// The losses' loops (native/src/kernels/losses.cc). Each computes the reduced loss
// into out[0] — a Float64Array the loss owns, so that a recorded step finds the value
// there — and d loss / d pred into grad, in one pass. With `mean` both are divided by
// the number of elements (cross-entropy: by the summed weights of the rows' target
// classes, as PyTorch); an empty batch has loss 0. Sums run left to right in both
// implementations, so the regression losses agree bit for bit; the classification
// losses call exp and log, from libm natively and from Math here, which agree to a
// few units in the last place.

import { checkBoolean, checkFinite, rangeError } from '../util/check.js';
import { describe } from '../util/describe.js';
import type { FloatArray } from '../util/dtype.js';
import { checkCount, checkElements, operands } from './checks.js';
import { defineKernel } from './define.js';

/** Every value a class index: an integer in [0, classes). `received` is what the message shows. */
export function checkClassIndices(name: string, received: unknown, values: FloatArray, count: number, classes: number) {
  for (let i = 0; i < count; i++) {
    const t = values[i];
    if (!(t >= 0 && t < classes && Number.isInteger(t))) {
      throw rangeError(name, `class indices (integers in [0, ${classes - 1}])`, received, `${describe(t)} at row ${i}`);
    }
  }
}

/** Every value a probability in [0, 1] (BCEWithLogitsLoss's targets, soft labels included). */
export function checkProbabilities(name: string, received: unknown, values: FloatArray, count: number, cols: number) {
  for (let i = 0; i < count; i++) {
    const t = values[i];
    if (!(t >= 0 && t <= 1)) {
      const row = Math.floor(i / cols);
      throw rangeError(
        name,
        'probabilities in [0, 1]',
        received,
        `${describe(t)} at row ${row}, column ${i - row * cols}`,
      );
    }
  }
}

/** The largest of values[base … base + cols), NaN entries after the first passed over, as the addon's loop does. */
function rowMaximum(values: FloatArray, base: number, cols: number): number {
  let largest = values[base];
  for (let c = 1; c < cols; c++) {
    if (values[base + c] > largest) largest = values[base + c];
  }
  return largest;
}

function scaleOf(mean: boolean, count: number): number {
  return mean && count > 0 ? 1 / count : 1;
}

function validateRegression(
  n: number,
  mean: boolean,
  pred: FloatArray,
  target: FloatArray,
  grad: FloatArray,
  out: Float64Array,
): void {
  const N = checkCount('n', n);
  checkBoolean('mean', mean);
  operands()
    .input('pred', pred, N)
    .input('target', target, N)
    .output('grad', grad, N)
    .float64Output('out', out, 1)
    .check();
}

/** Squared error: Σ(pred − target)², gradient 2·(pred − target), both scaled by 1/n for the mean; returns out. */
export const mseLoss = defineKernel({
  name: 'mseLoss',
  validate: validateRegression,
  reference(n: number, mean: boolean, pred: FloatArray, target: FloatArray, grad: FloatArray, out: Float64Array) {
    const scale = scaleOf(mean, n);
    const gradScale = 2 * scale;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = pred[i] - target[i];
      sum += diff * diff;
      grad[i] = gradScale * diff;
    }
    out[0] = sum * scale;
    return out;
  },
});

/** Absolute error: Σ|pred − target|, gradient its sign (0 at a zero difference); returns out. */
export const l1Loss = defineKernel({
  name: 'l1Loss',
  validate: validateRegression,
  reference(n: number, mean: boolean, pred: FloatArray, target: FloatArray, grad: FloatArray, out: Float64Array) {
    const scale = scaleOf(mean, n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = pred[i] - target[i];
      sum += Math.abs(diff);
      grad[i] = diff > 0 ? scale : diff < 0 ? -scale : diff * scale;
    }
    out[0] = sum * scale;
    return out;
  },
});

/**
 * Huber: ½z² where z = |pred − target| < delta, else delta·(z − ½·delta); the
 * gradient is the difference clipped to ±delta (±delta at |z| = delta). Returns out.
 */
export const huberLoss = defineKernel({
  name: 'huberLoss',
  validate(
    n: number,
    mean: boolean,
    delta: number,
    pred: FloatArray,
    target: FloatArray,
    grad: FloatArray,
    out: Float64Array,
  ): void {
    checkCount('n', n);
    checkBoolean('mean', mean);
    const d = checkFinite('delta', delta);
    if (d <= 0) throw rangeError('delta', 'a finite number > 0', delta);
    validateRegression(n, mean, pred, target, grad, out);
  },
  reference(
    n: number,
    mean: boolean,
    delta: number,
    pred: FloatArray,
    target: FloatArray,
    grad: FloatArray,
    out: Float64Array,
  ) {
    const scale = scaleOf(mean, n);
    const bound = scale * delta;
    const halfDelta = 0.5 * delta;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = pred[i] - target[i];
      const z = Math.abs(diff);
      sum += z < delta ? 0.5 * z * z : delta * (z - halfDelta);
      grad[i] = diff <= -delta ? -bound : diff >= delta ? bound : scale * diff;
    }
    out[0] = sum * scale;
    return out;
  },
});

/**
 * Binary cross-entropy of logits, in the stable form −[w·y·log σ(x) + (1 − y)·log(1 − σ(x))]
 * = (1 − y)·x + (1 + (w − 1)·y)·softplus(−x), w the column's positive weight; the
 * gradient is ((w·y + 1 − y)·σ(x) − w·y). Targets are probabilities in [0, 1]. Returns out.
 */
export const bceWithLogitsLoss = defineKernel({
  name: 'bceWithLogitsLoss',
  validate(
    rows: number,
    cols: number,
    mean: boolean,
    posWeight: Float64Array,
    pred: FloatArray,
    target: FloatArray,
    grad: FloatArray,
    out: Float64Array,
  ): void {
    const R = checkCount('rows', rows);
    const C = checkCount('cols', cols);
    const N = checkElements(R, C);
    checkBoolean('mean', mean);
    operands()
      .float64Input('posWeight', posWeight, C)
      .input('pred', pred, N)
      .input('target', target, N)
      .output('grad', grad, N)
      .float64Output('out', out, 1)
      .check();
    checkProbabilities('target', target, target, N, C);
  },
  reference(
    rows: number,
    cols: number,
    mean: boolean,
    posWeight: Float64Array,
    pred: FloatArray,
    target: FloatArray,
    grad: FloatArray,
    out: Float64Array,
  ) {
    const scale = scaleOf(mean, rows * cols);
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const x = pred[i];
        const y = target[i];
        const w = posWeight[c];
        const softplus = Math.log1p(Math.exp(-Math.abs(x))) + (x < 0 ? -x : 0);
        const logWeight = (w - 1) * y + 1;
        sum += (1 - y) * x + logWeight * softplus;
        const weighted = w * y;
        grad[i] = ((weighted + 1 - y) * (1 / (1 + Math.exp(-x))) - weighted) * scale;
      }
    }
    out[0] = sum * scale;
    return out;
  },
});

/**
 * Cross-entropy of logits (rows × cols) against class indices (rows), with one weight
 * per class and label smoothing ε, through a stable log-softmax lp:
 * (1 − ε)·(−w[t]·lp[t]) + (ε/C)·Σ_c −w[c]·lp[c] per row, and for the mean divided by
 * Σ w[t] over the rows, as PyTorch. Returns out.
 */
export const crossEntropyLoss = defineKernel({
  name: 'crossEntropyLoss',
  validate(
    rows: number,
    cols: number,
    mean: boolean,
    smoothing: number,
    weight: Float64Array,
    pred: FloatArray,
    target: FloatArray,
    grad: FloatArray,
    out: Float64Array,
  ): void {
    const R = checkCount('rows', rows);
    const C = checkCount('cols', cols);
    if (C === 0 && R > 0) throw rangeError('cols', 'at least one class', cols);
    const N = checkElements(R, C);
    checkBoolean('mean', mean);
    const e = checkFinite('smoothing', smoothing);
    if (e < 0 || e > 1) throw rangeError('smoothing', 'a number in [0, 1]', smoothing);
    operands()
      .float64Input('weight', weight, C)
      .input('pred', pred, N)
      .input('target', target, R)
      .output('grad', grad, N)
      .float64Output('out', out, 1)
      .check();
    checkClassIndices('target', target, target, R, C);
  },
  reference(
    rows: number,
    cols: number,
    mean: boolean,
    smoothing: number,
    weight: Float64Array,
    pred: FloatArray,
    target: FloatArray,
    grad: FloatArray,
    out: Float64Array,
  ) {
    let weightSum = 0;
    for (let c = 0; c < cols; c++) weightSum += weight[c];
    const keep = 1 - smoothing;
    const spread = smoothing / cols;
    let total = 0;
    let denominator = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const t = target[r];
      if (!(t >= 0 && t < cols && t === Math.floor(t))) {
        for (let c = 0; c < cols; c++) grad[base + c] = Number.NaN;
        total += Number.NaN;
        continue;
      }
      const largest = rowMaximum(pred, base, cols);
      let expSum = 0;
      for (let c = 0; c < cols; c++) {
        const e = Math.exp(pred[base + c] - largest);
        grad[base + c] = e;
        expSum += e;
      }
      const logSum = Math.log(expSum);
      let smoothed = 0;
      for (let c = 0; c < cols; c++) smoothed += -(pred[base + c] - largest - logSum) * weight[c];
      const w = weight[t];
      total += keep * (-(pred[base + t] - largest - logSum) * w) + spread * smoothed;
      denominator += w;
      for (let c = 0; c < cols; c++) {
        const p = grad[base + c] / expSum;
        grad[base + c] = keep * w * (c === t ? p - 1 : p) + spread * (weightSum * p - weight[c]);
      }
    }
    const scale = mean && rows > 0 ? 1 / denominator : 1;
    for (let i = 0; i < rows * cols; i++) grad[i] *= scale;
    out[0] = total * scale;
    return out;
  },
});

/** `out` is x's dtype (probabilities), or for indices (`indices`) always float64. */
function validateRows(rows: number, cols: number, x: FloatArray, out: FloatArray, outLength: number, indices = false) {
  const R = checkCount('rows', rows);
  const C = checkCount('cols', cols);
  if (C === 0 && R > 0) throw rangeError('cols', 'at least one column', cols);
  const checks = operands().input('x', x, checkElements(R, C));
  (indices
    ? checks.float64Output('out', out as Float64Array, outLength)
    : checks.output('out', out, outLength)
  ).check();
}

/** out = the softmax of each row of x (exp(x − max) / Σ); returns out. */
export const softmaxRows = defineKernel({
  name: 'softmaxRows',
  validate: (rows: number, cols: number, x: FloatArray, out: Float64Array) =>
    validateRows(rows, cols, x, out, rows * cols),
  reference(rows: number, cols: number, x: FloatArray, out: FloatArray): FloatArray {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const largest = rowMaximum(x, base, cols);
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        out[base + c] = Math.exp(x[base + c] - largest);
        sum += out[base + c];
      }
      for (let c = 0; c < cols; c++) out[base + c] /= sum;
    }
    return out;
  },
});

/** out[r] = the index of the first largest entry of row r of x; returns out. */
export const argmaxRows = defineKernel({
  name: 'argmaxRows',
  validate: (rows: number, cols: number, x: FloatArray, out: FloatArray) => validateRows(rows, cols, x, out, rows),
  reference(rows: number, cols: number, x: FloatArray, out: FloatArray): FloatArray {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let best = 0;
      for (let c = 1; c < cols; c++) best = x[base + c] > x[base + best] ? c : best;
      out[r] = best;
    }
    return out;
  },
});

/** y = 1 where x > 0, else 0 (the classes of binary logits); returns y. */
export const positiveIndicator = defineKernel({
  name: 'positiveIndicator',
  validate(n: number, x: FloatArray, y: FloatArray): void {
    const N = checkCount('n', n);
    operands().input('x', x, N).output('y', y, N).check();
  },
  reference(n: number, x: FloatArray, y: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : 0;
    return y;
  },
});

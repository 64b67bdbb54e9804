// The loops of MSELoss and of the mae metric (native/src/kernels/loss.cc). The loss
// writes its value into a one-element array of its own, so that a recorded step
// finds it there (src/plan/capturable.ts); both sum left to right, natively as here,
// so the two agree bit for bit.

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkFinite, checkInteger } from '../util/check.js';
import { defineKernel } from './define.js';

/**
 * loss[0] = scale · Σ(pred − target)² and grad = 2 · scale · (pred − target), over n
 * elements, in one pass.
 */
export const mseLoss = defineKernel({
  name: 'mseLoss',
  validate(n: number, scale: number, pred: Float64Array, target: Float64Array, grad: Float64Array, loss: Float64Array) {
    const N = checkInteger('n', n, 0);
    checkFinite('scale', scale);
    const P = checkVector('pred', pred, N, 1);
    const T = checkVector('target', target, N, 1);
    const G = checkVector('grad', grad, N, 1);
    const L = checkVector('loss', loss, 1, 1);
    checkNoOverlap('grad', G, N, 'pred', P, N);
    checkNoOverlap('grad', G, N, 'target', T, N);
    checkNoOverlap('loss', L, 1, 'pred', P, N);
    checkNoOverlap('loss', L, 1, 'target', T, N);
    checkNoOverlap('loss', L, 1, 'grad', G, N);
  },
  reference(
    n: number,
    scale: number,
    pred: Float64Array,
    target: Float64Array,
    grad: Float64Array,
    loss: Float64Array,
  ): void {
    const gradScale = 2 * scale;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = pred[i] - target[i];
      sum += diff * diff;
      grad[i] = gradScale * diff;
    }
    loss[0] = sum * scale;
  },
});

/** sums[0] += Σ|pred − target| and sums[1] += n, over n elements. */
export const maeSums = defineKernel({
  name: 'maeSums',
  validate(n: number, pred: Float64Array, target: Float64Array, sums: Float64Array) {
    const N = checkInteger('n', n, 0);
    const P = checkVector('pred', pred, N, 1);
    const T = checkVector('target', target, N, 1);
    const S = checkVector('sums', sums, 2, 1);
    checkNoOverlap('sums', S, 2, 'pred', P, N);
    checkNoOverlap('sums', S, 2, 'target', T, N);
  },
  reference(n: number, pred: Float64Array, target: Float64Array, sums: Float64Array): void {
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.abs(pred[i] - target[i]);
    sums[0] += total;
    sums[1] += n;
  },
});

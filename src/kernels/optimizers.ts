// The optimizers' updates (native/src/kernels/optimizers.cc), with PyTorch 1.13's
// arithmetic, operation for operation. Every number that may change between steps —
// the learning rate a schedule sets, the step count, Adam's bias corrections — lives
// in the optimizer's hyper-parameter buffer, a Float64Array laid out as below, so that
// a recorded step reads the values current when it is replayed. Each step runs the
// optimizer's `Begin` kernel once (it advances the per-step values), then its update
// kernel once per parameter, in place. Native and reference agree bit for bit: there
// is nothing but + − × ÷ and √ here, all correctly rounded on both sides.

import type { FloatArray } from '../util/dtype.js';
import { checkBuffer, checkCount, operands } from './checks.js';
import { defineKernel } from './define.js';
import { powi } from './math.js';

/** SGD's hyper-parameter buffer: nesterov is 1 or 0; step counts the steps taken. */
export const SGD_SLOTS = { lr: 0, momentum: 1, dampening: 2, weightDecay: 3, nesterov: 4, step: 5, length: 6 } as const;

/**
 * Adam's and AdamW's: amsgrad and decoupled (AdamW) are 1 or 0; adamBegin sets
 * stepSize = lr / (1 − beta1^step), biasCorrection2Sqrt = √(1 − beta2^step) and
 * decay = 1 − lr·weightDecay (AdamW's multiplier).
 */
export const ADAM_SLOTS = {
  lr: 0,
  beta1: 1,
  beta2: 2,
  eps: 3,
  weightDecay: 4,
  amsgrad: 5,
  decoupled: 6,
  step: 7,
  stepSize: 8,
  biasCorrection2Sqrt: 9,
  decay: 10,
  length: 11,
} as const;

/** RMSprop's: centered is 1 or 0. */
export const RMSPROP_SLOTS = { lr: 0, alpha: 1, eps: 2, weightDecay: 3, momentum: 4, centered: 5, length: 6 } as const;

/**
 * The hyper-parameter buffer (at least `hyperLength` long) and the gradient, which the
 * update reads, and the parameter it writes; returns the checks, for the caller to add
 * the optimizer's buffers it writes, each with the length this step touches (0 for one
 * the settings leave unused), and run them.
 */
function updateOperands(n: number, hyper: Float64Array, hyperLength: number, param: FloatArray, grad: FloatArray) {
  const N = checkCount('n', n);
  return operands().float64Input('hyper', hyper, hyperLength).input('grad', grad, N).output('param', param, N);
}

/** Counts the step: hyper[step] += 1. */
export const sgdBegin = defineKernel({
  name: 'sgdBegin',
  validate(hyper: Float64Array): void {
    checkBuffer('hyper', hyper, SGD_SLOTS.length);
  },
  reference(hyper: Float64Array): void {
    hyper[SGD_SLOTS.step] += 1;
  },
});

/**
 * g = grad (+ weightDecay·param); with momentum, buf = momentum·buf + (1 − dampening)·g
 * — undamped at the first step, when buf starts at g — and g = buf, or g + momentum·buf
 * with Nesterov; param −= lr·g. The momentum buffer is touched only with momentum.
 */
export const sgdUpdate = defineKernel({
  name: 'sgdUpdate',
  validate(n: number, hyper: Float64Array, param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray) {
    checkBuffer('hyper', hyper, SGD_SLOTS.length);
    const momentum = hyper[SGD_SLOTS.momentum] !== 0;
    updateOperands(n, hyper, SGD_SLOTS.length, param, grad)
      .output('momentumBuffer', momentumBuffer, momentum ? n : 0)
      .check();
  },
  reference(n: number, hyper: Float64Array, param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray) {
    const S = SGD_SLOTS;
    const lr = hyper[S.lr];
    const momentum = hyper[S.momentum];
    const weightDecay = hyper[S.weightDecay];
    const nesterov = hyper[S.nesterov] !== 0;
    const keep = hyper[S.step] <= 1 ? 1 : 1 - hyper[S.dampening];
    const step = -lr;
    for (let i = 0; i < n; i++) {
      let g = grad[i];
      if (weightDecay !== 0) g = g + weightDecay * param[i];
      if (momentum !== 0) {
        const b = momentumBuffer[i] * momentum + keep * g;
        momentumBuffer[i] = b;
        g = nesterov ? g + momentum * b : b;
      }
      param[i] = param[i] + step * g;
    }
  },
});

/** Counts the step and derives its bias corrections and AdamW's decay factor. */
export const adamBegin = defineKernel({
  name: 'adamBegin',
  validate(hyper: Float64Array): void {
    checkBuffer('hyper', hyper, ADAM_SLOTS.length);
  },
  reference(hyper: Float64Array): void {
    const S = ADAM_SLOTS;
    const step = hyper[S.step] + 1;
    hyper[S.step] = step;
    const correction1 = 1 - powi(hyper[S.beta1], step);
    const correction2 = 1 - powi(hyper[S.beta2], step);
    hyper[S.stepSize] = hyper[S.lr] / correction1;
    hyper[S.biasCorrection2Sqrt] = Math.sqrt(correction2);
    hyper[S.decay] = 1 - hyper[S.lr] * hyper[S.weightDecay];
  },
});

/**
 * Adam (decoupled 0: g += weightDecay·param) or AdamW (decoupled 1: param ·= decay):
 * m = beta1·m + (1 − beta1)·g, v = beta2·v + (1 − beta2)·g², with amsgrad v̂ = max(v̂, v)
 * in v's place; param −= stepSize·m / (√v / √(1 − beta2^step) + eps).
 */
export const adamUpdate = defineKernel({
  name: 'adamUpdate',
  validate(
    n: number,
    hyper: Float64Array,
    param: FloatArray,
    grad: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray,
  ) {
    checkBuffer('hyper', hyper, ADAM_SLOTS.length);
    updateOperands(n, hyper, ADAM_SLOTS.length, param, grad)
      .output('expAvg', expAvg, n)
      .output('expAvgSq', expAvgSq, n)
      .output('maxExpAvgSq', maxExpAvgSq, hyper[ADAM_SLOTS.amsgrad] !== 0 ? n : 0)
      .check();
  },
  reference(
    n: number,
    hyper: Float64Array,
    param: FloatArray,
    grad: FloatArray,
    expAvg: FloatArray,
    expAvgSq: FloatArray,
    maxExpAvgSq: FloatArray,
  ) {
    const S = ADAM_SLOTS;
    const beta1 = hyper[S.beta1];
    const beta2 = hyper[S.beta2];
    const eps = hyper[S.eps];
    const weightDecay = hyper[S.weightDecay];
    const amsgrad = hyper[S.amsgrad] !== 0;
    const decoupled = hyper[S.decoupled] !== 0;
    const step = -hyper[S.stepSize];
    const correction2Sqrt = hyper[S.biasCorrection2Sqrt];
    const decay = hyper[S.decay];
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    for (let i = 0; i < n; i++) {
      let g = grad[i];
      let p = param[i];
      if (decoupled) p = p * decay;
      else if (weightDecay !== 0) g = g + weightDecay * p;
      const m = expAvg[i] * beta1 + keep1 * g;
      const v = expAvgSq[i] * beta2 + keep2 * g * g;
      expAvg[i] = m;
      expAvgSq[i] = v;
      let second = v;
      if (amsgrad) {
        const previous = maxExpAvgSq[i];
        second = v > previous || Number.isNaN(v) ? v : previous;
        maxExpAvgSq[i] = second;
      }
      const denominator = Math.sqrt(second) / correction2Sqrt + eps;
      param[i] = p + (step * m) / denominator;
    }
  },
});

/**
 * RMSprop: g (+ weightDecay·param); v = alpha·v + (1 − alpha)·g²; centered, a = alpha·a +
 * (1 − alpha)·g and d = √(v − a²) + eps, else d = √v + eps; with momentum buf =
 * momentum·buf + g/d and param −= lr·buf, else param −= lr·g/d.
 */
export const rmspropUpdate = defineKernel({
  name: 'rmspropUpdate',
  validate(
    n: number,
    hyper: Float64Array,
    param: FloatArray,
    grad: FloatArray,
    squareAvg: FloatArray,
    gradAvg: FloatArray,
    momentumBuffer: FloatArray,
  ) {
    checkBuffer('hyper', hyper, RMSPROP_SLOTS.length);
    updateOperands(n, hyper, RMSPROP_SLOTS.length, param, grad)
      .output('squareAvg', squareAvg, n)
      .output('gradAvg', gradAvg, hyper[RMSPROP_SLOTS.centered] !== 0 ? n : 0)
      .output('momentumBuffer', momentumBuffer, hyper[RMSPROP_SLOTS.momentum] > 0 ? n : 0)
      .check();
  },
  reference(
    n: number,
    hyper: Float64Array,
    param: FloatArray,
    grad: FloatArray,
    squareAvg: FloatArray,
    gradAvg: FloatArray,
    momentumBuffer: FloatArray,
  ) {
    const S = RMSPROP_SLOTS;
    const lr = hyper[S.lr];
    const alpha = hyper[S.alpha];
    const eps = hyper[S.eps];
    const weightDecay = hyper[S.weightDecay];
    const momentum = hyper[S.momentum];
    const centered = hyper[S.centered] !== 0;
    const keep = 1 - alpha;
    const step = -lr;
    for (let i = 0; i < n; i++) {
      let g = grad[i];
      if (weightDecay !== 0) g = g + weightDecay * param[i];
      const square = squareAvg[i] * alpha + keep * g * g;
      squareAvg[i] = square;
      let average: number;
      if (centered) {
        const mean = gradAvg[i] * alpha + keep * g;
        gradAvg[i] = mean;
        average = Math.sqrt(square + -1 * mean * mean);
      } else {
        average = Math.sqrt(square);
      }
      average = average + eps;
      if (momentum > 0) {
        const b = momentumBuffer[i] * momentum + g / average;
        momentumBuffer[i] = b;
        param[i] = param[i] + step * b;
      } else {
        param[i] = param[i] + (step * g) / average;
      }
    }
  },
});

// The element-wise loops of Tanh, Sigmoid, LeakyReLU and GELU (native/src/kernels/
// activations.cc runs them natively). The backward passes of Tanh and Sigmoid take the
// output, as PyTorch's do; LeakyReLU's and GELU's take the input.
//
// Native and reference agree bit for bit: exp, tanh and erf are the library's own
// (./math.ts here, the addon's vector_math.h there: the same operations), which run
// eight doubles at a time natively. GELU's backward pass reads what its forward pass
// saved (Φ(x), or the tanh) rather than computing it again.

import { checkBoolean, checkFinite } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { checkCount, operands } from './checks.js';
import { defineKernel } from './define.js';
import { erf, exp, sigmoid, tanh } from './math.js';

// The same doubles as the addon's literals, combined in the same order.
const SQRT_HALF = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT_TWO = Math.SQRT2;
/** 1/√(2π), the standard normal density at 0. */
const NORMAL_DENSITY = TWO_OVER_SQRT_PI * SQRT_HALF * 0.5;
/** √(2/π) and 0.044715: GELU's tanh approximation, as in PyTorch. */
const TANH_SCALE = SQRT_TWO * TWO_OVER_SQRT_PI * 0.5;
const TANH_CUBIC = 0.044715;

function validateMap(n: number, x: FloatArray, y: FloatArray): void {
  const N = checkCount('n', n);
  operands().input('x', x, N).output('y', y, N).check();
}

function validateBackward(n: number, input: FloatArray, dy: FloatArray, dx: FloatArray, inputName = 'y'): void {
  const N = checkCount('n', n);
  operands().input(inputName, input, N).input('dy', dy, N).output('dx', dx, N).check();
}

/** y = tanh(x) over n elements; returns y. */
export const tanhForward = defineKernel({
  name: 'tanhForward',
  validate: validateMap,
  reference(n: number, x: FloatArray, y: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) y[i] = tanh(x[i]);
    return y;
  },
});

/** dx = dy·(1 − y²), y the output of tanhForward; returns dx. */
export const tanhBackward = defineKernel({
  name: 'tanhBackward',
  validate: (n: number, y: FloatArray, dy: FloatArray, dx: FloatArray) => validateBackward(n, y, dy, dx),
  reference(n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
    return dx;
  },
});

/** y = 1 / (1 + exp(−x)) over n elements (exactly 0 and 1 where it saturates); returns y. */
export const sigmoidForward = defineKernel({
  name: 'sigmoidForward',
  validate: validateMap,
  reference(n: number, x: FloatArray, y: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) y[i] = sigmoid(x[i]);
    return y;
  },
});

/** dx = dy·(1 − y)·y, y the output of sigmoidForward; returns dx. */
export const sigmoidBackward = defineKernel({
  name: 'sigmoidBackward',
  validate: (n: number, y: FloatArray, dy: FloatArray, dx: FloatArray) => validateBackward(n, y, dy, dx),
  reference(n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i]) * y[i];
    return dx;
  },
});

/** y = x where x > 0, else x·slope (NaN stays NaN); returns y. */
export const leakyReluForward = defineKernel({
  name: 'leakyReluForward',
  validate(n: number, slope: number, x: FloatArray, y: FloatArray): void {
    checkCount('n', n);
    checkFinite('slope', slope);
    validateMap(n, x, y);
  },
  reference(n: number, slope: number, x: FloatArray, y: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : x[i] * slope;
    return y;
  },
});

/** dx = dy where x > 0, else dy·slope (at 0 too, as PyTorch); returns dx. */
export const leakyReluBackward = defineKernel({
  name: 'leakyReluBackward',
  validate(n: number, slope: number, x: FloatArray, dy: FloatArray, dx: FloatArray): void {
    checkCount('n', n);
    checkFinite('slope', slope);
    validateBackward(n, x, dy, dx, 'x');
  },
  reference(n: number, slope: number, x: FloatArray, dy: FloatArray, dx: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * slope;
    return dx;
  },
});

/**
 * PyTorch's GELU over n elements: x·Φ(x) = x·½·(1 + erf(x/√2)), or with `tanh` the
 * approximation ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); `saved` receives what the
 * backward pass needs: Φ(x) = ½·(1 + erf(x/√2)), or the tanh. Returns y.
 */
export const geluForward = defineKernel({
  name: 'geluForward',
  validate(n: number, tanh: boolean, x: FloatArray, y: FloatArray, saved: FloatArray): void {
    const N = checkCount('n', n);
    checkBoolean('tanh', tanh);
    operands().input('x', x, N).output('y', y, N).output('saved', saved, N).check();
  },
  reference(n: number, approximate: boolean, x: FloatArray, y: FloatArray, saved: FloatArray): FloatArray {
    if (approximate) {
      for (let i = 0; i < n; i++) saved[i] = tanh(geluTanhInner(x[i]));
      for (let i = 0; i < n; i++) y[i] = 0.5 * x[i] * (1 + saved[i]);
      return y;
    }
    for (let i = 0; i < n; i++) saved[i] = 0.5 * (1 + erf(x[i] * SQRT_HALF));
    for (let i = 0; i < n; i++) y[i] = x[i] * saved[i];
    return y;
  },
});

/** dx = dy·GELU′(x), from the input x and what geluForward saved; returns dx. */
export const geluBackward = defineKernel({
  name: 'geluBackward',
  validate(n: number, tanh: boolean, x: FloatArray, saved: FloatArray, dy: FloatArray, dx: FloatArray) {
    const N = checkCount('n', n);
    checkBoolean('tanh', tanh);
    operands().input('x', x, N).input('saved', saved, N).input('dy', dy, N).output('dx', dx, N).check();
  },
  reference(n: number, approximate: boolean, x: FloatArray, saved: FloatArray, dy: FloatArray, dx: FloatArray) {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      let derivative: number;
      if (approximate) {
        const t = saved[i];
        const left = 0.5 * v;
        const leftDerivative = 0.5 * (1 + t);
        const innerDerivative = TANH_SCALE * (1 + 3 * TANH_CUBIC * (v * v));
        const rightDerivative = left * (1 - t * t) * innerDerivative;
        derivative = leftDerivative + rightDerivative;
      } else {
        derivative = saved[i] + v * (NORMAL_DENSITY * exp(v * v * -0.5));
      }
      dx[i] = dy[i] * derivative;
    }
    return dx;
  },
});

function geluTanhInner(v: number): number {
  return TANH_SCALE * (v + TANH_CUBIC * (v * v * v));
}

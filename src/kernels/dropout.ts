// Dropout's loops (native/src/kernels/dropout.cc). The mask is drawn from a
// xoshiro128** generator whose state lives in a Uint32Array (src/random/prng.ts, the
// same algorithm as the addon's), advanced in place: native and reference draw the same
// masks and agree bit for bit.

import { nextUint32, RANDOM_STATE_WORDS } from '../random/prng.js';
import { checkFinite, rangeError } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { checkCount, checkRandomState, operands } from './checks.js';
import { defineKernel } from './define.js';

/** A drop probability in [0, 1). */
export function checkDropProbability(name: string, value: unknown): number {
  const p = checkFinite(name, value);
  if (p < 0 || p >= 1) throw rangeError(name, 'a probability in [0, 1)', value);
  return p;
}

/**
 * Keeps each of n elements when the generator's next 32-bit number is at least
 * p·2³² (so with probability 1 − p, to 2⁻³²), scaling kept ones by 1/(1 − p):
 * mask[i] is that scale or 0, and y = x·mask. Returns y.
 */
export const dropoutForward = defineKernel({
  name: 'dropoutForward',
  validate(n: number, p: number, state: Uint32Array, x: FloatArray, y: FloatArray, mask: FloatArray): void {
    const N = checkCount('n', n);
    checkDropProbability('p', p);
    checkRandomState('state', state, RANDOM_STATE_WORDS);
    operands().input('x', x, N).output('y', y, N).output('mask', mask, N).check();
  },
  reference(n: number, p: number, state: Uint32Array, x: FloatArray, y: FloatArray, mask: FloatArray) {
    const threshold = Math.floor(p * 4294967296);
    const scale = 1 / (1 - p);
    for (let i = 0; i < n; i++) mask[i] = nextUint32(state) >= threshold ? scale : 0;
    for (let i = 0; i < n; i++) y[i] = x[i] * mask[i];
    return y;
  },
});

/** dx = dy·mask, the mask of the forward pass; returns dx. */
export const dropoutBackward = defineKernel({
  name: 'dropoutBackward',
  validate(n: number, mask: FloatArray, dy: FloatArray, dx: FloatArray): void {
    const N = checkCount('n', n);
    operands().input('mask', mask, N).input('dy', dy, N).output('dx', dx, N).check();
  },
  reference(n: number, mask: FloatArray, dy: FloatArray, dx: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) dx[i] = dy[i] * mask[i];
    return dx;
  },
});

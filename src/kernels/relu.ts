// ReLU's element-wise loops. Native, they keep a value where a condition holds and
// write +0 elsewhere with a compare mask (native/src/kernels/relu.cc): branch-free,
// vectorised, bit-identical to the reference below, on Float64Arrays or Float32Arrays.

import type { FloatArray } from '../util/dtype.js';
import { checkCount, operands } from './checks.js';
import { defineKernel } from './define.js';

/** y = max(x, 0) over n elements (NaN stays NaN, −0 becomes +0); returns y. */
export const reluForward = defineKernel({
  name: 'reluForward',
  validate(n: number, x: FloatArray, y: FloatArray): void {
    const N = checkCount('n', n);
    operands().input('x', x, N).output('y', y, N).check();
  },
  reference(n: number, x: FloatArray, y: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) y[i] = Math.max(x[i], 0);
    return y;
  },
});

/** dx = dy where y > 0, else +0 (even for an infinite or NaN dy), over n elements; returns dx. */
export const reluBackward = defineKernel({
  name: 'reluBackward',
  validate(n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): void {
    const N = checkCount('n', n);
    operands().input('y', y, N).input('dy', dy, N).output('dx', dx, N).check();
  },
  reference(n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
    return dx;
  },
});

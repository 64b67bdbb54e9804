// ReLU's element-wise loops. Native, they keep a value where a condition holds and
// write +0 elsewhere with a compare mask (native/src/kernels/relu.cc): branch-free,
// vectorised, bit-identical to the reference below.

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkInteger } from '../util/check.js';
import { defineKernel } from './define.js';

/** y = max(x, 0) over n elements (NaN stays NaN, −0 becomes +0); returns y. */
export const reluForward = defineKernel({
  name: 'reluForward',
  validate(n: number, x: Float64Array, y: Float64Array): void {
    const N = checkInteger('n', n, 0);
    const X = checkVector('x', x, N, 1);
    const Y = checkVector('y', y, N, 1);
    checkNoOverlap('y', Y, N, 'x', X, N);
  },
  reference(n: number, x: Float64Array, y: Float64Array): Float64Array {
    for (let i = 0; i < n; i++) y[i] = Math.max(x[i], 0);
    return y;
  },
});

/** dx = dy where y > 0, else +0 (even for an infinite or NaN dy), over n elements; returns dx. */
export const reluBackward = defineKernel({
  name: 'reluBackward',
  validate(n: number, y: Float64Array, dy: Float64Array, dx: Float64Array): void {
    const N = checkInteger('n', n, 0);
    const Y = checkVector('y', y, N, 1);
    const DY = checkVector('dy', dy, N, 1);
    const DX = checkVector('dx', dx, N, 1);
    checkNoOverlap('dx', DX, N, 'y', Y, N);
    checkNoOverlap('dx', DX, N, 'dy', DY, N);
  },
  reference(n: number, y: Float64Array, dy: Float64Array, dx: Float64Array): Float64Array {
    for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
    return dx;
  },
});

// Plain TypeScript BLAS, the test oracle for the native addon. Written for
// obviousness, not speed: one loop nest per routine, in the textbook order, following
// reference BLAS semantics exactly where they matter (beta = 0 never reads C, alpha = 0
// never reads A or B, k = 0 only scales C).

import type { BlasKernels } from './kernels.js';

/** Overwrites y (length `count`, stride `inc`) with beta·y, writing zeros for beta = 0. */
function scaleInPlace(count: number, beta: number, y: Float64Array, start: number, inc: number): void {
  for (let i = 0; i < count; i++) {
    const at = start + i * inc;
    y[at] = beta === 0 ? 0 : beta * y[at];
  }
}

export const referenceKernels: BlasKernels = {
  dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
    for (let i = 0; i < m; i++) {
      if (beta !== 1) scaleInPlace(n, beta, c, i * ldc, 1);
      if (alpha === 0 || k === 0) continue;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const aip = transA ? a[p * lda + i] : a[i * lda + p];
          const bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
          sum += aip * bpj;
        }
        c[i * ldc + j] += alpha * sum;
      }
    }
    return c;
  },

  dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy) {
    const [outLength, inLength] = trans ? [n, m] : [m, n];
    if (beta !== 1) scaleInPlace(outLength, beta, y, 0, incy);
    if (alpha === 0) return y;
    for (let i = 0; i < outLength; i++) {
      let sum = 0;
      for (let p = 0; p < inLength; p++) {
        const aip = trans ? a[p * lda + i] : a[i * lda + p];
        sum += aip * x[p * incx];
      }
      y[i * incy] += alpha * sum;
    }
    return y;
  },

  daxpy(n, alpha, x, incx, y, incy) {
    if (alpha === 0) return y;
    for (let i = 0; i < n; i++) y[i * incy] += alpha * x[i * incx];
    return y;
  },

  dscal(n, alpha, x, incx) {
    for (let i = 0; i < n; i++) x[i * incx] *= alpha;
    return x;
  },
};

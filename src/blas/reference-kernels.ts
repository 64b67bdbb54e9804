// Plain TypeScript BLAS, the test oracle for the native addon. Written for
// obviousness, not speed: one loop nest per routine, in the textbook order, following
// reference BLAS semantics exactly where they matter (beta = 0 never reads C, alpha = 0
// never reads A or B, k = 0 only scales C).
//
// Each loop is written once and made for both precisions. The float64 routines round
// nothing beyond JavaScript's own arithmetic. The float32 routines compute in float32:
// alpha and beta are rounded to float32 first (the C routines take them as float), and
// every product and every sum is rounded to float32 with Math.fround. That is exact
// IEEE single-precision arithmetic, not an approximation of it: a product or a sum of
// two floats, formed in double and rounded once to float, is the correctly rounded
// float result (double has more than 2·24 + 2 bits, so the double rounding is
// harmless). OpenBLAS sums in another order and with fused multiply-adds, so the two
// agree within the rounding-error bound, not bit for bit (test/helpers/tolerance.mjs).

import type { FloatArray } from '../util/dtype.js';
import {
  type AxpyKernel,
  type BlasKernels,
  byBlasName,
  type GemmKernel,
  type GemvKernel,
  type PrecisionRoutines,
  type ScalKernel,
} from './kernels.js';

type ReferenceRoutines<A extends FloatArray> = PrecisionRoutines<
  GemmKernel<A>,
  GemvKernel<A>,
  AxpyKernel<A>,
  ScalKernel<A>
>;

/** The four routines computing in the precision that `round` rounds every result to. */
function referenceRoutines<A extends FloatArray>(round: (value: number) => number): ReferenceRoutines<A> {
  /** Overwrites y (length `count`, stride `inc`) with beta·y, writing zeros for beta = 0. */
  function scaleInPlace(count: number, beta: number, y: A, start: number, inc: number): void {
    for (let i = 0; i < count; i++) {
      const at = start + i * inc;
      y[at] = beta === 0 ? 0 : round(beta * y[at]);
    }
  }

  return {
    gemm(transA, transB, m, n, k, alphaIn, a, lda, b, ldb, betaIn, c, ldc) {
      const [alpha, beta] = [round(alphaIn), round(betaIn)];
      for (let i = 0; i < m; i++) {
        if (beta !== 1) scaleInPlace(n, beta, c, i * ldc, 1);
        if (alpha === 0 || k === 0) continue;
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) {
            const aip = transA ? a[p * lda + i] : a[i * lda + p];
            const bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
            sum = round(sum + round(aip * bpj));
          }
          c[i * ldc + j] = round(c[i * ldc + j] + round(alpha * sum));
        }
      }
      return c;
    },

    gemv(trans, m, n, alphaIn, a, lda, x, incx, betaIn, y, incy) {
      const [alpha, beta] = [round(alphaIn), round(betaIn)];
      const [outLength, inLength] = trans ? [n, m] : [m, n];
      if (beta !== 1) scaleInPlace(outLength, beta, y, 0, incy);
      if (alpha === 0) return y;
      for (let i = 0; i < outLength; i++) {
        let sum = 0;
        for (let p = 0; p < inLength; p++) {
          const aip = trans ? a[p * lda + i] : a[i * lda + p];
          sum = round(sum + round(aip * x[p * incx]));
        }
        y[i * incy] = round(y[i * incy] + round(alpha * sum));
      }
      return y;
    },

    axpy(n, alphaIn, x, incx, y, incy) {
      const alpha = round(alphaIn);
      if (alpha === 0) return y;
      for (let i = 0; i < n; i++) y[i * incy] = round(y[i * incy] + round(alpha * x[i * incx]));
      return y;
    },

    scal(n, alphaIn, x, incx) {
      const alpha = round(alphaIn);
      for (let i = 0; i < n; i++) x[i * incx] *= alpha;
      return x;
    },
  };
}

const single = referenceRoutines<Float32Array>(Math.fround);
const double = referenceRoutines<Float64Array>((value) => value);

export const referenceKernels: BlasKernels = byBlasName(single, double);

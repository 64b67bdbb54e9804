// The public BLAS routines: validate every argument, then hand the already-valid call
// to a backend's kernels. `makeRoutines` is applied to both backends, so the native
// and the reference routines cannot drift apart in what they accept.

import { isRecording, recordCall, spoilRecording } from '../plan/recorder.js';
import type { BlasKernels } from './kernels.js';
import { type Transpose, validateAxpy, validateGemm, validateGemv, validateScal } from './validate.js';

export type { Transpose };

/**
 * C = alpha·op(A)·op(B) + beta·C, row-major, in place in `c`, which is returned.
 * op(A) is m×k, op(B) is k×n, C is m×n; `lda`, `ldb`, `ldc` are row strides of the
 * stored matrices. With beta = 0, C is only written.
 */
export type Gemm<A> = (
  transA: Transpose,
  transB: Transpose,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: A,
  lda: number,
  b: A,
  ldb: number,
  beta: number,
  c: A,
  ldc: number,
) => A;

/** y = alpha·op(A)·x + beta·y, A stored m×n row-major; in place in `y`, which is returned. */
export type Gemv<A> = (
  trans: Transpose,
  m: number,
  n: number,
  alpha: number,
  a: A,
  lda: number,
  x: A,
  incx: number,
  beta: number,
  y: A,
  incy: number,
) => A;

/** y = alpha·x + y over n elements; in place in `y`, which is returned. */
export type Axpy<A> = (n: number, alpha: number, x: A, incx: number, y: A, incy: number) => A;

/** x = alpha·x over n elements; in place in `x`, which is returned. */
export type Scal<A> = (n: number, alpha: number, x: A, incx: number) => A;

/**
 * The BLAS routines, each checking every argument before it runs (see docs/blas.md):
 * the s-routines compute in float32 on Float32Arrays, the d-routines in float64 on
 * Float64Arrays, with the same arguments and the same rules.
 */
export interface BlasRoutines {
  /** C = alpha·op(A)·op(B) + beta·C in float32 (see Gemm). */
  sgemm: Gemm<Float32Array>;
  /** y = alpha·op(A)·x + beta·y in float32 (see Gemv). */
  sgemv: Gemv<Float32Array>;
  /** y = alpha·x + y in float32. */
  saxpy: Axpy<Float32Array>;
  /** x = alpha·x in float32. */
  sscal: Scal<Float32Array>;
  /** C = alpha·op(A)·op(B) + beta·C in float64 (see Gemm). */
  dgemm: Gemm<Float64Array>;
  /** y = alpha·op(A)·x + beta·y in float64 (see Gemv). */
  dgemv: Gemv<Float64Array>;
  /** y = alpha·x + y in float64. */
  daxpy: Axpy<Float64Array>;
  /** x = alpha·x in float64. */
  dscal: Scal<Float64Array>;
}

/**
 * The routines over a backend's kernels. The d-routines of the native backend are the
 * ones a recorded training step replays (src/plan/recorder.ts): each call is added to
 * an open recording once validated. Calls to any other kernels cannot be replayed,
 * and plans record float64 models only (src/plan/capturable.ts), so those calls and
 * every s-routine spoil an open recording instead.
 */
export function makeRoutines(kernels: () => BlasKernels, replayable: () => boolean): BlasRoutines {
  const note = (name: string, args: () => unknown[]) => {
    if (replayable()) recordCall(name, args());
    else spoilRecording(`the training step called ${name} on the TypeScript reference kernels`);
  };
  const float32 = (name: string) => spoilRecording(`the training step called ${name}, in float32`);
  return {
    sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      validateGemm('float32', transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      if (isRecording()) float32('sgemm');
      return kernels().sgemm(transA === 'T', transB === 'T', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    },
    sgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy) {
      validateGemv('float32', trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
      if (isRecording()) float32('sgemv');
      return kernels().sgemv(trans === 'T', m, n, alpha, a, lda, x, incx, beta, y, incy);
    },
    saxpy(n, alpha, x, incx, y, incy) {
      validateAxpy('float32', n, alpha, x, incx, y, incy);
      if (isRecording()) float32('saxpy');
      return kernels().saxpy(n, alpha, x, incx, y, incy);
    },
    sscal(n, alpha, x, incx) {
      validateScal('float32', n, alpha, x, incx);
      if (isRecording()) float32('sscal');
      return kernels().sscal(n, alpha, x, incx);
    },
    dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      validateGemm('float64', transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      const tA = transA === 'T';
      const tB = transB === 'T';
      if (isRecording()) note('dgemm', () => [tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc]);
      return kernels().dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    },
    dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy) {
      validateGemv('float64', trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
      const t = trans === 'T';
      if (isRecording()) note('dgemv', () => [t, m, n, alpha, a, lda, x, incx, beta, y, incy]);
      return kernels().dgemv(t, m, n, alpha, a, lda, x, incx, beta, y, incy);
    },
    daxpy(n, alpha, x, incx, y, incy) {
      validateAxpy('float64', n, alpha, x, incx, y, incy);
      if (isRecording()) note('daxpy', () => [n, alpha, x, incx, y, incy]);
      return kernels().daxpy(n, alpha, x, incx, y, incy);
    },
    dscal(n, alpha, x, incx) {
      validateScal('float64', n, alpha, x, incx);
      if (isRecording()) note('dscal', () => [n, alpha, x, incx]);
      return kernels().dscal(n, alpha, x, incx);
    },
  };
}

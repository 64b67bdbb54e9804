// The public BLAS routines: validate every argument, then hand the already-valid call
// to a backend's kernels. `makeRoutines` is applied to both backends, so the native
// and the reference routines cannot drift apart in what they accept.

import { isRecording, recordCall, spoilRecording } from '../plan/recorder.js';
import type { BlasKernels } from './kernels.js';
import { type Transpose, validateDaxpy, validateDgemm, validateDgemv, validateDscal } from './validate.js';

export type { Transpose };

/** The BLAS routines, each checking every argument before it runs (see docs/blas.md). */
export interface BlasRoutines {
  /**
   * C = alpha·op(A)·op(B) + beta·C, row-major, in place in `c`, which is returned.
   * op(A) is m×k, op(B) is k×n, C is m×n; `lda`, `ldb`, `ldc` are row strides of the
   * stored matrices. With beta = 0, C is only written.
   */
  dgemm(
    transA: Transpose,
    transB: Transpose,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    b: Float64Array,
    ldb: number,
    beta: number,
    c: Float64Array,
    ldc: number,
  ): Float64Array;
  /** y = alpha·op(A)·x + beta·y, A stored m×n row-major; in place in `y`, which is returned. */
  dgemv(
    trans: Transpose,
    m: number,
    n: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    x: Float64Array,
    incx: number,
    beta: number,
    y: Float64Array,
    incy: number,
  ): Float64Array;
  /** y = alpha·x + y over n elements; in place in `y`, which is returned. */
  daxpy(n: number, alpha: number, x: Float64Array, incx: number, y: Float64Array, incy: number): Float64Array;
  /** x = alpha·x over n elements; in place in `x`, which is returned. */
  dscal(n: number, alpha: number, x: Float64Array, incx: number): Float64Array;
}

/**
 * The routines over a backend's kernels. Those of the native backend are the ones a
 * recorded training step replays (src/plan/recorder.ts): each call is added to an
 * open recording once validated. Calls to any other kernels cannot be replayed, so
 * they spoil an open recording instead.
 */
export function makeRoutines(kernels: () => BlasKernels, replayable: () => boolean): BlasRoutines {
  const note = (name: string, args: () => unknown[]) => {
    if (replayable()) recordCall(name, args());
    else spoilRecording(`the training step called ${name} on the TypeScript reference kernels`);
  };
  return {
    dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      validateDgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      const tA = transA === 'T';
      const tB = transB === 'T';
      if (isRecording()) note('dgemm', () => [tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc]);
      return kernels().dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    },
    dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy) {
      validateDgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
      const t = trans === 'T';
      if (isRecording()) note('dgemv', () => [t, m, n, alpha, a, lda, x, incx, beta, y, incy]);
      return kernels().dgemv(t, m, n, alpha, a, lda, x, incx, beta, y, incy);
    },
    daxpy(n, alpha, x, incx, y, incy) {
      validateDaxpy(n, alpha, x, incx, y, incy);
      if (isRecording()) note('daxpy', () => [n, alpha, x, incx, y, incy]);
      return kernels().daxpy(n, alpha, x, incx, y, incy);
    },
    dscal(n, alpha, x, incx) {
      validateDscal(n, alpha, x, incx);
      if (isRecording()) note('dscal', () => [n, alpha, x, incx]);
      return kernels().dscal(n, alpha, x, incx);
    },
  };
}

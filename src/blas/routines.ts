// The public BLAS routines: validate every argument, then hand the already-valid call
// to a backend's kernels. `makeRoutines` is applied to both backends, so the native
// and the reference routines cannot drift apart in what they accept.

import { isRecording, recordCall, spoilRecording } from '../plan/recorder.js';
import type { DTypeOfArray, FloatArray } from '../util/dtype.js';
import {
  type AxpyKernel,
  type BlasKernels,
  byBlasName,
  type GemmKernel,
  type GemvKernel,
  type PrecisionRoutines,
  type ScalKernel,
} from './kernels.js';
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

/** The routines of one element type: the s- or d-routines. */
type RoutinesOf<A> = PrecisionRoutines<Gemm<A>, Gemv<A>, Axpy<A>, Scal<A>>;

/**
 * The routines over a backend's kernels. The native backend's routines are the ones a
 * recorded training step replays (src/plan/recorder.ts): each call is added to an
 * open recording once validated. Calls to any other kernels cannot be replayed, so
 * they spoil an open recording instead.
 */
export function makeRoutines(kernels: () => BlasKernels, replayable: () => boolean): BlasRoutines {
  const single = routinesOf<Float32Array>('float32', kernels, replayable, {
    gemm: 'sgemm',
    gemv: 'sgemv',
    axpy: 'saxpy',
    scal: 'sscal',
  });
  const double = routinesOf<Float64Array>('float64', kernels, replayable, {
    gemm: 'dgemm',
    gemv: 'dgemv',
    axpy: 'daxpy',
    scal: 'dscal',
  });
  return byBlasName(single, double);
}

function routinesOf<A extends FloatArray>(
  dtype: DTypeOfArray<A>,
  kernels: () => BlasKernels,
  replayable: () => boolean,
  names: { gemm: 'sgemm' | 'dgemm'; gemv: 'sgemv' | 'dgemv'; axpy: 'saxpy' | 'daxpy'; scal: 'sscal' | 'dscal' },
): RoutinesOf<A> {
  const note = (name: string, args: () => unknown[]) => {
    if (replayable()) recordCall(name, args());
    else spoilRecording(`the training step called ${name} on the TypeScript reference kernels`);
  };
  // The backend's kernels of this element type, looked up per call (the backend can
  // change); they take and return arrays of type A, as `names` pairs them.
  const gemm = () => kernels()[names.gemm] as GemmKernel<FloatArray>;
  const gemv = () => kernels()[names.gemv] as GemvKernel<FloatArray>;
  const axpy = () => kernels()[names.axpy] as AxpyKernel<FloatArray>;
  const scal = () => kernels()[names.scal] as ScalKernel<FloatArray>;
  return {
    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      validateGemm(dtype, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      const tA = transA === 'T';
      const tB = transB === 'T';
      if (isRecording()) note(names.gemm, () => [tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc]);
      return gemm()(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) as A;
    },
    gemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy) {
      validateGemv(dtype, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
      const t = trans === 'T';
      if (isRecording()) note(names.gemv, () => [t, m, n, alpha, a, lda, x, incx, beta, y, incy]);
      return gemv()(t, m, n, alpha, a, lda, x, incx, beta, y, incy) as A;
    },
    axpy(n, alpha, x, incx, y, incy) {
      validateAxpy(dtype, n, alpha, x, incx, y, incy);
      if (isRecording()) note(names.axpy, () => [n, alpha, x, incx, y, incy]);
      return axpy()(n, alpha, x, incx, y, incy) as A;
    },
    scal(n, alpha, x, incx) {
      validateScal(dtype, n, alpha, x, incx);
      if (isRecording()) note(names.scal, () => [n, alpha, x, incx]);
      return scal()(n, alpha, x, incx) as A;
    },
  };
}

import type { DType, FloatArray } from '../util/dtype.js';
import { backend } from './backend.js';
import { referenceKernels } from './reference-kernels.js';
import { type BlasRoutines, type Gemm, type Gemv, makeRoutines } from './routines.js';

export { type BlasInfo, blasInfo, getNumThreads, setNumThreads } from './info.js';
export type { Axpy, BlasRoutines, Gemm, Gemv, Scal, Transpose } from './routines.js';

/** The routines on the active backend (the native addon unless BLASPROP_BACKEND=reference). */
const active: BlasRoutines = makeRoutines(() => backend().kernels);

/** The same routines on the pure TypeScript kernels: the oracle the native ones are tested against. */
export const reference: BlasRoutines = makeRoutines(() => referenceKernels);

/**
 * The BLAS routines on the active backend (see BlasRoutines for each one's
 * arguments): C = alpha·op(A)·op(B) + beta·C, y = alpha·op(A)·x + beta·y,
 * y = alpha·x + y and x = alpha·x, row-major, in place on the caller's arrays;
 * s-routines in float32 on Float32Arrays, d-routines in float64 on Float64Arrays.
 */
export const { sgemm, sgemv, saxpy, sscal, dgemm, dgemv, daxpy, dscal } = active;

/**
 * gemm of one dtype (sgemm or dgemm), typed over either array, for code that runs in a
 * dtype chosen at run time: the routine still checks that every array is of its dtype.
 */
export function gemmFor(dtype: DType): Gemm<FloatArray> {
  return (dtype === 'float32' ? sgemm : dgemm) as Gemm<FloatArray>;
}

/** gemv of one dtype (sgemv or dgemv); see gemmFor. */
export function gemvFor(dtype: DType): Gemv<FloatArray> {
  return (dtype === 'float32' ? sgemv : dgemv) as Gemv<FloatArray>;
}

import type { DType, FloatArray } from '../util/dtype.js';
import { backend } from './backend.js';
import { referenceKernels } from './reference-kernels.js';
import { type BlasRoutines, type Gemm, type Gemv, makeRoutines } from './routines.js';

export { type BlasInfo, blasInfo, getNumThreads, setNumThreads } from './info.js';
export type { Axpy, BlasRoutines, Gemm, Gemv, Scal, Transpose } from './routines.js';

/** The routines on the active backend (the native addon unless BLASPROP_BACKEND=reference). */
const active: BlasRoutines = makeRoutines(
  () => backend().kernels,
  () => backend().kind === 'native',
);

/** The same routines on the pure TypeScript kernels: the oracle the native ones are tested against. */
export const reference: BlasRoutines = makeRoutines(
  () => referenceKernels,
  () => false,
);

// The BLAS routines on the active backend (the native addon unless
// BLASPROP_BACKEND=reference), row-major, in place on the caller's arrays: the
// s-routines in float32 on Float32Arrays, the d-routines in float64 on Float64Arrays.
export const {
  /**
   * The active backend's sgemm: dgemm's arguments and rules in float32, on Float32Arrays
   * (alpha and beta rounded to float32 first). docs/blas.md says what differs.
   *
   * @throws TypeError for an array that is not a Float32Array (a Float64Array is not
   *   converted), and everything {@link dgemm} refuses; RangeError also for an alpha or
   *   beta that float32 rounds to Infinity.
   */
  sgemm,
  /** The active backend's sgemv: dgemv in float32, on Float32Arrays; checked as {@link sgemm} is. */
  sgemv,
  /** The active backend's saxpy: daxpy in float32, on Float32Arrays. */
  saxpy,
  /** The active backend's sscal: dscal in float32, on Float32Arrays. */
  sscal,
  /**
   * The active backend's dgemm. `transA = 'T'` means `a` holds A stored k×m (likewise
   * `transB`); docs/blas.md has the special values (alpha = 0, k = 0) and the memory rules.
   *
   * @throws TypeError for an argument of the wrong type (a transpose other than 'N' or 'T',
   *   an array that is not a Float64Array); RangeError for a size that is not an integer
   *   in [0, 2³¹−1], a non-finite alpha or beta, a leading dimension below the stored
   *   columns, an array too short or detached, or a `c` overlapping `a` or `b`. `c` is
   *   then left untouched.
   *
   * @example
   * ```ts
   * // C (2×2) = A (2×3) · Bᵀ, with B stored 2×3
   * const a = new Float64Array([1, 2, 3, 4, 5, 6]);
   * const b = new Float64Array([1, 0, 1, 0, 1, 0]);
   * const c = new Float64Array(4);
   * dgemm('N', 'T', 2, 2, 3, 1, a, 3, b, 3, 0, c, 2); // c is [4, 2, 10, 5]
   * ```
   */
  dgemm,
  /** The active backend's dgemv; `incx`, `incy` are strides >= 1, and it is checked as {@link dgemm} is. */
  dgemv,
  /** The active backend's daxpy; `incx`, `incy` are strides >= 1. With alpha = 0, `x` is not read. */
  daxpy,
  /** The active backend's dscal; `incx` is a stride >= 1. With alpha = 0, NaN and ±Infinity become NaN, as in reference BLAS. */
  dscal,
} = active;

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

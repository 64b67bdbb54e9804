import { backend } from './backend.js';
import { referenceKernels } from './reference-kernels.js';
import { type BlasRoutines, makeRoutines } from './routines.js';

export { type BlasInfo, blasInfo, getNumThreads, setNumThreads } from './info.js';
export type { BlasRoutines, Transpose } from './routines.js';

/** The routines on the active backend (the native addon unless BLASPROP_BACKEND=reference). */
const active: BlasRoutines = makeRoutines(() => backend().kernels);

/** The same routines on the pure TypeScript kernels: the oracle the native ones are tested against. */
export const reference: BlasRoutines = makeRoutines(() => referenceKernels);

// The BLAS routines on the active backend (the native addon unless
// BLASPROP_BACKEND=reference), row-major, in place on the caller's arrays.
export const {
  /**
   * C = alpha·op(A)·op(B) + beta·C, row-major, in place in `c`, which is returned
   * (see {@link BlasRoutines.dgemm} and docs/blas.md). op(A) is m×k, op(B) is k×n, C is
   * m×n; `transA = 'T'` means `a` holds A stored k×m. `lda`, `ldb`, `ldc` are the row
   * strides of the stored matrices. With beta = 0, C is only written.
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
  /**
   * y = alpha·op(A)·x + beta·y for A stored m×n row-major, in place in `y`, which is
   * returned; `incx`, `incy` are strides >= 1. Checked as {@link dgemm} is.
   */
  dgemv,
  /** y = alpha·x + y over n elements with strides `incx`, `incy` >= 1, in place in `y`, which is returned. */
  daxpy,
  /** x = alpha·x over n elements with stride `incx` >= 1, in place in `x`, which is returned. */
  dscal,
} = active;

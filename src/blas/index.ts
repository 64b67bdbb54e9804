import { backend } from './backend.js';
import { referenceKernels } from './reference-kernels.js';
import { type BlasRoutines, makeRoutines } from './routines.js';

export { type BlasInfo, blasInfo, getNumThreads, setNumThreads } from './info.js';
export type { BlasRoutines, Transpose } from './routines.js';

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
// BLASPROP_BACKEND=reference), row-major, in place on the caller's arrays.
export const {
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

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

/**
 * The BLAS routines on the active backend (see BlasRoutines for each one's
 * arguments): C = alpha·op(A)·op(B) + beta·C, y = alpha·op(A)·x + beta·y,
 * y = alpha·x + y and x = alpha·x, row-major, in place on the caller's arrays.
 */
export const { dgemm, dgemv, daxpy, dscal } = active;

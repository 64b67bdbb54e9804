export {
  type BlasInfo,
  type BlasRoutines,
  blasInfo,
  daxpy,
  dgemm,
  dgemv,
  dscal,
  getNumThreads,
  reference,
  setNumThreads,
  type Transpose,
} from './blas/index.js';

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
export { configureTraining, type TrainingConfig, trainingConfig } from './model/background/pool.js';
export { isSharedMatrix, sharedMatrix } from './model/background/shared-matrix.js';
export type { CheckpointOptions } from './model/checkpoint.js';
export { ModelFileError, TrainingDivergedError } from './model/errors.js';
export type { BatchLogs, EpochLogs, FitCallbacks, FitOptions, History } from './model/fit.js';
export { type StateDict, TwoLayerRegressor, type TwoLayerRegressorOptions } from './model/two-layer-regressor.js';
export * from './nn/index.js';
export { Random } from './random/prng.js';

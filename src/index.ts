/**
 * Float64 neural-network layers, losses, optimizers and a Keras-style `Model.fit` on
 * OpenBLAS, zero-copy on the caller's Float64Arrays; and the BLAS routines themselves.
 *
 * @module blasprop
 */

export {
  type Axpy,
  type BlasInfo,
  type BlasRoutines,
  blasInfo,
  daxpy,
  dgemm,
  dgemv,
  dscal,
  type Gemm,
  type Gemv,
  getNumThreads,
  reference,
  type Scal,
  saxpy,
  setNumThreads,
  sgemm,
  sgemv,
  sscal,
  type Transpose,
} from './blas/index.js';
export type { Metric } from './metrics/metric.js';
export { configureTraining, type TrainingConfig, trainingConfig } from './model/background/pool.js';
export { isSharedMatrix, sharedMatrix } from './model/background/shared-matrix.js';
export { ModelFileError, TrainingDivergedError } from './model/errors.js';
export { EarlyStopping, type EarlyStoppingOptions } from './model/fit/early-stopping.js';
export type { BatchLogs, EpochLogs, History, Logs } from './model/fit/logs.js';
export type { CheckpointOptions, FitCallbacks, FitOptions } from './model/fit/options.js';
export {
  type CallbackModel,
  type FitSetting,
  type MonitorMode,
  TrainingCallback,
  type TrainingCallbackState,
} from './model/fit/training-callback.js';
export { Model, type ModelOptions } from './model/model.js';
export type { ModelConfig, TrainingState } from './model/model-config.js';
export {
  TwoLayerRegressor,
  type TwoLayerRegressorOptions,
  type TwoLayerStateDict,
} from './model/presets/two-layer-regressor.js';
export * from './nn/index.js';
export { Adam, type AdamOptions, AdamW } from './optim/adam.js';
export { clipGradNorm, GradientClipper } from './optim/clip-grad-norm.js';
export { Optimizer, type OptimizerConfig, type OptimizerState } from './optim/optimizer.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './optim/schedules/cosine-annealing-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './optim/schedules/exponential-lr.js';
export { LinearLR, type LinearLROptions } from './optim/schedules/linear-lr.js';
export { LRScheduler } from './optim/schedules/lr-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './optim/schedules/reduce-lr-on-plateau.js';
export { StepLR, type StepLROptions } from './optim/schedules/step-lr.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Random } from './random/prng.js';
export type { ArrayOfDType, DType, DTypeOfArray, FloatArray } from './util/dtype.js';
export type { TypedConfig } from './util/registry.js';

// Checkpoints of a fit. A checkpoint is an ordinary model file — it loads with
// TwoLayerRegressor.load — whose metadata also records how far the fit got and with
// which settings. Resuming from one repeats exactly what the uninterrupted fit would
// have done, because nothing else carries over from one epoch to the next: weights
// are stored bit-exact, epoch e's row order depends only on (seed, e) (epochOrder),
// and plain SGD without momentum keeps no optimizer state between steps. What the
// file does not hold is the data: resuming needs the same rows, in the same order.

import { getNumThreads } from '../blas/info.js';
import { checkInteger, rangeError, typeError } from '../util/check.js';
import { ModelFileError } from './errors.js';
import type { FitPlan } from './fit.js';

export interface CheckpointOptions {
  /** Where to write. Each save replaces the file atomically, so a crash leaves the previous checkpoint. */
  path: string;
  /** Save after every this many epochs (default 1). The last epoch is always saved. */
  everyEpochs?: number;
}

/** The metadata key under which a checkpoint records its fit's progress. */
export const PROGRESS_KEY = 'blasprop:fit';

/** What a checkpoint records about the fit that wrote it. */
export interface FitProgress {
  /** Epochs completed: a resumed fit starts with this 0-based epoch. */
  epochsCompleted: number;
  /** The settings a resumed fit must share to continue this one. */
  seed: number;
  batchSize: number;
  lr: number;
  shuffle: boolean;
  trainRows: number;
  validationRows: number;
  /** OpenBLAS threads when saved: a resumed fit is bit-identical on the same count. */
  blasThreads: number;
}

const SHARED_SETTINGS = ['seed', 'batchSize', 'lr', 'shuffle', 'trainRows', 'validationRows'] as const;
/** Configuration that decides the weights' shapes and the loss; seed and init do not matter once weights load. */
const SHARED_CONFIG = ['inputSize', 'hiddenSize', 'outputSize', 'reduction'] as const;

export function checkCheckpointOptions(name: string, value: unknown): Required<CheckpointOptions> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw typeError(name, 'an object { path, everyEpochs? }', value);
  const { path, everyEpochs } = value as CheckpointOptions;
  if (typeof path !== 'string' || path === '') throw typeError(`${name}.path`, 'a non-empty string', path);
  return { path, everyEpochs: checkInteger(`${name}.everyEpochs`, everyEpochs ?? 1, 1) };
}

/** Whether a checkpoint is due once the 0-based `epoch` has completed. */
export function isCheckpointDue(checkpoint: Required<CheckpointOptions>, epoch: number, epochs: number): boolean {
  const completed = epoch + 1;
  return completed % checkpoint.everyEpochs === 0 || completed === epochs;
}

/** The model metadata to save in a checkpoint taken after the 0-based `epoch`. */
export function checkpointMetadata(
  metadata: Record<string, unknown>,
  plan: FitPlan,
  epoch: number,
): Record<string, unknown> {
  const progress: FitProgress = {
    epochsCompleted: epoch + 1,
    seed: plan.seed,
    batchSize: plan.batchSize,
    lr: plan.lr,
    shuffle: plan.shuffle,
    trainRows: plan.trainRows,
    validationRows: plan.validationRows,
    blasThreads: getNumThreads(),
  };
  return { ...metadata, [PROGRESS_KEY]: progress };
}

/**
 * The epoch a fit resumes at, after checking that the checkpoint at `path` (already
 * loaded and verified as a model file) was written by a fit this one can continue.
 */
export function resumeEpoch(
  path: string,
  saved: { config: Record<string, unknown>; metadata: Record<string, unknown> },
  config: Record<string, unknown>,
  plan: FitPlan,
): number {
  const progress = saved.metadata[PROGRESS_KEY] as Partial<FitProgress> | undefined;
  if (typeof progress !== 'object' || progress === null || !Number.isInteger(progress.epochsCompleted)) {
    throw new ModelFileError(path, 'it is a model file but not a checkpoint (its metadata holds no fit progress)');
  }
  for (const key of SHARED_CONFIG) {
    if (saved.config[key] !== config[key]) {
      throw rangeError(
        'resume',
        `a checkpoint of a model with ${key} ${config[key]}`,
        path,
        `its ${key} is ${saved.config[key]}`,
      );
    }
  }
  for (const key of SHARED_SETTINGS) {
    if (progress[key] !== plan[key]) {
      throw rangeError(
        'resume',
        `a checkpoint of a fit with ${key} ${plan[key]}`,
        path,
        `it was saved with ${key} ${progress[key]}`,
      );
    }
  }
  const completed = progress.epochsCompleted as number;
  if (completed > plan.epochs) {
    throw rangeError('epochs', `at least the ${completed} epochs the checkpoint has completed`, plan.epochs);
  }
  return completed;
}

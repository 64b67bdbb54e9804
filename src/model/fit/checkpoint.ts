// Checkpoints of a fit. A checkpoint is an ordinary model file (Model.load reads it)
// that also holds the optimizer's state and how far the fit got. Resuming from one
// repeats exactly what the uninterrupted fit would have done: weights and optimizer
// buffers are stored bit-exact, and epoch e's row order depends only on (seed, e)
// (epoch-order.ts). What the file does not hold is the data: resuming needs the same
// rows, in the same order.

import { getNumThreads } from '../../blas/info.js';
import type { OptimizerConfig } from '../../optim/optimizer.js';
import { rangeError } from '../../util/check.js';
import { ModelFileError } from '../errors.js';
import type { FitPlan } from './options.js';
import type { CallbackModel, SavedTrainingCallback, TrainingCallback } from './training-callback.js';

/** What a checkpoint records about the fit that wrote it. */
export interface FitProgress {
  /** Epochs completed: a resumed fit starts with this 0-based epoch. */
  epochsCompleted: number;
  /** The settings a resumed fit must share to continue this one. */
  seed: number;
  batchSize: number;
  shuffle: boolean;
  trainRows: number;
  validationRows: number;
  /** The optimizer as the fit started it (its learning rate included). */
  optimizer: OptimizerConfig;
  /** OpenBLAS threads when saved: a resumed fit is bit-identical on the same count. */
  blasThreads: number;
}

const SHARED_SETTINGS = ['seed', 'batchSize', 'shuffle', 'trainRows', 'validationRows'] as const;

/**
 * Whether a checkpoint is due once the 0-based `epoch` has completed: every
 * `everyEpochs` epochs, after the last one, and when training stops there.
 */
export function isCheckpointDue(plan: FitPlan, epoch: number, stopping: boolean): boolean {
  const completed = epoch + 1;
  return (
    plan.checkpoint !== undefined &&
    (completed % plan.checkpoint.everyEpochs === 0 || completed === plan.epochs || stopping)
  );
}

/** The training callbacks as a checkpoint records them, or undefined when the fit has none. */
export function savedTrainingCallbacks(plan: FitPlan): SavedTrainingCallback[] | undefined {
  if (plan.trainingCallbacks.length === 0) return undefined;
  return plan.trainingCallbacks.map((c) => ({ config: c.toConfig(), state: c.state() }));
}

/**
 * Checks that a checkpoint's training callbacks are those of the fit resuming it —
 * as many, with the same configurations, in the same order — and their states;
 * returns what loads the states, run once everything else is checked.
 */
export function resumeTrainingCallbacks(
  path: string,
  saved: readonly SavedTrainingCallback[],
  current: readonly TrainingCallback[],
  model: CallbackModel,
): () => void {
  if (saved.length !== current.length) {
    throw rangeError(
      'resume',
      `a checkpoint of a fit with this fit's ${current.length} training callback(s)`,
      path,
      `it holds ${saved.length}`,
    );
  }
  const apply = current.map((callback, i) => {
    const difference = firstDifference(saved[i].config, callback.toConfig(), `callbacks[${i}]`);
    if (difference !== undefined) {
      throw rangeError(
        'resume',
        `a checkpoint of a fit with this fit's training callbacks`,
        path,
        `${difference.path} is ${JSON.stringify(difference.ours)} here but ${JSON.stringify(difference.theirs)} in the checkpoint`,
      );
    }
    return callback.checkState(saved[i].state, model);
  });
  return () => {
    for (const load of apply) load();
  };
}

/** The progress to record in a checkpoint taken after the 0-based `epoch`. */
export function fitProgress(plan: FitPlan, epoch: number, optimizerAtStart: OptimizerConfig): FitProgress {
  return {
    epochsCompleted: epoch + 1,
    seed: plan.seed,
    batchSize: plan.batchSize,
    shuffle: plan.shuffle,
    trainRows: plan.trainRows,
    validationRows: plan.validationRows,
    optimizer: optimizerAtStart,
    blasThreads: getNumThreads(),
  };
}

/**
 * The epoch a fit resumes at, after checking that the checkpoint at `path` (already
 * loaded and verified as a model file) was written by a fit this one can continue:
 * the same network, loss and optimizer, the same settings and rows.
 */
export function resumeEpoch(
  path: string,
  saved: { model: { network: unknown; loss: unknown }; fit?: FitProgress },
  current: { model: { network: unknown; loss: unknown }; optimizer: OptimizerConfig },
  plan: FitPlan,
): number {
  const progress = saved.fit;
  if (progress === undefined) {
    throw new ModelFileError(path, 'it is a model file but not a checkpoint (it holds no fit progress)');
  }
  const differences: [string, unknown, unknown][] = [
    ['network', saved.model.network, current.model.network],
    ['loss', saved.model.loss, current.model.loss],
    ['optimizer', progress.optimizer, current.optimizer],
  ];
  for (const [part, theirs, ours] of differences) {
    const difference = firstDifference(theirs, ours, part);
    if (difference !== undefined) {
      throw rangeError(
        'resume',
        `a checkpoint of a fit with this model's ${part}`,
        path,
        `${difference.path} is ${JSON.stringify(difference.ours)} here but ${JSON.stringify(difference.theirs)} in the checkpoint`,
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
  const completed = progress.epochsCompleted;
  if (completed > plan.epochs) {
    throw rangeError('epochs', `at least the ${completed} epochs the checkpoint has completed`, plan.epochs);
  }
  return completed;
}

/** The first place where two JSON values differ, depth first, or undefined when they are equal. */
function firstDifference(
  theirs: unknown,
  ours: unknown,
  path: string,
): { path: string; theirs: unknown; ours: unknown } | undefined {
  const bothObjects = typeof theirs === 'object' && theirs !== null && typeof ours === 'object' && ours !== null;
  if (!bothObjects || Array.isArray(theirs) !== Array.isArray(ours)) {
    return Object.is(theirs, ours) ? undefined : { path, theirs, ours };
  }
  const keys = new Set([...Object.keys(theirs), ...Object.keys(ours)]);
  for (const key of keys) {
    const at = Array.isArray(ours) ? `${path}[${key}]` : `${path}.${key}`;
    const found = firstDifference((theirs as Record<string, unknown>)[key], (ours as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return undefined;
}

// fit on the calling thread: checks the options, resumes from a checkpoint, writes
// checkpoints after epochs, and runs the loop. A background fit's worker runs this
// too, so both modes train, checkpoint and fail in exactly the same way.

import type { AnyMatrix } from '../../nn/matrix.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { loadModel, saveModel } from '../file/index.js';
import type { ModelConfig, TrainingState } from '../model-config.js';
import {
  fitProgress,
  isCheckpointDue,
  resumeEpoch,
  resumeTrainingCallbacks,
  savedTrainingCallbacks,
} from './checkpoint.js';
import type { History } from './logs.js';
import { type FitHooks, type FitTarget, runFit } from './loop.js';
import { type FitOptions, type FitShape, planFit } from './options.js';

/** What training on this thread needs of a model, besides the loop's own needs. */
export interface TrainableModel extends FitTarget, FitShape {
  readonly optimizer: Optimizer;
  metadata: Record<string, unknown>;
  toConfig(): ModelConfig;
  trainingState(): TrainingState;
  loadTrainingState(state: TrainingState): void;
}

/** What a training worker adds: its stop flag and relay of batch records, and data already checked. */
export interface WorkerHooks extends Pick<FitHooks, 'stop' | 'batchRecords'> {
  /** The calling thread checked every value of the data (finite, targets the loss accepts) before it handed them over. */
  valuesChecked?: boolean;
}

export async function fitInThread(
  model: TrainableModel,
  x: AnyMatrix,
  y: AnyMatrix,
  options: FitOptions,
  { valuesChecked, ...hooks }: WorkerHooks = {},
): Promise<History> {
  const plan = planFit(model, x, y, options, { valuesChecked });
  if (plan.lr !== undefined) model.optimizer.lr = plan.lr;
  const optimizerAtStart = model.optimizer.toConfig();
  let initialEpoch = plan.initialEpoch;
  const resumed = plan.resume !== undefined;
  if (plan.resume !== undefined) {
    const saved = await loadModel(plan.resume);
    initialEpoch = resumeEpoch(plan.resume, saved, { model: model.toConfig(), optimizer: optimizerAtStart }, plan);
    const loadCallbacks = resumeTrainingCallbacks(plan.resume, saved.callbacks ?? [], plan.trainingCallbacks, model);
    model.loadTrainingState({
      parameters: saved.parameters,
      optimizer: saved.optimizer ?? { scalars: {}, buffers: {} },
    });
    loadCallbacks();
  }
  const { checkpoint } = plan;
  const afterEpoch = async (epoch: number) => {
    if (checkpoint === undefined || !isCheckpointDue(plan, epoch, model.stopTraining)) return;
    const { parameters, optimizer } = model.trainingState();
    await saveModel(checkpoint.path, {
      model: model.toConfig(),
      metadata: model.metadata,
      parameters,
      optimizer,
      fit: fitProgress(plan, epoch, optimizerAtStart),
      callbacks: savedTrainingCallbacks(plan),
    });
  };
  return runFit(model, x, y, plan, options.validationData, { ...hooks, initialEpoch, resumed, afterEpoch });
}

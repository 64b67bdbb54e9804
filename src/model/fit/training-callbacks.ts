// The training callbacks a background fit can rebuild in its worker, by type. Adding
// one is a line here.

import type { Optimizer } from '../../optim/optimizer.js';
import { CosineAnnealingLR } from '../../optim/schedules/cosine-annealing-lr.js';
import { ExponentialLR } from '../../optim/schedules/exponential-lr.js';
import { LinearLR } from '../../optim/schedules/linear-lr.js';
import { ReduceLROnPlateau } from '../../optim/schedules/reduce-lr-on-plateau.js';
import { StepLR } from '../../optim/schedules/step-lr.js';
import { type TypedConfig, TypeRegistry } from '../../util/registry.js';
import { EarlyStopping } from './early-stopping.js';
import type { CallbackModel, SavedTrainingCallback, TrainingCallback } from './training-callback.js';

/** What a training callback is rebuilt for: the model, whose optimizer a schedule drives. */
export interface RebuildTarget extends CallbackModel {
  readonly optimizer: Optimizer;
}

type Factory = (config: TypedConfig, model: RebuildTarget) => TrainingCallback;

const trainingCallbacks = new TypeRegistry<Factory>('training callback', [
  [StepLR.type, (config, model) => new StepLR(model.optimizer, config as never)],
  [ExponentialLR.type, (config, model) => new ExponentialLR(model.optimizer, config as never)],
  [CosineAnnealingLR.type, (config, model) => new CosineAnnealingLR(model.optimizer, config as never)],
  [LinearLR.type, (config, model) => new LinearLR(model.optimizer, config as never)],
  [ReduceLROnPlateau.type, (config, model) => new ReduceLROnPlateau(model.optimizer, config as never)],
  [EarlyStopping.type, (config) => new EarlyStopping(config as never)],
]);

/**
 * Rebuilds a training callback for `model` from its configuration and state (a
 * background fit's worker does, for the callbacks the caller passed). The model's
 * learning rate is left as it was: a schedule applies its first rate when it is
 * created, but a rebuilt one carries on from its state.
 */
export function rebuildTrainingCallback(
  saved: SavedTrainingCallback,
  model: RebuildTarget,
  path: string,
): TrainingCallback {
  const lr = model.optimizer.lr;
  const callback = trainingCallbacks.build(saved.config, path, (factory, config) => factory(config, model));
  model.optimizer.lr = lr;
  callback.loadState(saved.state, model);
  return callback;
}

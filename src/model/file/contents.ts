import type { StateDict } from '../../nn/state-dict.js';
import type { FitProgress } from '../fit/checkpoint.js';
import type { SavedTrainingCallback } from '../fit/training-callback.js';
import type { ModelConfig, TrainingState } from '../model-config.js';

/** Everything a model file holds. */
export interface ModelFileData {
  model: ModelConfig;
  metadata: Record<string, unknown>;
  parameters: StateDict;
  /** Checkpoints only: the optimizer's state. */
  optimizer?: TrainingState['optimizer'];
  /** Checkpoints only: the fit's progress. */
  fit?: FitProgress;
  /** Checkpoints only: the fit's training callbacks (schedules, EarlyStopping) and their states, in order. */
  callbacks?: SavedTrainingCallback[];
}

import type { LossConfig } from '../nn/losses/loss.js';
import type { LayerConfig } from '../nn/module.js';
import type { StateDict } from '../nn/state-dict.js';
import type { OptimizerConfig } from '../optim/optimizer.js';

/** A model as plain JSON: what rebuilds it, weights aside (those travel as a state dict). */
export interface ModelConfig {
  network: LayerConfig;
  loss: LossConfig;
  optimizer: OptimizerConfig;
  metrics: string[];
  /** Seed of the initial weights when the network is built from this configuration, and of fit's shuffling. */
  seed: number;
}

/**
 * Everything a model's training changes, by name: the parameters (dotted names) and
 * the optimizer's learning rate, scalars and per-parameter buffers. What background
 * training and checkpoints carry.
 */
export interface TrainingState {
  parameters: StateDict;
  optimizer: { scalars: Record<string, number>; buffers: Record<string, StateDict> };
}

import type { LossConfig } from '../nn/losses/loss.js';
import type { LayerConfig } from '../nn/module.js';
import type { StateDict } from '../nn/state-dict.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import type { DType } from '../util/dtype.js';

/** A model as plain JSON: what rebuilds it, weights aside (those travel as a state dict). */
export interface ModelConfig {
  /** The network, as its layers' nested configurations. */
  network: LayerConfig;
  /** The loss: its type and options. */
  loss: LossConfig;
  /** The optimizer: its type, learning rate and hyper-parameters. */
  optimizer: OptimizerConfig;
  /** The metrics logged beside the loss, by name. */
  metrics: string[];
  /** Seed of the initial weights when the network is built from this configuration, and of fit's shuffling. */
  seed: number;
  /** The element type of every layer (absent: 'float64', as in configurations written before float32). */
  dtype?: DType;
}

/**
 * Everything a model's training changes, by name: the parameters (dotted names) and
 * the optimizer's learning rate, scalars and per-parameter buffers. What background
 * training and checkpoints carry.
 */
export interface TrainingState {
  /** The parameters by dotted name. */
  parameters: StateDict;
  /** The optimizer's scalars (the learning rate and any other) and each parameter's buffers, by parameter name. */
  optimizer: {
    /** The learning rate (`lr`) and any other scalar the optimizer keeps. */
    scalars: Record<string, number>;
    /** Per parameter name, its buffers by name (`momentumBuffer`, …). */
    buffers: Record<string, StateDict>;
  };
}

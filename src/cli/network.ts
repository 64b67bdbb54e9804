// The networks the command line trains: Linear layers with ReLU between them, mean
// or summed squared error, SGD. One place that turns the options into a Model and
// describes it, for train, the summary and the chart.

import type { FitOptions } from '../model/fit/options.js';
import { Model } from '../model/model.js';
import type { InitScheme } from '../nn/init.js';
import { Linear } from '../nn/layers/linear.js';
import { ReLU } from '../nn/layers/relu.js';
import { Sequential } from '../nn/layers/sequential.js';
import type { Reduction } from '../nn/losses/loss.js';
import { MSELoss } from '../nn/losses/mse-loss.js';
import type { Module } from '../nn/module.js';
import { SGD } from '../optim/sgd.js';
import { Random } from '../random/prng.js';
import type { DType } from '../util/dtype.js';
import { MIN_ROWS_FOR_VALIDATION } from './presets.js';
import type { TrainOptions } from './train-options.js';

export interface NetworkSpec {
  inputSize: number;
  /** Units of each hidden layer, in order. */
  layers: readonly number[];
  outputSize: number;
  reduction: Reduction;
  init: InitScheme;
  seed: number;
  lr: number;
  momentum: number;
  /** The element type of every layer (default 'float64'). */
  dtype?: DType;
}

/**
 * inputSize → layers[0] → … → outputSize, with a ReLU after each hidden layer; the
 * initial weights drawn in order from one generator seeded with `seed` (so one hidden
 * layer gives exactly the TwoLayerRegressor of the same seed).
 */
export function buildModel(spec: NetworkSpec): Model {
  const random = new Random(spec.seed);
  const widths = [spec.inputSize, ...spec.layers, spec.outputSize];
  const modules: Module[] = [];
  for (let i = 1; i < widths.length; i++) {
    const dtype = spec.dtype ?? 'float64';
    if (i > 1) modules.push(new ReLU({ dtype }));
    modules.push(new Linear(widths[i - 1], widths[i], { init: spec.init, random, dtype }));
  }
  const network = new Sequential(...modules);
  return new Model(network, {
    loss: new MSELoss({ reduction: spec.reduction }),
    optimizer: new SGD(network.parameters(), { lr: spec.lr, momentum: spec.momentum }),
    seed: spec.seed,
  });
}

/** "10 → 64 ReLU → 32 ReLU → 1": the widths from input to output, with each activation. */
export function describeNetwork(model: Model): string {
  const parts = [String(model.inputSize)];
  let features = model.inputSize;
  for (const [, m] of model.network.children()) {
    if (m instanceof Linear) {
      features = m.outputFeatures();
      parts.push(String(features));
    } else {
      parts[parts.length - 1] += ` ${m.describe()}`;
    }
  }
  return parts.join(' → ');
}

/** The hidden widths of a network that buildModel made (every Linear but the last). */
export function hiddenLayers(model: Model): number[] {
  const linears = model.network.children().flatMap(([, m]) => (m instanceof Linear ? [m.outFeatures] : []));
  return linears.slice(0, -1);
}

/**
 * The network and the fit options `blasprop train` uses for its options on data of
 * this shape (`blasprop submit` sends a worker the very same).
 */
export function trainingPlan(
  options: TrainOptions,
  data: { rows: number; inputSize: number; outputSize: number },
): { network: NetworkSpec; fit: FitOptions } {
  const { preset } = options;
  // Without a choice, a default split holds out rows only when there are enough.
  const split = options.validationSplit ?? (data.rows >= MIN_ROWS_FOR_VALIDATION ? preset.validationSplit : 0);
  return {
    network: {
      inputSize: data.inputSize,
      layers: options.layers,
      outputSize: data.outputSize,
      reduction: preset.reduction,
      init: preset.init,
      seed: options.seed,
      lr: options.lr,
      momentum: options.momentum,
      dtype: options.dtype,
    },
    fit: {
      epochs: options.epochs,
      batchSize: options.batchSize ?? data.rows,
      lr: options.lr,
      seed: options.seed,
      validationSplit: options.validationData === undefined ? split : 0,
    },
  };
}

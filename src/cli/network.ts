// The networks the command line trains: Linear layers with an activation (and
// optionally dropout) between them, a regression loss or cross-entropy for a
// classifier, one of the optimizers, a learning-rate schedule and early stopping. One
// place that turns the options into a Model and its training, shared by train and
// submit, and that describes the model for the summary and the chart.

import { EarlyStopping } from '../model/fit/early-stopping.js';
import type { FitOptions } from '../model/fit/options.js';
import type { TrainingCallback } from '../model/fit/training-callback.js';
import { Model } from '../model/model.js';
import type { InitScheme } from '../nn/init.js';
import { Linear } from '../nn/layers/linear.js';
import { layerFromConfig } from '../nn/layers/registry.js';
import { CrossEntropyLoss } from '../nn/losses/cross-entropy-loss.js';
import { HuberLoss } from '../nn/losses/huber-loss.js';
import { L1Loss } from '../nn/losses/l1-loss.js';
import type { Loss, Reduction } from '../nn/losses/loss.js';
import { MSELoss } from '../nn/losses/mse-loss.js';
import type { LayerConfig } from '../nn/module.js';
import { Adam, AdamW } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RMSprop } from '../optim/rmsprop.js';
import { CosineAnnealingLR } from '../optim/schedules/cosine-annealing-lr.js';
import { ExponentialLR } from '../optim/schedules/exponential-lr.js';
import { LinearLR } from '../optim/schedules/linear-lr.js';
import { ReduceLROnPlateau } from '../optim/schedules/reduce-lr-on-plateau.js';
import { StepLR } from '../optim/schedules/step-lr.js';
import { SGD } from '../optim/sgd.js';
import type { DType } from '../util/dtype.js';
import { UsageError } from './errors.js';
import type { ActivationName, LossName, OptimizerName, ScheduleSpec } from './network-options.js';
import { MIN_ROWS_FOR_VALIDATION, type TrainingPreset } from './presets.js';
import type { TrainOptions } from './train-options.js';

export interface NetworkSpec {
  inputSize: number;
  /** Units of each hidden layer, in order. */
  layers: readonly number[];
  /** Outputs: one per target for regression, one per class for a classifier. */
  outputSize: number;
  activation: ActivationName;
  /** Dropout probability after each hidden activation; 0 for none. */
  dropout: number;
  loss: LossName;
  reduction: Reduction;
  /** undefined: each Linear layer gets the initialisation suited to its activation (He, or Xavier for tanh and sigmoid). */
  init: InitScheme | undefined;
  seed: number;
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay: number | undefined;
  /** The element type of every layer (default 'float64'). */
  dtype?: DType;
}

/** What trains besides the model: the schedule and early stopping, built for the model's optimizer. */
export interface CallbackSpec {
  schedule: ScheduleSpec | undefined;
  /** Patience; undefined: no early stopping. */
  earlyStopping: number | undefined;
  epochs: number;
}

const ACTIVATION_LAYERS: Record<ActivationName, LayerConfig> = {
  relu: { type: 'ReLU' },
  'leaky-relu': { type: 'LeakyReLU', negativeSlope: 0.01 },
  gelu: { type: 'GELU', approximate: 'none' },
  tanh: { type: 'Tanh' },
  sigmoid: { type: 'Sigmoid' },
};

/**
 * inputSize → layers[0] → … → outputSize, with the activation (and dropout) after each
 * hidden layer; the initial weights drawn in order from one generator seeded with
 * `seed` (so one hidden ReLU layer gives exactly the TwoLayerRegressor of the same seed).
 */
export function buildModel(spec: NetworkSpec): Model {
  const widths = [spec.inputSize, ...spec.layers, spec.outputSize];
  const layers: LayerConfig[] = [];
  for (let i = 1; i < widths.length; i++) {
    if (i > 1) {
      layers.push(ACTIVATION_LAYERS[spec.activation]);
      if (spec.dropout > 0) layers.push({ type: 'Dropout', p: spec.dropout });
    }
    layers.push({
      type: 'Linear',
      inFeatures: widths[i - 1],
      outFeatures: widths[i],
      ...(spec.init === undefined ? {} : { init: spec.init }),
    });
  }
  const network = layerFromConfig({ type: 'Sequential', layers }, { seed: spec.seed, dtype: spec.dtype ?? 'float64' });
  return new Model(network, {
    loss: buildLoss(spec.loss, spec.reduction),
    optimizer: buildOptimizer(spec, network.parameters()),
    seed: spec.seed,
  });
}

function buildLoss(name: LossName, reduction: Reduction): Loss {
  switch (name) {
    case 'mse':
      return new MSELoss({ reduction });
    case 'l1':
      return new L1Loss({ reduction });
    case 'huber':
      return new HuberLoss({ reduction });
    case 'cross-entropy':
      return new CrossEntropyLoss({ reduction });
  }
}

function buildOptimizer(spec: NetworkSpec, parameters: ReturnType<Model['network']['parameters']>): Optimizer {
  const { lr, momentum, weightDecay } = spec;
  const decay = weightDecay === undefined ? {} : { weightDecay };
  switch (spec.optimizer) {
    case 'sgd':
      return new SGD(parameters, { lr, momentum, ...decay });
    case 'adam':
      return new Adam(parameters, { lr, ...decay });
    case 'adamw':
      return new AdamW(parameters, { lr, ...decay });
    case 'rmsprop':
      return new RMSprop(parameters, { lr, momentum, ...decay });
  }
}

/** The schedule and early stopping of a plan, for this model (fit's `callbacks`). */
export function trainingCallbacks(model: Model, spec: CallbackSpec): TrainingCallback[] {
  const callbacks: TrainingCallback[] = [];
  const schedule = spec.schedule;
  if (schedule) {
    const optimizer = model.optimizer;
    switch (schedule.type) {
      case 'step':
        callbacks.push(new StepLR(optimizer, { stepSize: schedule.stepSize, gamma: schedule.gamma }));
        break;
      case 'exponential':
        callbacks.push(new ExponentialLR(optimizer, { gamma: schedule.gamma }));
        break;
      case 'cosine':
        callbacks.push(new CosineAnnealingLR(optimizer, { tMax: spec.epochs }));
        break;
      case 'plateau':
        callbacks.push(new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: schedule.patience }));
        break;
      case 'warmup':
        callbacks.push(new LinearLR(optimizer, { startFactor: 0.1, totalIters: schedule.epochs }));
        break;
    }
  }
  if (spec.earlyStopping !== undefined) {
    callbacks.push(new EarlyStopping({ patience: spec.earlyStopping, restoreBestWeights: true }));
  }
  return callbacks;
}

const LOSS_TITLES: Record<LossName, string> = {
  mse: 'MSE',
  l1: 'L1 loss',
  huber: 'Huber loss',
  'cross-entropy': 'Cross-entropy',
};

/**
 * What the training loss is: a label for the chart's axis and the summary (under
 * about 30 characters), and a short name for the progress display.
 */
export function lossLabels(spec: NetworkSpec, preset: TrainingPreset): { label: string; name: string } {
  if (spec.loss === 'mse' && spec.reduction === preset.reduction)
    return { label: preset.lossLabel, name: preset.lossName };
  const title = LOSS_TITLES[spec.loss];
  if (spec.loss === 'cross-entropy' || !preset.standardise) return { label: title, name: title.toLowerCase() };
  return { label: `${title} of standardised targets`, name: `standardised ${title.replace(' loss', '')}` };
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

/** The shape of the data a plan is made for. */
export interface DataShape {
  rows: number;
  inputSize: number;
  /** Target columns for regression; undefined for a classifier. */
  outputSize: number;
  /** The number of classes of a classifier; undefined for regression. */
  classes: number | undefined;
}

/**
 * The network, the fit options and the training callbacks `blasprop train` uses for its
 * options on data of this shape (`blasprop submit` sends a worker the very same).
 */
export function trainingPlan(
  options: TrainOptions,
  data: DataShape,
): { network: NetworkSpec; fit: FitOptions; callbacks: CallbackSpec } {
  const { preset } = options;
  // Without a choice, a default split holds out rows only when there are enough.
  const split = options.validationSplit ?? (data.rows >= MIN_ROWS_FOR_VALIDATION ? preset.validationSplit : 0);
  const classify = data.classes !== undefined;
  const loss = options.loss ?? (classify ? 'cross-entropy' : 'mse');
  if (classify !== (loss === 'cross-entropy')) {
    throw new UsageError(
      classify
        ? `--loss ${loss} is a regression loss, but the target holds labels: a classifier trains with cross-entropy`
        : '--loss cross-entropy is for a target of labels (text, or integers with --task classification)',
    );
  }
  return {
    network: {
      inputSize: data.inputSize,
      layers: options.layers,
      outputSize: data.classes ?? data.outputSize,
      activation: options.activation,
      dropout: options.dropout,
      loss,
      reduction: preset.reduction,
      init: preset.init,
      seed: options.seed,
      optimizer: options.optimizer,
      lr: options.lr,
      momentum: options.momentum,
      weightDecay: options.weightDecay,
      dtype: options.dtype,
    },
    fit: {
      epochs: options.epochs,
      batchSize: options.batchSize ?? data.rows,
      // A schedule sets every epoch's rate from the optimizer's own, which is already options.lr.
      ...(options.schedule === undefined ? { lr: options.lr } : {}),
      seed: options.seed,
      validationSplit: options.validationData === undefined ? split : 0,
      ...(options.clipNorm === undefined ? {} : { clipNorm: options.clipNorm }),
    },
    callbacks: { schedule: options.schedule, earlyStopping: options.earlyStopping, epochs: options.epochs },
  };
}

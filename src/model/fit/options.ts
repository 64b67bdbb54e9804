// The options of fit, checked once, on the calling thread, before any training (and
// before any worker) starts: bad input fails at once and the same way in every mode.

import type { Metric } from '../../metrics/metric.js';
import { checkFiniteMatrix, checkMatrix, type MatrixRequirements } from '../../nn/check-matrix.js';
import type { AnyMatrix } from '../../nn/matrix.js';
import { LRScheduler } from '../../optim/schedules/lr-scheduler.js';
import { checkFinite, checkInteger, checkPositive, rangeError, typeError } from '../../util/check.js';
import type { DType } from '../../util/dtype.js';
import { typedArrayLength } from '../../util/typed-array.js';
import { type BatchLogs, type EpochLogs, type Logs, validationName } from './logs.js';
import { type CallbackModel, type FitSetting, TrainingCallback } from './training-callback.js';

/** fit's `checkpoint` option: where and how often to save the training state. */
export interface CheckpointOptions {
  /** Where to write. Each save replaces the file atomically, so a crash leaves the previous checkpoint. */
  path: string;
  /** Save after every this many epochs (default 1). The last epoch is always saved. */
  everyEpochs?: number;
}

/**
 * Called as training goes. Each may return a promise, which fit waits for (an
 * `onEpochEnd` promise holds the next epoch back). A callback ends training early,
 * without an error, by setting `model.stopTraining = true`, as in Keras.
 */
export interface FitCallbacks {
  /** Before the first epoch (`logs` is empty). */
  onTrainBegin?(logs: Logs): void | Promise<void>;
  /** As epoch `epoch` (0-based) begins (`logs` is empty). */
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** After each batch's update: `batch` is 0-based within the epoch. Asking for it costs a little per batch. */
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  /** After each epoch, its validation included: `logs` holds the epoch's loss, metrics and timing. */
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
  /** After the last epoch or an early stop; not after a failure or an abort. */
  onTrainEnd?(logs: Logs): void | Promise<void>;
}

export const CALLBACK_NAMES = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;

/**
 * The options of {@link Model.fit}, in the shape of Keras's and tfjs's `fit`. Every option
 * is checked before training starts: a bad one is a TypeError or RangeError naming it.
 */
export interface FitOptions {
  /** The epoch to train up to, exclusive: a whole number >= 1 (with `initialEpoch`, the total, as in Keras). */
  epochs: number;
  /** Rows per step (default 32); the last batch of an epoch may be shorter. */
  batchSize?: number;
  /** Sets the optimizer's learning rate before training; without it, the optimizer keeps its own. */
  lr?: number;
  /** Shuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed for the shuffling (default: the model's seed). Epoch e's order depends only on (seed, e). */
  seed?: number;
  /** Fraction in [0, 1) of rows, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** Rows to validate on after every epoch, instead of a split: `[x, y]`. */
  validationData?: readonly [AnyMatrix, AnyMatrix];
  /**
   * Called as training goes: an object of callbacks, or an array of them (run in
   * order). Training callbacks — a learning-rate schedule (StepLR, ExponentialLR,
   * CosineAnnealingLR, LinearLR, ReduceLROnPlateau: at most one) and EarlyStopping — may
   * be among them: they run where the model trains (in the worker of a background
   * fit, their final state copied back), before the other callbacks of each event, and
   * their state is saved in checkpoints.
   */
  callbacks?: FitCallbacks | TrainingCallback | readonly (FitCallbacks | TrainingCallback)[];
  /**
   * Clip the gradients before every update so that their total 2-norm is at most
   * this (torch.nn.utils.clip_grad_norm_): a finite number > 0. Default: no clipping.
   */
  clipNorm?: number;
  /** Stops training between two batches; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Milliseconds of training between yields to the event loop (default 10; 0 yields after every batch). */
  yieldEvery?: number;
  /** The first epoch to run (0-based), to continue an earlier fit. */
  initialEpoch?: number;
  /**
   * Train on a worker thread (default true), so the calling thread's event loop never
   * waits for a batch; false trains on the calling thread. See docs/background-training.md.
   */
  background?: boolean;
  /** Save a checkpoint (an atomic model file) every `everyEpochs` epochs and after the last. */
  checkpoint?: CheckpointOptions;
  /**
   * Path of a checkpoint written by an earlier fit with the same data and options:
   * its weights and optimizer state are loaded and training continues after its last
   * saved epoch, bit-identically to a fit that was never interrupted.
   */
  resume?: string;
}

/** What a fit needs to know of its model to check the options. */
export interface FitShape extends CallbackModel {
  readonly inputSize: number;
  readonly targetSize: number;
  readonly seed: number;
  readonly metrics: readonly Metric[];
  /** The dtype the data must have: the model's. */
  readonly dtype: DType;
  /** Checks the values of a target matrix (class indices, probabilities), naming `name`. */
  checkTargets(name: string, y: AnyMatrix): void;
}

/** The checked options, with defaults applied. */
export interface FitPlan {
  epochs: number;
  batchSize: number;
  lr: number | undefined;
  shuffle: boolean;
  seed: number;
  /** Rows of x that train; with a split, the rest validate. */
  trainRows: number;
  /** Validation rows: the split's, or validationData's. */
  validationRows: number;
  validation: 'none' | 'split' | 'data';
  yieldEvery: number;
  initialEpoch: number;
  background: boolean;
  checkpoint: Required<CheckpointOptions> | undefined;
  resume: string | undefined;
  callbacks: readonly FitCallbacks[];
  /** The schedules and EarlyStopping among the callbacks, in their order. */
  trainingCallbacks: readonly TrainingCallback[];
  /** What the training callbacks are told of the fit. */
  setting: FitSetting;
  clipNorm: number | undefined;
  signal: AbortSignal | undefined;
}

export const DEFAULT_BATCH_SIZE = 32;

/**
 * Checks the options and the data. `valuesChecked`: the data's values (finite, and
 * targets the loss accepts) were checked already, by the thread that handed this copy
 * of them over (a training worker's data), so only their shapes and buffers are
 * checked again.
 */
export function planFit(
  model: FitShape,
  x: unknown,
  y: unknown,
  options: FitOptions,
  { valuesChecked = false } = {},
): FitPlan {
  // In the model's dtype: a fit never converts its data (convert it once with astype).
  const X = checkData('x', x, { cols: model.inputSize, dtype: model.dtype }, valuesChecked);
  const Y = checkData('y', y, { rows: X.rows, cols: model.targetSize, dtype: model.dtype }, valuesChecked);
  if (!valuesChecked) model.checkTargets('y', Y);
  if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
  const epochs = checkInteger('epochs', options.epochs, 1);
  const batchSize = checkInteger('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE, 1);
  const lr = options.lr === undefined ? undefined : checkPositive('lr', options.lr);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw typeError('shuffle', 'a boolean', shuffle);
  const seed = checkInteger('seed', options.seed ?? model.seed, -(2 ** 31), 2 ** 32 - 1);
  const split = checkFinite('validationSplit', options.validationSplit ?? 0);
  if (split < 0 || split >= 1) throw rangeError('validationSplit', 'a number in [0, 1)', split);
  let validationRows = Math.floor(X.rows * split);
  if (split > 0 && validationRows === 0) {
    throw rangeError('validationSplit', `a fraction that holds out at least one of ${X.rows} rows`, split);
  }
  const trainRows = X.rows - validationRows;
  if (trainRows === 0) throw rangeError('x', 'at least one training row', X, `${X.rows} rows`);
  let validation: FitPlan['validation'] = validationRows > 0 ? 'split' : 'none';
  if (options.validationData !== undefined) {
    if (split > 0) {
      throw rangeError(
        'validationData',
        'no validationData when validationSplit is given (choose one)',
        options.validationData,
      );
    }
    validationRows = checkValidationData(model, options.validationData, valuesChecked);
    validation = 'data';
  }
  const yieldEvery = checkFinite('yieldEvery', options.yieldEvery ?? 10);
  if (yieldEvery < 0) throw rangeError('yieldEvery', 'a number of milliseconds >= 0', yieldEvery);
  const initialEpoch = checkInteger('initialEpoch', options.initialEpoch ?? 0, 0, epochs);
  const background = options.background ?? true;
  if (typeof background !== 'boolean') throw typeError('background', 'a boolean', background);
  const checkpoint = checkCheckpointOptions('checkpoint', options.checkpoint);
  const resume = options.resume;
  if (resume !== undefined && (typeof resume !== 'string' || resume === '')) {
    throw typeError('resume', 'a non-empty string (the path of a checkpoint)', resume);
  }
  if (resume !== undefined && options.initialEpoch !== undefined) {
    throw rangeError('initialEpoch', 'no initial epoch when resume is given (the checkpoint holds it)', initialEpoch);
  }
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError('signal', 'an AbortSignal', signal);
  const clipNorm = options.clipNorm === undefined ? undefined : checkPositive('clipNorm', options.clipNorm);
  const { callbacks, trainingCallbacks } = checkCallbacks(options.callbacks);
  const setting: FitSetting = {
    epochs,
    initialEpoch,
    validation: validation !== 'none',
    logNames: logNames(model, validation),
  };
  checkTrainingCallbacks(model, trainingCallbacks, setting, options.callbacks, lr);
  return {
    epochs,
    batchSize,
    lr,
    shuffle,
    seed,
    trainRows,
    validationRows,
    validation,
    yieldEvery,
    initialEpoch,
    background,
    checkpoint,
    resume,
    callbacks,
    trainingCallbacks,
    setting,
    clipNorm,
    signal,
  };
}

/**
 * A data matrix whose buffer still holds all its rows (a resizable buffer may have
 * shrunk since the Matrix was made, a transferred one is detached) and whose values
 * are finite (unless `valuesChecked`).
 */
function checkData(
  name: string,
  value: unknown,
  shape: MatrixRequirements & { cols: number },
  valuesChecked: boolean,
): AnyMatrix {
  const m = checkMatrix(name, value, shape);
  checkMatrixBuffer(name, m);
  if (!valuesChecked) checkFiniteMatrix(name, m);
  return m;
}

/** The Matrix's data still spans rows × cols elements (see checkData). */
export function checkMatrixBuffer(name: string, m: AnyMatrix): void {
  const length = m.rows * m.cols;
  const held = typedArrayLength(m.data);
  if (held !== length) {
    throw rangeError(
      name,
      `a Matrix whose data holds its ${m.rows} × ${m.cols} = ${length} values`,
      m,
      held === 0 ? 'its buffer is detached or was shrunk' : `its buffer now holds ${held}`,
    );
  }
}

function checkValidationData(model: FitShape, value: unknown, valuesChecked: boolean): number {
  if (!Array.isArray(value) || value.length !== 2) {
    throw typeError('validationData', 'an array [x, y] of two Matrix objects', value);
  }
  const vx = checkData('validationData[0]', value[0], { cols: model.inputSize, dtype: model.dtype }, valuesChecked);
  const vy = checkData(
    'validationData[1]',
    value[1],
    { rows: vx.rows, cols: model.targetSize, dtype: model.dtype },
    valuesChecked,
  );
  if (!valuesChecked) model.checkTargets('validationData[1]', vy);
  if (vx.rows === 0) throw rangeError('validationData[0]', 'at least one row', vx);
  return vx.rows;
}

function checkCheckpointOptions(name: string, value: unknown): Required<CheckpointOptions> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw typeError(name, 'an object { path, everyEpochs? }', value);
  const { path, everyEpochs } = value as CheckpointOptions;
  if (typeof path !== 'string' || path === '') throw typeError(`${name}.path`, 'a non-empty string', path);
  return { path, everyEpochs: checkInteger(`${name}.everyEpochs`, everyEpochs ?? 1, 1) };
}

/** The user's callbacks and the training callbacks, each list in the order given. */
function checkCallbacks(value: unknown): { callbacks: FitCallbacks[]; trainingCallbacks: TrainingCallback[] } {
  const callbacks: FitCallbacks[] = [];
  const trainingCallbacks: TrainingCallback[] = [];
  if (value === undefined) return { callbacks, trainingCallbacks };
  const list = Array.isArray(value) ? value : [value];
  list.forEach((entry, i) => {
    const name = callbackName(value, i);
    if (entry instanceof TrainingCallback) {
      if (trainingCallbacks.includes(entry))
        throw rangeError(name, 'each training callback once', entry, 'it is listed twice');
      trainingCallbacks.push(entry);
      return;
    }
    if (typeof entry !== 'object' || entry === null) throw typeError(name, 'an object of callbacks', entry);
    for (const key of CALLBACK_NAMES) {
      const fn = (entry as Record<string, unknown>)[key];
      if (fn !== undefined && typeof fn !== 'function') throw typeError(`${name}.${key}`, 'a function', fn);
    }
    callbacks.push(entry as FitCallbacks);
  });
  return { callbacks, trainingCallbacks };
}

function callbackName(value: unknown, index: number): string {
  return Array.isArray(value) ? `callbacks[${index}]` : 'callbacks';
}

/** `loss`, the metrics, and with validation data their `val…` twins. */
function logNames(model: FitShape, validation: FitPlan['validation']): string[] {
  const names = ['loss', ...model.metrics.map((m) => m.name)];
  return validation === 'none' ? names : [...names, ...names.map(validationName)];
}

/** At most one schedule, no `lr` option beside a closed-form one, and each callback content with the fit. */
function checkTrainingCallbacks(
  model: FitShape,
  trainingCallbacks: readonly TrainingCallback[],
  setting: FitSetting,
  given: unknown,
  lr: number | undefined,
): void {
  const nameOf = (callback: TrainingCallback) =>
    callbackName(given, Array.isArray(given) ? given.indexOf(callback) : 0);
  const schedules = trainingCallbacks.filter((c) => c.setsLearningRate);
  if (schedules.length > 1) {
    throw rangeError(
      nameOf(schedules[1]),
      'at most one learning-rate schedule per fit',
      schedules[1],
      'two would set the rate in turn',
    );
  }
  if (lr !== undefined && schedules[0] instanceof LRScheduler) {
    throw rangeError(
      'lr',
      'no lr beside a schedule that sets every epoch’s rate (give the optimizer its rate before creating the schedule)',
      lr,
    );
  }
  for (const callback of trainingCallbacks) callback.checkFit(model, setting, nameOf(callback));
}

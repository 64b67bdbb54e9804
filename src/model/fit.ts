// Mini-batch training over a whole data set, in the shape of tfjs-layers' `fit`:
// epochs of shuffled batches, an optional validation split, callbacks, and a History.
// This loop runs on whichever thread calls it — the caller's with `background: false`
// (yielding to the event loop between batches, so a server keeps answering), or a
// training worker's (src/model/background/), which runs this same function.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { checkFiniteMatrix, checkMatrix } from '../nn/check-matrix.js';
import { gatherRows, Matrix } from '../nn/matrix.js';
import type { Reduction } from '../nn/mse-loss.js';
import { Random } from '../random/prng.js';
import { checkFinite, checkInteger, checkPositive, rangeError, typeError } from '../util/check.js';
import { type CheckpointOptions, checkCheckpointOptions } from './checkpoint.js';
import { TrainingDivergedError } from './errors.js';

export interface BatchLogs {
  /** Loss of this batch before its update, under the model's reduction. */
  loss: number;
  /** Rows in this batch. */
  size: number;
  /** 0-based epoch. */
  epoch: number;
}

export interface EpochLogs {
  /**
   * Training loss over the epoch: the mean per element for reduction 'mean', the
   * summed squared error over every training row for 'sum'.
   */
  loss: number;
  /** Loss on the validation rows after the epoch, when there are any. */
  valLoss?: number;
  /** Training rows seen in this epoch, and how fast. */
  samples: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface FitCallbacks {
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs): void | Promise<void>;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Shuffle the training rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed for the shuffling (default: the model's seed). Epoch e's order depends only on (seed, e). */
  seed?: number;
  /** Fraction in [0, 1) of rows, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  callbacks?: FitCallbacks;
  /** Stops training between two batches; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Milliseconds of training between yields to the event loop (default 10; 0 yields after every batch). */
  yieldEvery?: number;
  /** The first epoch to run (0-based), to continue an earlier fit. */
  initialEpoch?: number;
  /**
   * Train on a worker thread (default true), so the calling thread's event loop never
   * waits for a batch; false trains on the calling thread. See the README section
   * "Training in the background".
   */
  background?: boolean;
  /** Save a checkpoint (an atomic model file) every `everyEpochs` epochs and after the last. */
  checkpoint?: CheckpointOptions;
  /**
   * Path of a checkpoint written by an earlier fit with the same data and options:
   * its weights are loaded and training continues after its last saved epoch,
   * bit-identically to a fit that was never interrupted.
   */
  resume?: string;
}

export interface History {
  /** The epochs run (0-based). */
  epoch: number[];
  history: { loss: number[]; valLoss: number[] };
}

/** What `fit` needs of a model. */
export interface Trainable {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly reduction: Reduction;
  readonly seed: number;
  trainStep(x: Matrix, y: Matrix, lr: number): number;
  evaluate(x: Matrix, y: Matrix): number;
}

export interface FitPlan {
  epochs: number;
  batchSize: number;
  lr: number;
  shuffle: boolean;
  seed: number;
  trainRows: number;
  validationRows: number;
  yieldEvery: number;
  initialEpoch: number;
  background: boolean;
  checkpoint: Required<CheckpointOptions> | undefined;
  resume: string | undefined;
}

export function planFit(model: Trainable, x: unknown, y: unknown, options: FitOptions): FitPlan {
  const X = checkMatrix('x', x, { cols: model.inputSize });
  checkMatrix('y', y, { rows: X.rows, cols: model.outputSize });
  if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
  const epochs = checkInteger('epochs', options.epochs, 1);
  const batchSize = checkInteger('batchSize', options.batchSize, 1);
  const lr = checkPositive('lr', options.lr);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw typeError('shuffle', 'a boolean', shuffle);
  const seed = checkInteger('seed', options.seed ?? model.seed, -(2 ** 31), 2 ** 32 - 1);
  const split = checkFinite('validationSplit', options.validationSplit ?? 0);
  if (split < 0 || split >= 1) throw rangeError('validationSplit', 'a number in [0, 1)', split);
  const validationRows = Math.floor(X.rows * split);
  const trainRows = X.rows - validationRows;
  if (split > 0 && validationRows === 0) {
    throw rangeError('validationSplit', `a fraction that holds out at least one of ${X.rows} rows`, split);
  }
  if (trainRows === 0) throw rangeError('x', 'at least one training row', X, `${X.rows} rows`);
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
  const callbacks = options.callbacks;
  if (callbacks !== undefined && (typeof callbacks !== 'object' || callbacks === null)) {
    throw typeError('callbacks', 'an object', callbacks);
  }
  for (const name of ['onBatchEnd', 'onEpochEnd'] as const) {
    const fn = callbacks?.[name];
    if (fn !== undefined && typeof fn !== 'function') throw typeError(`callbacks.${name}`, 'a function', fn);
  }
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError('signal', 'an AbortSignal', signal);
  return {
    epochs,
    batchSize,
    lr,
    shuffle,
    seed,
    trainRows,
    validationRows,
    yieldEvery,
    initialEpoch,
    background,
    checkpoint,
    resume,
  };
}

/** The row order of one epoch: a function of (seed, epoch) alone, so a resumed fit repeats it. */
export function epochOrder(order: Uint32Array, seed: number, epoch: number, shuffle: boolean): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (shuffle) new Random((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(order);
}

/** The error an aborted fit rejects with: a DOMException named AbortError, as Node's own APIs use. */
export function abortError(signal: AbortSignal): Error {
  return new DOMException('Training was aborted', { name: 'AbortError', cause: signal.reason });
}

/** What the caller of the loop adds around it (checkpoints and resuming, in TwoLayerRegressor.fit). */
export interface FitHooks {
  /** Overrides the plan's first epoch. */
  initialEpoch?: number;
  /** Runs after each epoch's History entry, before onEpochEnd. */
  afterEpoch?(epoch: number): void | Promise<void>;
}

/**
 * The training loop. `options.background`, `checkpoint` and `resume` are not acted on
 * here but by the caller, through `hooks`.
 */
export async function fitModel(
  model: Trainable,
  x: Matrix,
  y: Matrix,
  options: FitOptions,
  hooks: FitHooks = {},
): Promise<History> {
  const plan = planFit(model, x, y, options);
  checkFiniteMatrix('x', x);
  checkFiniteMatrix('y', y);
  const { callbacks, signal } = options;
  const { epochs, lr, trainRows, validationRows } = plan;
  const initialEpoch = hooks.initialEpoch ?? plan.initialEpoch;
  const batchSize = Math.min(plan.batchSize, trainRows);
  const valX = validationRows > 0 ? x.rowRange(trainRows, x.rows) : undefined;
  const valY = validationRows > 0 ? y.rowRange(trainRows, y.rows) : undefined;

  // Batches are gathered into buffers allocated once; the shorter last batch is a
  // view of their first rows.
  const fullX = new Matrix(batchSize, x.cols);
  const fullY = new Matrix(batchSize, y.cols);
  const tail = trainRows % batchSize;
  const tailX = tail > 0 ? fullX.rowRange(0, tail) : fullX;
  const tailY = tail > 0 ? fullY.rowRange(0, tail) : fullY;
  const order = new Uint32Array(trainRows);
  const history: History = { epoch: [], history: { loss: [], valLoss: [] } };
  let lastYield = performance.now();

  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    const started = performance.now();
    epochOrder(order, plan.seed, epoch, plan.shuffle);
    let lossTotal = 0;
    for (let start = 0, batch = 0; start < trainRows; start += batchSize, batch++) {
      if (signal?.aborted) throw abortError(signal);
      const size = Math.min(batchSize, trainRows - start);
      const bx = size === batchSize ? fullX : tailX;
      const by = size === batchSize ? fullY : tailY;
      gatherRows(x, order, start, size, bx.data);
      gatherRows(y, order, start, size, by.data);
      let loss: number;
      try {
        loss = model.trainStep(bx, by, lr);
      } catch (error) {
        if (error instanceof TrainingDivergedError) throw new TrainingDivergedError(error.loss, { epoch, batch });
        throw error;
      }
      lossTotal += model.reduction === 'mean' ? loss * size : loss;
      const pending = callbacks?.onBatchEnd?.(batch, { loss, size, epoch });
      if (pending) await pending;
      if (performance.now() - lastYield >= plan.yieldEvery) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const logs: EpochLogs = {
      loss: model.reduction === 'mean' ? lossTotal / trainRows : lossTotal,
      samples: trainRows,
      seconds,
      samplesPerSecond: seconds > 0 ? trainRows / seconds : Number.POSITIVE_INFINITY,
    };
    if (valX && valY) logs.valLoss = model.evaluate(valX, valY);
    history.epoch.push(epoch);
    history.history.loss.push(logs.loss);
    if (logs.valLoss !== undefined) history.history.valLoss.push(logs.valLoss);
    await hooks.afterEpoch?.(epoch);
    const pending = callbacks?.onEpochEnd?.(epoch, logs);
    if (pending) await pending;
  }
  return history;
}

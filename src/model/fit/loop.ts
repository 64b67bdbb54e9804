// Mini-batch training over a whole data set, in the shape of tfjs-layers' `fit`:
// epochs of shuffled batches, validation, callbacks, and a History. This loop runs on
// whichever thread calls it: the caller's with `background: false` (yielding to the
// event loop between batches, so a server keeps answering), or a training worker's
// (src/model/background/), which runs this same function.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import type { Metric } from '../../metrics/metric.js';
import type { AnyMatrix } from '../../nn/matrix.js';
import { TrainingDivergedError } from '../errors.js';
import { Batches, type BatchTarget } from './batches.js';
import { epochOrder } from './epoch-order.js';
import { batchLogs, type EpochLogs, type History, type Logs, MetricSums, recordEpoch, validationName } from './logs.js';
import type { FitCallbacks, FitPlan } from './options.js';
import type { CallbackModel } from './training-callback.js';

/** What the loop needs of a model. */
export interface FitTarget extends BatchTarget, CallbackModel {
  readonly outputSize: number;
  /** The optimizer, whose learning rate a callback may change between batches. */
  readonly optimizer: { lr: number };
  /** The loss's reduction: an epoch's loss is the row-weighted mean of batch losses for 'mean', their sum for 'sum'. */
  readonly reduction: 'mean' | 'sum';
  readonly metrics: readonly Metric[];
  /** Set by a callback to end training after the current batch, without an error. */
  stopTraining: boolean;
  /** Starts an epoch of a fit with this seed: what draws random numbers while training (dropout) restarts from (seed, epoch). */
  beginEpoch(seed: number, epoch: number): void;
  /** Loss and metrics on (x, y), without training. */
  evaluate(x: AnyMatrix, y: AnyMatrix): Logs;
  /** Keeps and restores everything a step changes, to undo steps after a divergence. */
  createSnapshot(): TrainingSnapshot;
}

export interface TrainingSnapshot {
  /** Copies the current state (parameters, optimizer state) into the snapshot. */
  save(): void;
  /** Puts the saved state back. */
  restore(): void;
  /** The name of the first parameter holding a non-finite value, or undefined. */
  findNonFinite(): string | undefined;
}

/** What the caller adds around the loop (checkpoints, resuming, a worker's stop flag). */
export interface FitHooks {
  /** Overrides the plan's first epoch. */
  initialEpoch?: number;
  /** The training callbacks' states came from a checkpoint: they carry on rather than start afresh. */
  resumed?: boolean;
  /**
   * Runs after each epoch's History entry and the training callbacks' epoch end, before
   * onEpochEnd, with the epoch's parameters known finite.
   */
  afterEpoch?(epoch: number): void | Promise<void>;
  /**
   * A flag another thread raises (element 0 nonzero) to stop training between two
   * batches; the loop then calls `onStopRequest`, which aborts the signal or sets
   * stopTraining (if it does neither, training ends as with stopTraining).
   */
  stop?: { flag: Int32Array; onStopRequest(): void };
  /**
   * Receives, after each run of batches, their records as they are (per batch its
   * loss, then its metric sums: MetricSums.writeBatch reads them), batch `firstBatch`
   * of `epoch` first: a worker relays them to the calling thread, which makes the
   * logs there. (onBatchEnd, by contrast, runs before the next batch trains, so that
   * it may change the model.)
   */
  batchRecords?(epoch: number, firstBatch: number, records: Float64Array): void;
}

/** The error an aborted fit rejects with: a DOMException named AbortError, as Node's own APIs use. */
export function abortError(signal: AbortSignal): Error {
  return new DOMException('Training was aborted', { name: 'AbortError', cause: signal.reason });
}

/**
 * Batches between two snapshots of the training state. A snapshot costs a copy of
 * the parameters and the optimizer's buffers, and a scan of the parameters; a step
 * costs several GEMMs over them, so one snapshot per this many steps is noise, while
 * a divergence is still undone by replaying at most this many steps.
 */
const SNAPSHOT_EVERY = 128;

/**
 * The training loop. Bad updates are caught without a check per step: the loss of
 * every batch is checked (a non-finite one stops before its update), and the
 * parameters are scanned at every snapshot, at the end of every epoch, and before
 * training ends. When the scan finds a non-finite value, the loop goes back to the
 * last snapshot and replays its batches one by one (training is deterministic) to
 * find the batch whose update broke the parameters, and stops with the weights from
 * before it.
 */
export async function runFit(
  target: FitTarget,
  x: AnyMatrix,
  y: AnyMatrix,
  plan: FitPlan,
  validationData: readonly [AnyMatrix, AnyMatrix] | undefined,
  hooks: FitHooks = {},
): Promise<History> {
  const sums = borrowMetricSums(target);
  try {
    return await trainEpochs(target, x, y, plan, validationData, hooks, sums);
  } finally {
    if (sums !== undefined) idleMetricSums.set(target, { metrics: target.metrics, outputs: target.outputSize, sums });
  }
}

/**
 * Each model's metric sums, kept from one fit to the next while no fit uses them. A
 * model keeps its recorded steps per set of sums (src/model/plans.ts), so a fit that
 * brings the last fit's sums replays the step recorded then rather than recording it
 * again. A fit that finds them taken (another fit of the model is running) makes its own.
 */
const idleMetricSums = new WeakMap<FitTarget, { metrics: readonly Metric[]; outputs: number; sums: MetricSums }>();

function borrowMetricSums(target: FitTarget): MetricSums | undefined {
  if (target.metrics.length === 0) return undefined;
  const idle = idleMetricSums.get(target);
  idleMetricSums.delete(target);
  if (idle !== undefined && idle.metrics === target.metrics && idle.outputs === target.outputSize) return idle.sums;
  return new MetricSums(target.metrics, target.outputSize);
}

async function trainEpochs(
  target: FitTarget,
  x: AnyMatrix,
  y: AnyMatrix,
  plan: FitPlan,
  validationData: readonly [AnyMatrix, AnyMatrix] | undefined,
  hooks: FitHooks,
  sums: MetricSums | undefined,
): Promise<History> {
  const { epochs, trainRows, callbacks, trainingCallbacks, clipNorm, signal } = plan;
  const initialEpoch = hooks.initialEpoch ?? plan.initialEpoch;
  const batchSize = Math.min(plan.batchSize, trainRows);
  const [valX, valY] =
    plan.validation === 'split'
      ? [x.rowRange(trainRows, x.rows), y.rowRange(trainRows, y.rows)]
      : (validationData ?? [undefined, undefined]);

  const history: History = { epoch: [], history: {} };
  const order = new Uint32Array(trainRows);
  const batches = new Batches(target, x, y, order, batchSize, trainRows, sums, SNAPSHOT_EVERY);
  const { records, recordLength } = batches;
  const wantsBatchLogs = callbacks.some((c) => c.onBatchEnd !== undefined);
  // A callback that may act on a batch's logs sees them before the next batch trains.
  const batchesPerRun = wantsBatchLogs ? 1 : SNAPSHOT_EVERY;
  const stop = hooks.stop;
  const snapshot = target.createSnapshot();
  // The snapshot's place (the first row of the epoch's order it had not trained on),
  // and the learning rate of each batch since, which a callback may have changed.
  let snapshotStart = 0;
  const learningRates = new Float64Array(SNAPSHOT_EVERY + 1);
  let epoch = initialEpoch;

  /** Replays from the snapshot to `stop` (exclusive) to find the batch that broke the parameters. */
  const locateDivergence = (stop: number, detected: { batch: number; loss: number }): TrainingDivergedError => {
    snapshot.restore();
    for (let start = snapshotStart; start < stop; start += batchSize) {
      const batch = start / batchSize;
      snapshot.save();
      target.optimizer.lr = learningRates[(start - snapshotStart) / batchSize];
      const run = batches.train(start, 1, { budgetMs: Number.POSITIVE_INFINITY, sums: undefined, clipNorm });
      if (run.failure !== undefined) {
        if (run.failure instanceof TrainingDivergedError) {
          return new TrainingDivergedError(run.failure.loss, { epoch, batch });
        }
        throw run.failure;
      }
      const parameter = snapshot.findNonFinite();
      if (parameter !== undefined) {
        snapshot.restore();
        return new TrainingDivergedError(records[0], { epoch, batch, parameter });
      }
    }
    // A callback changed the model between batches in a way the replay cannot repeat:
    // go back to the snapshot, the last state known to be finite, and say so.
    const parameter = snapshot.findNonFinite();
    snapshot.restore();
    return new TrainingDivergedError(detected.loss, {
      epoch,
      batch: detected.batch,
      parameter,
      keptBatch: snapshotStart / batchSize,
    });
  };
  /** Scans the parameters; undoes the steps back to the first bad one and throws when one is not finite. */
  const verify = (stop: number, detected = { batch: stop / batchSize, loss: Number.NaN }) => {
    if (snapshot.findNonFinite() !== undefined) throw locateDivergence(stop, detected);
  };

  // The first row of the epoch's order not yet trained on.
  let applied = 0;
  const run = async (name: keyof FitCallbacks, ...args: unknown[]) => {
    try {
      await runCallbacks(callbacks, signal, name, args);
    } catch (error) {
      // Aborted while a callback was pending: stop with finite weights, as between batches.
      if (signal?.aborted) verify(applied);
      throw error;
    }
  };
  // Kept across epochs: epochs shorter than yieldEvery must not keep the loop from yielding.
  let lastYield = performance.now();
  target.stopTraining = false;
  for (const c of trainingCallbacks) c.trainBegin(target, plan.setting, hooks.resumed === true);
  const logsRate = trainingCallbacks.some((c) => c.setsLearningRate);
  await run('onTrainBegin', {});
  for (; epoch < epochs && !target.stopTraining; epoch++) {
    for (const c of trainingCallbacks) c.epochBegin(epoch);
    target.beginEpoch(plan.seed, epoch);
    await run('onEpochBegin', epoch, {});
    const started = performance.now();
    epochOrder(order, plan.seed, epoch, plan.shuffle);
    sums?.resetEpoch();
    snapshot.save();
    snapshotStart = 0;
    applied = 0;
    let lossTotal = 0;
    let batch = 0;
    while (applied < trainRows) {
      if (signal?.aborted) {
        verify(applied);
        throw abortError(signal);
      }
      // A run ends at the next snapshot at the latest, and within the time left before the next yield.
      const count = Math.min(batchesPerRun, SNAPSHOT_EVERY - (batch % SNAPSHOT_EVERY));
      const sinceSnapshot = (applied - snapshotStart) / batchSize;
      learningRates.fill(target.optimizer.lr, sinceSnapshot, sinceSnapshot + count);
      const outcome = batches.train(applied, count, {
        budgetMs: plan.yieldEvery - (performance.now() - lastYield),
        sums,
        clipNorm,
        stop: stop?.flag,
      });
      for (let b = 0; b < outcome.trained; b++, batch++) {
        const size = Math.min(batchSize, trainRows - applied);
        const loss = records[b * recordLength];
        applied += size;
        lossTotal += target.reduction === 'mean' ? loss * size : loss;
        if (wantsBatchLogs) await run('onBatchEnd', batch, batchLogs(records, b, sums, size, epoch));
      }
      if (outcome.trained > 0) {
        hooks.batchRecords?.(epoch, batch - outcome.trained, records.subarray(0, outcome.trained * recordLength));
      }
      if (outcome.failure !== undefined) {
        if (!(outcome.failure instanceof TrainingDivergedError)) throw outcome.failure;
        // A loss can also turn non-finite because an earlier update broke the parameters.
        verify(applied, { batch, loss: outcome.failure.loss });
        throw new TrainingDivergedError(outcome.failure.loss, { epoch, batch });
      }
      if (outcome.stopRequested && stop !== undefined) {
        stop.onStopRequest();
        if (!signal?.aborted) target.stopTraining = true;
      }
      if (target.stopTraining) break;
      if (batch % SNAPSHOT_EVERY === 0) {
        verify(applied);
        snapshot.save();
        snapshotStart = applied;
      }
      if (performance.now() - lastYield >= plan.yieldEvery) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    verify(applied);
    const seen = applied;
    const seconds = (performance.now() - started) / 1000;
    const logs: EpochLogs = {
      loss: target.reduction === 'mean' ? lossTotal / seen : lossTotal,
      samples: seen,
      seconds,
      samplesPerSecond: seconds > 0 ? seen / seconds : Number.POSITIVE_INFINITY,
    };
    // The rate the epoch trained at, before a schedule lowers it for the next one.
    if (logsRate) logs.lr = target.optimizer.lr;
    sums?.writeEpoch(logs);
    if (valX && valY) {
      for (const [name, value] of Object.entries(target.evaluate(valX, valY))) logs[validationName(name)] = value;
    }
    recordEpoch(history, epoch, logs);
    for (const c of trainingCallbacks) c.epochEnd(epoch, logs);
    await hooks.afterEpoch?.(epoch);
    await run('onEpochEnd', epoch, logs);
  }
  for (const c of trainingCallbacks) c.trainEnd();
  await run('onTrainEnd', {});
  return history;
}

/**
 * Runs one callback of every callbacks object, in order, waiting for each promise —
 * but not past an abort: a callback whose promise never settles cannot keep an
 * aborted fit (or the process) alive.
 */
async function runCallbacks(
  list: readonly FitCallbacks[],
  signal: AbortSignal | undefined,
  name: keyof FitCallbacks,
  args: unknown[],
): Promise<void> {
  for (const callbacks of list) {
    const fn = callbacks[name] as ((...a: unknown[]) => unknown) | undefined;
    if (fn === undefined) continue;
    const pending = fn.apply(callbacks, args);
    if (isThenable(pending)) await untilSettledOrAborted(pending, signal);
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** Waits for `pending`, or rejects with an AbortError as soon as `signal` fires. */
export function untilSettledOrAborted(
  pending: PromiseLike<unknown>,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal === undefined) return Promise.resolve(pending);
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(pending).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

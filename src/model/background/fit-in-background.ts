// fit() off the calling thread. The options are checked here first (planFit), so
// bad input fails at once and with the same errors as `background: false`; the data
// is copied into shared memory before fit returns; then a pooled worker rebuilds the
// model from its configuration and trains (worker.ts) while this thread relays its
// callbacks, and the final training state is put back into the model before the
// promise settles.

import type { Worker } from 'node:worker_threads';
import type { Metric } from '../../metrics/metric.js';
import type { AnyMatrix } from '../../nn/matrix.js';
import { typedArrayLength } from '../../util/typed-array.js';
import { type BatchLogs, batchLogs, type History, MetricSums } from '../fit/logs.js';
import { abortError, isThenable, untilSettledOrAborted } from '../fit/loop.js';
import {
  CALLBACK_NAMES,
  type FitCallbacks,
  type FitOptions,
  type FitPlan,
  type FitShape,
  planFit,
} from '../fit/options.js';
import type { TrainingCallback } from '../fit/training-callback.js';
import type { ModelConfig, TrainingState } from '../model-config.js';
import { reviveError } from './error-transfer.js';
import { pool } from './pool.js';
import {
  ABORT,
  type BatchRun,
  END_EARLY,
  type FitJob,
  type FromWorker,
  type RelayedCallback,
  type SharedData,
  STOP,
  type WorkerFitOptions,
} from './protocol.js';
import { shareData } from './shared-matrix.js';

/** What training in the background needs of a model. */
export interface BackgroundTrainable extends FitShape {
  readonly metrics: readonly Metric[];
  readonly outputSize: number;
  metadata: Record<string, unknown>;
  stopTraining: boolean;
  toConfig(): ModelConfig;
  trainingState(): TrainingState;
  loadTrainingState(state: TrainingState): void;
}

/** Models with a background fit in progress: their weights will be overwritten when it ends. */
const training = new WeakSet<BackgroundTrainable>();

export async function fitInBackground(
  model: BackgroundTrainable,
  x: AnyMatrix,
  y: AnyMatrix,
  options: FitOptions,
): Promise<History> {
  const plan = planFit(model, x, y, options);
  const { callbacks, signal } = plan;
  if (signal?.aborted) throw abortError(signal);
  if (training.has(model)) {
    throw new Error('This model is already training in the background: wait for its fit to settle first');
  }
  // Everything the worker needs is taken now, before fit returns: the model as it is,
  // and the data (copied unless it is in shared memory already).
  const job: FitJob = {
    model: model.toConfig(),
    state: model.trainingState(),
    metadata: model.metadata,
    x: shareData(x),
    y: shareData(y),
    validationData: options.validationData && [
      shareData(options.validationData[0]),
      shareData(options.validationData[1]),
    ],
    options: {
      epochs: plan.epochs,
      batchSize: plan.batchSize,
      lr: plan.lr,
      shuffle: plan.shuffle,
      seed: plan.seed,
      validationSplit: options.validationSplit,
      yieldEvery: plan.yieldEvery,
      initialEpoch: options.initialEpoch,
      checkpoint: plan.checkpoint,
      resume: plan.resume,
      clipNorm: plan.clipNorm,
    } satisfies WorkerFitOptions,
    trainingCallbacks: plan.trainingCallbacks.map((c) => ({ config: c.toConfig(), state: c.state() })),
    report: {
      batches: callbacks.some((c) => c.onBatchEnd !== undefined),
      callbacks: CALLBACK_NAMES.filter(
        (name): name is RelayedCallback => name !== 'onBatchEnd' && callbacks.some((c) => c[name] !== undefined),
      ),
    },
    control: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
  };
  checkSharedIntact(job);
  training.add(model);
  try {
    const worker = await pool.acquire(signal, () => abortError(signal!));
    return await runJob(worker, job, model, callbacks, plan.trainingCallbacks, signal, runLogsOf(model, plan));
  } finally {
    training.delete(model);
  }
}

/** The onBatchEnd logs of a run of batches the worker trained, made from its records. */
function runLogsOf(model: BackgroundTrainable, plan: FitPlan): (run: BatchRun) => [number, BatchLogs][] {
  const sums = model.metrics.length > 0 ? new MetricSums(model.metrics, model.outputSize) : undefined;
  const recordLength = 1 + (sums?.batchLength ?? 0);
  const batchSize = Math.min(plan.batchSize, plan.trainRows);
  return ({ epoch, firstBatch, records }) => {
    const entries: [number, BatchLogs][] = [];
    for (let b = 0; b * recordLength < records.length; b++) {
      const batch = firstBatch + b;
      const size = Math.min(batchSize, plan.trainRows - batch * batchSize);
      entries.push([batch, batchLogs(records, b, sums, size, epoch)]);
    }
    return entries;
  };
}

/** A shared matrix cannot shrink, but a copy must have kept its length: guard the worker's trust. */
function checkSharedIntact(job: FitJob): void {
  for (const shared of [job.x, job.y, ...(job.validationData ?? [])] as SharedData[]) {
    if (typedArrayLength(shared.data) !== shared.rows * shared.cols)
      throw new Error('internal: shared data lost its length');
  }
}

/**
 * Sends the job and settles with its outcome. Callbacks run on this thread one after
 * another, in the order of the worker's batches and epochs; the worker waits for each
 * callback but onBatchEnd before it goes on. An abort wins over a callback that never
 * settles: the worker is told to stop at once, and the callbacks still queued run
 * without being waited for.
 */
function runJob(
  worker: Worker,
  job: FitJob,
  model: BackgroundTrainable,
  callbacks: readonly FitCallbacks[],
  trainingCallbacks: readonly TrainingCallback[],
  signal: AbortSignal | undefined,
  batchLogs: (run: BatchRun) => [number, BatchLogs][],
): Promise<History> {
  return new Promise((resolve, reject) => {
    const stop = (how: number) => Atomics.compareExchange(job.control, STOP, 0, how);
    const stopped = () => Atomics.load(job.control, STOP) !== 0;
    let callbackFailure: { error: unknown } | undefined;
    let settled = false;
    let delivered: Promise<void> = Promise.resolve();
    const enqueue = (step: () => unknown) => {
      delivered = delivered.then(async () => {
        await step();
      });
    };
    // Once aborted, callbacks are still called for what the worker reported (so they
    // account for every step it took), but no promise of theirs is waited for.
    const call = async (name: keyof FitCallbacks, args: unknown[]) => {
      for (const c of callbacks) {
        const fn = c[name] as ((...a: unknown[]) => unknown) | undefined;
        if (fn === undefined) continue;
        const pending = fn.apply(c, args);
        if (isThenable(pending) && !signal?.aborted) await untilSettledOrAborted(pending, signal);
      }
    };
    const deliver = (name: keyof FitCallbacks, args: unknown[]) =>
      enqueue(async () => {
        if (callbackFailure || settled) return;
        try {
          await call(name, args);
          if (model.stopTraining) stop(END_EARLY);
        } catch (error) {
          if (signal?.aborted) return;
          // As on the calling thread, a throwing callback ends the fit with its error.
          callbackFailure = { error };
          stop(ABORT);
        }
      });
    const onAbort = () => {
      stop(ABORT);
      // A worker waiting for a callback's acknowledgement would wait for good.
      worker.postMessage({ type: 'ack' });
    };

    const onMessage = (message: FromWorker) => {
      switch (message.type) {
        case 'batches':
          for (const run of message.runs) {
            for (const [batch, logs] of batchLogs(run)) deliver('onBatchEnd', [batch, logs]);
          }
          break;
        case 'callback':
          deliver(message.name, message.args);
          enqueue(() => {
            if (!settled) worker.postMessage({ type: 'ack' });
          });
          break;
        default:
          enqueue(() => finish(message));
      }
    };
    const finish = (outcome: Extract<FromWorker, { type: 'done' | 'failed' }>) => {
      if (settled) return;
      detach();
      // A stopped worker is ended rather than reused: nothing of this fit outlives it.
      pool.release(worker, !stopped());
      try {
        model.loadTrainingState(outcome.state);
        // The callbacks' twins in the worker trained the model: their states are these objects' now.
        trainingCallbacks.forEach((c, i) => {
          c.loadState(outcome.callbacks[i]);
        });
      } catch (error) {
        reject(error);
        return;
      }
      if (callbackFailure) reject(callbackFailure.error);
      else if (outcome.type === 'done') resolve(outcome.history);
      else if (outcome.error.name === 'AbortError' && signal?.aborted) reject(abortError(signal));
      else reject(reviveError(outcome.error));
    };
    const onError = (error: Error) => {
      detach();
      pool.release(worker, false);
      reject(error);
    };
    const onExit = (code: number) => {
      detach();
      pool.release(worker, false);
      reject(new Error(`The training worker stopped unexpectedly (exit code ${code}); the model keeps its weights`));
    };
    const detach = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };

    model.stopTraining = false;
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    try {
      worker.postMessage({ type: 'fit', job });
    } catch (error) {
      // Metadata that cannot be cloned (a function, say): nothing was sent.
      detach();
      pool.release(worker, true);
      reject(error);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
  });
}

// fit() off the calling thread. The options are validated here first (planFit), so
// bad input fails at once and with the same errors as `background: false`; then a
// pooled worker trains (worker.ts) while this thread relays its callbacks, and the
// final weights are put back into the model before the promise settles.

import type { Worker } from 'node:worker_threads';

import type { Matrix } from '../../nn/matrix.js';
import { abortError, type FitCallbacks, type FitOptions, type History, planFit } from '../fit.js';
import type { TwoLayerRegressor } from '../two-layer-regressor.js';
import { reviveError } from './error-transfer.js';
import { pool } from './pool.js';
import { type FitJob, type FromWorker, STOP_FLAG, type WorkerFitOptions } from './protocol.js';
import { shareData } from './shared-matrix.js';

/** Models with a background fit in progress: their weights will be overwritten when it ends. */
const training = new WeakSet<TwoLayerRegressor>();

export async function fitInBackground(
  model: TwoLayerRegressor,
  x: Matrix,
  y: Matrix,
  options: FitOptions,
): Promise<History> {
  const plan = planFit(model, x, y, options);
  const { callbacks, signal } = options;
  if (signal?.aborted) throw abortError(signal);
  if (training.has(model)) {
    throw new Error('This model is already training in the background: wait for its fit to settle first');
  }
  training.add(model);
  try {
    // The model as it is now; then the data, copied here once unless it is in shared
    // memory already. The worker trains on these.
    const { config, metadata } = model;
    const state = model.stateDict();
    const xData = await shareData(x);
    const yData = await shareData(y);
    if (signal?.aborted) throw abortError(signal);
    const job: FitJob = {
      config,
      metadata,
      state,
      x: { rows: x.rows, cols: x.cols, data: xData },
      y: { rows: y.rows, cols: y.cols, data: yData },
      options: {
        epochs: options.epochs,
        batchSize: options.batchSize,
        lr: options.lr,
        shuffle: options.shuffle,
        seed: options.seed,
        validationSplit: options.validationSplit,
        yieldEvery: options.yieldEvery,
        initialEpoch: options.initialEpoch,
        checkpoint: plan.checkpoint,
        resume: plan.resume,
      } satisfies WorkerFitOptions,
      report: { batches: callbacks?.onBatchEnd !== undefined, epochs: callbacks?.onEpochEnd !== undefined },
      control: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
    };
    const worker = await pool.acquire(signal, () => abortError(signal!));
    return await runJob(worker, job, model, callbacks, signal);
  } finally {
    training.delete(model);
  }
}

/**
 * Sends the job and settles with its outcome. Callbacks run on this thread one after
 * another, in the order of the worker's batches and epochs; the worker waits for each
 * onEpochEnd to finish before it starts the next epoch.
 */
function runJob(
  worker: Worker,
  job: FitJob,
  model: TwoLayerRegressor,
  callbacks: FitCallbacks | undefined,
  signal: AbortSignal | undefined,
): Promise<History> {
  return new Promise((resolve, reject) => {
    const stop = () => Atomics.store(job.control, STOP_FLAG, 1);
    const stopped = () => Atomics.load(job.control, STOP_FLAG) === 1;
    let callbackFailure: { error: unknown } | undefined;
    let settled = false;
    let delivered: Promise<void> = Promise.resolve();
    const enqueue = (step: () => unknown) => {
      delivered = delivered.then(async () => {
        await step();
      });
    };
    const deliver = (call: () => unknown) =>
      enqueue(async () => {
        if (callbackFailure || settled) return;
        try {
          await call();
        } catch (error) {
          // As on the calling thread, a throwing callback ends the fit with its error.
          callbackFailure = { error };
          stop();
        }
      });

    const onMessage = (message: FromWorker) => {
      switch (message.type) {
        case 'batches':
          for (const [batch, logs] of message.entries) deliver(() => callbacks?.onBatchEnd?.(batch, logs));
          break;
        case 'epoch':
          deliver(() => callbacks?.onEpochEnd?.(message.epoch, message.logs));
          enqueue(() => worker.postMessage({ type: 'epoch-ack' }));
          break;
        default:
          enqueue(() => finish(message));
      }
    };
    const finish = (outcome: Extract<FromWorker, { type: 'done' | 'failed' }>) => {
      detach();
      // A stopped worker is ended rather than reused: nothing of this fit outlives it.
      pool.release(worker, !stopped());
      try {
        model.loadStateDict(outcome.state);
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
      signal?.removeEventListener('abort', stop);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };

    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
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
    }
  });
}

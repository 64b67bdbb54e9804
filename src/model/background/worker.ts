// A training worker. It receives a fit job, rebuilds the model from its configuration
// and weights, and calls TwoLayerRegressor.fit with `background: false` — the same
// training loop, checkpoints and errors as a fit on the calling thread — relaying
// callbacks and the outcome as messages (protocol.ts). It handles one job at a time
// and stays alive for the next one.

import { type MessagePort, parentPort } from 'node:worker_threads';

import { Matrix } from '../../nn/matrix.js';
import type { BatchLogs, FitOptions } from '../fit.js';
import { type StateDict, TwoLayerRegressor } from '../two-layer-regressor.js';
import { serializeError } from './error-transfer.js';
import { BATCH_REPORT_MS, type FitJob, type FromWorker, STOP_FLAG, type ToWorker } from './protocol.js';

if (parentPort === null) throw new Error('blasprop training worker: this module runs only in a worker thread');
const port = parentPort;
let acknowledgeEpoch: (() => void) | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'fit') void train(message.job);
  else acknowledgeEpoch?.();
});

async function train(job: FitJob): Promise<void> {
  let model: TwoLayerRegressor | undefined;
  const batches = new BatchReporter(port, job.report.batches);
  try {
    model = new TwoLayerRegressor(job.config);
    model.loadStateDict(job.state);
    model.metadata = job.metadata;
    const history = await model.fit(
      new Matrix(job.x.rows, job.x.cols, job.x.data),
      new Matrix(job.y.rows, job.y.cols, job.y.data),
      { ...job.options, background: false, ...relayedCallbacks(job, batches) },
    );
    batches.flush();
    const state = model.stateDict();
    post(port, { type: 'done', history, state }, transferList(state));
  } catch (error) {
    batches.flush();
    const state = model?.stateDict() ?? job.state;
    post(port, { type: 'failed', error: serializeError(error), state }, model ? transferList(state) : []);
  }
}

/**
 * Callbacks that relay to the caller, and the signal that stops the fit when the
 * caller raises the stop flag: checked after every batch, so training stops within
 * one batch, and after the caller's onEpochEnd, so a stop from there is exact.
 */
function relayedCallbacks(job: FitJob, batches: BatchReporter): Pick<FitOptions, 'callbacks' | 'signal'> {
  const controller = new AbortController();
  const stopIfAsked = () => {
    if (Atomics.load(job.control, STOP_FLAG) === 1) controller.abort();
  };
  stopIfAsked();
  return {
    signal: controller.signal,
    callbacks: {
      onBatchEnd(batch, logs) {
        batches.add(batch, logs);
        stopIfAsked();
      },
      async onEpochEnd(epoch, logs) {
        batches.flush();
        if (job.report.epochs) {
          const acknowledged = new Promise<void>((resolve) => {
            acknowledgeEpoch = resolve;
          });
          post(port, { type: 'epoch', epoch, logs });
          await acknowledged;
        }
        stopIfAsked();
      },
    },
  };
}

function post(to: MessagePort, message: FromWorker, transfer: ArrayBuffer[] = []): void {
  to.postMessage(message, transfer);
}

/** The state's buffers, fresh copies that can move to the caller without another copy. */
function transferList(state: StateDict): ArrayBuffer[] {
  return Object.values(state).map((values: Float64Array) => values.buffer as ArrayBuffer);
}

/**
 * Gathers onBatchEnd logs and posts them every BATCH_REPORT_MS: a message per batch
 * would cost more than a small model's batch itself.
 */
class BatchReporter {
  private entries: [number, BatchLogs][] = [];
  private since = performance.now();

  constructor(
    private readonly to: MessagePort,
    private readonly enabled: boolean,
  ) {}

  add(batch: number, logs: BatchLogs): void {
    if (!this.enabled) return;
    this.entries.push([batch, logs]);
    if (performance.now() - this.since >= BATCH_REPORT_MS) this.flush();
  }

  flush(): void {
    if (this.entries.length > 0) post(this.to, { type: 'batches', entries: this.entries });
    this.entries = [];
    this.since = performance.now();
  }
}

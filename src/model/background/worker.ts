// A training worker. It receives a fit job, rebuilds the model from its configuration
// (any network of built-in layers) and training state, and runs the same fit as the
// calling thread would with `background: false` — the same loop, checkpoints and
// errors — relaying callbacks and the outcome as messages (protocol.ts). It handles
// one job at a time and stays alive for the next one.

import { type MessagePort, parentPort } from 'node:worker_threads';
import { fitInThread } from '../fit/in-thread.js';
import type { BatchLogs, Logs } from '../fit/logs.js';
import type { FitCallbacks, FitOptions } from '../fit/options.js';
import { Model } from '../model.js';
import type { TrainingState } from '../model-config.js';
import { serializeError } from './error-transfer.js';
import { ABORT, BATCH_REPORT_MS, END_EARLY, type FitJob, type FromWorker, STOP, type ToWorker } from './protocol.js';
import { sharedDataMatrix } from './shared-matrix.js';

if (parentPort === null) throw new Error('blasprop training worker: this module runs only in a worker thread');
const port = parentPort;
let acknowledge: (() => void) | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'fit') void train(message.job);
  else {
    const resume = acknowledge;
    acknowledge = undefined;
    resume?.();
  }
});

async function train(job: FitJob): Promise<void> {
  let model: Model | undefined;
  const batches = new BatchReporter(port, job.report.batches);
  try {
    model = Model.fromConfig(job.model);
    model.loadTrainingState(job.state);
    model.metadata = job.metadata;
    const controller = new AbortController();
    const stopIfAsked = stopOnRequest(job, model, controller);
    const options: FitOptions = {
      ...job.options,
      validationData: job.validationData && [
        sharedDataMatrix(job.validationData[0]),
        sharedDataMatrix(job.validationData[1]),
      ],
      background: false,
      signal: controller.signal,
      callbacks: relayedCallbacks(job, stopIfAsked, batches),
    };
    // The loop checks the stop flag between batches itself, natively when it can;
    // batch logs only travel to the caller, so they may be taken in bundles; and the
    // caller checked the data's values before it copied or shared them.
    const history = await fitInThread(model, sharedDataMatrix(job.x), sharedDataMatrix(job.y), options, {
      stop: { flag: job.control, onStopRequest: stopIfAsked },
      bundledBatchLogs: true,
      valuesChecked: true,
    });
    batches.flush();
    const state = model.trainingState();
    post({ type: 'done', history, state }, transferList(state));
  } catch (error) {
    batches.flush();
    const state = model?.trainingState() ?? job.state;
    post({ type: 'failed', error: serializeError(error), state }, model ? transferList(state) : []);
  }
}

/** Acts on the caller's stop flag (control[STOP]): an abort, or an end after the current batch. */
function stopOnRequest(job: FitJob, model: Model, controller: AbortController): () => void {
  return () => {
    const how = Atomics.load(job.control, STOP);
    if (how === ABORT) controller.abort();
    else if (how === END_EARLY) model.stopTraining = true;
  };
}

/**
 * Callbacks that relay to the caller, and act on the caller's stop flag after every
 * relayed callback, so that a stop from there is exact. (Between batches the loop
 * watches the flag itself: see the stop hook above.) onBatchEnd exists only when the
 * caller listens for it, so that a fit without one makes no logs at all.
 */
function relayedCallbacks(job: FitJob, stopIfAsked: () => void, batches: BatchReporter): FitCallbacks {
  const relay =
    (name: Exclude<keyof FitCallbacks, 'onBatchEnd'>) =>
    async (...args: [Logs] | [number, Logs]) => {
      batches.flush();
      if (job.report.callbacks.includes(name)) {
        const acknowledged = new Promise<void>((resolve) => {
          acknowledge = resolve;
        });
        post({ type: 'callback', name, args });
        await acknowledged;
      }
      stopIfAsked();
    };
  stopIfAsked();
  return {
    onTrainBegin: relay('onTrainBegin'),
    onEpochBegin: relay('onEpochBegin'),
    onBatchEnd: job.report.batches
      ? (batch, logs) => {
          batches.add(batch, logs);
        }
      : undefined,
    onEpochEnd: relay('onEpochEnd'),
    onTrainEnd: relay('onTrainEnd'),
  };
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  (port as MessagePort).postMessage(message, transfer);
}

/** The state's buffers, fresh copies that can move to the caller without another copy. */
function transferList(state: TrainingState): ArrayBuffer[] {
  const arrays = [
    ...Object.values(state.parameters),
    ...Object.values(state.optimizer.buffers).flatMap((named) => Object.values(named)),
  ];
  return arrays.map((values) => values.buffer as ArrayBuffer);
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
    if (this.entries.length > 0) this.to.postMessage({ type: 'batches', entries: this.entries } satisfies FromWorker);
    this.entries = [];
    this.since = performance.now();
  }
}

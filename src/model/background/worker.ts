// A training worker. It receives a fit job, rebuilds the model from its configuration
// (any network of built-in layers) and training state, and runs the same fit as the
// calling thread would with `background: false` — the same loop, checkpoints and
// errors — relaying callbacks and the outcome as messages (protocol.ts). It handles
// one job at a time and stays alive for the next one.

import { type MessagePort, parentPort } from 'node:worker_threads';

import type { BatchLogs, Logs } from '../fit/logs.js';
import type { FitCallbacks } from '../fit/options.js';
import type { TrainingCallback, TrainingCallbackState } from '../fit/training-callback.js';
import { rebuildTrainingCallback } from '../fit/training-callbacks.js';
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
  let trainingCallbacks: TrainingCallback[] = [];
  const batches = new BatchReporter(port, job.report.batches);
  try {
    model = Model.fromConfig(job.model);
    model.loadTrainingState(job.state);
    model.metadata = job.metadata;
    const built = model;
    trainingCallbacks = job.trainingCallbacks.map((saved, i) =>
      rebuildTrainingCallback(saved, built, `callbacks[${i}]`),
    );
    const controller = new AbortController();
    const history = await model.fit(sharedDataMatrix(job.x), sharedDataMatrix(job.y), {
      ...job.options,
      validationData: job.validationData && [
        sharedDataMatrix(job.validationData[0]),
        sharedDataMatrix(job.validationData[1]),
      ],
      background: false,
      signal: controller.signal,
      callbacks: [...trainingCallbacks, relayedCallbacks(job, model, controller, batches)],
    });
    batches.flush();
    const state = model.trainingState();
    const callbacks = trainingCallbacks.map((c) => c.state());
    post({ type: 'done', history, state, callbacks }, transferList(state, callbacks));
  } catch (error) {
    batches.flush();
    const state = model?.trainingState() ?? job.state;
    // Callbacks that could not be rebuilt keep the states they came with.
    const callbacks =
      trainingCallbacks.length === job.trainingCallbacks.length
        ? trainingCallbacks.map((c) => c.state())
        : job.trainingCallbacks.map((saved) => saved.state);
    post({ type: 'failed', error: serializeError(error), state, callbacks }, model ? transferList(state, []) : []);
  }
}

/**
 * Callbacks that relay to the caller, and act on the caller's stop flag: checked
 * after every batch, so training stops within one batch, and after every relayed
 * callback, so a stop from there is exact.
 */
function relayedCallbacks(
  job: FitJob,
  model: Model,
  controller: AbortController,
  batches: BatchReporter,
): FitCallbacks {
  const stopIfAsked = () => {
    const how = Atomics.load(job.control, STOP);
    if (how === ABORT) controller.abort();
    else if (how === END_EARLY) model.stopTraining = true;
  };
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
    onBatchEnd(batch, logs) {
      batches.add(batch, logs);
      stopIfAsked();
    },
    onEpochEnd: relay('onEpochEnd'),
    onTrainEnd: relay('onTrainEnd'),
  };
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  (port as MessagePort).postMessage(message, transfer);
}

/** The states' buffers, fresh copies that can move to the caller without another copy. */
function transferList(state: TrainingState, callbacks: readonly TrainingCallbackState[]): ArrayBuffer[] {
  const arrays = [
    ...Object.values(state.parameters),
    ...Object.values(state.optimizer.buffers).flatMap((named) => Object.values(named)),
    ...callbacks.flatMap((c) => Object.values(c.tensors)),
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

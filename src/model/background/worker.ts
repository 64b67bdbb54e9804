// A training worker. It receives a fit job, rebuilds the model from its configuration
// (any network of built-in layers) and training state, and runs the same fit as the
// calling thread would with `background: false` — the same loop, checkpoints and
// errors — relaying callbacks and the outcome as messages (protocol.ts). It handles
// one job at a time and stays alive for the next one, keeping the model of its last
// fit until then (and while idle), for a next fit of the same model.

import { isDeepStrictEqual } from 'node:util';
import { type MessagePort, parentPort } from 'node:worker_threads';
import { fitInThread } from '../fit/in-thread.js';
import type { Logs } from '../fit/logs.js';
import type { FitCallbacks, FitOptions } from '../fit/options.js';
import type { TrainingCallback, TrainingCallbackState } from '../fit/training-callback.js';
import { rebuildTrainingCallback } from '../fit/training-callbacks.js';
import { Model } from '../model.js';
import type { TrainingState } from '../model-config.js';
import { serializeError } from './error-transfer.js';
import {
  ABORT,
  BATCH_REPORT_MS,
  type BatchRun,
  END_EARLY,
  type FitJob,
  type FromWorker,
  STOP,
  type ToWorker,
} from './protocol.js';
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

/** The model of the last fit that ended normally, as it ended: see modelFor. */
let lastModel: Model | undefined;

/**
 * The model a job describes. The last fit's model is taken again when its
 * configuration and training state are still the job's to the last bit (the caller
 * fits the same model again, and nothing changed it since): the two describe the
 * whole model, which is what lets a worker rebuild it at all, and taking it again
 * keeps what it recorded — the next fit replays its steps without recording them
 * first. Anything else is built afresh.
 */
function modelFor(job: FitJob): Model {
  const kept = lastModel;
  lastModel = undefined;
  if (
    kept !== undefined &&
    isDeepStrictEqual(kept.toConfig(), job.model) &&
    isDeepStrictEqual(kept.trainingState(), job.state)
  ) {
    return kept;
  }
  const model = Model.fromConfig(job.model);
  model.loadTrainingState(job.state);
  return model;
}

async function train(job: FitJob): Promise<void> {
  let model: Model | undefined;
  let trainingCallbacks: TrainingCallback[] = [];
  const batches = new BatchReporter(port);
  try {
    model = modelFor(job);
    model.metadata = job.metadata;
    const built = model;
    trainingCallbacks = job.trainingCallbacks.map((saved, i) =>
      rebuildTrainingCallback(saved, built, `callbacks[${i}]`),
    );
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
      callbacks: [...trainingCallbacks, relayedCallbacks(job, stopIfAsked, batches)],
    };
    // The loop checks the stop flag between batches itself, natively when it can;
    // batch records go to the caller as they are, which makes the logs there; and the
    // caller checked the data's values before it copied or shared them.
    const history = await fitInThread(model, sharedDataMatrix(job.x), sharedDataMatrix(job.y), options, {
      stop: { flag: job.control, onStopRequest: stopIfAsked },
      batchRecords: job.report.batches
        ? (epoch, firstBatch, records) => batches.add(epoch, firstBatch, records)
        : undefined,
      valuesChecked: true,
    });
    batches.flush();
    const state = model.trainingState();
    const callbacks = trainingCallbacks.map((c) => c.state());
    post({ type: 'done', history, state, callbacks }, transferList(state, callbacks));
    lastModel = model;
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
 * watches the flag itself: see the stop hook above; and batches are reported through
 * their records, not through onBatchEnd.)
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
 * Gathers the records of the batches trained and posts them every BATCH_REPORT_MS: a
 * message per batch would cost more than a small model's batch itself, and making
 * the logs is left to the calling thread, which otherwise only waits.
 */
class BatchReporter {
  private runs: BatchRun[] = [];
  private since = performance.now();

  constructor(private readonly to: MessagePort) {}

  add(epoch: number, firstBatch: number, records: Float64Array): void {
    // A copy: the loop writes the next run's records into the same array.
    this.runs.push({ epoch, firstBatch, records: records.slice() });
    if (performance.now() - this.since >= BATCH_REPORT_MS) this.flush();
  }

  flush(): void {
    if (this.runs.length > 0) {
      const transfer = this.runs.map((run) => run.records.buffer as ArrayBuffer);
      this.to.postMessage({ type: 'batches', runs: this.runs } satisfies FromWorker, transfer);
    }
    this.runs = [];
    this.since = performance.now();
  }
}

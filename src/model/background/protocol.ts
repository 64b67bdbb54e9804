// The messages between a background fit on the calling thread and its worker.
//
//   caller → worker   fit          the job: model configuration and training state,
//                                  data (shared memory), options
//                     ack          the caller has run the callback the worker waits for
//   worker → caller   batches      the records of the batches trained (loss and metric
//                                  sums), gathered for a few milliseconds, from which
//                                  the caller makes each batch's onBatchEnd logs
//                     callback     any other callback; the worker waits for its ack
//                     done         the History, the final training state and the
//                                  training callbacks' final states
//                     failed       the error, the training state of the last completed step
//                                  and the training callbacks' states
//
// Stopping does not go through messages: a worker busy training reads them only when
// it yields, so the caller raises a flag in shared memory that the worker checks
// after every batch.

import type { FloatArray } from '../../util/dtype.js';
import type { History, Logs } from '../fit/logs.js';
import type { FitCallbacks, FitOptions } from '../fit/options.js';
import type { SavedTrainingCallback, TrainingCallbackState } from '../fit/training-callback.js';
import type { ModelConfig, TrainingState } from '../model-config.js';
import type { SerializedError } from './error-transfer.js';

/** The fit options that cross to the worker: everything but callbacks, the signal and the data. */
export type WorkerFitOptions = Omit<FitOptions, 'callbacks' | 'signal' | 'background' | 'validationData'>;

export interface SharedData {
  rows: number;
  cols: number;
  /** Backed by a SharedArrayBuffer, so posting it shares rather than copies; of the model's dtype. */
  data: FloatArray;
}

/** The callbacks the worker relays, besides onBatchEnd. */
export type RelayedCallback = Exclude<keyof FitCallbacks, 'onBatchEnd'>;

export interface FitJob {
  model: ModelConfig;
  state: TrainingState;
  metadata: Record<string, unknown>;
  x: SharedData;
  y: SharedData;
  validationData: [SharedData, SharedData] | undefined;
  options: WorkerFitOptions;
  /** The fit's schedules and EarlyStopping, rebuilt in the worker (the others are relayed). */
  trainingCallbacks: SavedTrainingCallback[];
  /** Which callbacks the caller has, so the worker posts only what is listened to. */
  report: { batches: boolean; callbacks: RelayedCallback[] };
  /** Shared flags: control[STOP] is ABORT or END_EARLY when the caller asks the worker to stop. */
  control: Int32Array;
}

export const STOP = 0;
/** Stop and reject with an AbortError (the signal fired). */
export const ABORT = 1;
/** Stop and resolve with the History so far (a callback set model.stopTraining). */
export const END_EARLY = 2;

/** Milliseconds over which the worker gathers onBatchEnd logs into one message. */
export const BATCH_REPORT_MS = 20;

/** Consecutive batches of an epoch, from `firstBatch` on: per batch its loss, then its metric sums. */
export interface BatchRun {
  epoch: number;
  firstBatch: number;
  records: Float64Array;
}

export type ToWorker = { type: 'fit'; job: FitJob } | { type: 'ack' };

export type FromWorker =
  | { type: 'batches'; runs: BatchRun[] }
  | { type: 'callback'; name: RelayedCallback; args: [Logs] | [number, Logs] }
  | { type: 'done'; history: History; state: TrainingState; callbacks: TrainingCallbackState[] }
  | { type: 'failed'; error: SerializedError; state: TrainingState; callbacks: TrainingCallbackState[] };

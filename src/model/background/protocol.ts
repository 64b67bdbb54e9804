// The messages between a background fit on the calling thread and its worker.
//
//   caller → worker   fit          the job: model, data (shared memory), options
//                     epoch-ack    the caller's onEpochEnd has finished
//   worker → caller   batches      onBatchEnd logs, gathered for a few milliseconds
//                     epoch        onEpochEnd logs; the worker waits for epoch-ack
//                     done         the History and the final weights
//                     failed       the error and the weights of the last completed step
//
// Stopping does not go through messages: a worker busy training reads them only when
// it yields, so the caller raises a flag in shared memory that the worker checks
// after every batch.

import type { BatchLogs, EpochLogs, FitOptions, History } from '../fit.js';
import type { StateDict, TwoLayerRegressorOptions } from '../two-layer-regressor.js';
import type { SerializedError } from './error-transfer.js';

/** The fit options that cross to the worker: everything but callbacks and the signal. */
export type WorkerFitOptions = Omit<FitOptions, 'callbacks' | 'signal' | 'background'>;

export interface SharedData {
  rows: number;
  cols: number;
  /** Backed by a SharedArrayBuffer, so posting it shares rather than copies. */
  data: Float64Array;
}

export interface FitJob {
  config: Required<TwoLayerRegressorOptions>;
  metadata: Record<string, unknown>;
  state: StateDict;
  x: SharedData;
  y: SharedData;
  options: WorkerFitOptions;
  /** Which callbacks the caller has, so the worker posts only what is listened to. */
  report: { batches: boolean; epochs: boolean };
  /** Shared flags; STOP_FLAG set to 1 asks the worker to stop after its current batch. */
  control: Int32Array;
}

export const STOP_FLAG = 0;
/** Milliseconds over which the worker gathers onBatchEnd logs into one message. */
export const BATCH_REPORT_MS = 20;

export type ToWorker = { type: 'fit'; job: FitJob } | { type: 'epoch-ack' };

export type FromWorker =
  | { type: 'batches'; entries: [batch: number, logs: BatchLogs][] }
  | { type: 'epoch'; epoch: number; logs: EpochLogs }
  | { type: 'done'; history: History; state: StateDict }
  | { type: 'failed'; error: SerializedError; state: StateDict };

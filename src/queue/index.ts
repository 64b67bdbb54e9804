/**
 * Training on a fleet of machines through a BullMQ queue on Redis: {@link TrainingQueue}
 * submits jobs, {@link startTrainingWorker} trains them (see docs/fleet.md). This entry
 * point, and only this one, loads bullmq and ioredis (optional peer dependencies of
 * blasprop): `import 'blasprop'` never does.
 *
 * @module blasprop/queue
 */

export type { CsvColumn, CsvTable, NumberColumn, TextColumn } from '../data/csv.js';
export { DEFAULT_QUEUE_NAME, type QueueLocation, type RedisConnection } from './connection.js';
export { CANCELLED_MESSAGE, JobStateError } from './errors.js';
export {
  type SubmitOptions,
  type TrainingJobState,
  type TrainingJobStatus,
  TrainingQueue,
  type TrainingQueueOptions,
  type TrainingResult,
} from './queue.js';
export type { JobReturnValue, TrainingProgress, WorkerEpochEvent } from './run-job.js';
export {
  type CsvJobData,
  type DataPreparation,
  type InlineJobData,
  type InlineMatrix,
  inlineMatrix,
  type JobData,
  type JobFitOptions,
  MAX_INLINE_VALUES,
  type TableJobData,
  type TrainingJobSpec,
} from './spec.js';
export { type BlobPlacement, DEFAULT_MAX_REDIS_BYTES, type JobResultSummary } from './store.js';
export { readTableFile, writeTableFile } from './table-file.js';
export {
  startTrainingWorker,
  TrainingWorker,
  type TrainingWorkerEvents,
  type TrainingWorkerOptions,
} from './worker.js';

// A process's share of the fleet: a BullMQ Worker whose jobs train on this process's
// background pool (src/model/background/), `concurrency` at a time. BullMQ does the
// scheduling — locks, stalled-job recovery, retries with backoff — and this file only
// wires it to training: cancellations arrive on a Redis channel and abort the job's
// AbortSignal (BullMQ's own, through Worker.cancelJob); a lost lock aborts the job too,
// since another worker may run it by now; closing hands running jobs back to the queue.

import { EventEmitter } from 'node:events';

import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

import { trainingConfig } from '../model/background/pool.js';
import { checkInteger, isPlainObject, typeError } from '../util/check.js';
import {
  checkConnection,
  JobKeys,
  openRedis,
  type QueueLocation,
  queueLocation,
  type RedisConnection,
} from './connection.js';
import { ABORT_REASONS, reviveJobError, serializeError } from './errors.js';
import { type JobReturnValue, runJob, type WorkerEpochEvent } from './run-job.js';
import { type BlobPlacement, checkPlacement, JobStore } from './store.js';

export interface TrainingWorkerOptions extends QueueLocation, Partial<BlobPlacement> {
  /** Where Redis is: a URL or ioredis options. */
  connection: RedisConnection;
  /** Jobs trained at once (default: the background pool's size, trainingConfig().maxWorkers). */
  concurrency?: number;
  /**
   * Milliseconds a job's lock lasts without renewal (BullMQ's lockDuration, default
   * 30000). A killed worker's job is recovered by another worker once its lock has
   * expired and a stalled check (every `stalledInterval`) has seen it.
   */
  lockDuration?: number;
  /** Milliseconds between BullMQ's checks for stalled jobs (default 30000). */
  stalledInterval?: number;
  /** Times a job may stall (lose its worker) and still be recovered, before it fails (default 1). */
  maxStalledCount?: number;
  /**
   * A local folder for each job's working files (default: the OS's temporary folder):
   * fit writes its checkpoint there before the worker commits it with the job. fit
   * writes durably (fsync), which costs milliseconds per checkpoint on a disk; on a
   * tmpfs such as /dev/shm it costs next to nothing, and the job's durable copy is
   * the committed one anyway.
   */
  scratch?: string;
  /**
   * Called after every epoch of every job, once its progress is stored (and its
   * checkpoint, when one was due). Training waits for a returned promise.
   */
  onEpochEnd?(event: WorkerEpochEvent): void | Promise<void>;
}

/** What a TrainingWorker reports, besides its 'error' events (connection trouble, lost locks). */
export interface TrainingWorkerEvents {
  /** A job's attempt started, fresh (`resumedAt` 0) or from its checkpoint after `resumedAt` epochs. */
  started: [id: string, resumedAt: number];
  /** A job completed; its result is stored with the job. */
  completed: [id: string, result: JobReturnValue];
  /** An attempt failed; `willRetry` tells whether BullMQ will run the job again. */
  failed: [id: string, error: Error, willRetry: boolean];
  /** Connection trouble or a lost lock: the worker's own errors, not a job's; emitted only when someone listens. */
  error: [error: Error];
}

/** A running worker: `close()` stops it, handing its jobs back to the queue. */
export class TrainingWorker extends EventEmitter<TrainingWorkerEvents> {
  /** Jobs trained at once. */
  readonly concurrency: number;

  /** @internal Made by startTrainingWorker. */
  constructor(
    private readonly worker: Worker,
    private readonly connections: Redis[],
    concurrency: number,
  ) {
    super();
    this.concurrency = concurrency;
  }

  /**
   * Stops taking jobs and hands every running one back to the queue, where the next
   * worker resumes it from its last checkpoint (no attempt is counted), then closes
   * the connections.
   */
  async close(): Promise<void> {
    this.worker.cancelAllJobs(ABORT_REASONS.shutdown);
    await this.worker.close();
    for (const connection of this.connections) connection.disconnect();
  }

  /** @internal Emits 'error' only to listeners: with none, connection trouble is not fatal. */
  reportError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

/**
 * Starts a worker on the queue and resolves once it is taking jobs. Every worker of a
 * queue must be started with the same `storage` and `maxRedisBytes`: a job resumed
 * elsewhere looks for its checkpoint where its first worker put it.
 */
export async function startTrainingWorker(options: TrainingWorkerOptions): Promise<TrainingWorker> {
  if (!isPlainObject(options)) throw typeError('options', 'an object { connection, … }', options);
  const connection = checkConnection('connection', options.connection);
  const location = queueLocation(options);
  const placement = checkPlacement(options);
  const concurrency = checkInteger('concurrency', options.concurrency ?? trainingConfig().maxWorkers, 1, 1024);
  const timing = {
    lockDuration: checkInteger('lockDuration', options.lockDuration ?? 30_000, 100),
    stalledInterval: checkInteger('stalledInterval', options.stalledInterval ?? 30_000, 100),
    maxStalledCount: checkInteger('maxStalledCount', options.maxStalledCount ?? 1, 0, 1000),
  };
  const { onEpochEnd, scratch } = options;
  if (scratch !== undefined && (typeof scratch !== 'string' || scratch === '')) {
    throw typeError('scratch', 'the path of a local folder', scratch);
  }
  if (onEpochEnd !== undefined && typeof onEpochEnd !== 'function')
    throw typeError('onEpochEnd', 'a function', onEpochEnd);

  // A worker's commands wait out a Redis restart rather than fail (BullMQ requires
  // this of its blocking connection, and the job's own writes need it as much).
  const redis = openRedis(connection, { maxRetriesPerRequest: null });
  const subscriber = redis.duplicate();
  const keys = new JobKeys(location);
  const store = new JobStore(redis, keys, location.name);
  // The processor runs only once the worker runs, by when `handle` is set.
  let handle!: TrainingWorker;

  const worker = new Worker(
    location.name,
    (job, token, signal) =>
      runJob(job, token, signal!, {
        store,
        placement,
        scratch,
        abort: (reason) => worker.cancelJob(job.id!, reason),
        onStart: (epoch) => handle.emit('started', job.id!, epoch),
        onEpochEnd,
      }),
    { connection: redis, prefix: location.prefix, concurrency, ...timing, autorun: false },
  );
  handle = new TrainingWorker(worker, [redis, subscriber], concurrency);
  worker.on('completed', (job, result: JobReturnValue) => handle.emit('completed', job.id!, result));
  worker.on('failed', (job, error) => {
    if (job === undefined) return;
    const willRetry = !(error instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
    // The error as the producer will see it, with its class.
    handle.emit('failed', job.id!, reviveJobError(serializeError(error)), willRetry);
  });
  worker.on('error', (error) => handle.reportError(error));
  worker.on('lockRenewalFailed', (ids: string[]) => {
    for (const id of ids) worker.cancelJob(id, ABORT_REASONS.lockLost);
  });
  subscriber.on('message', (_channel: string, id: string) => worker.cancelJob(id, ABORT_REASONS.cancelled));
  subscriber.on('error', (error: Error) => handle.reportError(error));
  redis.on('error', (error: Error) => handle.reportError(error));

  await subscriber.subscribe(keys.cancelChannel);
  void worker.run().catch((error: Error) => handle.reportError(error));
  await worker.waitUntilReady();
  return handle;
}

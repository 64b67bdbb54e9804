// The producer's side: submit training jobs to a BullMQ queue, follow them, cancel
// them, and fetch their results — from any process that can reach Redis.

import { setTimeout as sleep } from 'node:timers/promises';

import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

import type { History, Logs } from '../model/fit/logs.js';
import { abortError } from '../model/fit/loop.js';
import { Model } from '../model/model.js';
import { checkInteger, isPlainObject, rangeError, typeError } from '../util/check.js';
import {
  checkConnection,
  JobKeys,
  openRedis,
  type QueueLocation,
  queueLocation,
  type RedisConnection,
} from './connection.js';
import { CANCELLED_MESSAGE, cancelledError, JobStateError, reviveJobError } from './errors.js';
import type { TrainingProgress } from './run-job.js';
import { checkJobSpec, type TrainingJobSpec } from './spec.js';
import { JobStore } from './store.js';

/** Options of {@link TrainingQueue}: where Redis is, and which queue. */
export interface TrainingQueueOptions extends QueueLocation {
  /** Where Redis is: a URL or ioredis options. */
  connection: RedisConnection;
}

/** Options of {@link TrainingQueue.submit}. */
export interface SubmitOptions {
  /**
   * The job's id (letters, digits, "_", "." and "-", not only digits). Submitting a
   * spec under an id the queue already holds adds nothing and returns that id, so a
   * producer that retries a submission cannot train a model twice.
   */
  jobId?: string;
  /** Attempts before the job fails for good (default 3). A stall (a killed worker) is not a failed attempt. */
  attempts?: number;
  /** Milliseconds before the first retry; each further retry waits twice as long (default 1000). */
  backoff?: number;
}

/**
 * Where a job is: 'delayed' waits for a retry after a failed attempt; 'cancelled' was
 * cancelled before it finished and will not run (again).
 */
export type TrainingJobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'cancelled';

/** What {@link TrainingQueue.status} tells of a job. */
export interface TrainingJobStatus {
  /** The job's id. */
  id: string;
  /** Where the job is. */
  state: TrainingJobState;
  /** Its last epoch's progress, once it has trained one. */
  progress: TrainingProgress | undefined;
  /**
   * Attempts that ended so far, in a failure or the completion (a stall or a worker
   * handing the job back ends none), and how many it may make.
   */
  attemptsMade: number;
  /** The attempts it may make in all (SubmitOptions.attempts). */
  attempts: number;
  /** When it was submitted (ms since the epoch). */
  submittedAt: number;
  /** When it finished (ms since the epoch), or undefined while it has not. */
  finishedAt: number | undefined;
  /** Why a failed or cancelled job did not complete, as its class (DataError, RangeError, …). */
  error: Error | undefined;
}

/** What {@link TrainingQueue.result} resolves to for a completed job. */
export interface TrainingResult {
  /** The job's id. */
  id: string;
  /** The trained model. */
  model: Model;
  /** Its model file, as the worker saved it (what `Model.fromBytes` reads). */
  modelFile: Buffer;
  /** Every epoch the job trained, across its attempts. */
  history: History;
  /** The trained model on its training rows, and on its validation rows when it had some. */
  metrics: {
    /** The loss and metrics on the training rows. */
    training: Logs;
    /** The loss and metrics on the validation rows, when the job had some. */
    validation?: Logs;
  };
  /** Epochs trained (fewer than asked for only if training was stopped early). */
  epochs: number;
}

const FINISHED: ReadonlySet<TrainingJobState> = new Set(['completed', 'failed', 'cancelled']);
const JOB_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
const JOB_NAME = 'train';
const LISTED_STATES = [
  'active',
  'waiting',
  'prioritized',
  'delayed',
  'waiting-children',
  'completed',
  'failed',
] as const;
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_MS = 1000;
/** How often waitFor looks again without having heard of the job: a backstop, since events are not stored. */
const DEFAULT_POLL_MS = 1000;

/**
 * A queue of training jobs on Redis, for the workers started with
 * `startTrainingWorker` (or `blasprop worker`) anywhere they can reach it.
 *
 * ```ts
 * const queue = new TrainingQueue({ connection: 'redis://10.0.0.5:6379' });
 * const id = await queue.submit({ model: model.toConfig(), data: { csv: '/shared/sales.csv', targets: ['units'] },
 *   fit: { epochs: 20, batchSize: 64, validationSplit: 0.2 } });
 * await queue.waitFor(id);
 * const { model: trained, history } = await queue.result(id);
 * ```
 */
export class TrainingQueue {
  private readonly queue: Queue;
  private readonly redis: Redis;
  private readonly keys: JobKeys;
  private readonly store: JobStore;
  private readonly connection: RedisConnection;
  private readonly location: Required<QueueLocation>;
  /** BullMQ's event stream, opened by the first waitFor, and who waits for which job. */
  private events: { stream: QueueEvents; redis: Redis; ready: Promise<unknown> } | undefined;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(options: TrainingQueueOptions) {
    if (!isPlainObject(options)) throw typeError('options', 'an object { connection, name?, prefix? }', options);
    const connection = checkConnection('connection', options.connection);
    const location = queueLocation(options);
    this.connection = connection;
    this.location = location;
    this.redis = openRedis(connection);
    this.queue = new Queue(location.name, { connection: this.redis, prefix: location.prefix });
    // Connection trouble also rejects the operation it hits, which is where callers
    // learn of it; the events themselves would only be printed by BullMQ.
    this.queue.on('error', () => {});
    this.keys = new JobKeys(location);
    this.store = new JobStore(this.redis, this.keys, location.name);
  }

  /** Checks the spec (TypeError or RangeError naming the field) and adds the job; returns its id. */
  async submit(spec: TrainingJobSpec, options: SubmitOptions = {}): Promise<string> {
    const checked = checkJobSpec(spec).spec;
    if (!isPlainObject(options)) throw typeError('options', 'an object { jobId?, attempts?, backoff? }', options);
    const { jobId } = options;
    if (jobId !== undefined) {
      if (typeof jobId !== 'string') throw typeError('jobId', 'a string', jobId);
      // Digits alone are BullMQ's own ids; dots alone would name folders on shared storage.
      if (!JOB_ID_PATTERN.test(jobId) || /^(\d+|\.+)$/.test(jobId)) {
        throw rangeError('jobId', 'up to 128 letters, digits, "_", "." or "-", not only digits or dots', jobId);
      }
    }
    const attempts = checkInteger('attempts', options.attempts ?? DEFAULT_ATTEMPTS, 1, 1000);
    const delay = checkInteger('backoff', options.backoff ?? DEFAULT_BACKOFF_MS, 0, 2 ** 31 - 1);
    const job = await this.queue.add(JOB_NAME, checked, { jobId, attempts, backoff: { type: 'exponential', delay } });
    return job.id!;
  }

  /** Where the job is, or undefined when the queue holds no job with that id. */
  async status(id: string): Promise<TrainingJobStatus | undefined> {
    checkId(id);
    // The state first: a job read after it is seen finished holds its final reason
    // and times (read the other way round, the job could finish in between).
    const state = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    if (job === undefined || state === 'unknown') return undefined;
    return this.statusOf(job, state, await this.store.isCancelled(id));
  }

  /** The newest `limit` jobs (default 100) in each state, active first. */
  async list(options: { limit?: number } = {}): Promise<TrainingJobStatus[]> {
    const limit = checkInteger('limit', options.limit ?? 100, 1, 100_000);
    // A job that moves on while the lists are read shows up twice: the later list,
    // nearer the end of its life, wins.
    const found = new Map<string, [Job, string]>();
    for (const state of LISTED_STATES) {
      for (const job of await this.queue.getJobs(state, 0, limit - 1)) {
        found.delete(job.id!);
        found.set(job.id!, [job, state]);
      }
    }
    const cancelled = await this.store.cancelledAmong([...found.keys()]);
    const listed = [...found.values()].sort(
      (a, b) => LISTED_STATES.indexOf(a[1] as never) - LISTED_STATES.indexOf(b[1] as never),
    );
    return Promise.all(listed.map(([job, state]) => this.statusOf(job, state, cancelled.has(job.id!))));
  }

  /**
   * Cancels a job that has not finished: a waiting one will not run, a running one
   * stops within a batch (its fit is aborted through its AbortSignal) and fails as
   * cancelled, without retries. Resolves false when there is no such job or it has
   * already finished. A job that finishes before the cancellation reaches its worker
   * stays completed.
   */
  async cancel(id: string): Promise<boolean> {
    checkId(id);
    const job = await this.queue.getJob(id);
    if (job === undefined) return false;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return false;
    await this.store.markCancelled(id);
    await this.redis.publish(this.keys.cancelChannel, id);
    return true;
  }

  /**
   * Resolves with the job's status once it has completed, failed or been cancelled.
   * It listens to BullMQ's events, so it hears of the end at once, and looks again
   * every `pollMs` (default 1000) in case an event was missed (while Redis restarted,
   * say). A RangeError if there is no such job; an AbortError when `signal` fires.
   */
  async waitFor(id: string, options: { signal?: AbortSignal; pollMs?: number } = {}): Promise<TrainingJobStatus> {
    checkId(id);
    const { signal } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError('signal', 'an AbortSignal', signal);
    const pollMs = checkInteger('pollMs', options.pollMs ?? DEFAULT_POLL_MS, 1, 3_600_000);
    await this.listen();
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      // Listening before looking: an end between the two is not missed.
      const heard = this.nextEventOf(id);
      try {
        const status = await this.status(id);
        if (status === undefined) throw rangeError('id', 'the id of a job in this queue', id);
        if (FINISHED.has(status.state)) return status;
        await Promise.race([heard.promise, sleep(pollMs, undefined, { signal }).catch(() => {})]);
      } finally {
        heard.cancel();
      }
    }
  }

  /**
   * The trained model, its History and metrics. A failed job rejects with its error
   * (its own class), a cancelled one with an AbortError, one not yet finished with a
   * JobStateError, an unknown id with a RangeError.
   */
  async result(id: string): Promise<TrainingResult> {
    const status = await this.status(id);
    if (status === undefined) throw rangeError('id', 'the id of a job in this queue', id);
    if (status.state === 'failed' || status.state === 'cancelled') throw status.error;
    if (status.state !== 'completed')
      throw new JobStateError(id, status.state, 'its result is there once it completes');
    const stored = await this.store.loadResult(id);
    if (stored === undefined) throw new JobStateError(id, 'completed', 'but its result has been removed');
    const { summary, file } = stored;
    return {
      id,
      model: Model.fromBytes(file, `job-${id}.blasprop`),
      modelFile: file,
      history: summary.history,
      metrics: summary.metrics,
      epochs: summary.epochs,
    };
  }

  /** Deletes a finished job, its result and files. Resolves false when there is no such job. */
  async remove(id: string): Promise<boolean> {
    checkId(id);
    const job = await this.queue.getJob(id);
    if (job === undefined) return false;
    const state = await job.getState();
    if (!FINISHED.has(state as TrainingJobState)) {
      throw new JobStateError(id, state, 'only a finished job can be removed (cancel it first)');
    }
    await job.remove();
    await this.store.remove(id);
    return true;
  }

  /** Closes the queue's Redis connections; the jobs stay in the queue. */
  async close(): Promise<void> {
    if (this.events) {
      await this.events.stream.close();
      this.events.redis.disconnect();
    }
    await this.queue.close();
    this.redis.disconnect();
  }

  /** Opens BullMQ's event stream once, on a connection of its own (it blocks reading). */
  private async listen(): Promise<void> {
    if (this.events === undefined) {
      const redis = openRedis(this.connection, { maxRetriesPerRequest: null });
      const stream = new QueueEvents(this.location.name, { connection: redis, prefix: this.location.prefix });
      const wake = ({ jobId }: { jobId: string }) => {
        for (const resolve of this.waiting.get(jobId) ?? []) resolve();
      };
      stream.on('completed', wake);
      stream.on('failed', wake);
      // It reconnects by itself; waitFor's polling covers the gap.
      stream.on('error', () => {});
      this.events = { stream, redis, ready: stream.waitUntilReady() };
    }
    await this.events.ready;
  }

  /** A promise of the next completed or failed event of job `id`. */
  private nextEventOf(id: string): { promise: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const waiters = this.waiting.get(id) ?? new Set();
    waiters.add(wake);
    this.waiting.set(id, waiters);
    return {
      promise,
      cancel: () => {
        waiters.delete(wake);
        if (waiters.size === 0) this.waiting.delete(id);
      },
    };
  }

  private async statusOf(job: Job, bullState: string, cancelled: boolean): Promise<TrainingJobStatus> {
    const id = job.id!;
    let state = stateOf(bullState);
    let error: Error | undefined;
    if (state === 'failed') {
      // The stored error is the last one the job's own code threw; BullMQ can also fail
      // a job itself (one that stalled too often), and then only its reason is there.
      const stored = await this.store.loadError(id);
      error = stored?.message === job.failedReason ? reviveJobError(stored) : new Error(job.failedReason);
      if (job.failedReason === CANCELLED_MESSAGE) state = 'cancelled';
    } else if (cancelled && (state === 'waiting' || state === 'delayed')) {
      // Cancelled before it ran: a worker that takes it fails it at once.
      state = 'cancelled';
      error = cancelledError();
    }
    const progress = isPlainObject(job.progress) ? (job.progress as unknown as TrainingProgress) : undefined;
    return {
      id,
      state,
      progress,
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      submittedAt: job.timestamp,
      finishedAt: job.finishedOn,
      error,
    };
  }
}

function stateOf(bullState: string): TrainingJobState {
  switch (bullState) {
    case 'active':
    case 'completed':
    case 'failed':
    case 'delayed':
      return bullState;
    default:
      // 'waiting', 'prioritized', 'waiting-children'.
      return 'waiting';
  }
}

function checkId(id: unknown): void {
  if (typeof id !== 'string' || id === '') throw typeError('id', 'a job id (a non-empty string)', id);
}

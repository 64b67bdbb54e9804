// What blasprop keeps with a job, beside BullMQ's own record: one Redis hash per job
// (JobKeys.record) holding its last checkpoint, its result, its last error and
// whether it was cancelled. Model files up to `maxRedisBytes` go into the hash; larger
// ones into files on shared storage, the hash keeping their path.
//
// Every write that must stay consistent is one Redis command or one MULTI: a
// checkpoint's file, epoch count and History are committed together, and a result
// replaces the checkpoint in the same transaction. Writes are idempotent — training is
// deterministic, so two workers that both ran a job (one of them after losing its
// lock) write the same bytes.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import type { Redis } from 'ioredis';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { SerializedError } from '../model/background/error-transfer.js';
import type { History, Logs } from '../model/fit/logs.js';
import { checkInteger, rangeError, typeError } from '../util/check.js';
import type { JobKeys } from './connection.js';
import { decodeError, encodeError } from './errors.js';

/** The state of a job's training at its last committed checkpoint. */
export interface JobCheckpoint {
  /** Epochs completed: the resumed fit starts with this 0-based epoch. */
  epochs: number;
  /** The History of those epochs. */
  history: History;
  /** The checkpoint: a model file with the optimizer's state and the fit's progress. */
  file: Buffer;
}

/** What a finished job left behind, apart from the model file's bytes. */
export interface JobResultSummary {
  /** Epochs trained (fewer than asked for only if training was stopped early). */
  epochs: number;
  /** Every epoch the job trained, across its attempts. */
  history: History;
  /** The trained model evaluated on its training rows, and on its validation rows when it had some. */
  metrics: {
    /** The loss and metrics on the training rows. */
    training: Logs;
    /** The loss and metrics on the validation rows, when the job had some. */
    validation?: Logs;
  };
  /** The trained model file: its size, and where it is when it is not in Redis. */
  model: {
    /** The file's size in bytes. */
    bytes: number;
    /** Its path on shared storage when it was too large for Redis (BlobPlacement.maxRedisBytes). */
    path?: string;
  };
}

/** Where model files go: Redis up to a size, shared storage beyond it. */
export interface BlobPlacement {
  /** Largest model file kept in Redis, in bytes. */
  maxRedisBytes: number;
  /** A folder every worker and producer can read and write, for larger files. */
  storage: string | undefined;
}

/** Default BlobPlacement.maxRedisBytes: 16 MiB, a network of about a million float64 parameters. */
export const DEFAULT_MAX_REDIS_BYTES = 16 * 2 ** 20;
/** Redis refuses strings above 512 MB. */
const REDIS_STRING_LIMIT = 512 * 2 ** 20;

const FIELDS = {
  checkpoint: 'checkpoint',
  checkpointPath: 'checkpointPath',
  checkpointEpochs: 'checkpointEpochs',
  checkpointHistory: 'checkpointHistory',
  result: 'result',
  model: 'model',
  error: 'error',
  cancelled: 'cancelled',
} as const;
const CHECKPOINT_FIELDS = [FIELDS.checkpoint, FIELDS.checkpointPath, FIELDS.checkpointEpochs, FIELDS.checkpointHistory];

export function checkPlacement(options: { maxRedisBytes?: unknown; storage?: unknown }): BlobPlacement {
  const maxRedisBytes = checkInteger(
    'maxRedisBytes',
    options.maxRedisBytes ?? DEFAULT_MAX_REDIS_BYTES,
    0,
    REDIS_STRING_LIMIT,
  );
  const { storage } = options;
  if (storage !== undefined && (typeof storage !== 'string' || storage === '')) {
    throw typeError('storage', 'the path of a folder on shared storage', storage);
  }
  return { maxRedisBytes, storage: storage === undefined ? undefined : resolve(storage) };
}

export class JobStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: JobKeys,
    private readonly queueName: string,
  ) {}

  async loadCheckpoint(id: string): Promise<JobCheckpoint | undefined> {
    const [file, path, epochs, history] = await this.redis.hmgetBuffer(this.keys.record(id), ...CHECKPOINT_FIELDS);
    if (epochs === null || history === null || (file === null && path === null)) return undefined;
    return {
      epochs: Number(epochs.toString()),
      history: JSON.parse(history.toString()) as History,
      file: file ?? (await readFile(path!.toString())),
    };
  }

  /** Commits a checkpoint (replacing the previous one) together with the History up to it. */
  async commitCheckpoint(id: string, checkpoint: JobCheckpoint, placement: BlobPlacement): Promise<void> {
    const key = this.keys.record(id);
    const { epochs, history, file } = checkpoint;
    const fields = { [FIELDS.checkpointEpochs]: String(epochs), [FIELDS.checkpointHistory]: JSON.stringify(history) };
    if (file.length <= placement.maxRedisBytes) {
      await this.redis
        .multi()
        .hset(key, { ...fields, [FIELDS.checkpoint]: file })
        .hdel(key, FIELDS.checkpointPath)
        .exec()
        .then(checkTransaction);
      return;
    }
    // On shared storage each checkpoint is a new file, and the previous one goes only
    // once the hash points at the new one: a crash in between leaves a usable pair.
    const previous = await this.redis.hget(key, FIELDS.checkpointPath);
    const path = join(await this.jobFolder(id, placement, 'checkpoint', file.length), `checkpoint-${epochs}.blasprop`);
    await writeFileAtomic(path, file);
    await this.redis
      .multi()
      .hset(key, { ...fields, [FIELDS.checkpointPath]: path })
      .hdel(key, FIELDS.checkpoint)
      .exec()
      .then(checkTransaction);
    if (previous !== null && previous !== path) await rm(previous, { force: true });
  }

  /** Commits the result and drops the checkpoint and any earlier error, in one transaction. */
  async commitResult(id: string, summary: JobResultSummary, file: Buffer, placement: BlobPlacement): Promise<void> {
    const key = this.keys.record(id);
    const oldCheckpoint = await this.redis.hget(key, FIELDS.checkpointPath);
    const inRedis = file.length <= placement.maxRedisBytes;
    let path: string | undefined;
    if (!inRedis) {
      path = join(await this.jobFolder(id, placement, 'model', file.length), 'model.blasprop');
      await writeFileAtomic(path, file);
    }
    const record: JobResultSummary = { ...summary, model: { bytes: file.length, ...(path && { path }) } };
    const fields: Record<string, string | Buffer> = { [FIELDS.result]: JSON.stringify(record) };
    if (inRedis) fields[FIELDS.model] = file;
    await this.redis
      .multi()
      .hset(key, fields)
      .hdel(key, ...CHECKPOINT_FIELDS, FIELDS.error)
      .exec()
      .then(checkTransaction);
    if (oldCheckpoint !== null) await rm(oldCheckpoint, { force: true });
  }

  async loadResult(id: string): Promise<{ summary: JobResultSummary; file: Buffer } | undefined> {
    const [result, model] = await this.redis.hmgetBuffer(this.keys.record(id), FIELDS.result, FIELDS.model);
    if (result === null) return undefined;
    const summary = JSON.parse(result.toString()) as JobResultSummary;
    const file = model ?? (summary.model.path === undefined ? undefined : await readFile(summary.model.path));
    if (file === undefined) throw new Error(`The result of job ${id} has no model file`);
    return { summary, file };
  }

  /** The result's summary alone, without fetching the model file. */
  async resultSummary(id: string): Promise<JobResultSummary | undefined> {
    const text = await this.redis.hget(this.keys.record(id), FIELDS.result);
    return text === null ? undefined : (JSON.parse(text) as JobResultSummary);
  }

  async recordError(id: string, error: SerializedError): Promise<void> {
    await this.redis.hset(this.keys.record(id), FIELDS.error, encodeError(error));
  }

  async loadError(id: string): Promise<SerializedError | undefined> {
    const text = await this.redis.hget(this.keys.record(id), FIELDS.error);
    return text === null ? undefined : decodeError(text);
  }

  async markCancelled(id: string): Promise<void> {
    await this.redis.hset(this.keys.record(id), FIELDS.cancelled, String(Date.now()));
  }

  async isCancelled(id: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.record(id), FIELDS.cancelled)) === 1;
  }

  /** Which of `ids` were cancelled, in one round trip. */
  async cancelledAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hexists(this.keys.record(id), FIELDS.cancelled);
    const replies = checkTransaction(await pipeline.exec());
    return new Set(ids.filter((_, i) => replies[i] === 1));
  }

  /** Deletes the record and the job's files on shared storage. */
  async remove(id: string): Promise<void> {
    const key = this.keys.record(id);
    const [checkpointPath, result] = await this.redis.hmget(key, FIELDS.checkpointPath, FIELDS.result);
    const modelPath = result === null ? undefined : (JSON.parse(result) as JobResultSummary).model.path;
    await this.redis.del(key);
    for (const path of [checkpointPath, modelPath]) {
      if (typeof path === 'string') await rm(dirname(path), { recursive: true, force: true });
    }
  }

  /** `<storage>/<queue>/<job>/`, made if needed; a file too large for Redis needs storage. */
  private async jobFolder(id: string, placement: BlobPlacement, what: string, bytes: number): Promise<string> {
    if (placement.storage === undefined) {
      throw rangeError(
        'maxRedisBytes',
        `at least the ${bytes} bytes of job ${id}'s ${what} file, or a storage folder for files that large`,
        placement.maxRedisBytes,
      );
    }
    const folder = join(placement.storage, this.queueName, id);
    await mkdir(folder, { recursive: true });
    return folder;
  }
}

/** The replies of a MULTI or pipeline, throwing the first error among them. */
function checkTransaction(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error('A Redis transaction was discarded');
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}

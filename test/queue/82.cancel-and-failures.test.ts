// Cancelling jobs, jobs that fail, and a worker that closes mid-job — with the worker
// in this process, so that its onEpochEnd can tell the test where a job is.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { DataError } from '../../dist/data/errors.js';
import { TrainingDivergedError } from '../../dist/index.js';
import {
  inlineMatrix,
  JobStateError,
  startTrainingWorker,
  type TrainingJobSpec,
  TrainingQueue,
  type TrainingWorker,
  type WorkerEpochEvent,
} from '../../dist/queue/index.js';
import { csvToTableFile, expectSameWeights, localFit, networkConfig, regression, writeCsv } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let dir: string;
const rows = regression(4, 48, 3, 1);
const data = { x: inlineMatrix(rows.x), y: inlineMatrix(rows.y) };
const model = networkConfig({ inputs: 3, hidden: [5], outputs: 1, seed: 2 });
/** A job that would train for a long time. */
const long: TrainingJobSpec = { model, data, fit: { epochs: 100_000, batchSize: 16 } };
const short: TrainingJobSpec = { model, data, fit: { epochs: 3, batchSize: 16 } };

/** Every epoch event of the worker, and a way to wait for (or hold at) a given one. */
class EpochWatch {
  readonly seen: WorkerEpochEvent[] = [];
  private readonly waiters: { test: (e: WorkerEpochEvent) => boolean; resolve: () => void; hold: boolean }[] = [];
  private released: (() => void)[] = [];

  onEpochEnd = (event: WorkerEpochEvent): Promise<void> | undefined => {
    this.seen.push(event);
    let hold = false;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (!this.waiters[i].test(event)) continue;
      const [waiter] = this.waiters.splice(i, 1);
      waiter.resolve();
      hold ||= waiter.hold;
    }
    return hold ? new Promise((resolve) => this.released.push(resolve)) : undefined;
  };

  /** Resolves at the first epoch event passing `test`; with `hold`, training waits there until release(). */
  at(test: (e: WorkerEpochEvent) => boolean, hold = false): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ test, resolve, hold }));
  }

  release(): void {
    for (const resolve of this.released.splice(0)) resolve();
  }
}

async function worker(name: string, watch: EpochWatch, concurrency = 1): Promise<TrainingWorker> {
  return startTrainingWorker({ connection: redis.url, name, concurrency, onEpochEnd: watch.onEpochEnd });
}

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'blasprop-queue-failures-'));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('cancel', () => {
  it('stops a running job through its AbortSignal; it fails as cancelled, once, and the worker goes on', async () => {
    const watch = new EpochWatch();
    const training = await worker('cancel-running', watch);
    const failures: [string, string, boolean][] = [];
    training.on('failed', (id, error, willRetry) => failures.push([id, error.message, willRetry]));
    const queue = new TrainingQueue({ connection: redis.url, name: 'cancel-running' });
    try {
      const id = await queue.submit(long);
      await watch.at((e) => e.id === id && e.epoch === 1);
      expect(await queue.cancel(id)).toBe(true);
      const status = await queue.waitFor(id);
      expect(status.state).toBe('cancelled');
      expect(status.error?.name).toBe('AbortError');
      expect(status.attemptsMade).toBe(1);
      expect(status.progress!.epoch).toBeLessThan(long.fit.epochs);
      await expect(queue.result(id)).rejects.toMatchObject({ name: 'AbortError', message: 'Training was cancelled' });
      expect(failures).toEqual([[id, 'Training was cancelled', false]]);
      // Cancelling what has finished, or what does not exist, does nothing.
      expect(await queue.cancel(id)).toBe(false);
      expect(await queue.cancel('no-such-job')).toBe(false);

      const next = await queue.submit(short);
      expect((await queue.waitFor(next)).state).toBe('completed');
      expect(await queue.cancel(next)).toBe(false);
    } finally {
      await training.close();
      await queue.close();
    }
  });

  it('keeps a waiting job from ever running', async () => {
    const watch = new EpochWatch();
    const training = await worker('cancel-waiting', watch);
    const started: string[] = [];
    training.on('started', (id) => started.push(id));
    const queue = new TrainingQueue({ connection: redis.url, name: 'cancel-waiting' });
    try {
      const busy = await queue.submit(short);
      const holding = watch.at((e) => e.id === busy && e.epoch === 0, true);
      const waiting = await queue.submit(short);
      await holding;
      // The only worker is held in the first job: the second has not started.
      expect((await queue.status(waiting))!.state).toBe('waiting');
      expect(await queue.cancel(waiting)).toBe(true);
      expect((await queue.status(waiting))!.state).toBe('cancelled');
      watch.release();
      expect((await queue.waitFor(busy)).state).toBe('completed');
      const status = await queue.waitFor(waiting);
      expect(status.state, status.error?.stack).toBe('cancelled');
      // A worker takes it only to fail it: it never trains.
      while ((await queue.status(waiting))!.finishedAt === undefined) await new Promise((r) => setTimeout(r, 20));
      expect(started).toEqual([busy]);
      expect(watch.seen.filter((e) => e.id === waiting)).toEqual([]);
    } finally {
      await training.close();
      await queue.close();
    }
  });
});

describe('jobs that fail', () => {
  it('fail with their typed error after their retries, and the worker keeps working', async () => {
    const badCsv = join(dir, 'bad.csv');
    await writeFile(badCsv, 'x1,x2,x3,y\n1,2,3,4\n5,six,7,8\n');
    const goodCsv = join(dir, 'good.csv');
    const targets = await writeCsv(goodCsv, rows.x, rows.y);
    const wide = regression(1, 20, 5, 1);
    const wideCsv = join(dir, 'wide.csv');
    await writeCsv(wideCsv, wide.x, wide.y);

    const watch = new EpochWatch();
    const training = await worker('failures', watch);
    const failures: [string, string, boolean][] = [];
    training.on('failed', (id, error, willRetry) => failures.push([id, error.name, willRetry]));
    const queue = new TrainingQueue({ connection: redis.url, name: 'failures' });
    try {
      const badData = await queue.submit(
        { ...short, data: { csv: badCsv, targets: ['y'] } },
        { attempts: 2, backoff: 1 },
      );
      const missing = await queue.submit(
        { ...short, data: { csv: join(dir, 'missing.csv'), targets: ['y'] } },
        { attempts: 1 },
      );
      const wrongShape = await queue.submit({ ...short, data: { csv: wideCsv, targets } }, { attempts: 1 });
      const divergingSpec = { ...short, model: { ...model, optimizer: { ...model.optimizer, lr: 1e12 } } };
      const diverging = await queue.submit(divergingSpec, { attempts: 1 });
      const fine = await queue.submit({ ...short, data: { csv: goodCsv, targets } });

      const bad = await queue.waitFor(badData);
      expect(bad.state).toBe('failed');
      expect(bad.attemptsMade).toBe(2);
      expect(bad.error).toBeInstanceOf(DataError);
      expect(bad.error!.message).toBe(`${badCsv}, line 3, column 2 ("x2"): "six" is not a number`);
      await expect(queue.result(badData)).rejects.toBeInstanceOf(DataError);

      const gone = await queue.waitFor(missing);
      expect(gone.error).toBeInstanceOf(DataError);
      expect(gone.error!.message).toBe(`${join(dir, 'missing.csv')}: no such file or directory (ENOENT)`);

      const shape = await queue.waitFor(wrongShape);
      expect(shape.error).toBeInstanceOf(RangeError);
      expect(shape.error!.message).toMatch(/for x but received Matrix object \(got 20 × 5\)/);

      const diverged = await queue.waitFor(diverging);
      // The same error, fields and all, as the same fit run here.
      const local = await localFit(divergingSpec, rows).catch((e: unknown) => e as TrainingDivergedError);
      expect(local).toBeInstanceOf(TrainingDivergedError);
      expect(diverged.error).toBeInstanceOf(TrainingDivergedError);
      expect({ ...diverged.error, message: diverged.error!.message }).toEqual({ ...local, message: local.message });

      expect((await queue.waitFor(fine)).state).toBe('completed');
      // The retry of the first job may run before or after the others.
      expect(failures.sort()).toEqual(
        [
          [badData, 'DataError', false],
          [badData, 'DataError', true],
          [missing, 'DataError', false],
          [wrongShape, 'RangeError', false],
          [diverging, 'TrainingDivergedError', false],
        ].sort(),
      );
    } finally {
      await training.close();
      await queue.close();
    }
  });

  it('result() of a job that has not finished is a JobStateError; of an unknown id a RangeError', async () => {
    const queue = new TrainingQueue({ connection: redis.url, name: 'no-workers' });
    try {
      const id = await queue.submit(short);
      const error = await queue.result(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobStateError);
      expect(error).toMatchObject({ id, state: 'waiting' });
      await expect(queue.result('99')).rejects.toThrow(RangeError);
      await expect(queue.remove(id)).rejects.toBeInstanceOf(JobStateError);
    } finally {
      await queue.close();
    }
  });
});

describe('a closing worker', () => {
  it('hands its running job back; the next worker resumes it bit-identically, without a failed attempt', async () => {
    const watch = new EpochWatch();
    const first = await worker('handover', watch);
    const queue = new TrainingQueue({ connection: redis.url, name: 'handover' });
    const spec: TrainingJobSpec = {
      model: networkConfig({ inputs: 3, hidden: [6], outputs: 1, lr: 0.03, momentum: 0.8, seed: 9 }),
      data,
      fit: { epochs: 6, batchSize: 8, validationSplit: 0.25 },
    };
    try {
      const id = await queue.submit(spec);
      await watch.at((e) => e.id === id && e.epoch === 2 && e.checkpointed, true);
      await first.close();
      expect((await queue.status(id))!.state).toBe('waiting');

      const second = await worker('handover', watch);
      const resumed: number[] = [];
      second.on('started', (_, at) => resumed.push(at));
      try {
        const status = await queue.waitFor(id);
        expect(status.state).toBe('completed');
        expect(resumed).toEqual([3]);
        expect(status.attemptsMade).toBe(1);
        const result = await queue.result(id);
        const local = await localFit(spec, rows);
        expectSameWeights(result.model.stateDict(), local.model.stateDict());
        expect(result.history).toEqual(local.history);
        expect(result.metrics.validation).toEqual(
          local.model.evaluate(rows.x.rowRange(36, 48), rows.y.rowRange(36, 48)),
        );
        expect(await queue.remove(id)).toBe(true);
        expect(await queue.status(id)).toBeUndefined();
        expect(await queue.remove(id)).toBe(false);
      } finally {
        await second.close();
      }
    } finally {
      await queue.close();
    }
  });
});

describe('model files on shared storage', () => {
  it('hold checkpoints and results larger than maxRedisBytes; a resumed job finds its checkpoint there', async () => {
    const storage = join(dir, 'shared');
    const options = { connection: redis.url, name: 'storage', storage, maxRedisBytes: 0 };
    const watch = new EpochWatch();
    const first = await startTrainingWorker({ ...options, concurrency: 1, onEpochEnd: watch.onEpochEnd });
    const queue = new TrainingQueue({ connection: redis.url, name: 'storage' });
    const spec: TrainingJobSpec = {
      model: networkConfig({ inputs: 3, hidden: [7], outputs: 1, momentum: 0.9, seed: 4 }),
      data,
      fit: { epochs: 5, batchSize: 12 },
    };
    try {
      const id = await queue.submit(spec);
      await watch.at((e) => e.id === id && e.epoch === 1 && e.checkpointed, true);
      expect(await readdir(join(storage, 'storage', id))).toEqual(['checkpoint-2.blasprop']);
      await first.close();
      const second = await startTrainingWorker({ ...options, concurrency: 1 });
      try {
        expect((await queue.waitFor(id)).state).toBe('completed');
      } finally {
        await second.close();
      }
      // The checkpoint made way for the model file.
      expect(await readdir(join(storage, 'storage', id))).toEqual(['model.blasprop']);
      const result = await queue.result(id);
      expect(result.modelFile.equals(await readFile(join(storage, 'storage', id, 'model.blasprop')))).toBe(true);
      expectSameWeights(result.model.stateDict(), (await localFit(spec, rows)).model.stateDict());
      await queue.remove(id);
      expect(await readdir(join(storage, 'storage'))).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('are refused, with the size, when a worker has no storage for them', async () => {
    const training = await startTrainingWorker({ connection: redis.url, name: 'no-storage', maxRedisBytes: 100 });
    const queue = new TrainingQueue({ connection: redis.url, name: 'no-storage' });
    try {
      const status = await queue.waitFor(await queue.submit(short, { attempts: 1 }));
      expect(status.state).toBe('failed');
      expect(status.error).toBeInstanceOf(RangeError);
      expect(status.error!.message).toMatch(
        /^Expected at least the \d+ bytes of job \d+'s checkpoint file, or a storage folder .* for maxRedisBytes but received 100$/,
      );
    } finally {
      await training.close();
      await queue.close();
    }
  });
});

describe('a table file as a job’s data', () => {
  it('trains the model the same rows as CSV train, and a damaged one fails as bad data', async () => {
    const csv = join(dir, 'same.csv');
    const targets = await writeCsv(csv, rows.x, rows.y);
    const table = join(dir, 'same.table');
    await csvToTableFile(csv, table);
    const damaged = join(dir, 'damaged.table');
    await writeFile(damaged, (await readFile(table)).subarray(8));

    const training = await startTrainingWorker({ connection: redis.url, name: 'tables', concurrency: 2 });
    const queue = new TrainingQueue({ connection: redis.url, name: 'tables' });
    try {
      const fit = { epochs: 3, batchSize: 10, validationSplit: 0.25 };
      const ids = await Promise.all([
        queue.submit({ model, data: { csv, targets, shuffleRows: 5, standardise: true }, fit }),
        queue.submit({ model, data: { table, targets, shuffleRows: 5, standardise: true }, fit }),
        queue.submit({ model, data: { table: damaged, targets }, fit }, { attempts: 1 }),
      ]);
      const statuses = await Promise.all(ids.map((id) => queue.waitFor(id)));
      expect(statuses.map((s) => s.state)).toEqual(['completed', 'completed', 'failed']);
      expect(statuses[2].error).toBeInstanceOf(DataError);
      expect(statuses[2].error!.message).toBe(`${damaged}: not a blasprop table file (bad magic number or too short)`);
      const [a, b] = await Promise.all(ids.slice(0, 2).map((id) => queue.result(id)));
      expectSameWeights(a.model.stateDict(), b.model.stateDict());
      expect(b.model.metadata).toEqual(a.model.metadata);
      expect(a.history).toEqual(b.history);
    } finally {
      await training.close();
      await queue.close();
    }
  });
});

// Redis restarted while jobs train: the workers reconnect (their commands wait for it),
// and every job finishes exactly once, bit-identical to a local fit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { inlineMatrix, type TrainingJobSpec, TrainingQueue } from '../../dist/queue/index.js';
import { expectSameWeights, localFit, networkConfig, regression, WorkerProcess } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await redis?.stop();
});

describe('a Redis restart', () => {
  it('lets the workers reconnect and every job finish once', async () => {
    const rows = regression(5, 64, 3, 1);
    const data = { x: inlineMatrix(rows.x), y: inlineMatrix(rows.y) };
    // Enough epochs that jobs are still training when Redis goes away.
    const specs: TrainingJobSpec[] = Array.from({ length: 6 }, (_, i) => ({
      model: networkConfig({ inputs: 3, hidden: [6], outputs: 1, momentum: i % 2 ? 0.5 : 0, seed: i }),
      data,
      fit: { epochs: 60, batchSize: 16, seed: i },
    }));
    const name = 'restart';
    workers.push(new WorkerProcess({ url: redis.url, name }), new WorkerProcess({ url: redis.url, name }));
    await Promise.all(workers.map((w) => w.ready()));

    let queue = new TrainingQueue({ connection: redis.url, name });
    const ids: string[] = [];
    for (const spec of specs) ids.push(await queue.submit(spec));
    await queue.close();
    // Both workers are in the middle of a job, past a checkpoint.
    await Promise.all(workers.map((w) => w.next((e) => e.event === 'epoch' && (e.epoch as number) >= 3, 'epochs')));
    await redis.restart();

    queue = new TrainingQueue({ connection: redis.url, name });
    try {
      const statuses = await Promise.all(ids.map((id) => queue.waitFor(id)));
      expect(statuses.map((s) => s.state)).toEqual(ids.map(() => 'completed'));
      expect(workers.flatMap((w) => w.completed()).sort()).toEqual([...ids].sort());
      // Redis did go away under the workers.
      expect(workers.some((w) => w.events.some((e) => e.event === 'error'))).toBe(true);
      for (const [i, id] of ids.entries()) {
        const result = await queue.result(id);
        const local = await localFit(specs[i], rows);
        expectSameWeights(result.model.stateDict(), local.model.stateDict());
        expect(result.history).toEqual(local.history);
      }
    } finally {
      await queue.close();
    }
  });
});

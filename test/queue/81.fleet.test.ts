// Twenty jobs over three worker processes, one of which is SIGKILLed in the middle of
// a job: BullMQ's stalled-job recovery gives that job to another worker, which resumes
// from the checkpoint committed with the job. Every job completes exactly once, and
// every model is bit-identical to a local fit with the same options.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { shuffleRows } from '../../dist/data/dataset.js';
import { fitStandardisation, standardise } from '../../dist/data/standardise.js';
import type { Matrix } from '../../dist/index.js';
import { inlineMatrix, type TrainingJobSpec, TrainingQueue } from '../../dist/queue/index.js';
import { csvRows, expectSameWeights, localFit, networkConfig, regression, WorkerProcess, writeCsv } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let dir: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'blasprop-fleet-'));
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The rows a job trains on, prepared as its spec says, computed here independently of the worker. */
function prepared(rows: { x: Matrix; y: Matrix }, spec: TrainingJobSpec): { x: Matrix; y: Matrix } {
  const { data, fit } = spec;
  let { x, y } = rows;
  if (data.shuffleRows !== undefined) {
    ({ x, y } = shuffleRows({ x, y, featureNames: [], targetNames: [] }, data.shuffleRows));
  }
  if (data.standardise) {
    // The training rows are those fit does not hold out: the last ⌊rows·split⌋ validate.
    const trainRows = x.rows - Math.floor(x.rows * (fit.validationSplit ?? 0));
    const names = (m: Matrix) => Array.from({ length: m.cols }, (_, i) => `c${i}`);
    standardise(x, fitStandardisation(x, trainRows), names(x), 'rows');
    standardise(y, fitStandardisation(y, trainRows), names(y), 'rows');
  }
  return { x, y };
}

describe('a fleet of three worker processes', () => {
  it('completes 20 jobs exactly once through a SIGKILL, each bit-identical to a local fit', async () => {
    const a = regression(1, 120, 4, 1);
    const b = regression(2, 90, 3, 2);
    const c = regression(3, 40, 3, 1);
    const csvA = { csv: join(dir, 'a.csv'), targets: await writeCsv(join(dir, 'a.csv'), a.x, a.y) };
    const csvB = { csv: join(dir, 'b.csv'), targets: await writeCsv(join(dir, 'b.csv'), b.x, b.y) };
    const rowsOf = new Map<object, { x: Matrix; y: Matrix }>();

    const specs: TrainingJobSpec[] = Array.from({ length: 20 }, (_, i): TrainingJobSpec => {
      switch (i % 4) {
        case 0: // momentum (optimizer state in the checkpoint), two hidden layers, prepared rows
          return {
            model: networkConfig({ inputs: 4, hidden: [6, 5], outputs: 1, lr: 0.02, momentum: 0.9, seed: i }),
            data: { ...csvA, shuffleRows: 100 + i, standardise: true },
            fit: { epochs: 7, batchSize: 10, validationSplit: 0.25 },
          };
        case 1:
          return {
            model: networkConfig({ inputs: 4, hidden: [8], outputs: 1, seed: i }),
            data: csvA,
            fit: { epochs: 6, batchSize: 16, lr: 0.05, validationSplit: 0.2, seed: 7 * i },
          };
        case 2: // two targets, checkpoints every other epoch, no shuffling
          return {
            model: networkConfig({ inputs: 3, hidden: [10], outputs: 2, seed: i }),
            data: csvB,
            fit: { epochs: 6, batchSize: 12, shuffle: false, checkpointEvery: 2 },
          };
        default: {
          const data = { x: inlineMatrix(c.x), y: inlineMatrix(c.y) };
          rowsOf.set(data, c);
          return {
            model: networkConfig({ inputs: 3, hidden: [4], outputs: 1, seed: i }),
            data,
            fit: { epochs: 8, batchSize: 8, seed: i },
          };
        }
      }
    });

    const url = redis.url;
    const name = 'fleet';
    // The first worker holds its first job after committing the checkpoint of epoch
    // 2 (0-based), and is killed there; the other two start once it holds it.
    const doomed = new WorkerProcess({ url, name, holdAtEpoch: 2 });
    workers.push(doomed);
    await doomed.ready();
    const queue = new TrainingQueue({ connection: url, name });
    try {
      const ids: string[] = [];
      for (const spec of specs) ids.push(await queue.submit(spec));
      expect(new Set(ids).size).toBe(20);
      const held = await doomed.next((e) => e.event === 'held', 'held job');
      const survivors = [new WorkerProcess({ url, name }), new WorkerProcess({ url, name })];
      workers.push(...survivors);
      await Promise.all(survivors.map((w) => w.ready()));
      doomed.kill('SIGKILL');
      await doomed.exited;

      const statuses = await Promise.all(ids.map((id) => queue.waitFor(id)));
      expect(statuses.map((s) => s.state)).toEqual(ids.map(() => 'completed'));

      // Exactly once: BullMQ completes a job only for the worker holding its lock. A
      // worker prints its completion after BullMQ records it: wait for every line.
      await Promise.all(
        ids.map((id) =>
          Promise.any(
            survivors.map((w) => w.next((e) => e.event === 'completed' && e.id === id, `completion of ${id}`)),
          ),
        ),
      );
      const completions = workers.flatMap((w) => w.completed()).sort();
      expect(completions).toEqual([...ids].sort());
      expect(workers.flatMap((w) => w.events).filter((e) => e.event === 'failed')).toEqual([]);
      // The killed worker's job was resumed from its checkpoint, after epochs 0, 1 and 2.
      const resumed = survivors.flatMap((w) => w.events).filter((e) => e.event === 'started' && e.id === held.id);
      expect(resumed).toEqual([{ event: 'started', id: held.id, resumedAt: 3 }]);

      for (const [i, id] of ids.entries()) {
        const spec = specs[i];
        const rows = 'csv' in spec.data ? await csvRows(spec.data.csv, spec.data.targets) : rowsOf.get(spec.data)!;
        const local = await localFit(spec, prepared(rows, spec));
        const result = await queue.result(id);
        expectSameWeights(result.model.stateDict(), local.model.stateDict());
        expect(result.history).toEqual(local.history);
        expect(result.epochs).toBe(spec.fit.epochs);
        expect(statuses[i].progress).toMatchObject({ epoch: spec.fit.epochs, epochs: spec.fit.epochs });
      }
    } finally {
      await queue.close();
    }
  });
});

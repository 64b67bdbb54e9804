// Jobs that carry everything blasprop train can be asked for: a classifier on a table
// with text columns and missing values, read and prepared on the worker by train's own
// code; and a fit with a learning-rate schedule, gradient clipping and early stopping,
// rebuilt on the worker from the callbacks' saved form. Each gives the weights
// (bit-identical) and the model metadata of the same training done here.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { EarlyStopping, LinearLR, Model } from '../../dist/index.js';
import { savedCallbacks, type TrainingJobSpec, TrainingQueue } from '../../dist/queue/index.js';
import { cleanup, runCli, tempDir } from '../cli/run-cli.js';
import { csvRows, expectSameWeights, networkConfig, regression, WorkerProcess, writeCsv } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let worker: WorkerProcess;
const name = 'train-options';

beforeAll(async () => {
  redis = await startRedis();
  worker = new WorkerProcess({ url: redis.url, name });
  await worker.ready();
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await worker?.exited;
  await redis?.stop();
  await cleanup();
});

/**
 * 60 rows: two number columns (one with gaps), a text column, an id to ignore, and a
 * label that depends on them; some rows lack the label.
 */
function labelledTable(): string {
  const lines = ['id,width,height,colour,kind'];
  const colours = ['red', 'green', 'blue'];
  for (let r = 0; r < 60; r++) {
    const width = ((r * 37) % 17) / 4;
    const height = ((r * 11) % 13) / 3;
    const colour = colours[(r * 7) % 3];
    const kind = width + (colour === 'red' ? 1 : 0) > height ? 'wide' : r % 5 === 0 ? 'square' : 'tall';
    const gap = r % 9 === 4;
    lines.push(`${r + 100},${gap ? '' : width},${height},${colour},${r % 13 === 6 ? '' : kind}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('a job with every option of blasprop train', () => {
  it('trains a classifier on text columns and missing values into the model file train writes', async () => {
    const dir = await tempDir();
    const csv = join(dir, 'shapes.csv');
    await writeFile(csv, labelledTable());
    const options = [
      ...['--data', csv, '--target', 'kind', '--ignore', 'id', '--missing', 'mean'],
      ...['--epochs', '12', '--seed', '7', '--layers', '6', '--batch-size', '8', '--optimizer', 'adam'],
      ...['--schedule', 'step:4:0.5', '--clip-norm', '2', '--lr', '0.03'],
    ];
    const at = ['--redis', redis.url, '--queue', name];
    const submitted = await runCli(['submit', ...at, ...options, '--wait', '--json']);
    expect(submitted.stderr).toMatch(
      /^job \d+ completed: epoch 12\/12, loss \S+, accuracy \S+, val loss \S+, val accuracy \S+\n$/,
    );
    expect(submitted.code).toBe(0);
    const status = JSON.parse(submitted.stdout);
    expect(status).toMatchObject({ state: 'completed', progress: { epoch: 12, epochs: 12 } });
    expect(status.progress.accuracy).toBeGreaterThan(0);
    expect(status.progress.valAccuracy).toBeGreaterThanOrEqual(0);

    const fetched = join(dir, 'job');
    const result = await runCli(['result', status.id, ...at, '--out', fetched]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^job \d+: 12 epochs, loss \S+, accuracy \S+, validation loss \S+, validation accuracy /,
    );
    const table = await runCli(['jobs', ...at]);
    expect(table.stdout).toMatch(/^ID +STATE +EPOCH +LOSS +VAL LOSS +ACCURACY +VAL ACCURACY +ATTEMPTS\n/);
    expect(table.stdout).toMatch(
      new RegExp(`\\n${status.id} +completed +12/12 +\\S+ +\\S+ +0\\.\\d+ +[01]\\.\\d+ +1/3`),
    );

    const local = join(dir, 'train');
    const trained = await runCli(['train', ...options, '--out', local, '--json']);
    expect(trained.code).toBe(0);
    const queued = await Model.load(join(fetched, 'model.blasprop'));
    const here = await Model.load(join(local, 'model.blasprop'));
    expectSameWeights(queued.network.stateDict(), here.network.stateDict());
    expect(queued.metadata).toEqual(here.metadata);
    expect(here.metadata).toMatchObject({
      features: [
        { name: 'width', type: 'number' },
        { name: 'height', type: 'number' },
        { name: 'colour', type: 'category', categories: ['blue', 'green', 'red'] },
      ],
      classes: { target: 'kind', labels: ['square', 'tall', 'wide'] },
      missing: { mode: 'mean' },
    });
    expect((here.metadata.missing as { fill: number[] }).fill).toHaveLength(5);
    // The files are the same to the byte: metadata in the same order, and the optimizer's state.
    expect(
      (await readFile(join(fetched, 'model.blasprop'))).equals(await readFile(join(local, 'model.blasprop'))),
    ).toBe(true);
    const history = JSON.parse(await readFile(join(fetched, 'history.json'), 'utf8'));
    expect(history.history.loss).toEqual(JSON.parse(trained.stdout).history.loss);

    // The job again, once the file has gained a colour: its worker refuses the file, saying how.
    const client = new Redis(redis.url);
    const spec = JSON.parse((await client.hget(`bull:${name}:${status.id}`, 'data'))!) as TrainingJobSpec;
    client.disconnect();
    await writeFile(csv, `${labelledTable()}999,1,2,violet,tall\n`);
    const queue = new TrainingQueue({ connection: redis.url, name });
    try {
      const failed = await queue.waitFor(await queue.submit(spec, { attempts: 1 }));
      expect(failed.state).toBe('failed');
      expect(failed.error?.name).toBe('DataError');
      expect(failed.error?.message).toMatch(
        /shapes\.csv: its columns no longer give the layout the job was made for \(feature column 3 is .*"violet".*\)$/,
      );
    } finally {
      await queue.close();
    }
  });

  it('fits with a schedule, clipping and early stopping as the same fit here does', async () => {
    const job = await scheduledJob();
    const queue = new TrainingQueue({ connection: redis.url, name });
    try {
      const status = await queue.waitFor(await queue.submit(job.spec));
      expect(status.state).toBe('completed');
      const result = await queue.result(status.id);
      const local = await job.fitHere();
      expect(result.epochs).toBe(local.history.epoch.length);
      expect(result.history.history.lr).toEqual(local.history.history.lr);
      expect(result.history.history.loss).toEqual(local.history.history.loss);
      expectSameWeights(result.model.network.stateDict(), local.model.network.stateDict());
    } finally {
      await queue.close();
    }
  });

  it('resumed on another worker after a SIGKILL, stops early where the uninterrupted fit does', async () => {
    const queueName = 'train-options-resume';
    // Held after the checkpoint of epoch 6 (0-based 5), before early stopping stops the fit.
    const first = new WorkerProcess({ url: redis.url, name: queueName, holdAtEpoch: 5 });
    let second: WorkerProcess | undefined;
    const job = await scheduledJob();
    const queue = new TrainingQueue({ connection: redis.url, name: queueName });
    try {
      await first.ready();
      const id = await queue.submit(job.spec);
      await first.next((e) => e.event === 'held' && e.id === id, 'held job');
      first.kill('SIGKILL');
      await first.exited;
      // Started only now, so that the first worker is the one that took the job.
      second = new WorkerProcess({ url: redis.url, name: queueName });
      await second.ready();
      const status = await queue.waitFor(id);
      expect(status.state).toBe('completed');
      expect(second.events.find((e) => e.event === 'started' && e.id === id)?.resumedAt).toBe(6);
      const result = await queue.result(id);
      const local = await job.fitHere();
      expect(result.history).toEqual(local.history);
      expectSameWeights(result.model.network.stateDict(), local.model.network.stateDict());
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGKILL');
      await Promise.all([first.exited, second?.exited]);
      await queue.close();
    }
  });
});

/**
 * A regression job with a warm-up schedule, clipping and early stopping (which stops
 * it after 15 of its 60 epochs), and the same fit done here.
 */
async function scheduledJob() {
  const dir = await tempDir();
  const rows = regression(5, 80, 3, 1);
  const csv = join(dir, 'rows.csv');
  const targets = await writeCsv(csv, rows.x, rows.y);
  const config = networkConfig({ inputs: 3, hidden: [8], outputs: 1, lr: 0.2, momentum: 0.9, seed: 3 });
  // Made for a model of the job's configuration, as the worker's will be.
  const callbacksFor = (model: Model) => [
    // A warm-up: its first rate is set as it is created, which the job's model must not miss.
    new LinearLR(model.optimizer, { startFactor: 0.25, totalIters: 5 }),
    new EarlyStopping({ patience: 2, restoreBestWeights: true }),
  ];
  const fit = { epochs: 60, batchSize: 16, seed: 9, validationSplit: 0.25, clipNorm: 0.5 };
  const spec: TrainingJobSpec = {
    model: config,
    data: { csv, targets },
    fit: { ...fit, callbacks: savedCallbacks(callbacksFor(Model.fromConfig(config))), checkpointEvery: 3 },
  };
  const fitHere = async () => {
    const model = Model.fromConfig(config);
    const callbacks = callbacksFor(model);
    const { x, y } = await csvRows(csv, targets);
    const history = await model.fit(x, y, { ...fit, callbacks });
    // Early stopping did stop the fit, so the comparison covers it.
    expect((callbacks[1] as EarlyStopping).stoppedEpoch).toBe(history.epoch.length - 1);
    expect(history.epoch.length).toBeLessThan(fit.epochs);
    return { model, history };
  };
  return { spec, fitHere };
}

// blasprop submit takes train's network and training options into the job it queues,
// and refuses, before it queues anything, what a job cannot carry.

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { Model } from '../../dist/index.js';
import type { CsvJobData, JobTableLayout, TrainingJobSpec } from '../../dist/queue/index.js';
import { CLI, cleanup, FIXTURE_CSV, runCli, tempDir } from './run-cli.js';

/** A job's spec as submit writes it: CSV data, always. */
type QueuedSpec = TrainingJobSpec & { data: CsvJobData & { layout: JobTableLayout } };

let redis: Awaited<ReturnType<typeof startRedis>>;
let worker: ChildProcess;
const queue = 'cli-options';
const at = () => ['--redis', redis.url, '--queue', queue];

beforeAll(async () => {
  redis = await startRedis();
  worker = spawn(process.execPath, [CLI, 'worker', ...at(), '--concurrency', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve) => {
    worker.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (log.includes('Ctrl-C stops')) resolve();
    });
  });
});
afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await redis?.stop();
  await cleanup();
});

describe('blasprop submit with the network and training options', () => {
  it('queues the network, loss and optimizer they choose; the job trains the model train trains', async () => {
    const options = [
      ...['--data', FIXTURE_CSV, '--target', 'y', '--epochs', '2', '--seed', '3', '--layers', '6,5'],
      ...[
        '--activation',
        'gelu',
        '--dropout',
        '0.1',
        '--loss',
        'huber',
        '--optimizer',
        'adamw',
        '--weight-decay',
        '0.001',
      ],
    ];
    const submitted = await runCli(['submit', ...at(), ...options, '--wait', '--json']);
    expect(submitted.code).toBe(0);
    const { id, state } = JSON.parse(submitted.stdout);
    expect(state).toBe('completed');
    const out = await tempDir();
    expect((await runCli(['result', id, ...at(), '--out', out])).code).toBe(0);
    const queued = await Model.load(join(out, 'model.blasprop'));
    expect(queued.toConfig()).toMatchObject({
      network: {
        layers: [
          { type: 'Linear', inFeatures: 4, outFeatures: 6 },
          { type: 'GELU' },
          { type: 'Dropout', p: 0.1 },
          { type: 'Linear', inFeatures: 6, outFeatures: 5 },
          { type: 'GELU' },
          { type: 'Dropout', p: 0.1 },
          { type: 'Linear', inFeatures: 5, outFeatures: 1 },
        ],
      },
      loss: { type: 'HuberLoss' },
      optimizer: { type: 'AdamW', weightDecay: 0.001 },
    });
    const local = await tempDir();
    expect((await runCli(['train', ...options, '--out', local, '--json'])).code).toBe(0);
    const trained = await Model.load(join(local, 'model.blasprop'));
    expect(queued.network.parameters().map((p) => Array.from(p.value.data))).toEqual(
      trained.network.parameters().map((p) => Array.from(p.value.data)),
    );
  });

  it('takes every option of train into the job; the job records them, and bad values are refused', async () => {
    const dir = await tempDir();
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'id,a,colour,kind\n1,1,red,x\n2,2,blue,y\n3,,red,x\n4,3,blue,y\n5,2,red,\n');
    const data = ['--data', FIXTURE_CSV, '--target', 'y', '--epochs', '2'];
    const taken: [string[], (spec: QueuedSpec) => void][] = [
      [
        [...data, '--early-stopping', '3', '--schedule', 'cosine', '--clip-norm', '1.5'],
        ({ fit }) => {
          expect(fit.clipNorm).toBe(1.5);
          expect(fit.callbacks?.map((c) => c.config.type)).toEqual(['CosineAnnealingLR', 'EarlyStopping']);
          expect(fit.callbacks?.[1].config).toMatchObject({ patience: 3, restoreBestWeights: true });
        },
      ],
      [
        ['--data', labels, '--target', 'kind', '--ignore', 'id', '--missing', 'mean', '--epochs', '2'],
        ({ data, model }) => {
          expect(data).toMatchObject({
            targets: ['kind'],
            ignore: ['id'],
            missing: 'mean',
            layout: {
              features: [
                { name: 'a', type: 'number' },
                { name: 'colour', type: 'category', categories: ['blue', 'red'] },
              ],
              classes: { target: 'kind', labels: ['x', 'y'] },
            },
          });
          expect(model.loss.type).toBe('CrossEntropyLoss');
        },
      ],
      [
        ['--data', labels, '--target', 'a', '--task', 'classification', '--missing', 'drop', '--epochs', '2'],
        ({ data }) => {
          expect(data.missing).toBe('drop');
          expect(data.layout.classes).toEqual({ target: 'a', labels: ['1', '2', '3'] });
        },
      ],
    ];
    // The spec as the job carries it: the data of its BullMQ hash (bull:<queue>:<id>).
    const client = new Redis(redis.url);
    try {
      for (const [args, check] of taken) {
        const { code, stdout, stderr } = await runCli(['submit', ...at(), ...args, '--wait', '--json']);
        expect(stderr).toMatch(/^job \d+ completed: epoch 2\/2, /);
        expect(code).toBe(0);
        const status = JSON.parse(stdout);
        expect(status.state).toBe('completed');
        check(JSON.parse((await client.hget(`bull:${queue}:${status.id}`, 'data'))!));
      }
    } finally {
      client.disconnect();
    }
    const refused: [string[], RegExp][] = [
      [[...data, '--activation', 'swish'], /--activation takes one of/],
      [[...data, '--schedule', 'sometimes'], /--schedule takes .* but "sometimes" is no schedule/],
      [[...data, '--ignore', 'nope'], /has no column "nope" to ignore/],
      [[...data, '--loss', 'cross-entropy'], /--loss cross-entropy is for a target of labels/],
    ];
    await Promise.all(
      refused.map(async ([args, message]) => {
        const { code, stdout, stderr } = await runCli(['submit', ...at(), ...args]);
        expect(stderr).toMatch(/^blasprop: [^\n]+\n$/);
        expect(stderr).toMatch(message);
        expect(code).toBe(2);
        expect(stdout).toBe('');
      }),
    );
    const jobs = await runCli(['jobs', ...at(), '--json']);
    expect(JSON.parse(jobs.stdout)).toHaveLength(1 + taken.length);
  });
});

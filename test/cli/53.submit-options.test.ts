// blasprop submit takes train's network and training options into the job it queues,
// and refuses, before it queues anything, what a job cannot carry.

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { Model } from '../../dist/index.js';
import { CLI, cleanup, FIXTURE_CSV, runCli, tempDir } from './run-cli.js';

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

  it('refuses what a job cannot carry yet, in one line, exit 2, before queueing', async () => {
    const dir = await tempDir();
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'a,b,kind\n1,2,x\n2,1,y\n3,3,x\n');
    const text = join(dir, 'text.csv');
    await writeFile(text, 'a,colour,y\n1,red,2\n2,blue,1\n3,red,3\n');
    const data = ['--data', FIXTURE_CSV, '--target', 'y'];
    const cases: [string[], RegExp][] = [
      [
        [...data, '--early-stopping', '3'],
        /a queued job cannot take --early-stopping yet: train it with blasprop train/,
      ],
      [[...data, '--schedule', 'cosine'], /cannot take --schedule yet/],
      [[...data, '--clip-norm', '1'], /cannot take --clip-norm yet/],
      [[...data, '--ignore', 'z'], /cannot take --ignore \(a job trains on every column of its file\)/],
      [[...data, '--missing', 'drop'], /cannot take --missing/],
      [['--data', labels, '--target', 'kind'], /cannot take a classifier \(column "kind" holds labels\)/],
      [['--data', text, '--target', 'y'], /cannot take text columns \(column "colour" would be one-hot encoded\)/],
      [[...data, '--activation', 'swish'], /--activation takes one of/],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const { code, stdout, stderr } = await runCli(['submit', ...at(), ...args]);
        expect(stderr).toMatch(/^blasprop: [^\n]+\n$/);
        expect(stderr).toMatch(message);
        expect(code).toBe(2);
        expect(stdout).toBe('');
      }),
    );
    const jobs = await runCli(['jobs', ...at(), '--json']);
    expect(JSON.parse(jobs.stdout)).toHaveLength(1);
  });
});

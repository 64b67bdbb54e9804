// blasprop worker, submit, jobs and result, run as a user would, against a real Redis.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { TrainingQueue } from '../../dist/queue/index.js';
import { CLI, cleanup, FIXTURE_CSV, filesIn, runCli, tempDir } from '../cli/run-cli.js';
import { networkConfig } from './helpers.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let worker: ChildProcess;
let workerLog = '';
const queue = 'cli';
const at = () => ['--redis', redis.url, '--queue', queue];

beforeAll(async () => {
  redis = await startRedis();
  worker = spawn(process.execPath, [CLI, 'worker', ...at(), '--concurrency', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve) => {
    worker.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      workerLog += chunk;
      if (workerLog.includes('Ctrl-C stops')) resolve();
    });
  });
});
afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await redis?.stop();
  await cleanup();
});

/** Runs the CLI and checks the contract for bad input: one line on stderr, no stack, the exit code. */
async function expectRejected(args: string[], message: RegExp, code = 2): Promise<void> {
  const result = await runCli(args);
  expect(result.stderr).toMatch(/^blasprop: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
}

describe('the queue commands', () => {
  it('submit, jobs and result give the model blasprop train gives', async () => {
    const options = ['--data', FIXTURE_CSV, '--target', 'y', '--epochs', '3', '--seed', '4', '--hidden', '8'];
    const submitted = await runCli(['submit', ...at(), ...options, '--json']);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const { id } = JSON.parse(submitted.stdout) as { id: string };

    const waited = await runCli(['submit', ...at(), ...options, '--epochs', '2', '--wait']);
    expect(waited.code).toBe(0);
    const second = waited.stdout.trim();
    expect(waited.stderr).toMatch(new RegExp(`^job ${second} completed: epoch 2/2, loss \\S+, val loss \\S+\\n$`));

    const waitedJson = await runCli(['submit', ...at(), ...options, '--epochs', '1', '--wait', '--json']);
    expect(waitedJson.code).toBe(0);
    expect(JSON.parse(waitedJson.stdout)).toMatchObject({ state: 'completed', progress: { epoch: 1, epochs: 1 } });

    const jobs = await runCli(['jobs', ...at(), '--json']);
    expect(jobs.code).toBe(0);
    const listed = JSON.parse(jobs.stdout) as { id: string; state: string }[];
    expect(listed.find((job) => job.id === id)).toMatchObject({
      state: 'completed',
      progress: { epoch: 3, epochs: 3 },
    });
    const table = await runCli(['jobs', ...at()]);
    expect(table.stdout).toMatch(/^ID +STATE +EPOCH +LOSS +VAL LOSS +ACCURACY +VAL ACCURACY +ATTEMPTS\n/);
    // A regressor has no accuracy.
    expect(table.stdout).toMatch(new RegExp(`\\n${id} +completed +3/3 +\\S+ +\\S+ +— +— +1/3\\n`));

    const out = join(await tempDir(), 'result');
    const fetched = await runCli(['result', id, ...at(), '--out', out]);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(new RegExp(`^job ${id}: 3 epochs, loss \\S+, validation loss \\S+\\n`));
    expect((await filesIn(out)).sort()).toEqual(['history.json', 'model.blasprop']);
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    expect(history.epoch).toEqual([0, 1, 2]);

    // The same options trained here, by blasprop train, write the same model file.
    const local = join(await tempDir(), 'train');
    const trained = await runCli(['train', ...options, '--out', local, '--json']);
    expect(trained.code).toBe(0);
    const sameFile = (await readFile(join(out, 'model.blasprop'))).equals(
      await readFile(join(local, 'model.blasprop')),
    );
    expect(sameFile).toBe(true);
    expect(history.history.loss).toEqual(JSON.parse(trained.stdout).history.loss);
    // And predict takes it, scaling and all.
    const predicted = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', FIXTURE_CSV]);
    expect(predicted.code).toBe(0);
    expect(predicted.stdout.split('\n')[0]).toBe('y');
  });

  it('result reports a failed job with its error', async () => {
    const producer = new TrainingQueue({ connection: redis.url, name: queue });
    try {
      const id = await producer.submit(
        {
          model: networkConfig({ inputs: 4, hidden: [3], outputs: 1, seed: 1 }),
          data: { csv: join(await tempDir(), 'gone.csv'), targets: ['y'] },
          fit: { epochs: 1 },
        },
        { attempts: 1 },
      );
      expect((await producer.waitFor(id)).state).toBe('failed');
      await expectRejected(
        ['result', id, ...at(), '--out', await tempDir()],
        /gone\.csv: no such file or directory \(ENOENT\)$/m,
      );
      const jobs = await runCli(['jobs', ...at()]);
      expect(jobs.stdout).toMatch(
        new RegExp(
          `\\n${id} +failed +— +— +— +— +— +1/1 +DataError: .*gone\\.csv: no such file or directory \\(ENOENT\\)\\n`,
        ),
      );
    } finally {
      await producer.close();
    }
  });

  it('refuse bad usage and bad input with one line and exit code 2', async () => {
    const data = ['--data', FIXTURE_CSV, '--target', 'y'];
    // Independent runs, side by side: each is a process start.
    await Promise.all([
      expectRejected(['submit', ...data], /blasprop submit needs --redis/),
      expectRejected(['submit', '--redis', 'http://localhost:1', ...data], /--redis needs a Redis URL/),
      expectRejected(['submit', ...at(), ...data, '--frobnicate'], /unknown option --frobnicate for blasprop submit/),
      expectRejected(['submit', ...at(), ...data, '--out', 'x'], /writes no files: .*blasprop result ID --out DIR/),
      expectRejected(['submit', ...at(), ...data, '--threads', '2'], /blasprop worker --threads N/),
      expectRejected(['submit', ...at(), '--epochs', '2'], /needs --data FILE\.csv and --target COLUMN/),
      expectRejected(['submit', ...at(), '--data', 'no-such.csv', '--target', 'y'], /no-such\.csv: no such file/),
      expectRejected(['submit', ...at(), ...data, '--epochs', '0'], /--epochs/),
      expectRejected(['submit', '--redis', ...data], /--redis needs a value/),
      expectRejected(['result', ...at(), '--out', 'x'], /blasprop result needs the job ID/),
      expectRejected(['result', '12345', ...at(), '--out', 'x'], /the queue has no job 12345/),
      expectRejected(['result', '1', '2', ...at(), '--out', 'x'], /unexpected argument "2"/),
      expectRejected(['result', '1', ...at()], /blasprop result needs --out/),
      expectRejected(['jobs', ...at(), '--all'], /unknown option --all for blasprop jobs/),
      expectRejected(['jobs', '--redis', redis.url, '--queue', 'a:b'], /--queue: .* for name but received "a:b"/),
      expectRejected(['worker', ...at(), '--concurrency', '0'], /--concurrency/),
      // Redis not there: a failure to run (exit 1), not bad usage.
      expectRejected(['jobs', '--redis', 'redis://127.0.0.1:1'], /cannot reach Redis at redis:\/\/127\.0\.0\.1:1: /, 1),
    ]);
  });

  it('each command has help', async () => {
    for (const command of ['worker', 'submit', 'jobs', 'result']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: blasprop ${command} `));
    }
  });

  it('the worker stops on SIGTERM, saying so', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workerLog).toMatch(/blasprop worker: job 1 started\n/);
    expect(workerLog).toMatch(/blasprop worker: job 1 completed \(3 epochs\)\n/);
    expect(workerLog).toMatch(/blasprop worker: stopped\n$/);
  });
});

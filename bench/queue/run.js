#!/usr/bin/env node
// `npm run bench:queue`: training through blasprop/queue on a real redis-server, on
// this machine, against the same models fitted locally. Every round runs, in rotating
// order:
//
//   local      J jobs as local fits in one process, 1 and 2 at a time;
//   queue      the same J jobs through the queue, on 1 worker process (1 job at a
//              time, and 2 at a time: the default on 2 cores) and on 2 worker
//              processes of 1 job each; workers are `blasprop worker` processes;
//   overhead   one tiny job after another, submit to completion, against the same
//              tiny fit done locally: what the queue adds per job.
//
// A full run writes results/queue.{md,json} and the README's block; --quick (under a
// minute) only prints.
//
//   node bench/queue/run.js [--rounds 3] [--quick]

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Redis } from 'ioredis';

import { TrainingQueue } from '../../dist/queue/index.js';
import { loadAverage, machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { markdownTable, sig } from '../lib/markdown.mjs';
import { ensureDirs, resultsDir } from '../lib/paths.mjs';
import { updateReadmeBlock } from '../lib/readme.mjs';
import { startRedis } from '../lib/redis-server.mjs';
import { progress, rawLogWriter, requireBuiltPackage } from '../lib/session.mjs';
import { runPeer } from '../lib/spawn.mjs';
import { median } from '../lib/stats.mjs';
import { JOB, jobSpecs, samplesPerJob, TINY_JOB, writeData } from './workload.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' } },
});
const quick = flags.quick;
const rounds = Number(flags.rounds ?? (quick ? 1 : 3));
const jobs = quick ? 6 : 16;
const tinyJobs = quick ? 8 : 25;

requireBuiltPackage();
ensureDirs();
const info = machineInfo();
const log = rawLogWriter('queue');
const dir = await mkdtemp(join(tmpdir(), 'blasprop-bench-queue-'));
const redis = await startRedis();
const admin = new Redis(redis.url);
const data = await writeData(dir, JOB);
const tinyData = await writeData(dir, TINY_JOB);
let queueCount = 0;

/** `blasprop worker` processes on a fresh queue; resolves once each is taking jobs. */
async function startWorkers(processes, concurrency, scratch) {
  const name = `bench-${++queueCount}`;
  const children = await Promise.all(
    Array.from({ length: processes }, () => {
      const args = [CLI, 'worker', '--redis', redis.url, '--queue', name, '--concurrency', String(concurrency)];
      if (scratch) args.push('--scratch', scratch);
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      return new Promise((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (chunk) => {
          stderr += chunk;
          if (stderr.includes('Ctrl-C stops')) resolve({ child, log: () => stderr });
        });
        child.once('exit', (code) => reject(new Error(`blasprop worker exited with ${code}:\n${stderr}`)));
      });
    }),
  );
  const queue = new TrainingQueue({ connection: redis.url, name });
  // Warm-up, not measured: a tiny job per worker slot starts the training pools.
  const warm = jobSpecs(tinyData, TINY_JOB, processes * concurrency, 1000);
  await Promise.all((await Promise.all(warm.map((spec) => queue.submit(spec)))).map((id) => queue.waitFor(id)));
  return {
    queue,
    async stop(label) {
      await queue.close();
      await Promise.all(
        children.map(
          ({ child, log: output }) =>
            new Promise((resolve) => {
              child.once('exit', () => {
                log.add(`${label}: blasprop worker`, output());
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** Redis's CPU seconds and commands so far, from INFO. */
async function redisCounters() {
  const cpu = await admin.info('cpu');
  const seconds = ['used_cpu_user', 'used_cpu_sys'].reduce(
    (sum, key) => sum + Number(new RegExp(`^${key}:([\\d.]+)`, 'm').exec(cpu)[1]),
    0,
  );
  const stats = await admin.info('stats');
  return { seconds, commands: Number(/^total_commands_processed:(\d+)/m.exec(stats)[1]) };
}

async function queueThroughput({ processes, concurrency, scratch, source = 'csv' }, label) {
  const workers = await startWorkers(processes, concurrency, scratch);
  try {
    const specs = jobSpecs(data, JOB, jobs, 1, source);
    const before = await redisCounters();
    const started = performance.now();
    const ids = await Promise.all(specs.map((spec) => workers.queue.submit(spec)));
    const statuses = await Promise.all(ids.map((id) => workers.queue.waitFor(id)));
    const seconds = (performance.now() - started) / 1000;
    const after = await redisCounters();
    const failed = statuses.filter((s) => s.state !== 'completed');
    if (failed.length > 0) throw new Error(`${failed.length} job(s) did not complete: ${failed[0].error?.message}`);
    return {
      seconds,
      jobsPerSecond: jobs / seconds,
      samplesPerSecond: (jobs * samplesPerJob(JOB)) / seconds,
      redisCpuMsPerJob: ((after.seconds - before.seconds) * 1000) / jobs,
      redisCommandsPerJob: (after.commands - before.commands) / jobs,
    };
  } finally {
    await workers.stop(label);
  }
}

async function queueLatency(scratch, label) {
  const workers = await startWorkers(1, 1, scratch);
  try {
    const latencies = [];
    for (const spec of jobSpecs(tinyData, TINY_JOB, tinyJobs)) {
      const started = performance.now();
      const id = await workers.queue.submit(spec);
      await workers.queue.waitFor(id);
      latencies.push(performance.now() - started);
    }
    return { latencyMs: median(latencies), latencies };
  } finally {
    await workers.stop(label);
  }
}

async function local(args, label) {
  const { log: output, ...result } = await runPeer(process.execPath, [here('local-peer.js'), '--dir', dir, ...args], {
    timeoutMs: 300_000,
  });
  log.add(label, output);
  return result;
}

const THROUGHPUT = [
  {
    key: 'local-1',
    label: 'local fits, 1 at a time, data read once',
    run: (l) => local(['--jobs', jobs, '--concurrency', 1], l),
  },
  {
    key: 'local-1-read',
    label: 'local fits, 1 at a time, each reading its CSV file',
    run: (l) => local(['--jobs', jobs, '--concurrency', 1, '--read-each'], l),
  },
  {
    key: 'local-2-read',
    label: 'local fits, 2 at a time, each reading its CSV file',
    run: (l) => local(['--jobs', jobs, '--concurrency', 2, '--read-each'], l),
  },
  {
    key: 'queue-1x1',
    label: 'queue, 1 worker process × 1 job',
    run: (l) => queueThroughput({ processes: 1, concurrency: 1 }, l),
  },
  {
    key: 'queue-1x2',
    label: 'queue, 1 worker process × 2 jobs (default)',
    run: (l) => queueThroughput({ processes: 1, concurrency: 2 }, l),
  },
  {
    key: 'queue-2x1',
    label: 'queue, 2 worker processes × 1 job',
    run: (l) => queueThroughput({ processes: 2, concurrency: 1 }, l),
  },
  {
    key: 'queue-2x1-table',
    label: 'queue, 2 worker processes × 1 job, data in a table file',
    run: (l) => queueThroughput({ processes: 2, concurrency: 1, source: 'table' }, l),
  },
  {
    key: 'queue-2x1-shm',
    label: 'queue, 2 worker processes × 1 job, --scratch /dev/shm',
    run: (l) => queueThroughput({ processes: 2, concurrency: 1, scratch: '/dev/shm' }, l),
  },
];
const LATENCY = [
  { key: 'local', label: 'local fit', run: (l) => local(['--tiny', tinyJobs], l) },
  { key: 'queue', label: 'queue job (scratch on disk, the default)', run: (l) => queueLatency(undefined, l) },
  { key: 'queue-shm', label: 'queue job, --scratch /dev/shm', run: (l) => queueLatency('/dev/shm', l) },
];

/** Runs every item in every round, rotating the order; returns the results per item key. */
async function inRounds(items, what) {
  const runs = Object.fromEntries(items.map((item) => [item.key, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < items.length; i++) {
      const item = items[(i + round) % items.length];
      const result = await item.run(`${what}, ${item.label}, round ${round + 1}`);
      runs[item.key].push(result);
      progress(
        `[${round + 1}/${rounds}] ${item.label}: ${JSON.stringify(result, (k, v) => (k === 'latencies' ? undefined : v))}`,
      );
    }
  }
  return runs;
}

try {
  const throughput = await inRounds(THROUGHPUT, 'throughput');
  const latency = await inRounds(LATENCY, 'latency');
  info.loadAverageAtEnd = loadAverage();
  const med = (runs, pick) => median(runs.map(pick));
  const perSecond = (value) => Math.round(value).toLocaleString('en-US');
  const ratio = (key, base) =>
    median(throughput[key].map((run, round) => run.jobsPerSecond / throughput[base][round].jobsPerSecond));

  const throughputTable = markdownTable(
    ['how', 'jobs/s', 'samples/s', 'vs local, 1 at a time', 'Redis CPU per job', 'Redis commands per job'],
    THROUGHPUT.map(({ key, label }) => {
      const runs = throughput[key];
      const isQueue = key.startsWith('queue');
      return [
        label,
        sig(med(runs, (r) => r.jobsPerSecond)),
        perSecond(med(runs, (r) => r.samplesPerSecond)),
        key === 'local-1' ? '1' : `${ratio(key, 'local-1').toFixed(2)}×`,
        isQueue ? `${sig(med(runs, (r) => r.redisCpuMsPerJob))} ms` : '—',
        isQueue ? String(Math.round(med(runs, (r) => r.redisCommandsPerJob))) : '—',
      ];
    }),
  );
  const localTiny = med(latency.local, (r) => r.latencyMs);
  const latencyTable = markdownTable(
    ['how', 'median latency', 'added by the queue'],
    LATENCY.map(({ key, label }) => {
      const value = med(latency[key], (r) => r.latencyMs);
      return [label, `${sig(value)} ms`, key === 'local' ? '—' : `${sig(value - localTiny)} ms`];
    }),
  );
  const markdown = `${machineMarkdown(info, [`- Rounds: ${rounds}; every figure is the median over the rounds`])}

#### Throughput

${jobs} jobs, each a ${JOB.hidden}-unit two-layer regressor on ${JOB.rows.toLocaleString('en-US')} rows of Friedman #1
(${(JOB.rows * (1 - JOB.validationSplit)).toLocaleString('en-US')} training rows, standardised), ${JOB.epochs} epochs of batches of ${JOB.batchSize}:
${samplesPerJob(JOB).toLocaleString('en-US')} samples per job. Queue jobs read their CSV file (or the same rows from a
table file) and commit a checkpoint to Redis after every epoch; local fits read the
CSV file once, or each its own copy as a job does. The clock runs from the first
submit to the last completion, which the producer hears of through BullMQ's events,
after a warm-up job per worker slot. Redis CPU and commands are per job.

${throughputTable}

#### Per-job overhead

${tinyJobs} tiny jobs (${TINY_JOB.rows} rows, one epoch of one batch) one after another, from submit
to the producer hearing of the completion (\`waitFor\`), on one worker process; against
the same fit done locally, data in memory.

${latencyTable}
`;
  process.stdout.write(markdown);
  if (quick) {
    progress(`A quick run: results/ and the README are left alone. Output of every worker and peer: ${log.path}`);
  } else {
    await writeFile(join(resultsDir, 'queue.md'), `# Training through the queue\n\n${markdown}`);
    await writeFile(
      join(resultsDir, 'queue.json'),
      `${JSON.stringify({ machine: info, rounds, jobs, throughput, latency }, null, 2)}\n`,
    );
    updateReadmeBlock('queue', markdown);
    progress(
      `Wrote bench/results/queue.{md,json} and the README's block. Output of every worker and peer: ${log.path}`,
    );
  }
} finally {
  log.save();
  admin.disconnect();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// npm run soak [-- --short] [--calls N] [--steps N] [--workers N] [--max-growth-mb X]
//
// Runs the addon for a long time and watches the process's resident memory. Three
// phases, each sampled at 20 points after a full garbage collection:
//   blas       small dgemm calls (every transpose combination, fresh and reused
//              outputs) with the vector routines and both error paths mixed in
//   training   TwoLayerRegressor.trainStep on a fixed batch, with predict/evaluate
//              and stateDict/loadStateDict round trips every 1,000 steps
//   workers    worker threads that load the addon, run a dgemm and exit
// A phase passes when RSS after its warm-up (the first fifth) grows by less than
// --max-growth-mb by its end. Prints one JSON line per phase; exits 1 on failure.
//
// --inject-leak-bytes N keeps N bytes per BLAS call alive, to show the check trips.

import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';

import { smallBlasCalls, smallTrainingTask } from './workloads.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const { values: options } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    calls: { type: 'string' },
    steps: { type: 'string' },
    workers: { type: 'string' },
    'max-growth-mb': { type: 'string', default: '4' },
    'inject-leak-bytes': { type: 'string', default: '0' },
  },
});
const calls = Number(options.calls ?? (options.short ? 150_000 : 1_000_000));
const steps = Number(options.steps ?? (options.short ? 4_000 : 50_000));
const workers = Number(options.workers ?? (options.short ? 0 : 200));
const maxGrowth = Number(options['max-growth-mb']) * 2 ** 20;
const leakBytes = Number(options['inject-leak-bytes']);

const SAMPLES = 20;
const WARMUP_SAMPLES = 4;

function rss() {
  gc();
  return process.memoryUsage().rss;
}

/** Runs `body(i)` for i < count, sampling RSS; returns the phase's report. */
async function phase(name, count, body) {
  const samples = [];
  const every = Math.max(1, Math.floor(count / SAMPLES));
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const pending = body(i);
    if (pending) await pending;
    if ((i + 1) % every === 0) samples.push(rss());
  }
  const afterWarmup = samples[Math.min(WARMUP_SAMPLES, samples.length - 1)];
  const growth = samples.at(-1) - afterWarmup;
  return {
    phase: name,
    iterations: count,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    rssAfterWarmupMB: mb(afterWarmup),
    rssEndMB: mb(samples.at(-1)),
    growthMB: mb(growth),
    maxGrowthMB: mb(maxGrowth),
    ok: growth < maxGrowth,
  };
}

function mb(bytes) {
  return Number((bytes / 2 ** 20).toFixed(2));
}

const retained = [];
const blasCall = smallBlasCalls();
const reports = [];

reports.push(
  await phase('blas', calls, (i) => {
    blasCall(i);
    if (leakBytes > 0) retained.push(new Uint8Array(leakBytes).fill(1));
  }),
);

const { model, x, y } = smallTrainingTask();
const firstLoss = model.evaluate(x, y).loss;
reports.push(
  await phase('training', steps, (i) => {
    model.trainStep(x, y, 0.01);
    if (i % 1000 === 999) {
      model.predict(x);
      model.loadStateDict(model.stateDict());
    }
  }),
);
const lastLoss = model.evaluate(x, y).loss;
if (!(lastLoss < firstLoss)) {
  reports.at(-1).ok = false;
  reports.at(-1).error = `loss did not fall: ${firstLoss} -> ${lastLoss}`;
}

if (workers > 0) {
  const source = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)}).then(({ dgemm }) => {
      const a = new Float64Array(64).fill(1);
      parentPort.postMessage(dgemm('N', 'T', 8, 8, 8, 1, a, 8, a, 8, 0, new Float64Array(64), 8)[0]);
    });`;
  reports.push(
    await phase('workers', workers, async () => {
      const worker = new Worker(source, { eval: true });
      const [value] = await Promise.all([
        new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject)),
        new Promise((resolve) => worker.once('exit', resolve)),
      ]);
      if (value !== 8) throw new Error(`worker computed ${value}, expected 8`);
    }),
  );
}

for (const report of reports) console.log(JSON.stringify(report));
const failed = reports.filter((r) => !r.ok).length;
console.log(`soak: ${reports.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

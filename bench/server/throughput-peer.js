#!/usr/bin/env node
// Aggregate training throughput of K models trained at once in the background, each
// on its own data, under a given pool size and OpenBLAS thread count.
//
//   node bench/server/throughput-peer.js --size S --models 2 --workers 2 --blas-threads 1 --epochs 60

import { parseArgs } from 'node:util';

import { configureTraining } from '../../dist/index.js';
import { emitResult } from '../lib/measure.mjs';
import { SIZES } from '../train-step/sizes.js';
import { LR, problem, regressor } from './problem.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    models: { type: 'string', default: '1' },
    workers: { type: 'string' },
    'blas-threads': { type: 'string', default: '1' },
    epochs: { type: 'string', default: '60' },
    'batches-per-epoch': { type: 'string', default: '64' },
  },
});
const size = SIZES[values.size];
const models = Number(values.models);
const epochs = Number(values.epochs);
const rows = size.N * Number(values['batches-per-epoch']);
const config = configureTraining({
  blasThreads: Number(values['blas-threads']),
  ...(values.workers ? { maxWorkers: Number(values.workers) } : {}),
});

const jobs = Array.from({ length: models }, (_, i) => ({
  model: regressor(size, i + 1),
  ...problem(size, rows, i + 1),
}));
const fitAll = (fitOptions) => Promise.all(jobs.map(({ model, x, y }) => model.fit(x, y, fitOptions)));

// Warm-up, not measured, a tenth of the work: starts every worker of the pool and
// lets the hot code be compiled before the clock starts.
await fitAll({ epochs: Math.max(1, Math.round(epochs / 10)), batchSize: size.N, lr: LR });

const started = performance.now();
const cpuBefore = process.cpuUsage();
await fitAll({ epochs, batchSize: size.N, lr: LR });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
emitResult({
  size: values.size,
  models,
  maxWorkers: config.maxWorkers,
  blasThreads: config.blasThreads,
  seconds,
  samplesPerSecond: (models * rows * epochs) / seconds,
  // CPU time of all this process's threads over wall time: the cores it actually got.
  // On a machine shared with other work it tells a fit that did not scale from one
  // that was not given the cores.
  coresUsed: (cpu.user + cpu.system) / 1e6 / seconds,
});

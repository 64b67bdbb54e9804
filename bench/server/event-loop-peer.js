#!/usr/bin/env node
// The main thread's event-loop delay (perf_hooks.monitorEventLoopDelay) while a
// model trains, in the background or on the main thread itself; `--mode none` measures
// an idle process for `--seconds`, the floor the machine allows.
//
//   node bench/server/event-loop-peer.js --mode none|background|in-thread --size M --epochs 4

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { emitResult } from '../lib/measure.mjs';
import { SIZES } from '../train-step/sizes.js';
import { LR, problem, regressor } from './problem.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'background' },
    size: { type: 'string', default: 'M' },
    epochs: { type: 'string', default: '4' },
    'batches-per-epoch': { type: 'string', default: '16' },
    seconds: { type: 'string', default: '3' },
  },
});
const size = SIZES[values.size];
const background = values.mode === 'background';
const rows = size.N * Number(values['batches-per-epoch']);
const epochs = Number(values.epochs);
const { x, y } = problem(size, rows);
const model = regressor(size);
const options = { batchSize: size.N, lr: LR, background };

const idle = values.mode === 'none';
// Warm-up, not measured: starts the worker, loads the addon, compiles the hot code.
if (!idle) await model.fit(x.rowRange(0, 2 * size.N), y.rowRange(0, 2 * size.N), { ...options, epochs: 1 });

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const started = performance.now();
if (idle) await sleep(Number(values.seconds) * 1000);
else await model.fit(x, y, { ...options, epochs });
const seconds = (performance.now() - started) / 1000;
delay.disable();

const ms = (ns) => ns / 1e6;
emitResult({
  mode: values.mode,
  size: values.size,
  rows,
  epochs,
  seconds,
  samplesPerSecond: idle ? 0 : (rows * epochs) / seconds,
  delayMs: {
    p50: ms(delay.percentile(50)),
    p99: ms(delay.percentile(99)),
    max: ms(delay.max),
    mean: ms(delay.mean),
  },
});

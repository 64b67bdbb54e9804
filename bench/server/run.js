#!/usr/bin/env node
// `npm run bench:server`: training inside a Node.js server. Every measurement runs in
// fresh processes (bench/lib/spawn.mjs), in rounds whose order rotates:
//
//   loop        event-loop delay of the main thread while an M-size model trains in
//               the background, on the main thread, or not at all (the floor);
//   throughput  aggregate samples/s of K = 1, 2, 4 S-size models trained at once with
//               the default pool, and under other worker × OpenBLAS thread splits;
//   http        latency of a tiny HTTP server on 127.0.0.1 while an M-size model
//               trains, under bounded load from a separate process.
//
// A full run writes results/server.{md,json} and the README's block; --quick (about a
// minute) and --only (some parts) only print and log.
//
//   node bench/server/run.js [--rounds 3] [--quick] [--only loop,throughput,http]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { markdownTable, sig } from '../lib/markdown.mjs';
import { ensureDirs, resultsDir } from '../lib/paths.mjs';
import { updateReadmeBlock } from '../lib/readme.mjs';
import { progress, rawLogWriter, requireBuiltPackage } from '../lib/session.mjs';
import { runPeer } from '../lib/spawn.mjs';
import { median } from '../lib/stats.mjs';
import { describeSize, SIZES } from '../train-step/sizes.js';
import { httpRun } from './http-run.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    only: { type: 'string', default: 'loop,throughput,http' },
  },
});
const quick = flags.quick;
const rounds = Number(flags.rounds ?? (quick ? 1 : 3));
const parts = new Set(flags.only.split(','));

requireBuiltPackage();
ensureDirs();
const info = machineInfo();
const log = rawLogWriter('server');

async function peer(script, args) {
  const { log: output, ...result } = await runPeer(process.execPath, [here(script), ...args.map(String)], {
    timeoutMs: 180_000,
  });
  log.add(`${script} ${args.join(' ')}`, output);
  return result;
}

/** Runs `measure(item, round)` for every item in every round, rotating the order; returns results per item. */
async function inRounds(items, measure) {
  const runs = items.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < items.length; i++) {
      const at = (i + round) % items.length;
      runs[at].push(await measure(items[at], round));
    }
  }
  return runs;
}

const med = (runs, pick) => median(runs.map(pick));
const ms = (value) => `${sig(value)} ms`;
const perSecond = (value) => (value > 0 ? Math.round(value).toLocaleString('en-US') : '—');
const TRAINING = ['none', 'background', 'in-thread'];
const LABEL = {
  none: 'none',
  'busy-core': 'none, but a busy core',
  background: 'background (default)',
  'in-thread': 'on the main thread (`background: false`)',
};
const sections = [];
const json = { machine: info, rounds };

if (parts.has('loop')) {
  const epochs = quick ? 1 : 3;
  const runs = await inRounds(TRAINING, async (mode, round) => {
    const result = await peer('event-loop-peer.js', ['--mode', mode, '--size', 'M', '--epochs', epochs]);
    progress(`[${round + 1}/${rounds}] event loop, training ${mode}: p99 ${ms(result.delayMs.p99)}`);
    return result;
  });
  json.eventLoop = TRAINING.map((mode, i) => ({ mode, runs: runs[i] }));
  const table = markdownTable(
    ['training', 'delay p50', 'delay p99', 'delay max', 'training samples/s'],
    TRAINING.map((mode, i) => [
      LABEL[mode],
      ms(med(runs[i], (r) => r.delayMs.p50)),
      `**${ms(med(runs[i], (r) => r.delayMs.p99))}**`,
      ms(med(runs[i], (r) => r.delayMs.max)),
      perSecond(med(runs[i], (r) => r.samplesPerSecond)),
    ]),
  );
  sections.push(`## Event-loop delay while a model trains

Model ${describeSize(SIZES.M)}, ${epochs} epoch(s) of 16 batches, after a warm-up;
\`monitorEventLoopDelay\` with 1 ms resolution on the main thread. "none" is an idle
process: the floor the machine allows.

${table}`);
}

if (parts.has('throughput')) {
  const S = { size: 'S', epochs: quick ? 40 : 100, batchesPerEpoch: 64 };
  const M = { size: 'M', epochs: quick ? 1 : 2, batchesPerEpoch: 16 };
  // No `workers`: the default pool. The others split the same cores differently.
  const configs = [
    { ...S, models: 1 },
    { ...S, models: 2 },
    { ...S, models: 4 },
    { ...S, models: 2, workers: 1, blasThreads: 1 },
    { ...S, models: 2, workers: 1, blasThreads: 2 },
    { ...S, models: 2, workers: 2, blasThreads: 2 },
    { ...M, models: 1 },
    { ...M, models: 1, workers: 1, blasThreads: 2 },
    { ...M, models: 2 },
    { ...M, models: 2, workers: 1, blasThreads: 2 },
  ];
  const runs = await inRounds(configs, async (config, round) => {
    const args = ['--size', config.size, '--models', config.models, '--epochs', config.epochs];
    args.push('--batches-per-epoch', config.batchesPerEpoch, '--blas-threads', config.blasThreads ?? 1);
    if (config.workers) args.push('--workers', config.workers);
    const result = await peer('throughput-peer.js', args);
    progress(
      `[${round + 1}/${rounds}] ${config.size} × ${config.models}, ${result.maxWorkers} worker(s) × ` +
        `${result.blasThreads} OpenBLAS thread(s): ${perSecond(result.samplesPerSecond)} samples/s`,
    );
    return result;
  });
  json.throughput = configs.map((config, i) => ({ config, runs: runs[i] }));
  // Each configuration against one model of its size on the default pool, in the same
  // round: a ratio of neighbours in time, less exposed to the machine's changing load.
  const aloneIndex = (size) => configs.findIndex((c) => c.size === size && c.models === 1 && !c.workers);
  const rows = configs.map((config, i) => {
    const alone = runs[aloneIndex(config.size)];
    const ratios = runs[i].map((run, round) => run.samplesPerSecond / alone[round].samplesPerSecond);
    const spread = rounds > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
    const mark = config.workers === undefined ? ' (default)' : '';
    return [
      config.size,
      String(config.models),
      `${runs[i][0].maxWorkers}${mark}`,
      `${runs[i][0].blasThreads}${mark}`,
      perSecond(med(runs[i], (r) => r.samplesPerSecond)),
      i === aloneIndex(config.size) ? '1' : `**${median(ratios).toFixed(2)}×**${spread}`,
      runs[i].map((r) => r.coresUsed.toFixed(2)).join(', '),
    ];
  });
  const table = markdownTable(
    [
      'size',
      'models at once',
      'workers',
      'OpenBLAS threads',
      'aggregate samples/s',
      'vs 1 model (range)',
      'cores used, per round',
    ],
    rows,
  );
  sections.push(`## Models trained at once

Each model trains on its own data, ${S.batchesPerEpoch} batches per epoch for S and
${M.batchesPerEpoch} for M. Aggregate samples/s = all models' samples ÷ the wall time of
the whole set of fits, after a warm-up that starts the workers. "vs 1 model" is the
median over rounds of the ratio to one model of the same size on the default pool in
the same round (lowest–highest round). "Cores used" is the process's CPU time over the
wall time, round by round: where two workers got less than two cores, other work on
the machine held one, and the ratio says nothing about scaling. Sizes:
${describeSize(SIZES.S)}, ${describeSize(SIZES.M)}.

${table}`);
}

if (parts.has('http')) {
  const HTTP_TRAINING = ['none', 'busy-core', 'background', 'in-thread'];
  const load = { requests: quick ? 400 : 2000, rate: 200, timeLimitMs: quick ? 8000 : 20_000 };
  const runs = await inRounds(HTTP_TRAINING, async (mode, round) => {
    const { output, ...result } = await httpRun(mode, load);
    log.add(`HTTP, training ${mode}`, output);
    progress(`[${round + 1}/${rounds}] HTTP, training ${mode}: p99 ${ms(result.load.latencyMs.p99)}`);
    return result;
  });
  json.http = HTTP_TRAINING.map((mode, i) => ({ mode, load, runs: runs[i] }));
  const table = markdownTable(
    ['training', 'answered', 'p50', 'p90', 'p99', 'max', 'training samples/s'],
    HTTP_TRAINING.map((mode, i) => {
      const timedOut = runs[i].some((r) => r.load.timedOut);
      return [
        LABEL[mode],
        `${Math.round(med(runs[i], (r) => r.load.answered))} of ${load.requests}${timedOut ? ' (time limit)' : ''}`,
        ms(med(runs[i], (r) => r.load.latencyMs.p50)),
        ms(med(runs[i], (r) => r.load.latencyMs.p90)),
        `**${ms(med(runs[i], (r) => r.load.latencyMs.p99))}**`,
        ms(med(runs[i], (r) => r.load.latencyMs.max)),
        perSecond(med(runs[i], (r) => r.served.samplesPerSecond)),
      ];
    }),
  );
  sections.push(`## HTTP latency while a model trains

A server on 127.0.0.1 answering a small JSON body; a separate process sends
${load.requests} GET requests at ${load.rate} per second (open loop) over keep-alive
connections and stops at ${load.timeLimitMs / 1000} s. The model is ${describeSize(SIZES.M)}.
"a busy core" runs no model: a worker thread spins instead, taking a core from the
server as training does, which tells what a busy core costs apart from what training
costs.

${table}`);
}

log.save();
const markdown = `# Training inside a server

${machineMarkdown(info, [`- Rounds: ${rounds}; every figure is the median over the rounds`])}

${sections.join('\n\n')}
`;
process.stdout.write(markdown);
if (quick || parts.size < 3) {
  progress(`A partial run: results/ and the README are left alone. Output of every peer: ${log.path}`);
} else {
  writeFileSync(join(resultsDir, 'server.md'), markdown);
  writeFileSync(join(resultsDir, 'server.json'), `${JSON.stringify(json, null, 2)}\n`);
  const where = `Measured ${info.date.slice(0, 10)} on ${info.cpu}, ${info.logicalCpus} logical CPUs, Node.js ${info.node}, load average ${info.loadAverage} at the start; ${rounds} round(s), medians.`;
  updateReadmeBlock('server', `${where}\n\n${sections.join('\n\n').replaceAll('## ', '#### ')}`);
  progress(`Wrote results/server.{md,json} and the README's block; output of every peer: ${log.path}`);
}

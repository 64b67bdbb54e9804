#!/usr/bin/env node
// `npm run bench`: one training step of the two-layer regression network, in blasprop
// and in its peers, each in a process of its own, interleaved in rounds, all on the
// same data and initial weights. A full run writes results/train-step.{md,json,svg}
// and the README's summary table; --quick (about a minute) only prints and logs.
//
//   node bench/train-step/run.js [--quick] [--rounds 3] [--threads 1,2] [--sizes XS,S,M,L]
//                                [--peers id,id,...] [--slow-sizes XS,S,M]

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOSS_TOLERANCE } from '../lib/agreement.mjs';
import { renderSvg } from '../lib/chart.mjs';
import { compileEachPrecision } from '../lib/compile.mjs';
import { peersToRun } from '../lib/floors.mjs';
import { loadAverage, machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { duration } from '../lib/markdown.mjs';
import { ensureDirs, rawDir, resultsDir } from '../lib/paths.mjs';
import { interleaved } from '../lib/schedule.mjs';
import {
  availablePeers,
  progress,
  Results,
  rawLogWriter,
  requireBuiltPackage,
  runnerOptions,
  runSchedule,
} from '../lib/session.mjs';
import { median } from '../lib/stats.mjs';
import { updateReadmeSummary } from '../lib/summary.mjs';
import { writeProblem } from './data.js';
import { keyOf, TrainStepReport } from './report.js';
import { SIZES } from './sizes.js';

requireBuiltPackage();
const { PEERS, locatePeers } = await import('./peers.js');

const options = runnerOptions({
  sizes: { type: 'string' },
  peers: { type: 'string' },
  'slow-sizes': { type: 'string' },
});
const quick = options.quick;
const sizes = (options.sizes ?? (quick ? 'XS,S,M' : 'XS,S,M,L')).split(',').map((name) => {
  if (!SIZES[name]) throw new Error(`unknown size ${name} (expected one of ${Object.keys(SIZES).join(', ')})`);
  return SIZES[name];
});
const threadCounts = quick && options.threads.join() === '1,2' ? [1] : options.threads;
const rounds = Number(options.rounds ?? (quick ? 1 : 3));
const CHECK_STEPS = 2;

// Blocks long enough to hold several steps where steps are short; at L a step of the
// BLAS peers takes a large part of a second, so blocks are single steps.
const TIMING = quick
  ? {
      XS: { 'warmup-ms': 100, 'block-ms': 50, blocks: 3 },
      S: { 'warmup-ms': 100, 'block-ms': 50, blocks: 3 },
      M: { 'warmup-ms': 150, 'block-ms': 100, blocks: 3 },
      L: { 'warmup-ms': 0, 'block-ms': 0, blocks: 2 },
    }
  : {
      XS: { 'warmup-ms': 200, 'block-ms': 100, blocks: 5 },
      S: { 'warmup-ms': 200, 'block-ms': 100, blocks: 5 },
      M: { 'warmup-ms': 300, 'block-ms': 250, blocks: 5 },
      L: { 'warmup-ms': 500, 'block-ms': 500, blocks: 3 },
    };
// The slow peers take seconds per step beyond S: there they run in the first round
// only, their check steps being the warm-up, and time single steps. By default they are
// left out at L, where the run would wait on them for many minutes.
const SLOW_TIMING = { 'warmup-ms': 0, 'block-ms': 0, blocks: 1 };
const slowSizes = (options['slow-sizes'] ?? (quick ? 'XS,S' : 'XS,S,M')).split(',');

ensureDirs();
const info = machineInfo();
const cBinaries = compileEachPrecision('train_step', [fileURLToPath(new URL('./c/train_step.c', import.meta.url))]);
const located = locatePeers(cBinaries);
const selected = options.peers ? new Set(options.peers.split(',')) : undefined;
const peers = peersToRun(PEERS, selected);
const { runnable, skipped } = availablePeers(peers, located);
const slowLeftOut = sizes.filter((size) => !slowSizes.includes(size.name)).map((size) => size.name);
const slowNames = runnable.filter((p) => p.slow).map((p) => p.label);
if (slowLeftOut.length && slowNames.length) {
  skipped.push(
    `- ${slowNames.join(', ')}: not run at ${slowLeftOut.join(', ')}, to keep the run short (\`--slow-sizes XS,S,M,L\` includes them)`,
  );
}
for (const line of skipped) progress(line);

const problems = Object.fromEntries(sizes.map((size) => [size.name, writeProblem(size)]));
const configs = sizes.flatMap((size) => threadCounts.map((threads) => ({ size, threads })));
const peersOf = ({ size, threads }) =>
  runnable.filter((p) => (p.threaded || threads === threadCounts[0]) && (!p.slow || slowSizes.includes(size.name)));

const results = new Results();
const log = rawLogWriter(quick ? 'train-step-quick' : 'train-step');
const started = Date.now();
const failures = await runSchedule(interleaved(configs, peersOf, rounds), {
  located,
  rounds,
  results,
  log,
  keyOf: ({ size, threads }, peerId) => keyOf(size, threads, peerId),
  threadsOf: ({ threads }) => threads,
  describe: ({ size, threads }) => `${size.name}, ${threads} thread(s)`,
  format: (result) => duration(median(result.blockUs)),
  flagsOf({ size, threads }, peer, round) {
    const slowHere = peer.slow && !size.small;
    if (slowHere && round > 0) return undefined;
    const base = TIMING[size.name];
    const timing = slowHere
      ? SLOW_TIMING
      : { ...base, 'warmup-ms': Math.max(base['warmup-ms'], quick ? 0 : (peer.warmupMs ?? 0)) };
    return { ...timing, threads, data: problems[size.name], 'check-steps': CHECK_STEPS };
  },
});
log.save();
info.loadAverageAtEnd = loadAverage();
const minutes = (Date.now() - started) / 60_000;

const report = new TrainStepReport({ results, peers: runnable, sizes, threadCounts });
const method = [
  `Measured side by side in one run (${minutes.toFixed(1)} min): ${rounds} round(s); in each round every implementation ran in a fresh process of its own, peers of one size and thread count back to back in rotating order.`,
  `Each process loads the same data and initial weights (He-initialised, seeded) from one file, runs ${CHECK_STEPS} steps whose losses are compared with the C loop's (relative tolerance ${LOSS_TOLERANCE.f64} for float64, ${LOSS_TOLERANCE.f32} for float32), warms up, then times blocks of steps.`,
  'Time is the median over all timed blocks; ± is their interquartile range as a percentage of the median. GFLOPS counts the five GEMMs of a step (4·N·D·H + 6·N·H·O flops). "vs" columns compare with that peer (NumPy in its fastest form) at the same size and thread count: the median, over rounds, of the ratio of the two medians within a round. "vs C loop" is against the C loop of the row\'s own precision: float32 rows (blasprop, PyTorch and TensorFlow.js in float32) against the C loop built for float (the same source, on the data and weights rounded to float32 once at load), float64 rows against the float64 loop. Peak RSS is the process\'s high-water mark (VmHWM), runtime included.',
  ...(Math.max(...threadCounts) >= os.cpus().length
    ? [
        `With ${Math.max(...threadCounts)} BLAS threads a step needs every core of this ${os.cpus().length}-core machine, so any other work on it disturbs those rows far more than the 1-thread rows: read their spread before their ratios.`,
      ]
    : []),
  'The peers that reach no tuned GEMM (plain loops, ml-matrix, the TensorFlow.js CPU backend, and the WebAssembly backend through optimizer.minimize) take seconds per step beyond S, so there they run in one round only, timing single steps.',
  '"Fastest form" and "idiomatic" mark a library measured in two formulations: the fastest correct one found, and the one its documentation teaches (bench/README.md says what each is).',
].join('\n');
const sections = [
  method,
  '',
  ...sizes.map((size) => `${report.sizeTable(size)}\n`),
  '**Targets** (blasprop against the C loop over the same OpenBLAS in its own precision, float64 or float32; the same targets for both):',
  '',
  ...report.targets(),
  '',
  '**Software as each implementation reported it:**',
  '',
  ...report.software(),
  ...(skipped.length ? ['', '**Not measured:**', '', ...skipped] : []),
  '',
  '**Machine:**',
  '',
  machineMarkdown(info),
  ...(failures.length ? ['', '**Failed runs:**', '', ...failures.map((f) => `- ${f.split('\n')[0]}`)] : []),
];
const markdown = sections.join('\n');
const document = `# Training-step benchmark\n\n${markdown}\n\nRerun: \`npm run bench\` (\`npm run bench -- --quick\` for a run of about a minute).\n`;

const outDir = quick ? rawDir : resultsDir;
const base = quick ? 'train-step-quick' : 'train-step';
writeFileSync(join(outDir, `${base}.md`), document);
writeFileSync(
  join(outDir, `${base}.json`),
  `${JSON.stringify({ machine: info, rounds, threadCounts, sizes: report.data(), failures }, null, 2)}\n`,
);
writeFileSync(join(outDir, `${base}.svg`), await renderSvg(report.chartSpec()));
if (!quick) updateReadmeSummary();
process.stdout.write(`${document}\nWrote ${join(outDir, `${base}.md`)} (raw log: ${log.path})\n`);
if (failures.length || !report.allLossesAgree()) process.exitCode = 1;

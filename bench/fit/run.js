#!/usr/bin/env node
// `npm run bench:fit`: mini-batch training over whole epochs (shuffle, gather, step),
// in blasprop's fit and in its peers, each in a process of its own, interleaved in
// rounds, all on the same data, initial weights and row order, at one thread. A full
// run writes results/fit.{md,json,svg} and the README's summary table; --quick (a few
// minutes) only prints and logs.
//
//   node bench/fit/run.js [--quick] [--rounds 3] [--configs XS,CLI,S] [--peers id,id,...]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LOSS_TOLERANCE } from '../lib/agreement.mjs';
import { renderSvg } from '../lib/chart.mjs';
import { compileEachPrecision } from '../lib/compile.mjs';
import { peersToRun } from '../lib/floors.mjs';
import { loadAverage, machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { rate } from '../lib/markdown.mjs';
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
import { FIT_CONFIGS, samplesPerCall, TRAINING } from './configs.js';
import { chartSpec, FitReport, keyOf } from './report.js';

requireBuiltPackage();
const { PEERS, locatePeers } = await import('./peers.js');
const { writeFitProblem } = await import('./data.js');

const options = runnerOptions({ configs: { type: 'string' }, peers: { type: 'string' } }, { threads: false });
const quick = options.quick;
const configs = (options.configs ?? 'XS,CLI,S').split(',').map((name) => {
  if (!FIT_CONFIGS[name])
    throw new Error(`unknown configuration ${name} (expected ${Object.keys(FIT_CONFIGS).join(', ')})`);
  return FIT_CONFIGS[name];
});
const rounds = Number(options.rounds ?? (quick ? 1 : 3));
// A call is a whole fit of several epochs, from tens of milliseconds (the C loop at XS)
// to seconds (a DataLoader at S): blocks hold several calls of the fast peers and one
// of the slow ones. fit runs at one thread: a worker is given one OpenBLAS thread,
// and these networks are too small for a second.
const TIMING = quick ? { 'warmup-ms': 0, 'block-ms': 0, blocks: 1 } : { 'warmup-ms': 300, 'block-ms': 1000, blocks: 3 };
const THREADS = 1;

ensureDirs();
const info = machineInfo();
const cBinaries = compileEachPrecision('fit_loop', [fileURLToPath(new URL('./c/fit_loop.c', import.meta.url))]);
const located = locatePeers(cBinaries);
const selected = options.peers ? new Set(options.peers.split(',')) : undefined;
const peers = peersToRun(PEERS, selected);
const { runnable, skipped } = availablePeers(peers, located);
for (const line of skipped) progress(line);

const problems = Object.fromEntries(configs.map((config) => [config.name, writeFitProblem(config)]));
const results = new Results();
const log = rawLogWriter(quick ? 'fit-quick' : 'fit');
const started = Date.now();
const failures = await runSchedule(
  interleaved(configs, () => runnable, rounds),
  {
    located,
    rounds,
    results,
    log,
    keyOf: (config, peerId) => keyOf(config, peerId),
    threadsOf: () => THREADS,
    describe: (config) => config.name,
    format: (result, config) => rate(samplesPerCall(config) / (median(result.blockUs) * 1e-6)),
    flagsOf: (config) => ({ ...TIMING, threads: THREADS, data: problems[config.name] }),
  },
);
log.save();
info.loadAverageAtEnd = loadAverage();
const minutes = (Date.now() - started) / 60_000;

const report = new FitReport({ results, peers: runnable, configs });
const method = [
  `Measured side by side in one run (${minutes.toFixed(1)} min): ${rounds} round(s); in each round every implementation ran in a fresh process of its own, the peers of one configuration back to back in rotating order. Everything at one thread (OpenBLAS, and torch.set_num_threads(1)).`,
  `Each process loads one file: the data set, He-initialised weights, and the row order of the first ${TRAINING.checkEpochs} epochs as blasprop's fit shuffles them (seed ${TRAINING.seed}). It trains those epochs from those weights — batch ${TRAINING.batchSize}, mean squared error, SGD at lr ${TRAINING.lr} — and their losses are compared with the C loop's (relative tolerance ${LOSS_TOLERANCE.f64} for float64, ${LOSS_TOLERANCE.f32} for float32). Then it times whole fits of ${TRAINING.epochsPerCall} epochs each, every epoch shuffled as the implementation shuffles: the C loop with blasprop's generator, PyTorch with torch.randperm or its DataLoader.`,
  "samples/s is rows trained per second of a whole fit, from the median time per fit over all timed blocks; ± is the interquartile range of the blocks as a percentage of the median. \"samples/s ÷ C loop\" is the median, over rounds, of the ratio within a round (the per-round range shows the lowest and highest), against the C loop of the row's own precision: float32 rows against the C epoch loop built for float (the same source, on the data and weights rounded to float32 once at load), float64 rows against the float64 loop, since a float32 step moves half the bytes and runs twice the flops per cycle. Time per batch is the time per fit divided by its batches: the gather, the step and the loop's share. Peak RSS is the process's high-water mark (VmHWM), runtime and data set included.",
  '"fastest" and "idiomatic" mark PyTorch\'s two loops, both over nn.Linear layers with autograd, MSELoss and optim.SGD: the fastest correct one found, and the DataLoader its tutorials use (bench/README.md says what each is).',
].join('\n');
const sections = [
  method,
  '',
  ...configs.map((config) => `${report.configTable(config)}\n`),
  '**Targets** (blasprop against the C epoch loop over the same OpenBLAS in its own precision, float64 or float32; the same targets for both):',
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
const document = `# Fit benchmark: samples per second over whole epochs\n\n${sections.join('\n')}\n\nRerun: \`npm run bench:fit\` (\`npm run bench:fit -- --quick\` for a short run).\n`;

const outDir = quick ? rawDir : resultsDir;
const base = quick ? 'fit-quick' : 'fit';
const data = report.data();
writeFileSync(join(outDir, `${base}.md`), document);
writeFileSync(
  join(outDir, `${base}.json`),
  `${JSON.stringify({ machine: info, rounds, training: TRAINING, timing: TIMING, configs: data, failures }, null, 2)}\n`,
);
writeFileSync(join(outDir, `${base}.svg`), await renderSvg(chartSpec(data, runnable)));
if (!quick) updateReadmeSummary();
process.stdout.write(`${document}\nWrote ${join(outDir, `${base}.md`)} (raw log: ${log.path})\n`);
if (failures.length || !report.allLossesAgree()) process.exitCode = 1;

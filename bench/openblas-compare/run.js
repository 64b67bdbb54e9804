#!/usr/bin/env node
// `npm run bench:openblas`: the same blasprop code on two (or more) addon binaries,
// typically linked to different OpenBLAS builds, side by side in one run: dgemm at
// 32³, 256³ and 1024³ (the gemm benchmark's Node peer, public `dgemm`) and one
// training step at S, M and L (the train-step benchmark's TwoLayerRegressor peer).
// Each binary is loaded through BLASPROP_BINDING, in a fresh process per measurement,
// in interleaved rounds; ratios are against the first binary.
//
//   node bench/openblas-compare/run.js --binary NAME=PATH --binary NAME=PATH
//        [--rounds 3] [--threads 1,2] [--out NAME]
//
// A full run writes results/<out>.{md,json} (default openblas-compare) and, for the
// default name, the README's block of that name.

import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SHAPES } from '../gemm/shapes.js';
import { loadAverage, machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { duration, markdownTable, sig } from '../lib/markdown.mjs';
import { ensureDirs, resultsDir } from '../lib/paths.mjs';
import { updateReadmeBlock } from '../lib/readme.mjs';
import { interleaved } from '../lib/schedule.mjs';
import { progress, Results, rawLogWriter, requireBuiltPackage } from '../lib/session.mjs';
import { PeerError, runPeer } from '../lib/spawn.mjs';
import { median, pairedRatio, summarize } from '../lib/stats.mjs';
import { writeProblem } from '../train-step/data.js';
import { describeSize, SIZES } from '../train-step/sizes.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const { values } = parseArgs({
  options: {
    binary: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1,2' },
    out: { type: 'string', default: 'openblas-compare' },
  },
});
const binaries = values.binary.map((spec) => {
  const [name, ...path] = spec.split('=');
  if (!name || path.length === 0) throw new Error(`--binary ${spec}: expected NAME=PATH`);
  return { name, path: resolve(path.join('=')) };
});
if (binaries.length < 2) throw new Error('give at least two --binary NAME=PATH, the first being the baseline');
const rounds = Number(values.rounds);
const threadCounts = values.threads.split(',').map(Number);

// The same timing as the two benchmarks these figures come from.
const GEMM_TIMING = { 'warmup-ms': 200, 'block-ms': 100, blocks: 5 };
const STEP_TIMING = {
  S: { 'warmup-ms': 200, 'block-ms': 100, blocks: 5 },
  M: { 'warmup-ms': 300, 'block-ms': 250, blocks: 5 },
  L: { 'warmup-ms': 500, 'block-ms': 500, blocks: 3 },
};
const GEMM_SHAPES = ['32×32×32', '256×256×256', '1024×1024×1024'].map((name) => SHAPES.find((s) => s.name === name));

requireBuiltPackage();
ensureDirs();
const info = machineInfo();
const problems = Object.fromEntries(Object.values(SIZES).map((size) => [size.name, writeProblem(size)]));

/** One row of the comparison: what is measured, and the peer command that measures it. */
const workloads = [
  ...GEMM_SHAPES.map((shape) => ({
    label: `dgemm ${shape.name}`,
    script: here('../gemm/node-peer.js'),
    args: { ...GEMM_TIMING, mode: 'api', m: shape.m, n: shape.n, k: shape.k, transa: 'N', transb: 'N' },
    same: (a, b) => Math.abs(a.checksum - b.checksum) <= 1e-12 * Math.max(1, Math.abs(a.checksum)),
  })),
  ...Object.values(SIZES).map((size) => ({
    label: `train step ${describeSize(size)}`,
    script: here('../train-step/node/peer.js'),
    args: { ...STEP_TIMING[size.name], impl: 'blasprop-regressor', data: problems[size.name], 'check-steps': 2 },
    // The train-step benchmark's tolerance for float64 peers.
    same: (a, b) => a.checkLosses.every((loss, i) => Math.abs(loss - b.checkLosses[i]) <= 1e-9 * Math.abs(loss)),
  })),
];
const configs = workloads.flatMap((workload) => threadCounts.map((threads) => ({ workload, threads })));
const keyOf = ({ workload, threads }, binary) => `${workload.label}|${threads}|${binary.name}`;

const results = new Results();
const log = rawLogWriter(values.out);
const failures = [];
const started = Date.now();
for (const { round, config, peer: binary } of interleaved(configs, () => binaries, rounds)) {
  const { workload, threads } = config;
  const flags = Object.entries({ ...workload.args, threads }).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const env = { BLASPROP_BINDING: binary.path, OPENBLAS_NUM_THREADS: String(threads) };
  try {
    const result = await runPeer(process.execPath, [workload.script, ...flags], { env, timeoutMs: 600_000 });
    results.add(keyOf(config, binary), round, result);
    log.add(`round ${round} ${workload.label} threads ${threads} ${binary.name}`, result.log);
    progress(
      `[${round + 1}/${rounds}] ${workload.label}, ${threads} thread(s), ${binary.name}: ${duration(median(result.blockUs))}`,
    );
  } catch (error) {
    if (!(error instanceof PeerError)) throw error;
    failures.push(`${binary.name}, ${workload.label}, ${threads} thread(s): ${error.message}`);
    progress(error.message);
  }
}
log.save();
info.loadAverageAtEnd = loadAverage();
const minutes = (Date.now() - started) / 60_000;

const [baseline, ...others] = binaries;
const rows = [];
let allSame = true;
for (const config of configs) {
  const first = results.first(keyOf(config, baseline));
  const cells = [config.workload.label, String(config.threads)];
  for (const binary of binaries) {
    const samples = results.all(keyOf(config, binary));
    const s = summarize(samples);
    cells.push(samples.length ? `${duration(s.median)} ±${sig(s.spreadPct, 2)}%` : '—');
  }
  for (const binary of others) {
    const r = pairedRatio(results.rounds(keyOf(config, binary)), results.rounds(keyOf(config, baseline)));
    cells.push(r.rounds ? `**${r.ratio.toFixed(3)}** (${r.low.toFixed(2)}–${r.high.toFixed(2)})` : '—');
    const run = results.first(keyOf(config, binary));
    const same = Boolean(first && run && config.workload.same(first, run));
    allSame &&= same;
    cells.push(same ? 'yes' : '**NO**');
  }
  rows.push(cells);
}
const headers = [
  'workload',
  'threads',
  ...binaries.map((b) => b.name),
  ...others.flatMap((b) => [`${b.name} ÷ ${baseline.name} (range)`, 'same result']),
];
const software = binaries.map((binary) => {
  const blas = results.first(keyOf(configs[0], binary))?.blas;
  return `- ${binary.name}: \`${binary.path}\`: ${blas?.config ?? 'n/a'} (core ${blas?.corename ?? 'n/a'}, ${blas?.linkage ?? 'n/a'})`;
});
const markdown = [
  `The same blasprop code on ${binaries.length} addon binaries, loaded through \`BLASPROP_BINDING\`, measured side by side in one run (${minutes.toFixed(1)} min): ${rounds} round(s); in each, every binary ran each workload in a fresh process, back to back in rotating order. Time is the median over all timed blocks (± the interquartile range as a percentage of the median); the ratio is the median over rounds of the per-round ratio of medians, with the lowest and highest per-round ratio. Below 1 means faster than ${baseline.name}. "dgemm" is the public \`dgemm\` (gemm benchmark's Node peer); "train step" is \`TwoLayerRegressor.trainStep\` (train-step benchmark's peer); "same result" compares the product's checksum or the first two steps' losses (relative 1e-9).`,
  '',
  markdownTable(headers, rows),
  '',
  '**Binaries:**',
  '',
  ...software,
  '',
  machineMarkdown(info),
  ...(failures.length ? ['', '**Failed runs:**', '', ...failures.map((f) => `- ${f.split('\n')[0]}`)] : []),
].join('\n');
const document = `# blasprop on different OpenBLAS builds\n\n${markdown}\n\nRerun: \`npm run bench:openblas -- ${values.out === 'openblas-compare' ? '' : `--out ${values.out} `}${binaries.map((b) => `--binary "${b.name}=PATH"`).join(' ')}\` (see bench/README.md).\n`;
writeFileSync(join(resultsDir, `${values.out}.md`), document);
writeFileSync(
  join(resultsDir, `${values.out}.json`),
  `${JSON.stringify({ machine: info, rounds, threadCounts, binaries, rows, failures }, null, 2)}\n`,
);
if (values.out === 'openblas-compare') {
  updateReadmeBlock(
    'openblas-compare',
    `${markdown}\n\nFull results: [bench/results/openblas-compare.md](bench/results/openblas-compare.md).`,
  );
}
process.stdout.write(`${document}\nWrote ${join(resultsDir, `${values.out}.md`)} (raw log: ${log.path})\n`);
if (failures.length || !allSame) process.exitCode = 1;

#!/usr/bin/env node
// `npm run bench:gemm`: microseconds per dgemm call made from Node against the same
// call made from C, linked to the same OpenBLAS with the same thread count, measured
// side by side in interleaved rounds. A full run writes results/gemm.{md,json,svg} and
// the README's summary table; --quick only prints and logs.
//
//   node bench/gemm/run.js [--rounds 3] [--threads 1,2] [--quick]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { renderSvg } from '../lib/chart.mjs';
import { compileC } from '../lib/compile.mjs';
import { loadAverage, machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { duration, markdownTable, sig } from '../lib/markdown.mjs';
import { ensureDirs, rawDir, resultsDir } from '../lib/paths.mjs';
import { interleaved } from '../lib/schedule.mjs';
import { progress, Results, rawLogWriter, requireBuiltPackage, runnerOptions } from '../lib/session.mjs';
import { PeerError, runPeer } from '../lib/spawn.mjs';
import { median, pairedRatio, summarize } from '../lib/stats.mjs';
import { updateReadmeSummary } from '../lib/summary.mjs';
import { SHAPES, targetRatio } from './shapes.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const options = runnerOptions();
const rounds = Number(options.rounds ?? (options.quick ? 1 : 3));
const timing = options.quick
  ? { 'warmup-ms': 100, 'block-ms': 50, blocks: 3 }
  : { 'warmup-ms': 200, 'block-ms': 100, blocks: 5 };

requireBuiltPackage();
ensureDirs();
const info = machineInfo();
const cBinary = compileC('gemm', [here('./gemm.c')]);

const PEERS = {
  c: { label: 'C', command: cBinary, args: [] },
  api: { label: 'Node dgemm', command: process.execPath, args: [here('./node-peer.js'), '--mode', 'api'] },
  raw: { label: 'Node raw addon', command: process.execPath, args: [here('./node-peer.js'), '--mode', 'raw'] },
};

const configs = SHAPES.flatMap((shape) => options.threads.map((threads) => ({ shape, threads })));
const keyOf = (config, peer) => `${config.shape.name}|${config.threads}|${peer}`;
const results = new Results();
const log = rawLogWriter('gemm');
const failures = [];

for (const { round, config, peer } of interleaved(configs, () => Object.keys(PEERS), rounds)) {
  const { shape, threads } = config;
  const flags = Object.entries({
    ...timing,
    threads,
    m: shape.m,
    n: shape.n,
    k: shape.k,
    transa: shape.transA,
    transb: shape.transB,
  }).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const { command, args, label } = PEERS[peer];
  try {
    const result = await runPeer(command, [...args, ...flags], { env: { OPENBLAS_NUM_THREADS: String(threads) } });
    results.add(keyOf(config, peer), round, result);
    log.add(`round ${round} ${shape.name} threads ${threads} ${peer}`, result.log);
    progress(
      `[${round + 1}/${rounds}] ${shape.name}, ${threads} thread(s), ${label}: ${duration(median(result.blockUs))}`,
    );
  } catch (error) {
    if (!(error instanceof PeerError)) throw error;
    failures.push(error.message);
    progress(error.message);
  }
}
log.save();
info.loadAverageAtEnd = loadAverage();

// Every peer must have computed the same product, or the timings compare nothing.
function checksumsAgree(config) {
  const sums = Object.keys(PEERS).flatMap((p) => results.runs(keyOf(config, p)).map((r) => r.checksum));
  return sums.every((s) => Math.abs(s - sums[0]) <= 1e-12 * Math.max(1, Math.abs(sums[0])));
}

const rows = [];
const summary = [];
for (const config of configs) {
  const { shape, threads } = config;
  const c = summarize(results.all(keyOf(config, 'c')));
  const api = summarize(results.all(keyOf(config, 'api')));
  const raw = summarize(results.all(keyOf(config, 'raw')));
  const apiRatio = pairedRatio(results.rounds(keyOf(config, 'api')), results.rounds(keyOf(config, 'c')));
  const rawRatio = pairedRatio(results.rounds(keyOf(config, 'raw')), results.rounds(keyOf(config, 'c')));
  const target = targetRatio(shape);
  const agree = checksumsAgree(config);
  const verdict = target === undefined ? '' : apiRatio.ratio <= target ? `≤ ${target} ✓` : `≤ ${target} ✗`;
  rows.push([
    shape.name,
    String(threads),
    `${duration(c.median)} ±${sig(c.spreadPct, 2)}%`,
    `${duration(api.median)} ±${sig(api.spreadPct, 2)}%`,
    `**${apiRatio.ratio.toFixed(3)}**`,
    `${apiRatio.low.toFixed(2)}–${apiRatio.high.toFixed(2)}`,
    verdict,
    `${duration(raw.median)} (${rawRatio.ratio.toFixed(3)})`,
    agree ? 'yes' : '**NO**',
  ]);
  summary.push({ shape, threads, c, api, raw, apiRatio, rawRatio, target, checksumsAgree: agree });
}

const emptyCalls = Object.keys(PEERS)
  .filter((p) => p !== 'c')
  .flatMap((p) => configs.flatMap((config) => results.runs(keyOf(config, p)).map((r) => r.emptyNapiCallUs)));
const blas = results.first(keyOf(configs[0], 'c'))?.blas;

const table = markdownTable(
  [
    'dgemm (m×k · k×n)',
    'threads',
    'C',
    'Node `dgemm`',
    'Node/C',
    'per-round range',
    'target',
    'raw addon (÷C)',
    'same result',
  ],
  rows,
);
const report = [
  '# dgemm call cost: Node vs C',
  '',
  `Median time per call; ± is the interquartile range of the timed blocks as a percentage of the median. ${rounds} interleaved round(s) of ${timing.blocks} blocks (~${timing['block-ms']} ms each, after ${timing['warmup-ms']} ms warm-up) per peer, each run in its own process, all measured side by side in one run.`,
  '"Node `dgemm`" is the public function (argument validation, then the addon); "raw addon" calls the addon directly, without validation. Node/C is the median over rounds of the ratio of the two medians within a round; the per-round range shows the lowest and highest of those.',
  '',
  table,
  '',
  `An empty Node-API call (no work in C) costs ${sig(median(emptyCalls) * 1000)} ns here.`,
  '',
  machineMarkdown(info, [
    `- OpenBLAS as loaded by the C peer: ${blas?.config ?? 'n/a'} (core ${blas?.corename ?? 'n/a'})`,
  ]),
  '',
  'Rerun: `npm run bench:gemm` (`-- --quick` for a short run).',
  ...(failures.length ? ['', '## Failed runs', '', ...failures.map((f) => `- ${f.split('\n')[0]}`)] : []),
  '',
].join('\n');

const chart = await renderSvg({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'dgemm from Node: time per call relative to C (1.0 = same as C)',
  data: {
    values: summary.map((s) => ({ shape: s.shape.name, threads: `${s.threads} thread(s)`, ratio: s.apiRatio.ratio })),
  },
  layer: [
    {
      // Bars grow from 1.0 (no overhead) to the measured ratio, on a log scale so that
      // the small shapes' large ratios do not flatten the rest.
      mark: 'bar',
      encoding: {
        y: { field: 'shape', type: 'nominal', sort: null, title: null, axis: { labelLimit: 260 } },
        yOffset: { field: 'threads' },
        x: { field: 'ratio', type: 'quantitative', title: 'Node time / C time (log scale)', scale: { type: 'log' } },
        x2: { datum: 1 },
        color: { field: 'threads', type: 'nominal', title: null },
      },
    },
    { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { datum: 1 } } },
  ],
  width: 480,
});

// A quick run is for checking the setup: it leaves the committed results alone.
const outDir = options.quick ? rawDir : resultsDir;
const base = options.quick ? 'gemm-quick' : 'gemm';
writeFileSync(join(outDir, `${base}.md`), report);
writeFileSync(join(outDir, `${base}.svg`), chart);
writeFileSync(join(outDir, `${base}.json`), `${JSON.stringify({ machine: info, rounds, timing, summary }, null, 2)}\n`);
if (!options.quick) updateReadmeSummary();
process.stdout.write(`${report}\nWrote ${join(outDir, `${base}.md`)} (raw log: ${log.path})\n`);
if (failures.length || summary.some((s) => !s.checksumsAgree)) process.exitCode = 1;

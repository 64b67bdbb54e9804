// The README's one summary table, built from the saved results of every benchmark
// (results/fit.json, train-step.json, gemm.json): each implementation's speed relative
// to the C loop over the same OpenBLAS in its own precision (lib/floors.mjs), at one
// thread, beside the figure measured. The
// full tables stay in results/*.md. Each full run of a benchmark rebuilds the table,
// so it always shows the latest results of all of them.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { C_FLOORS, isFloor } from './floors.mjs';
import { duration, markdownTable, rate, sig } from './markdown.mjs';
import { resultsDir } from './paths.mjs';
import { updateReadmeBlock } from './readme.mjs';

/** The dgemm shape the summary quotes: small enough that the cost of the call shows. */
const GEMM_SHAPE = '32×32×32';

/**
 * The table's rows: which peer of each benchmark an implementation is (see
 * fit/peers.js, train-step/peers.js, gemm/run.js); a missing id leaves the cell empty.
 */
export const SUMMARY_ROWS = [
  { label: 'C loop over OpenBLAS (the float64 floor)', fit: 'c-loop', step: 'c-loop', gemm: 'c' },
  { label: 'C loop over OpenBLAS in **float32** (the float32 floor)', fit: 'c-loop-f32', step: 'c-loop-f32' },
  {
    label: 'blasprop: `fit` (background worker, the default) · `TwoLayerRegressor.trainStep` · `dgemm`',
    fit: 'blasprop-regressor-worker',
    step: 'blasprop-regressor',
    gemm: 'api',
  },
  {
    label: "blasprop **float32** (`dtype: 'float32'`): `fit` (background worker) · `TwoLayerRegressor.trainStep`",
    fit: 'blasprop-regressor-f32-worker',
    step: 'blasprop-regressor-f32',
  },
  {
    label: 'blasprop: `fit({ background: false })` · `Sequential` + `MSELoss` + `SGD`',
    fit: 'blasprop-regressor-thread',
    step: 'blasprop-sequential',
  },
  {
    label: 'blasprop: `Model.fit`, a Model composed by hand (background) · `Model.trainStep`',
    fit: 'blasprop-model-worker',
    step: 'blasprop-model',
  },
  {
    label: 'PyTorch float64, nn + autograd + SGD (fit: fastest loop, randperm + index_select)',
    fit: 'torch-fastest',
    step: 'torch-nn',
  },
  { label: 'PyTorch float64, tensor ops by hand (fastest form)', step: 'torch-manual' },
  { label: 'PyTorch float64, DataLoader(shuffle=True) (idiomatic)', fit: 'torch-dataloader' },
  {
    label: 'PyTorch **float32**, nn + autograd + SGD (fit: fastest loop)',
    fit: 'torch-fastest-f32',
    step: 'torch-nn-f32',
  },
  { label: 'NumPy, buffers allocated once (fastest form)', step: 'numpy-preallocated' },
  { label: 'TensorFlow.js WebAssembly **float32**, gradients by hand (fastest form)', step: 'tfjs-wasm' },
  { label: 'TensorFlow.js WebAssembly **float32**, optimizer.minimize (idiomatic)', step: 'tfjs-wasm-minimize' },
];

function readResults(name) {
  const path = join(resultsDir, `${name}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/**
 * A saved row's ratio to the C loop, when that loop is the floor of the row's own
 * precision; otherwise undefined. Results saved before the float32 floor existed name
 * no floor: their float32 rows were compared with the float64 loop, so their ratios
 * are not shown until the benchmark runs again.
 */
function ratioToOwnFloor(row) {
  return row.floor !== undefined && row.floor === C_FLOORS[row.precision] ? row.vsCLoop : undefined;
}

/**
 * "0.23× · 1.10 M/s": speed relative to C (omitted for a floor itself, and where the
 * ratio is not against the row's own floor; two significant digits below 1, so that
 * 0.004× does not read 0.00×), then the figure; ✗ marks a failed loss check.
 */
function cell(relative, figure, floor, lossOk = true) {
  const check = lossOk ? '' : ' ✗';
  if (floor || relative === undefined || !Number.isFinite(relative)) return `${figure}${check}`;
  const times = relative >= 1 ? relative.toFixed(2) : sig(relative, 2);
  return `${times}× · ${figure}${check}`;
}

/** The columns: one per fit configuration, train-step size and the dgemm shape, each finding its row's cell. */
function columns({ fit, trainStep, gemm }) {
  const cols = [];
  for (const { config, rows } of fit?.configs ?? []) {
    cols.push({
      header: `fit ${config.name} (${config.D}→${config.H}→${config.O})`,
      cellOf(row) {
        const r = rows.find((x) => x.peer === row.fit);
        if (!r) return '';
        return cell(ratioToOwnFloor(r), rate(r.samplesPerSecond), isFloor(row.fit), r.lossOk);
      },
    });
  }
  for (const { size, rows } of trainStep?.sizes ?? []) {
    cols.push({
      header: `trainStep ${size.name} (${size.N}×${size.D}×${size.H}×${size.O})`,
      cellOf(row) {
        const r = rows.find((x) => x.peer === row.step && x.threads === 1);
        if (!r) return '';
        const ratio = ratioToOwnFloor(r);
        return cell(ratio === undefined ? undefined : 1 / ratio, duration(r.medianUs), isFloor(row.step), r.lossOk);
      },
    });
  }
  const gemmEntry = gemm?.summary.find((s) => s.shape.name === GEMM_SHAPE && s.threads === 1);
  if (gemmEntry) {
    cols.push({
      header: `dgemm ${GEMM_SHAPE}`,
      cellOf(row) {
        if (row.gemm === 'c') return cell(1, duration(gemmEntry.c.median), true);
        if (row.gemm === 'api') return cell(1 / gemmEntry.apiRatio.ratio, duration(gemmEntry.api.median), false);
        return '';
      },
    });
  }
  return cols;
}

/** The summary block's Markdown from the three benchmarks' saved results (any may be missing). */
export function summaryMarkdown(saved) {
  const cols = columns(saved);
  if (cols.length === 0)
    return 'No benchmark results yet: run `npm run bench:fit`, `npm run bench` and `npm run bench:gemm`.';
  const rows = SUMMARY_ROWS.map((row) => [row.label, ...cols.map((c) => c.cellOf(row))]).filter((cells) =>
    cells.slice(1).some((c) => c !== ''),
  );
  const table = markdownTable(['implementation', ...cols.map((c) => c.header)], rows);
  const runs = [
    ['fit', saved.fit, 'npm run bench:fit'],
    ['train-step', saved.trainStep, 'npm run bench'],
    ['gemm', saved.gemm, 'npm run bench:gemm'],
  ].filter(([, data]) => data);
  // Benchmarks run at different times may have run on different machines: then each
  // link says where its figures come from.
  const machineOf = ({ cpu, logicalCpus, os, node, openblas }) =>
    `${cpu}, ${logicalCpus} logical CPUs; ${os}; Node.js ${node}; OpenBLAS ${openblas}`;
  const machines = [...new Set(runs.map(([, data]) => machineOf(data.machine)))];
  const figures = [
    saved.fit &&
      `samples per second over whole fits of ${saved.fit.training.epochsPerCall} epochs, batch ${saved.fit.training.batchSize}, for \`fit\``,
    saved.trainStep && 'time per full-batch step for `trainStep`',
    saved.gemm && 'time per call for `dgemm`',
  ].filter(Boolean);
  return [
    `Speed relative to a C loop over the same OpenBLAS in the same precision, compiled \`-O3 -march=native\` (float32 rows against the C loop built for float32, the others against the float64 one; higher is better; the median over rounds of the ratio within a round, so not always the ratio of the medians beside it), then the figure measured: ${figures.join('; ')}. One thread throughout. Every implementation's losses match the C loop's (1e-9 relative in float64, 1e-3 in float32) unless marked ✗.`,
    '',
    table,
    '',
    `${machines.length === 1 ? `${machines[0]}. ` : ''}Full tables, with every peer, thread count, spread, peak RSS and the software versions: ${runs
      .map(([name, data, command]) => {
        const where = machines.length === 1 ? '' : `, on ${machineOf(data.machine)}`;
        return `[bench/results/${name}.md](bench/results/${name}.md) (\`${command}\`, ${data.machine.date.slice(0, 10)}${where})`;
      })
      .join(', ')}.`,
  ].join('\n');
}

/** Rewrites the README's summary block from the results on disk. */
export function updateReadmeSummary() {
  const saved = { fit: readResults('fit'), trainStep: readResults('train-step'), gemm: readResults('gemm') };
  updateReadmeBlock('summary', summaryMarkdown(saved));
}

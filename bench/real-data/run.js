// Test error of blasprop's command line on real tables, beside scikit-learn's MLP and a
// linear model, on the same 80/20 splits (seeded), several seeds per table: the
// measurements the command line's defaults were chosen from. Every run is a process
// of its own: `blasprop train` then `blasprop evaluate` on the held-out rows, or
// peers.py for scikit-learn. `npm run bench:real-data` (-- --quick: one seed).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../../dist/random/prng.js';
import { loadAverage, machineInfo, machineMarkdown } from '../lib/machine.mjs';
import { markdownTable, sig } from '../lib/markdown.mjs';
import { repoDir, resultsDir } from '../lib/paths.mjs';
import { updateReadmeBlock } from '../lib/readme.mjs';
import { TABLES, toCsv } from './tables.mjs';

const quick = process.argv.includes('--quick');
/** --report: write the Markdown and the README table again from bench/results/real-data.json, without measuring. */
const reportOnly = process.argv.includes('--report');
const SEEDS = quick ? [0] : [0, 1, 2];
const TEST_FRACTION = 0.2;
const CLI = join(repoDir, 'dist/cli/main.js');
const PEERS = fileURLToPath(new URL('peers.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const work = join(tmpdir(), 'blasprop-real-data');

/** Early stopping as scikit-learn's MLP does it: 10% of the training rows validate, patience 10, at most 200 epochs. */
const EARLY_STOPPING = ['--epochs', '200', '--validation-split', '0.1', '--early-stopping', '10'];

/** blasprop's settings, each beside scikit-learn's; `defaults` is the command line with no training option. */
const BLASPROP = [
  { id: 'defaults', label: 'blasprop, defaults (no option)', short: 'blasprop defaults', args: [] },
  {
    id: 'defaults-es',
    label: 'blasprop, defaults + early stopping',
    short: 'blasprop defaults + early stopping',
    args: EARLY_STOPPING,
  },
  {
    id: 'sgd-previous',
    label: 'blasprop, SGD lr 0.02 (the previous defaults)',
    short: 'blasprop SGD lr 0.02 (previous defaults)',
    args: ['--optimizer', 'sgd', '--lr', '0.02'],
  },
  {
    id: 'adam-clip',
    label: 'blasprop, Adam lr 1e-3, clip norm 1 + early stopping',
    args: ['--optimizer', 'adam', '--lr', '0.001', '--clip-norm', '1', ...EARLY_STOPPING],
  },
  {
    id: 'sgd-es',
    label: 'blasprop, SGD lr 0.02 + early stopping',
    args: ['--optimizer', 'sgd', '--lr', '0.02', ...EARLY_STOPPING],
  },
];
const SKLEARN = [
  {
    id: 'sklearn-mlp',
    label: "scikit-learn MLP (Adam lr 1e-3, sklearn's early stopping)",
    short: 'scikit-learn MLP, early stopping',
    model: 'mlp',
  },
  {
    id: 'sklearn-mlp-200',
    label: 'scikit-learn MLP (Adam lr 1e-3, no validation split: up to 200 epochs while the training loss falls)',
    short: 'scikit-learn MLP, ≤ 200 epochs',
    model: 'mlp-200',
  },
  {
    id: 'sklearn-linear',
    label: 'least squares / logistic regression (scikit-learn)',
    short: 'least squares / logistic regression',
    model: 'linear',
  },
];

/** Rows [0, n) in a seeded random order: the first 80% train, the rest test. */
function split(rows, seed) {
  const order = new Random(seed).shuffle(Uint32Array.from({ length: rows.length }, (_, i) => i));
  const trainRows = rows.length - Math.round(rows.length * TEST_FRACTION);
  return {
    train: Array.from(order.slice(0, trainRows), (i) => rows[i]),
    test: Array.from(order.slice(trainRows), (i) => rows[i]),
  };
}

function runBlasprop(table, config, seed, paths) {
  const out = join(paths.dir, `out-${config.id}`);
  const common = ['--data', paths.train, '--target', table.target, '--seed', String(seed), '--out', out, '--json'];
  if (table.ignore.length > 0) common.push('--ignore', table.ignore.join(','));
  const trained = spawnSync(process.execPath, [CLI, 'train', ...common, ...config.args], {
    encoding: 'utf8',
    maxBuffer: 2 ** 28,
  });
  if (trained.status !== 0) {
    const diverged = /training diverged/.test(trained.stderr);
    if (!diverged) throw new Error(`blasprop train failed on ${table.name}: ${trained.stderr}`);
    return { diverged: true, message: trained.stderr.trim() };
  }
  const result = JSON.parse(trained.stdout);
  const evaluated = spawnSync(
    process.execPath,
    [CLI, 'evaluate', '--model', result.files.model, '--data', paths.test, '--json'],
    {
      encoding: 'utf8',
    },
  );
  if (evaluated.status !== 0) throw new Error(`blasprop evaluate failed on ${table.name}: ${evaluated.stderr}`);
  const evaluation = JSON.parse(evaluated.stdout);
  const score =
    table.task === 'regression'
      ? { rmse: Math.sqrt(evaluation.targets[0].mse) }
      : { accuracy: evaluation.classification.accuracy };
  return {
    ...score,
    diverged: false,
    seconds: result.seconds,
    epochs: result.training.epochsCompleted,
    bestEpoch: result.training.earlyStopping?.bestEpoch ?? null,
    settings: `${result.model.optimizer} lr ${result.training.lr}, batch ${result.training.batchSize}, clip ${result.training.clipNorm ?? 'none'}`,
  };
}

function runSklearn(table, peer, seed, paths) {
  const args = [
    PEERS,
    peer.model,
    table.task,
    table.target,
    paths.train,
    paths.test,
    String(seed),
    table.ignore.join(','),
  ];
  const output = execFileSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 2 ** 24 });
  return { ...JSON.parse(output), diverged: false };
}

function summarise(runs, metric) {
  const values = runs.filter((r) => !r.diverged).map((r) => r[metric]);
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    median:
      sorted.length % 2 === 0 && sorted.length > 0
        ? (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
        : median,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    diverged: runs.filter((r) => r.diverged).length,
  };
}

function main() {
  if (reportOnly) {
    const report = JSON.parse(readFileSync(join(resultsDir, 'real-data.json'), 'utf8'));
    writeFileSync(join(resultsDir, 'real-data.md'), fullReport(report));
    updateReadmeBlock('real-data', summaryTable(report));
    return;
  }
  const machine = machineInfo();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const results = [];
  for (const table of TABLES) {
    const { header, rows } = table.load();
    const metric = table.task === 'regression' ? 'rmse' : 'accuracy';
    const peers = [...BLASPROP.map((p) => ({ ...p, runs: [] })), ...SKLEARN.map((p) => ({ ...p, runs: [] }))];
    for (const seed of SEEDS) {
      const dir = join(work, `${table.file.replace('.csv', '')}-${seed}`);
      mkdirSync(dir, { recursive: true });
      const { train, test } = split(rows, seed);
      const paths = { dir, train: join(dir, 'train.csv'), test: join(dir, 'test.csv') };
      writeFileSync(paths.train, toCsv(header, train));
      writeFileSync(paths.test, toCsv(header, test));
      for (const peer of peers) {
        const run = peer.model ? runSklearn(table, peer, seed, paths) : runBlasprop(table, peer, seed, paths);
        peer.runs.push({ seed, ...run });
        const value = run.diverged ? 'diverged' : sig(run[metric], 4);
        process.stderr.write(`${table.name} seed ${seed}: ${peer.label}: ${metric} ${value}\n`);
      }
    }
    results.push({
      table: table.name,
      source: table.source,
      licence: table.licence,
      task: table.task,
      target: table.target,
      rows: rows.length,
      columns: header.length,
      trainRows: rows.length - Math.round(rows.length * TEST_FRACTION),
      metric,
      peers: peers.map(({ id, label, args, runs }) => ({
        id,
        label,
        args: args ?? null,
        runs,
        summary: summarise(runs, metric),
      })),
    });
  }
  machine.loadAverageAtEnd = loadAverage();
  const software = results.flatMap((t) => t.peers.flatMap((p) => p.runs.map((r) => r.version))).find(Boolean);
  const report = { machine, software, seeds: SEEDS, testFraction: TEST_FRACTION, results };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'real-data.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'real-data.md'), fullReport(report));
  if (!quick) updateReadmeBlock('real-data', summaryTable(report));
  rmSync(work, { recursive: true, force: true });
}

function cell(summary, metric, seeds) {
  const format = (v) => (metric === 'accuracy' ? `${(100 * v).toFixed(1)}%` : sig(v, 4));
  if (summary.diverged === seeds) return '**diverged**';
  const spread = seeds > 1 ? ` (${format(summary.min)}–${format(summary.max)})` : '';
  const diverged = summary.diverged > 0 ? `, **${summary.diverged} of ${seeds} diverged**` : '';
  return `${format(summary.median)}${spread}${diverged}`;
}

const SUMMARY_PEERS = ['defaults', 'defaults-es', 'sgd-previous', 'sklearn-mlp', 'sklearn-mlp-200', 'sklearn-linear'];

function summaryTable(report) {
  const rows = report.results.map((t) => [
    `${t.table} (${t.metric === 'rmse' ? 'RMSE' : 'accuracy'}, ${t.rows.toLocaleString('en-US')} rows)`,
    ...SUMMARY_PEERS.map((id) => cell(t.peers.find((p) => p.id === id).summary, t.metric, report.seeds.length)),
  ]);
  const headers = ['table (test metric)', ...SUMMARY_PEERS.map((id) => peerConfig(id).short)];
  const blaspropRuns = report.results.flatMap((t) =>
    t.peers.filter((p) => peerConfig(p.id)?.args).flatMap((p) => p.runs),
  );
  const diverged = blaspropRuns.filter((r) => r.diverged).length;
  return [
    `Test error on the held-out 20% of each table (80/20 splits, seeds ${report.seeds.join(', ')}; the same splits for every tool): the median over seeds, with the range. Lower RMSE, higher accuracy is better.`,
    '',
    markdownTable(headers, rows),
    '',
    `${diverged === 0 ? 'No' : diverged} run of blasprop's ${blaspropRuns.length}, with any of the settings measured, diverged. Every run is a process of its own: \`blasprop train\` then \`blasprop evaluate\` on the test rows; ${report.software}. Full results, with every seed, the epochs run and the time: [bench/results/real-data.md](bench/results/real-data.md) (\`npm run bench:real-data\`, ${report.machine.date.slice(0, 10)}, on ${report.machine.cpu}, ${report.machine.logicalCpus} logical CPUs).`,
  ].join('\n');
}

function fullReport(report) {
  const sections = report.results.map((t) => {
    // Only the peers the script measures now (an older results file may hold others).
    const rows = t.peers
      .filter((p) => peerConfig(p.id))
      .map((p) => [
        peerConfig(p.id).label,
        cell(p.summary, t.metric, report.seeds.length),
        ...report.seeds.map((seed) => {
          const run = p.runs.find((r) => r.seed === seed);
          if (run.diverged) return 'diverged';
          const value = t.metric === 'accuracy' ? `${(100 * run.accuracy).toFixed(1)}%` : sig(run.rmse, 4);
          return `${value} · ${run.epochs ?? '–'} ep · ${sig(run.seconds, 2)} s`;
        }),
      ]);
    return [
      `## ${t.table}`,
      '',
      `${t.rows.toLocaleString('en-US')} rows, ${t.columns} columns, target \`${t.target}\` (${t.task}); ${t.trainRows.toLocaleString('en-US')} training rows per split. Source: ${t.source}. Licence: ${t.licence}.`,
      '',
      markdownTable(
        [
          'peer',
          `${t.metric === 'rmse' ? 'test RMSE' : 'test accuracy'}: median (range)`,
          ...report.seeds.map((s) => `seed ${s}: value · epochs · fit time`),
        ],
        rows,
      ),
      '',
    ].join('\n');
  });
  return [
    '# Real tables: test error of the defaults and their peers',
    '',
    "Generated by `npm run bench:real-data` (bench/real-data/run.js). Each table is split 80/20 in a seeded random order, once per seed, and every tool trains on the same training rows and is scored on the same test rows. blasprop runs as a user runs it: `blasprop train --data train.csv --target T --seed S [options] --json`, then `blasprop evaluate` on test.csv. \"Early stopping\" is scikit-learn's own for its MLP (10% of the training rows validate, patience 10, at most 200 epochs), and the same for blasprop (`--epochs 200 --validation-split 0.1 --early-stopping 10`, which keeps the best epoch's weights). scikit-learn's models get the same encoding: text columns one-hot with the training rows' categories, features standardised with training statistics (and the MLP regressor's targets too). A diverged run is one that `blasprop train` stopped with \"training diverged\" (exit code 1).",
    '',
    machineMarkdown(report.machine, [`- Peers: ${report.software}; R ${rVersion()} for the diamonds table`]),
    '',
    ...sections,
  ].join('\n');
}

function peerConfig(id) {
  return [...BLASPROP, ...SKLEARN].find((p) => p.id === id);
}

function rVersion() {
  try {
    return /R version (\S+)/.exec(execFileSync('R', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

main();

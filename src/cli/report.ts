// The result of `blasprop train`: built once, printed either as a short summary for
// people or as one JSON document for programs.

import type { BlasInfo } from '../blas/info.js';
import type { ClassScores } from '../data/classification-metrics.js';
import type { ScheduleSpec } from './network-options.js';
import { formatCount, formatLoss, formatSeconds, type Palette } from './terminal.js';

export interface RegressionMetrics {
  rows: number;
  /** Mean squared error in the targets' original units. */
  mse: number;
  /** Coefficient of determination, averaged over the targets. */
  r2: number;
}

export interface ClassificationMetrics {
  rows: number;
  /** Fraction of rows whose predicted label is the true one. */
  accuracy: number;
  /** Precision and recall of each class, in the order of the labels. */
  classes: ClassScores[];
  /** confusion[t][p]: rows of true class t predicted as class p. */
  confusion: number[][];
}

export type SplitMetrics = RegressionMetrics | ClassificationMetrics;

export interface TrainResult {
  data: {
    name: string;
    rows: number;
    /** The model's inputs (a text column gives one per category, "column=category"). */
    features: string[];
    targets: string[];
    /** A classifier's labels, in the order of its outputs; null for regression. */
    labels: string[] | null;
    /** Rows left out for a missing value (--missing drop, or a missing target). */
    droppedRows: number;
  };
  model: {
    inputSize: number;
    /** Units of each hidden layer. */
    layers: number[];
    outputSize: number;
    /** The widths and activations, e.g. "10 → 64 ReLU → 1". */
    network: string;
    parameters: number;
    reduction: string;
    init: string;
    seed: number;
    activation: string;
    dropout: number;
    loss: string;
    optimizer: string;
    momentum: number;
    weightDecay: number;
    /** The element type the network trained in. */
    dtype: string;
  };
  training: {
    epochs: number;
    epochsCompleted: number;
    batchSize: number;
    lr: number;
    standardised: boolean;
    /** What `history` holds: the training loss, standardised or not, unlike `metrics` (original units). */
    lossLabel: string;
    clipNorm: number | null;
    schedule: ScheduleSpec | null;
    /** With --early-stopping: 0-based epochs where it stopped (null: ran to the end) and whose weights were kept. */
    earlyStopping: { patience: number; stoppedEpoch: number | null; bestEpoch: number | null } | null;
  };
  history: { epoch: number[]; loss: number[]; valLoss: number[] };
  metrics: { training: SplitMetrics; validation: SplitMetrics | null };
  /** Wall time of the training loop, validation included. */
  seconds: number;
  samplesPerSecond: number;
  blas: Pick<BlasInfo, 'backend' | 'version' | 'corename' | 'threads'>;
  files: { model: string; chart: string | null };
  interrupted: boolean;
}

export function formatSummary(result: TrainResult, paint: Palette): string {
  const { data, model, training, metrics, blas } = result;
  const splits: [string, SplitMetrics][] = [['training', metrics.training]];
  if (metrics.validation) splits.push(['validation', metrics.validation]);
  const classifier = 'accuracy' in metrics.training;
  const header = classifier ? ['', 'rows', 'accuracy'] : ['', 'rows', 'MSE', 'R²'];
  const table = alignRows([header, ...splits.map(([name, m]) => [name, ...metricCells(m)])], paint);
  const epochs =
    training.epochsCompleted === training.epochs
      ? `${training.epochs} epochs`
      : `${training.epochsCompleted} of ${training.epochs} epochs${result.interrupted ? ' (interrupted)' : ''}`;
  const kernel =
    blas.backend === 'native' ? `OpenBLAS ${blas.version ?? '?'} (${blas.corename ?? '?'})` : 'reference kernels';
  const [lastName, last] = splits[splits.length - 1];
  return [
    paint.bold(`${model.network}${model.dtype === 'float32' ? ' in float32' : ''} on ${data.name}`),
    '',
    ...table,
    ...(classifier ? [] : lossNote(result).map((line) => `  ${paint.dim(line)}`)),
    ...(data.droppedRows > 0
      ? [`  ${paint.dim(`${formatCount(data.droppedRows)} rows with a missing value left out.`)}`]
      : []),
    ...('accuracy' in last ? ['', ...classDetails(lastName, last, paint)] : []),
    '',
    `  ${epochs} in ${formatSeconds(result.seconds)} · ${formatCount(result.samplesPerSecond)} samples/s · batch ${training.batchSize} · ${model.optimizer} lr ${training.lr}${training.clipNorm === null ? '' : ` · clip norm ${training.clipNorm}`}`,
    ...stoppingLine(training.earlyStopping),
    `  ${kernel} · ${blas.threads} thread${blas.threads === 1 ? '' : 's'}`,
    '',
    `  model  ${paint.accent(result.files.model)}`,
    ...(result.files.chart ? [`  chart  ${paint.accent(result.files.chart)}`] : []),
    '',
  ].join('\n');
}

function stoppingLine(stopping: TrainResult['training']['earlyStopping']): string[] {
  if (stopping === null) return [];
  const stopped =
    stopping.stoppedEpoch === null ? 'ran every epoch' : `stopped after epoch ${stopping.stoppedEpoch + 1}`;
  const best = stopping.bestEpoch === null ? '' : `; kept the weights of epoch ${stopping.bestEpoch + 1}`;
  return [`  early stopping (patience ${stopping.patience}): ${stopped}${best}`];
}

/** Per-class precision and recall, and the confusion matrix, of one split. */
export function classDetails(split: string | undefined, m: ClassificationMetrics, paint: Palette): string[] {
  const percent = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);
  const scores = alignRows(
    [
      ['class', 'rows', 'precision', 'recall'],
      ...m.classes.map((c) => [c.label, formatCount(c.support), percent(c.precision), percent(c.recall)]),
    ],
    paint,
  );
  const labels = m.classes.map((c) => c.label);
  const confusion = alignRows(
    [['true \\ predicted', ...labels], ...m.confusion.map((row, t) => [labels[t], ...row.map((n) => formatCount(n))])],
    paint,
  );
  return [...(split ? [`  ${paint.dim(`On the ${split} rows:`)}`] : []), ...scores, '', ...confusion];
}

/** Rows of cells in columns: the first left-aligned, the others right-aligned; the first row dimmed. */
function alignRows(rows: string[][], paint: Palette): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row, i) => {
    const line = row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ');
    return `  ${i === 0 ? paint.dim(line) : line}`;
  });
}

export function formatJson(result: TrainResult): string {
  return `${JSON.stringify(result)}\n`;
}

/**
 * Two scales of error meet here: the table's MSE is in the targets' own units, while the
 * progress lines and the chart show the training loss (of standardised targets, by
 * default). Say so, with the loss's last values, so that 1.301 and 0.053 are not taken
 * for the same thing.
 */
function lossNote(result: TrainResult): string[] {
  const { history, training } = result;
  const last = history.loss.length - 1;
  if (last < 0) return [];
  const val = history.valLoss.length > last ? ` (validation ${formatLoss(history.valLoss[last])})` : '';
  return [
    "MSE and R² in the targets' original units. The loss shown while training and in the chart",
    `is the ${inSentence(training.lossLabel)}: ${formatLoss(history.loss[last])}${val} after the last epoch.`,
  ];
}

/** "Summed squared error" → "summed squared error"; "MSE of …" stays. */
function inSentence(label: string): string {
  return label.replace(/^[A-Z](?=[a-z])/, (first) => first.toLowerCase());
}

function metricCells(m: SplitMetrics): string[] {
  if ('accuracy' in m) return [formatCount(m.rows), `${(100 * m.accuracy).toFixed(1)}%`];
  return [formatCount(m.rows), formatLoss(m.mse), Number.isNaN(m.r2) ? '–' : m.r2.toFixed(4)];
}

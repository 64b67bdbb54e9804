// The result of `blasprop train`: built once, printed either as a short summary for
// people or as one JSON document for programs.

import type { BlasInfo } from '../blas/info.js';
import { formatCount, formatLoss, formatSeconds, type Palette } from './terminal.js';

export interface SplitMetrics {
  rows: number;
  /** Mean squared error in the targets' original units. */
  mse: number;
  /** Coefficient of determination, averaged over the targets. */
  r2: number;
}

export interface TrainResult {
  data: { name: string; rows: number; features: string[]; targets: string[] };
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
    momentum: number;
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
  const validation = metrics.validation;
  const rows = [
    ['', 'rows', 'MSE', 'R²'],
    ['training', ...metricCells(metrics.training)],
    ...(validation ? [['validation', ...metricCells(validation)]] : []),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map((row, i) => {
    const line = row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ');
    return `  ${i === 0 ? paint.dim(line) : line}`;
  });
  const epochs =
    training.epochsCompleted === training.epochs
      ? `${training.epochs} epochs`
      : `${training.epochsCompleted} of ${training.epochs} epochs${result.interrupted ? ' (interrupted)' : ''}`;
  const kernel =
    blas.backend === 'native' ? `OpenBLAS ${blas.version ?? '?'} (${blas.corename ?? '?'})` : 'reference kernels';
  return [
    paint.bold(`${model.network}${model.dtype === 'float32' ? ' in float32' : ''} on ${data.name}`),
    '',
    ...table,
    ...lossNote(result).map((line) => `  ${paint.dim(line)}`),
    '',
    `  ${epochs} in ${formatSeconds(result.seconds)} · ${formatCount(result.samplesPerSecond)} samples/s · batch ${training.batchSize} · lr ${training.lr}`,
    `  ${kernel} · ${blas.threads} thread${blas.threads === 1 ? '' : 's'}`,
    '',
    `  model  ${paint.accent(result.files.model)}`,
    ...(result.files.chart ? [`  chart  ${paint.accent(result.files.chart)}`] : []),
    '',
  ].join('\n');
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
  return [formatCount(m.rows), formatLoss(m.mse), Number.isNaN(m.r2) ? '–' : m.r2.toFixed(4)];
}

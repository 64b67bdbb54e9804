// `blasprop evaluate`: how well a saved model does on a labelled CSV file — its loss
// as it trains on it, and MSE, MAE and R² of each target in original units.

import { type ColumnErrors, columnErrors } from '../data/metrics.js';
import { standardise } from '../data/standardise.js';
import { parseOptions, requiredOption } from './args.js';
import { EVALUATE_HELP } from './help.js';
import { loadSavedModel, predictOriginalUnits, readRows } from './model-input.js';
import { formatCount, formatLoss } from './terminal.js';

const EVALUATE_OPTIONS = {
  model: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface Evaluation {
  data: string;
  rows: number;
  /** The model's loss on these rows, as in training (on standardised targets when it was trained on them). */
  loss: number;
  /** What `loss` is. */
  lossLabel: string;
  targets: ({ name: string } & ColumnErrors)[];
}

export async function evaluateCommand(args: readonly string[]): Promise<number> {
  const values = parseOptions('evaluate', args, EVALUATE_OPTIONS);
  if (values.help) {
    process.stdout.write(EVALUATE_HELP);
    return 0;
  }
  const modelPath = requiredOption('evaluate', 'model', values.model);
  const dataPath = requiredOption('evaluate', 'data', values.data);
  const saved = await loadSavedModel(modelPath);
  const { x, targets } = await readRows(saved, dataPath, true);
  const predictions = predictOriginalUnits(saved, x, dataPath);
  const { metadata } = saved;
  const scaled = targets!.clone();
  if (metadata.standardisation) standardise(scaled, metadata.standardisation.y, metadata.targetNames, dataPath);
  const evaluation: Evaluation = {
    data: dataPath,
    rows: x.rows,
    loss: saved.model.evaluate(x, scaled).loss,
    lossLabel: `${saved.model.loss.toConfig().type}${metadata.standardisation ? ' of the standardised targets' : ''}`,
    targets: columnErrors(predictions, targets!).map((errors, i) => ({ name: metadata.targetNames[i], ...errors })),
  };
  process.stdout.write(values.json ? `${JSON.stringify(evaluation)}\n` : formatEvaluation(evaluation));
  return 0;
}

function formatEvaluation(e: Evaluation): string {
  const rows = [
    ['target', 'MSE', 'MAE', 'R²'],
    ...e.targets.map((t) => [t.name, formatLoss(t.mse), formatLoss(t.mae), Number.isNaN(t.r2) ? '–' : t.r2.toFixed(4)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map(
    (row) => `  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ')}`,
  );
  return [
    `${formatCount(e.rows)} rows of ${e.data}`,
    `  loss ${formatLoss(e.loss)} (${e.lossLabel})`,
    '',
    ...table,
    '',
    '  MSE, MAE and R² are in the targets’ original units.',
    '',
  ].join('\n');
}

// `blasprop evaluate`: how well a saved model does on a labelled CSV file — its loss
// as it trains on it, and MSE, MAE and R² of each target in original units, or a
// classifier's accuracy, per-class precision and recall, and confusion matrix.

import { type ClassificationReport, classificationReport } from '../data/classification-metrics.js';
import { type ColumnErrors, columnErrors } from '../data/metrics.js';
import { standardise } from '../data/standardise.js';
import { parseOptions, requiredOption } from './args.js';
import { EVALUATE_HELP } from './help.js';
import { loadSavedModel, predictOriginalUnits, readRows } from './model-input.js';
import { classDetails } from './report.js';
import { formatCount, formatLoss, palette } from './terminal.js';

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
  /** Errors per target for regression; null for a classifier. */
  targets: ({ name: string } & ColumnErrors)[] | null;
  /** Accuracy, per-class scores and the confusion matrix of a classifier; null for regression. */
  classification: (ClassificationReport & { target: string }) | null;
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
  const { metadata, model } = saved;
  const scaled = targets!.clone();
  const scaling = metadata.standardisation?.y;
  if (scaling) standardise(scaled, scaling, metadata.targetNames, dataPath);
  const loss = model.evaluate(x, scaled).loss;
  const lossLabel = `${model.loss.toConfig().type}${scaling ? ' of the standardised targets' : ''}`;
  const classes = metadata.classes;
  const evaluation: Evaluation = classes
    ? {
        data: dataPath,
        rows: x.rows,
        loss,
        lossLabel,
        targets: null,
        classification: {
          target: classes.target,
          ...classificationReport(model.predictClasses(x).data, targets!.data, classes.labels),
        },
      }
    : {
        data: dataPath,
        rows: x.rows,
        loss,
        lossLabel,
        targets: columnErrors(predictOriginalUnits(saved, x, dataPath), targets!).map((errors, i) => ({
          name: metadata.targetNames[i],
          ...errors,
        })),
        classification: null,
      };
  process.stdout.write(values.json ? `${JSON.stringify(evaluation)}\n` : formatEvaluation(evaluation));
  return 0;
}

function formatEvaluation(e: Evaluation): string {
  const head = [`${formatCount(e.rows)} rows of ${e.data}`, `  loss ${formatLoss(e.loss)} (${e.lossLabel})`, ''];
  if (e.classification) {
    const c = e.classification;
    return [
      ...head,
      `  accuracy ${(100 * c.accuracy).toFixed(1)}% (${c.target})`,
      '',
      ...classDetails(undefined, c, palette(false)),
      '',
    ].join('\n');
  }
  const rows = [
    ['target', 'MSE', 'MAE', 'R²'],
    ...e.targets!.map((t) => [
      t.name,
      formatLoss(t.mse),
      formatLoss(t.mae),
      Number.isNaN(t.r2) ? '–' : t.r2.toFixed(4),
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map(
    (row) => `  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ')}`,
  );
  return [...head, ...table, '', '  MSE, MAE and R² are in the targets’ original units.', ''].join('\n');
}

// `blasprop predict`: the predictions of a saved model for every row of a CSV file.

import { formatCsv, formatCsvColumns } from '../data/csv.js';
import { checkWriteTarget, writeFileAtomic } from '../io/atomic-write.js';
import { isSameFile } from '../io/read-file.js';
import type { Matrix } from '../nn/matrix.js';
import { parseOptions, requiredOption } from './args.js';
import { UsageError } from './errors.js';
import { PREDICT_HELP } from './help.js';
import { loadSavedModel, predictOriginalUnits, readRows, type SavedModel } from './model-input.js';

const PREDICT_OPTIONS = {
  model: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function predictCommand(args: readonly string[]): Promise<number> {
  const values = parseOptions('predict', args, PREDICT_OPTIONS);
  if (values.help) {
    process.stdout.write(PREDICT_HELP);
    return 0;
  }
  const modelPath = requiredOption('predict', 'model', values.model);
  const dataPath = requiredOption('predict', 'data', values.data);
  const out = values.out;
  if (out === '') throw new UsageError('--out needs a file name (or leave it out for standard output)');
  // The predictions would replace an input (through another name or a link, even).
  for (const [option, path] of [
    ['--model', modelPath],
    ['--data', dataPath],
  ] as const) {
    if (out !== undefined && (await isSameFile(out, path))) {
      throw new UsageError(`--out ${out} is the ${option} file: the predictions would replace it`);
    }
  }
  if (out !== undefined) await checkWriteTarget(out);
  const saved = await loadSavedModel(modelPath);
  const { x } = await readRows(saved, dataPath, false);
  const csv = saved.metadata.classes
    ? classifierCsv(saved, x)
    : formatCsv(saved.metadata.targetNames, predictOriginalUnits(saved, x, dataPath));
  if (out === undefined) process.stdout.write(csv);
  else await writeFileAtomic(out, Buffer.from(csv));
  return 0;
}

/** A classifier's predictions: the label, then the probability of each class, in the model's label order. */
function classifierCsv(saved: SavedModel, x: Matrix): string {
  const { labels, target } = saved.metadata.classes!;
  const probabilities = saved.model.predictProba(x);
  const classes = saved.model.predictClasses(x);
  const k = labels.length;
  const columns = [
    Array.from(classes.data, (c) => labels[c]),
    ...labels.map((_, c) => Array.from({ length: x.rows }, (_, r) => probabilities.data[r * k + c])),
  ];
  return formatCsvColumns([target, ...labels.map((label) => `P(${label})`)], columns);
}

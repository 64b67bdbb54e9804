// `blasprop predict`: the predictions of a saved model for every row of a CSV file.

import { type ColumnChoice, formatCsv, readCsv } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { standardise, unstandardise } from '../data/standardise.js';
import { numberColumns, selectColumns } from '../data/table.js';
import { checkWriteTarget, writeFileAtomic } from '../io/atomic-write.js';
import { isSameFile } from '../io/read-file.js';
import { TwoLayerRegressor } from '../model/presets/two-layer-regressor.js';
import type { Matrix } from '../nn/matrix.js';
import { parseOptions, requiredOption } from './args.js';
import { UsageError } from './errors.js';
import { PREDICT_HELP } from './help.js';
import { readModelMetadata } from './model-metadata.js';

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
  const model = await TwoLayerRegressor.load(modelPath);
  const metadata = readModelMetadata(model, modelPath);

  // Only the model's features are read: other columns (an id, the targets) may hold anything.
  const choose: ColumnChoice = (header, source) => {
    if (metadata.featureNames) return numberColumns(metadata.featureNames);
    // A model that does not name its features takes the file's columns in order.
    if (header.length === model.inputSize) return numberColumns(header);
    throw new DataError(`${source} has ${header.length} columns, but the model takes ${model.inputSize} features`);
  };
  const table = await readCsv(dataPath, choose);
  const featureNames = table.columns.map((c) => c.name);
  const x = selectColumns(table, featureNames);
  if (metadata.standardisation) standardise(x, metadata.standardisation.x, featureNames, dataPath);
  const predictions = model.predict(x);
  if (metadata.standardisation) unstandardise(predictions, metadata.standardisation.y);
  checkFinite(predictions, metadata.targetNames, dataPath);

  const csv = formatCsv(metadata.targetNames, predictions);
  if (out === undefined) process.stdout.write(csv);
  else await writeFileAtomic(out, Buffer.from(csv));
  return 0;
}

/** A prediction too large for a double is not one: refuse rather than print Infinity. */
function checkFinite(predictions: Matrix, names: readonly string[], source: string): void {
  const at = predictions.data.findIndex((v) => !Number.isFinite(v));
  if (at < 0) return;
  const row = Math.floor(at / predictions.cols);
  throw new DataError(
    `${source}: the prediction of "${names[at % predictions.cols]}" for data row ${row + 1} is ${predictions.data[at]}: ` +
      'its features lie far outside what the model was trained on',
  );
}

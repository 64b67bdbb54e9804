// `blasprop predict`: the predictions of a saved model for every row of a CSV file.

import { formatCsv, readNumericCsv } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { standardise, unstandardise } from '../data/standardise.js';
import { columnIndices, selectColumns } from '../data/table.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { TwoLayerRegressor } from '../model/two-layer-regressor.js';
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
  const model = await TwoLayerRegressor.load(modelPath);
  const metadata = readModelMetadata(model);
  const table = await readNumericCsv(dataPath);

  let features: number[];
  if (metadata.featureNames) {
    features = columnIndices(table, metadata.featureNames);
  } else if (table.columns.length === model.inputSize) {
    // A model that does not name its features takes the file's columns in order.
    features = table.columns.map((_, i) => i);
  } else {
    throw new DataError(
      `${dataPath} has ${table.columns.length} columns, but the model takes ${model.inputSize} features`,
    );
  }
  const x = selectColumns(table, features);
  if (metadata.standardisation) standardise(x, metadata.standardisation.x);
  const predictions = model.predict(x);
  if (metadata.standardisation) unstandardise(predictions, metadata.standardisation.y);

  const csv = formatCsv(metadata.targetNames, predictions);
  if (values.out === undefined) {
    process.stdout.write(csv);
  } else {
    await writeFileAtomic(values.out, Buffer.from(csv)).catch((error: Error) => {
      throw new UsageError(`cannot write ${values.out}: ${error.message}`);
    });
  }
  return 0;
}

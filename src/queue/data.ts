// A job's rows as the worker trains on them: read from the spec's data source, then
// prepared as the spec asks — rows shuffled into a seeded order, features and targets
// standardised with the training rows' statistics — in the order `blasprop train`
// prepares its data, so that the same options give the same model either way.

import type { Dataset } from '../data/dataset.js';
import { prepareDataset } from '../data/prepare.js';
import { datasetFromTable, readTrainingCsv } from '../data/table.js';
import { type FitOptions, planFit } from '../model/fit/options.js';
import type { Model } from '../model/model.js';
import type { AnyMatrix, Matrix } from '../nn/matrix.js';
import { type CsvJobData, decodeInlineMatrix, type InlineJobData, type JobData, type TableJobData } from './spec.js';
import { readTableFile } from './table-file.js';

export interface PreparedData {
  /** In the model's dtype. */
  x: AnyMatrix;
  y: AnyMatrix;
  /** What the trained model's metadata should record about its data. */
  metadata: Record<string, unknown>;
}

export async function prepareJobData(data: JobData, model: Model, fit: FitOptions): Promise<PreparedData> {
  const fromFile = 'csv' in data || 'table' in data;
  const dataset = fromFile ? await readDataset(data) : inlineDataset(data);
  // planFit checks the rows against the model; the scaling must come from its training rows.
  const { trainRows } = planFit(model, inModelDtype(model, dataset.x), inModelDtype(model, dataset.y), fit);
  const source = 'csv' in data ? data.csv : 'table' in data ? data.table : 'spec.data';
  const prepared = prepareDataset(dataset, {
    shuffleSeed: data.shuffleRows,
    standardise: data.standardise === true,
    trainRows,
    source,
  });
  const { featureNames, targetNames, standardisation } = prepared;
  const metadata: Record<string, unknown> = fromFile ? { featureNames, targetNames } : {};
  if (standardisation) metadata.standardisation = standardisation;
  return { x: inModelDtype(model, prepared.x), y: inModelDtype(model, prepared.y), metadata };
}

/** Data is read and prepared in float64; a float32 model trains on a copy converted once. */
function inModelDtype(model: Model, m: Matrix): AnyMatrix {
  return model.dtype === 'float64' ? m : m.astype(model.dtype);
}

async function readDataset(data: CsvJobData | TableJobData): Promise<Dataset> {
  return 'csv' in data
    ? readTrainingCsv(data.csv, data.targets)
    : datasetFromTable(await readTableFile(data.table), data.targets);
}

function inlineDataset(data: InlineJobData): Dataset {
  const x = decodeInlineMatrix('spec.data.x', data.x);
  const y = decodeInlineMatrix('spec.data.y', data.y);
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  return { x, y, featureNames: names('x', x.cols), targetNames: names('y', y.cols) };
}

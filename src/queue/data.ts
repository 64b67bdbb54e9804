// A job's rows as the worker trains on them: read from the spec's data source, then
// prepared as the spec asks — rows shuffled into a seeded order, features and targets
// standardised with the training rows' statistics — in the order `blasprop train`
// prepares its data, so that the same options give the same model either way.

import { readNumericCsv } from '../data/csv.js';
import { type Dataset, shuffleRows } from '../data/dataset.js';
import { fitStandardisation, standardise } from '../data/standardise.js';
import { datasetFromTable, type NumericTable } from '../data/table.js';
import { type FitOptions, planFit } from '../model/fit/options.js';
import type { Model } from '../model/model.js';
import type { Matrix } from '../nn/matrix.js';
import { type CsvJobData, decodeInlineMatrix, type InlineJobData, type JobData, type TableJobData } from './spec.js';
import { readTableFile } from './table-file.js';

export interface PreparedData {
  x: Matrix;
  y: Matrix;
  /** What the trained model's metadata should record about its data. */
  metadata: Record<string, unknown>;
}

export async function prepareJobData(data: JobData, model: Model, fit: FitOptions): Promise<PreparedData> {
  const fromFile = 'csv' in data || 'table' in data;
  let dataset = fromFile ? datasetFromTable(await readTable(data), data.targets) : inlineDataset(data);
  if (data.shuffleRows !== undefined) dataset = shuffleRows(dataset, data.shuffleRows);
  const { x, y, featureNames, targetNames } = dataset;
  const metadata: Record<string, unknown> = fromFile ? { featureNames, targetNames } : {};
  if (data.standardise) {
    // fit holds out the last rows for validation; the scaling must come from the others.
    const { trainRows } = planFit(model, x, y, fit);
    const scaling = { x: fitStandardisation(x, trainRows), y: fitStandardisation(y, trainRows) };
    standardise(x, scaling.x);
    standardise(y, scaling.y);
    metadata.standardisation = scaling;
  }
  return { x, y, metadata };
}

function readTable(data: CsvJobData | TableJobData): Promise<NumericTable> {
  return 'csv' in data ? readNumericCsv(data.csv) : readTableFile(data.table);
}

function inlineDataset(data: InlineJobData): Dataset {
  const x = decodeInlineMatrix('spec.data.x', data.x);
  const y = decodeInlineMatrix('spec.data.y', data.y);
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  return { x, y, featureNames: names('x', x.cols), targetNames: names('y', y.cols) };
}

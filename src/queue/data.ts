// A job's rows as the worker trains on them: read from the spec's data source, then
// prepared as the spec asks — rows shuffled into a seeded order, missing values
// dropped or filled, features (and a regressor's targets) standardised with the
// training rows' statistics — by the functions `blasprop train` prepares its data
// with, so that the same options give the same model either way.

import { isDeepStrictEqual } from 'node:util';

import type { Dataset } from '../data/dataset.js';
import { DataError } from '../data/errors.js';
import { keepRowsFor, type MissingMode } from '../data/missing.js';
import { prepareDataset, prepareTrainingRows } from '../data/prepare.js';
import { datasetFromTable, readTrainingCsv } from '../data/table.js';
import { categoryFeatures, readTrainingTable, type TableLayout } from '../data/training-table.js';
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
  if ('csv' in data && data.layout !== undefined) return prepareTable(data, model, fit);
  const fromFile = 'csv' in data || 'table' in data;
  const dataset = fromFile ? await readDataset(data) : inlineDataset(data);
  // planFit checks the rows against the model; the scaling must come from its training rows.
  const { trainRows } = planFit(model, inModelDtype(model, dataset.x), inModelDtype(model, dataset.y), fit);
  const source = 'csv' in data ? data.csv : 'table' in data ? data.table : 'spec.data';
  const prepared = prepareDataset(dataset, {
    shuffleSeed: data.shuffleRows,
    standardise: data.standardise === true,
    standardiseTargets: model.loss.task !== 'classification',
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

/**
 * A CSV file read as `blasprop train` reads it, which must find the layout the job was
 * made for; the metadata is what train records, in the same order, so that the model
 * files are the same.
 */
async function prepareTable(data: CsvJobData, model: Model, fit: FitOptions): Promise<PreparedData> {
  const expected = data.layout!;
  const missing: MissingMode = data.missing ?? 'error';
  const { layout, ...read } = await readTrainingTable(data.csv, {
    targets: data.targets,
    ignore: data.ignore ?? [],
    task: expected.classes ? 'classification' : 'regression',
    missing,
  });
  const found: TableLayout = { ...expected, targetNames: data.targets, classes: expected.classes };
  if (!isDeepStrictEqual(layout, found)) {
    throw new DataError(
      `${data.csv}: its columns no longer give the layout the job was made for (${describeDifference(layout, found)})`,
    );
  }
  const { data: kept } = keepRowsFor(read, missing, data.csv);
  const prepared = prepareTrainingRows(
    kept,
    {
      // A job without a seed keeps the file's order, as before layouts.
      shuffleSeed: data.shuffleRows,
      missing,
      fill: data.fill,
      standardise: data.standardise === true,
      standardiseTargets: layout.classes === undefined,
      source: data.csv,
    },
    (x, y) => planFit(model, inModelDtype(model, x), inModelDtype(model, y), fit),
  );
  const { featureNames, targetNames, standardisation, fill } = prepared;
  const entries = Object.entries({
    featureNames,
    features: categoryFeatures(layout),
    targetNames,
    classes: layout.classes,
    missing: missing === 'error' ? undefined : { mode: missing, fill },
    standardisation,
  }).filter(([, value]) => value !== undefined);
  return {
    x: inModelDtype(model, prepared.x),
    y: inModelDtype(model, prepared.y),
    metadata: Object.fromEntries(entries),
  };
}

function describeDifference(actual: TableLayout, expected: TableLayout): string {
  if (!isDeepStrictEqual(actual.classes, expected.classes)) {
    return `labels ${JSON.stringify(actual.classes?.labels ?? null)}, not ${JSON.stringify(expected.classes?.labels ?? null)}`;
  }
  const at = actual.features.findIndex((c, i) => !isDeepStrictEqual(c, expected.features[i]));
  const show = (c: unknown) => (c === undefined ? 'none' : JSON.stringify(c));
  return `feature column ${at + 1} is ${show(actual.features[at])}, not ${show(expected.features[at])}`;
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

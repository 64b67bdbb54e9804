// What predict and evaluate share: reading a saved model's feature columns (and,
// for evaluate, its target columns) from a CSV file, and predicting in the targets'
// original units with the scaling the model was trained with.

import { type ColumnChoice, readCsv } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { standardise, unstandardise } from '../data/standardise.js';
import { numberColumns, selectColumns } from '../data/table.js';
import { Model } from '../model/model.js';
import type { Matrix } from '../nn/matrix.js';
import { type ModelMetadata, readModelMetadata } from './model-metadata.js';

export interface SavedModel {
  model: Model;
  metadata: ModelMetadata;
  path: string;
}

export async function loadSavedModel(path: string): Promise<SavedModel> {
  const model = await Model.load(path);
  return { model, metadata: readModelMetadata(model, path), path };
}

/**
 * The model's features of every row of a CSV file, as the model sees them (scaled),
 * and the target columns when asked for, in original units. Only those columns are
 * read: others (an id, notes) may hold anything.
 */
export async function readRows(
  saved: SavedModel,
  dataPath: string,
  withTargets: boolean,
): Promise<{ x: Matrix; targets: Matrix | undefined }> {
  const { model, metadata } = saved;
  const targets = withTargets ? metadata.targetNames : [];
  const choose: ColumnChoice = (header, source) => {
    if (metadata.featureNames) return numberColumns([...targets, ...metadata.featureNames]);
    // A model that does not name its features takes the file's first columns in order.
    if (header.length === model.inputSize + targets.length) {
      return numberColumns([...targets, ...header.filter((name) => !targets.includes(name))]);
    }
    throw new DataError(
      `${source} has ${header.length} columns, but the model takes ${model.inputSize} features` +
        (withTargets ? ` and ${targets.length} target(s)` : ''),
    );
  };
  const table = await readCsv(dataPath, choose);
  const featureNames = table.columns.map((c) => c.name).filter((name) => !targets.includes(name));
  const x = selectColumns(table, featureNames);
  if (metadata.standardisation) standardise(x, metadata.standardisation.x, featureNames, dataPath);
  return { x, targets: withTargets ? selectColumns(table, targets) : undefined };
}

/** The model's predictions for scaled rows, in the targets' original units; a non-finite one is refused. */
export function predictOriginalUnits(saved: SavedModel, x: Matrix, source: string): Matrix {
  const { model, metadata } = saved;
  // The CLI reads and writes float64; a float32 model takes its input converted once
  // and its predictions come back converted (astype copies either way).
  const predictions = model.predict(x.astype(model.dtype)).astype('float64');
  if (metadata.standardisation) unstandardise(predictions, metadata.standardisation.y);
  const at = predictions.data.findIndex((v) => !Number.isFinite(v));
  if (at >= 0) {
    const row = Math.floor(at / predictions.cols);
    throw new DataError(
      `${source}: the prediction of "${metadata.targetNames[at % predictions.cols]}" for data row ${row + 1} is ${predictions.data[at]}: ` +
        'its features lie far outside what the model was trained on',
    );
  }
  return predictions;
}

// What predict and evaluate share: reading a saved model's feature columns (and, for
// evaluate, its target columns) from a CSV file, encoded and scaled as in training, and
// predicting — in the targets' original units, or as labels and probabilities.

import { type ColumnChoice, readCsv } from '../data/csv.js';
import { inputNames } from '../data/encoding.js';
import { DataError } from '../data/errors.js';
import { fillMissing } from '../data/missing.js';
import { standardise, unstandardise } from '../data/standardise.js';
import { numberColumns, selectColumns } from '../data/table.js';
import { readTableLike } from '../data/training-table.js';
import { Model } from '../model/model.js';
import type { Matrix } from '../nn/matrix.js';
import { type ModelMetadata, readModelMetadata, tableLayoutOf } from './model-metadata.js';

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
 * The model's inputs for every row of a CSV file, as the model sees them (encoded,
 * gaps filled as in training, scaled), and the targets when asked for: in original
 * units, or class indices for a classifier. Only those columns are read: others (an id,
 * notes) may hold anything.
 */
export async function readRows(
  saved: SavedModel,
  dataPath: string,
  withTargets: boolean,
): Promise<{ x: Matrix; targets: Matrix | undefined }> {
  const { metadata } = saved;
  const layout = tableLayoutOf(metadata);
  const fill = metadata.missing?.fill;
  const { x, y, names } = layout
    ? {
        ...(await readTableLike(dataPath, layout, { withTargets, allowMissing: fill !== undefined })),
        names: inputNames(layout.features),
      }
    : await readUnnamedColumns(saved, dataPath, withTargets);
  if (fill) fillMissing(x, fill);
  if (metadata.standardisation) standardise(x, metadata.standardisation.x, names, dataPath);
  return { x, targets: y };
}

/** A model that does not name its features takes the file's first columns in order. */
async function readUnnamedColumns(
  { model, metadata }: SavedModel,
  dataPath: string,
  withTargets: boolean,
): Promise<{ x: Matrix; y: Matrix | undefined; names: string[] }> {
  const targets = withTargets ? metadata.targetNames : [];
  const choose: ColumnChoice = (header, source) => {
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
  return {
    x: selectColumns(table, featureNames),
    y: withTargets ? selectColumns(table, targets) : undefined,
    names: featureNames,
  };
}

/** The model's predictions for scaled rows, in the targets' original units; a non-finite one is refused. */
export function predictOriginalUnits(saved: SavedModel, x: Matrix, source: string): Matrix {
  const { model, metadata } = saved;
  // The CLI reads and writes float64; a float32 model takes its input converted once
  // and its predictions come back converted (astype copies either way).
  const predictions = model.predict(x.astype(model.dtype)).astype('float64');
  if (metadata.standardisation?.y) unstandardise(predictions, metadata.standardisation.y);
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

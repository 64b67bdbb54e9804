// What `blasprop train` stores in a model's metadata so that `blasprop predict` can
// use the model on new rows: the column names, and the standardisation of features
// and targets. Models saved by other programs may lack any of it.

import { isStandardisation, type Standardisation } from '../data/standardise.js';
import type { TwoLayerRegressor } from '../model/presets/two-layer-regressor.js';

export interface ModelMetadata {
  /** Feature columns, in input order; undefined: take a file's columns as they come. */
  featureNames: string[] | undefined;
  targetNames: string[];
  standardisation: { x: Standardisation; y: Standardisation } | undefined;
}

export function writeModelMetadata(model: TwoLayerRegressor, metadata: ModelMetadata, extra: object): void {
  model.metadata = { ...extra, ...metadata };
}

/** The metadata of a loaded model, with defaults for whatever is missing or malformed. */
export function readModelMetadata(model: TwoLayerRegressor): ModelMetadata {
  const { featureNames, targetNames, standardisation } = model.metadata as Record<string, unknown>;
  const scaling = standardisation as { x?: unknown; y?: unknown } | undefined;
  return {
    featureNames: isNameList(featureNames, model.inputSize) ? featureNames : undefined,
    targetNames: isNameList(targetNames, model.outputSize)
      ? targetNames
      : Array.from({ length: model.outputSize }, (_, j) => `y${j + 1}`),
    standardisation:
      scaling && isStandardisation(scaling.x, model.inputSize) && isStandardisation(scaling.y, model.outputSize)
        ? { x: scaling.x, y: scaling.y }
        : undefined,
  };
}

function isNameList(value: unknown, length: number): value is string[] {
  return Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string' && v !== '');
}

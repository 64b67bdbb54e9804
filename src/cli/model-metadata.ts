// What `blasprop train` stores in a model's metadata so that `blasprop predict` can
// use the model on new rows: the column names, and the standardisation of features
// and targets. Models saved by other programs may lack any of it; what is there must
// be usable, since a prediction that quietly skipped a scaling would be wrong.

import { isStandardisation, type Standardisation } from '../data/standardise.js';
import { ModelFileError } from '../model/errors.js';
import type { Model } from '../model/model.js';

export interface ModelMetadata {
  /** Feature columns, in input order; undefined: take a file's columns as they come. */
  featureNames: string[] | undefined;
  targetNames: string[];
  standardisation: { x: Standardisation; y: Standardisation } | undefined;
}

export function writeModelMetadata(model: Model, metadata: ModelMetadata, extra: object): void {
  model.metadata = { ...extra, ...metadata };
}

/**
 * The metadata of the model loaded from `path`, with defaults for what is missing. What
 * is present but unusable (names of the wrong number, a scaling that is not finite) is
 * a ModelFileError.
 */
export function readModelMetadata(model: Model, path: string): ModelMetadata {
  const { featureNames, targetNames, standardisation } = model.metadata as Record<string, unknown>;
  const refuse = (what: string) => new ModelFileError(path, `its metadata holds ${what}`);
  if (featureNames !== undefined && !isNameList(featureNames, model.inputSize)) {
    throw refuse(`featureNames that are not ${model.inputSize} column names`);
  }
  if (targetNames !== undefined && !isNameList(targetNames, model.outputSize)) {
    throw refuse(`targetNames that are not ${model.outputSize} column names`);
  }
  const scaling = standardisation as { x?: unknown; y?: unknown } | undefined;
  if (
    scaling !== undefined &&
    !(
      typeof scaling === 'object' &&
      scaling !== null &&
      isStandardisation(scaling.x, model.inputSize) &&
      isStandardisation(scaling.y, model.outputSize)
    )
  ) {
    throw refuse('a standardisation that is not a finite mean and a positive, finite std per column');
  }
  return {
    featureNames: featureNames as string[] | undefined,
    targetNames:
      (targetNames as string[] | undefined) ?? Array.from({ length: model.outputSize }, (_, j) => `y${j + 1}`),
    standardisation: scaling as ModelMetadata['standardisation'],
  };
}

function isNameList(value: unknown, length: number): value is string[] {
  return Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string' && v !== '');
}

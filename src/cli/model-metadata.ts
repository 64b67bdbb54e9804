// What `blasprop train` stores in a model's metadata so that `blasprop predict` can
// use the model on new rows: the columns it reads (with the categories of text
// columns), the labels of a classifier, how missing values were dealt with, and the
// standardisation of features and targets. Models saved by other programs may lack any
// of it; what is there must be usable, since a prediction that quietly skipped a
// scaling or misread a category would be wrong.

import { type ClassLabels, type FeatureColumn, inputNames, isClassLabels, isFeatureColumns } from '../data/encoding.js';
import { isFillValues, MISSING_MODES, type MissingMode } from '../data/missing.js';
import { isStandardisation, type Standardisation } from '../data/standardise.js';
import type { TableLayout } from '../data/training-table.js';
import { ModelFileError } from '../model/errors.js';
import type { Model } from '../model/model.js';

export interface ModelMetadata {
  /** The model's inputs, in order; undefined: take a file's columns as they come. */
  featureNames: string[] | undefined;
  /** The columns those inputs come from (a text column gives one input per category); undefined: featureNames, as numbers. */
  features: readonly FeatureColumn[] | undefined;
  /** The target columns: one per output for regression, the label column of a classifier. */
  targetNames: string[];
  /** A classifier's labels, in the order of its outputs; undefined for regression. */
  classes: ClassLabels | undefined;
  /** How training dealt with missing values, and (for 'mean') the value each input's gaps are filled with. */
  missing: { mode: MissingMode; fill?: number[] } | undefined;
  /** Feature scaling, and target scaling for regression. */
  standardisation: { x: Standardisation; y?: Standardisation } | undefined;
}

export function writeModelMetadata(model: Model, metadata: ModelMetadata, extra: object): void {
  const entries = Object.entries(metadata).filter(([, value]) => value !== undefined);
  model.metadata = { ...extra, ...Object.fromEntries(entries) };
}

/**
 * The metadata of the model loaded from `path`, with defaults for what is missing. What
 * is present but unusable (names of the wrong number, a scaling that is not finite,
 * categories that do not give the model's inputs) is a ModelFileError.
 */
export function readModelMetadata(model: Model, path: string): ModelMetadata {
  const { featureNames, features, targetNames, classes, missing, standardisation } = model.metadata as Record<
    string,
    unknown
  >;
  const refuse = (what: string) => new ModelFileError(path, `its metadata holds ${what}`);
  if (featureNames !== undefined && !isNameList(featureNames, model.inputSize)) {
    throw refuse(`featureNames that are not ${model.inputSize} column names`);
  }
  if (targetNames !== undefined && !isNameList(targetNames, model.targetSize)) {
    throw refuse(`targetNames that are not ${model.targetSize} column names`);
  }
  if (features !== undefined && !(isFeatureColumns(features) && inputNames(features).length === model.inputSize)) {
    throw refuse(`features that do not give the model's ${model.inputSize} inputs`);
  }
  if (classes !== undefined && !(model.loss.task === 'classification' && isClassLabels(classes, model.outputSize))) {
    throw refuse(`classes that are not ${model.outputSize} distinct labels of a classifier`);
  }
  const mode = (missing as { mode?: unknown } | undefined)?.mode;
  const fill = (missing as { fill?: unknown } | undefined)?.fill;
  if (
    missing !== undefined &&
    !(
      (MISSING_MODES as readonly unknown[]).includes(mode) &&
      (mode === 'mean' ? isFillValues(fill, model.inputSize) : fill === undefined)
    )
  ) {
    throw refuse(
      `a missing-value rule that is not one of ${MISSING_MODES.join(', ')} (with a fill value per input for mean)`,
    );
  }
  const scaling = standardisation as { x?: unknown; y?: unknown } | undefined;
  if (
    scaling !== undefined &&
    !(
      typeof scaling === 'object' &&
      scaling !== null &&
      isStandardisation(scaling.x, model.inputSize) &&
      (classes !== undefined ? scaling.y === undefined : isStandardisation(scaling.y, model.outputSize))
    )
  ) {
    throw refuse('a standardisation that is not a finite mean and a positive, finite std per column');
  }
  return {
    featureNames: featureNames as string[] | undefined,
    features: features as FeatureColumn[] | undefined,
    targetNames:
      (targetNames as string[] | undefined) ??
      (classes !== undefined
        ? [(classes as ClassLabels).target]
        : Array.from({ length: model.outputSize }, (_, j) => `y${j + 1}`)),
    classes: classes as ClassLabels | undefined,
    missing: missing as ModelMetadata['missing'],
    standardisation: scaling as ModelMetadata['standardisation'],
  };
}

/** How the model reads rows from a CSV file, when it knows its columns by name. */
export function tableLayoutOf(metadata: ModelMetadata): TableLayout | undefined {
  const features = metadata.features ?? metadata.featureNames?.map((name): FeatureColumn => ({ name, type: 'number' }));
  if (features === undefined) return undefined;
  return { features, targetNames: metadata.targetNames, classes: metadata.classes };
}

function isNameList(value: unknown, length: number): value is string[] {
  return Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'string' && v !== '');
}

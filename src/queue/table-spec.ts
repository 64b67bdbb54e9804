// The parts of a CSV job's data that say how its table is read, as `blasprop train`
// reads it: columns left out, the layout its columns were found to have (text
// features and their categories, a classifier's labels), and what to do with missing
// values. Checked against the job's model, so that a layout that cannot give the
// model's inputs and outputs is refused when the job is submitted.

import { type ClassLabels, type FeatureColumn, inputNames, isClassLabels, isFeatureColumns } from '../data/encoding.js';
import { isFillValues, MISSING_MODES, type MissingMode } from '../data/missing.js';
import type { Model } from '../model/model.js';
import { checkOneOf, isPlainObject, rangeError, typeError } from '../util/check.js';

/**
 * How the columns of a CSV job's file become the model's rows, as `blasprop train`
 * found them in the file (`TableLayout` of src/data/training-table.ts, the targets
 * aside): the worker reads the file the same way and refuses it when its columns give
 * another layout (a category or a label that was not there, say).
 */
export interface JobTableLayout {
  /** The feature columns in input order: numbers, or text one-hot encoded by these categories. */
  features: FeatureColumn[];
  /** A classifier's labels, in class-index order (its task is classification); absent for regression. */
  classes?: ClassLabels;
}

/** The fields of CSV job data that describe its table, beside the file and its targets. */
export interface TableReading {
  /** Columns that are neither targets nor features. */
  ignore?: string[];
  /** How the columns are encoded; absent: every other column is a number feature, as before layouts. */
  layout?: JobTableLayout;
  /** Missing values: refused ('error', the default), rows dropped ('drop'), or gaps filled ('mean'). */
  missing?: MissingMode;
  /** With 'mean': the value each model input's gaps are filled with; absent: its mean over the training rows. */
  fill?: number[];
}

export const TABLE_READING_KEYS = ['ignore', 'layout', 'missing', 'fill'] as const;

/** Checks a CSV job's table fields (`data`: the spec's data, targets already checked) against its model. */
export function checkTableReading(data: Record<string, unknown>, targets: readonly string[], model: Model): void {
  // Without a layout the file is read as jobs of earlier versions read it, which knows
  // nothing of these: they would be dropped silently.
  const needsLayout = TABLE_READING_KEYS.find((key) => key !== 'layout' && data[key] !== undefined);
  if (needsLayout !== undefined && data.layout === undefined) {
    throw rangeError(
      'spec.data.layout',
      `a table layout { features, classes? } beside spec.data.${needsLayout}`,
      data.layout,
    );
  }
  const ignore = data.ignore;
  if (ignore !== undefined) {
    if (!Array.isArray(ignore)) throw typeError('spec.data.ignore', 'an array of column names', ignore);
    ignore.forEach((name, i) => {
      if (typeof name !== 'string' || name === '') throw typeError(`spec.data.ignore[${i}]`, 'a column name', name);
      if (ignore.indexOf(name) !== i || targets.includes(name)) {
        throw rangeError(`spec.data.ignore[${i}]`, 'a column named neither before nor among the targets', name);
      }
    });
  }
  if (data.layout !== undefined) checkLayout(data.layout, targets, (ignore ?? []) as string[], model);
  const missing = data.missing === undefined ? 'error' : checkOneOf('spec.data.missing', data.missing, MISSING_MODES);
  if (data.fill !== undefined) {
    if (missing !== 'mean') {
      throw rangeError('spec.data.fill', 'no fill values unless spec.data.missing is "mean"', data.fill);
    }
    if (!isFillValues(data.fill, model.inputSize)) {
      throw typeError(
        'spec.data.fill',
        `an array of ${model.inputSize} finite numbers (one per model input)`,
        data.fill,
      );
    }
  }
}

function checkLayout(layout: unknown, targets: readonly string[], ignore: readonly string[], model: Model): void {
  if (!isPlainObject(layout)) throw typeError('spec.data.layout', 'a table layout { features, classes? }', layout);
  const stray = Object.keys(layout).find((key) => key !== 'features' && key !== 'classes');
  if (stray !== undefined) {
    throw rangeError(
      'spec.data.layout',
      'an object with only features, classes',
      layout,
      `"${stray}" is not one of them`,
    );
  }
  const { features, classes } = layout;
  if (!isFeatureColumns(features)) {
    throw typeError(
      'spec.data.layout.features',
      'feature columns [{ name, type: "number" } or { name, type: "category", categories }, …]',
      features,
    );
  }
  const inputs = inputNames(features).length;
  if (inputs !== model.inputSize) {
    throw rangeError(
      'spec.data.layout.features',
      `feature columns giving the model's ${model.inputSize} inputs`,
      features,
      `they give ${inputs}`,
    );
  }
  features.forEach((column, i) => {
    if (targets.includes(column.name) || ignore.includes(column.name)) {
      throw rangeError(`spec.data.layout.features[${i}].name`, 'a column neither a target nor ignored', column.name);
    }
  });
  const classifier = model.loss.task === 'classification';
  if (classes === undefined) {
    if (classifier) {
      throw rangeError('spec.data.layout.classes', "the labels of the model's classes (it is a classifier)", classes);
    }
    return;
  }
  if (!classifier) {
    throw rangeError('spec.data.layout.classes', 'no labels for a regression model', classes);
  }
  if (!isClassLabels(classes, model.outputSize) || Object.keys(classes).some((k) => k !== 'target' && k !== 'labels')) {
    throw typeError(
      'spec.data.layout.classes',
      `class labels { target, labels } with ${model.outputSize} distinct labels (the model's outputs)`,
      classes,
    );
  }
  if (targets.length !== 1 || classes.target !== targets[0]) {
    throw rangeError(
      'spec.data.layout.classes.target',
      `the one target column (${targets.join(', ')})`,
      classes.target,
    );
  }
}

// Text columns as numbers a network can take: a feature column of categories becomes
// one 0/1 column per category (one-hot), and a target column of labels one column of
// class indices. The categories and labels are taken from the training rows and saved
// with the model, so that new rows are encoded the same way; a value the training rows
// did not hold is refused, naming it, rather than guessed at.

import { Matrix } from '../nn/matrix.js';
import { type CsvColumn, type CsvTable, NON_FINITE } from './csv.js';
import { parseDecimal } from './decimal.js';
import { DataError } from './errors.js';

/** A feature column as the model reads it: numbers as they are, or categories one-hot. */
export type FeatureColumn =
  | {
      /** The column's name in the header. */
      readonly name: string;
      /** A column of numbers, one input. */
      readonly type: 'number';
    }
  | {
      /** The column's name in the header. */
      readonly name: string;
      /** A column of text, one 0/1 input per category. */
      readonly type: 'category';
      /** The categories, in input order. */
      readonly categories: readonly string[];
    };

/** The labels of a classification target, in class-index order. */
export interface ClassLabels {
  /** The target column. */
  readonly target: string;
  /** The labels, in class-index order. */
  readonly labels: readonly string[];
}

/**
 * A text column with more categories than this is refused: one input per category
 * would swamp the network, and such a column is nearly always an identifier or free
 * text (a name, a note), which does not generalise: --ignore it.
 */
export const MAX_CATEGORIES = 256;

/**
 * What a column of text cells holds: numbers (empty cells aside; "NaN", "inf" and
 * overflowing decimals count, to be refused as numbers), text, or both (a typo, say).
 */
export function cellKind(values: readonly string[]): 'number' | 'text' | 'mixed' | 'empty' {
  let numbers = 0;
  let text = 0;
  for (const cell of values) {
    if (cell === '') continue;
    if (parseDecimal(cell) !== undefined || NON_FINITE.test(cell)) numbers++;
    else text++;
    if (numbers > 0 && text > 0) return 'mixed';
  }
  return numbers > 0 ? 'number' : text > 0 ? 'text' : 'empty';
}

/**
 * The distinct non-empty values of a column, in a stable order: by value when every
 * one is a number (so that labels 2 and 10 come in that order), else by code unit.
 */
export function distinctValues(values: readonly string[]): string[] {
  const distinct = [...new Set(values.filter((v) => v !== ''))];
  if (distinct.every((v) => parseDecimal(v) !== undefined)) {
    return distinct.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The categories of a feature column, checked against MAX_CATEGORIES. */
export function categoriesOf(source: string, name: string, values: readonly string[]): string[] {
  const categories = distinctValues(values);
  if (categories.length > MAX_CATEGORIES) {
    throw new DataError(
      `${source}: column "${name}" holds ${categories.length} different text values, more than the ${MAX_CATEGORIES} ` +
        'categories a column may have: is it an identifier or free text? Leave it out with --ignore',
    );
  }
  return categories;
}

/** The names of the model's inputs: a number column's own, and "column=category" for each category. */
export function inputNames(columns: readonly FeatureColumn[]): string[] {
  return columns.flatMap((c) =>
    c.type === 'number' ? [c.name] : c.categories.map((category) => `${c.name}=${category}`),
  );
}

/**
 * The model's inputs for every row of `table` (which holds the columns, numbers read as
 * numbers and categories as text). A missing value — NaN in a number column, an empty
 * cell of categories — is NaN in every input it feeds, for missing.ts to deal with; a
 * category the model does not know is a DataError naming it and the row.
 */
export function encodeFeatures(table: CsvTable, columns: readonly FeatureColumn[]): Matrix {
  const width = columns.reduce((sum, c) => sum + (c.type === 'number' ? 1 : c.categories.length), 0);
  const out = new Matrix(table.rows, width);
  let at = 0;
  for (const column of columns) {
    const read = findColumn(table, column.name);
    if (column.type === 'number') {
      if (read.type !== 'number')
        throw new DataError(`${table.source}: column "${column.name}" was not read as numbers`);
      for (let r = 0; r < table.rows; r++) out.data[r * width + at] = read.values[r];
      at++;
      continue;
    }
    if (read.type !== 'text') throw new DataError(`${table.source}: column "${column.name}" was not read as text`);
    const index = new Map(column.categories.map((category, i) => [category, i]));
    for (let r = 0; r < table.rows; r++) {
      const cell = read.values[r];
      const row = out.data.subarray(r * width + at, r * width + at + column.categories.length);
      if (cell === '') {
        row.fill(Number.NaN);
        continue;
      }
      const hot = index.get(cell);
      if (hot === undefined) {
        throw new DataError(
          `${table.source}, data row ${r + 1}, column "${column.name}": category ${JSON.stringify(cell)} was not in the ` +
            `training data (its categories: ${listValues(column.categories)})`,
        );
      }
      row[hot] = 1;
    }
    at += column.categories.length;
  }
  return out;
}

/**
 * Class indices (an N × 1 matrix) of a column of labels; an empty cell is NaN (a missing
 * target), a label not among `labels` a DataError naming it, the row and the file.
 */
export function encodeLabels(table: CsvTable, classes: ClassLabels): Matrix {
  const read = findColumn(table, classes.target);
  if (read.type !== 'text') throw new DataError(`${table.source}: column "${classes.target}" was not read as text`);
  const index = new Map(classes.labels.map((label, i) => [label, i]));
  const out = new Matrix(table.rows, 1);
  for (let r = 0; r < table.rows; r++) {
    const cell = read.values[r];
    const label = cell === '' ? Number.NaN : index.get(cell);
    if (label === undefined) {
      throw new DataError(
        `${table.source}, data row ${r + 1}, column "${classes.target}": label ${JSON.stringify(cell)} is not one the ` +
          `model was trained on (its labels: ${listValues(classes.labels)})`,
      );
    }
    out.data[r] = label;
  }
  return out;
}

function findColumn(table: CsvTable, name: string): CsvColumn {
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined) throw new DataError(`${table.source}: column "${name}" was not read`);
  return column;
}

function listValues(values: readonly string[]): string {
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v));
  return values.length > shown.length ? `${shown.join(', ')}, … (${values.length} in all)` : shown.join(', ');
}

/** Whether a value read back from a model's metadata is a usable list of feature columns. */
export function isFeatureColumns(value: unknown): value is FeatureColumn[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((c) => {
      if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || c.name === '') return false;
      if (c.type === 'number') return true;
      return c.type === 'category' && isDistinctTextList(c.categories);
    })
  );
}

/** Whether a value read back from a model's metadata is a usable set of class labels for `classes` outputs. */
export function isClassLabels(value: unknown, classes: number): value is ClassLabels {
  if (typeof value !== 'object' || value === null) return false;
  const { target, labels } = value as Partial<ClassLabels>;
  return typeof target === 'string' && target !== '' && isDistinctTextList(labels) && labels.length === classes;
}

function isDistinctTextList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && v !== '') &&
    new Set(value).size === value.length
  );
}

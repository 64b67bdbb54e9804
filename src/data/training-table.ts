// A CSV file as a model's rows: which columns are numbers and which text is found out
// from the training file (a column whose every cell is a number is numbers, one with
// none is text; "NaN" or "inf" count as numbers, bad ones), text features are one-hot encoded and a text target — or any target,
// when classification is asked for — becomes class labels. New rows (validation data,
// rows to predict or evaluate) are read with the layout the training file gave.

import { type ColumnRequest, type CsvColumn, type CsvTable, readCsv } from './csv.js';
import type { Dataset } from './dataset.js';
import { parseDecimal } from './decimal.js';
import {
  type ClassLabels,
  categoriesOf,
  cellKind,
  distinctValues,
  encodeFeatures,
  encodeLabels,
  type FeatureColumn,
  inputNames,
} from './encoding.js';
import { DataError } from './errors.js';
import type { MissingMode } from './missing.js';
import { selectColumns } from './table.js';

export const TASKS = ['auto', 'regression', 'classification'] as const;
export type Task = (typeof TASKS)[number];

export interface TableOptions {
  /** The target columns: one for classification. */
  targets: readonly string[];
  /** Columns that are neither targets nor features. */
  ignore: readonly string[];
  /** 'auto': classification when the one target column holds text, else regression. */
  task: Task;
  missing: MissingMode;
}

/** How a model reads its rows from a table: the feature columns, and the targets. */
export interface TableLayout {
  features: readonly FeatureColumn[];
  /** The target columns: numbers for regression, labels for classification. */
  targetNames: readonly string[];
  /** The labels of a classification target, in class-index order; undefined for regression. */
  classes: ClassLabels | undefined;
}

/**
 * The feature columns a model's metadata records: the layout's, when some column holds
 * categories; undefined when every one is a number, which its featureNames already say
 * (such a model file stays as it was before text columns).
 */
export function categoryFeatures(layout: TableLayout | undefined): readonly FeatureColumn[] | undefined {
  return layout?.features.some((c) => c.type === 'category') ? layout.features : undefined;
}

/** Rows of a table encoded for a model, with the layout that encodes them (missing values NaN). */
export interface EncodedDataset extends Dataset {
  layout: TableLayout;
}

/** The training file: its layout found from its cells, and its rows encoded by it. */
export async function readTrainingTable(path: string, options: TableOptions): Promise<EncodedDataset> {
  const { targets, ignore } = options;
  const asText = await readCsv(
    path,
    (header, source) => {
      const absent = ignore.find((name) => !header.includes(name));
      if (absent !== undefined) throw new DataError(`${source} has no column "${absent}" to ignore`);
      return [...targets, ...header.filter((name) => !targets.includes(name) && !ignore.includes(name))].map(
        (name): ColumnRequest => ({ name, type: 'text' }),
      );
    },
    { lenient: true },
  );
  const layout = findLayout(asText, options);
  const requests = layoutRequests(layout, options.missing !== 'error');
  // Cells that do not fit the layout (text in a number column, an empty cell when
  // missing values are refused) are listed by csv.ts, line and column, when it reads
  // the file again with these types; most files never need the second read.
  const typed = (asText.problems ? undefined : retype(asText, requests)) ?? (await readCsv(path, () => requests));
  return { ...encodeRows(typed, layout), layout };
}

/**
 * Rows of another file in the layout of a training file: the feature columns and,
 * with `withTargets`, the targets, by name in any order; other columns are not read.
 * `allowMissing` lets empty feature cells through as NaN.
 */
export async function readTableLike(
  path: string,
  layout: TableLayout,
  options: { withTargets: boolean; allowMissing: boolean },
): Promise<{ x: Dataset['x']; y: Dataset['y'] | undefined }> {
  const targets = options.withTargets ? layout.targetNames : [];
  const requests = layoutRequests({ ...layout, targetNames: targets }, options.allowMissing, false);
  const table = await readCsv(path, () => requests);
  const x = encodeFeatures(table, layout.features);
  return { x, y: options.withTargets ? encodeTargets(table, layout) : undefined };
}

function findLayout(table: CsvTable, options: TableOptions): TableLayout {
  const { targets, task } = options;
  const columns = table.columns as readonly (CsvColumn & { type: 'text' })[];
  const kinds = new Map(columns.map((c) => [c.name, cellKind(c.values)]));
  const classify = task === 'classification' || (task === 'auto' && targets.some((t) => kinds.get(t) === 'text'));
  let classes: ClassLabels | undefined;
  if (classify) {
    if (targets.length !== 1) {
      throw new DataError(
        `${table.source}: a classifier predicts one column of labels, but ${targets.length} targets were given (${targets.join(', ')})`,
      );
    }
    const labels = distinctValues(columns.find((c) => c.name === targets[0])!.values);
    if (labels.length < 2) {
      throw new DataError(
        `${table.source}: column "${targets[0]}" holds ${labels.length === 0 ? 'no label' : `one label only (${JSON.stringify(labels[0])})`}; a classifier needs at least two`,
      );
    }
    classes = { target: targets[0], labels };
  }
  const features: FeatureColumn[] = columns
    .filter((c) => !targets.includes(c.name))
    .map((c) =>
      kinds.get(c.name) === 'text'
        ? { name: c.name, type: 'category', categories: categoriesOf(table.source, c.name, c.values) }
        : { name: c.name, type: 'number' },
    );
  if (features.length === 0) {
    throw new DataError(
      `${table.source} has no feature columns left once the targets (and ignored columns) are taken out`,
    );
  }
  return { features, targetNames: [...targets], classes };
}

/** What to read for a layout: number features and regression targets as numbers, categories and labels as text. */
function layoutRequests(
  layout: TableLayout,
  allowMissing: boolean,
  targetsMayBeMissing = allowMissing,
): ColumnRequest[] {
  const missing = (allow: boolean) => (allow ? 'allow' : 'refuse');
  return [
    ...layout.targetNames.map(
      (name): ColumnRequest => ({
        name,
        type: layout.classes ? 'text' : 'number',
        missing: missing(targetsMayBeMissing),
      }),
    ),
    ...layout.features.map(
      (c): ColumnRequest => ({
        name: c.name,
        type: c.type === 'number' ? 'number' : 'text',
        missing: missing(allowMissing),
      }),
    ),
  ];
}

/**
 * The table read as text, with the requested number columns parsed; undefined when a
 * cell cannot be read as its request asks (text in a number column, an empty cell
 * where missing values are refused).
 */
function retype(table: CsvTable, requests: readonly ColumnRequest[]): CsvTable | undefined {
  const columns: CsvColumn[] = [];
  for (const request of requests) {
    const column = table.columns.find((c) => c.name === request.name) as CsvColumn & { type: 'text' };
    const refuseEmpty = request.missing === 'refuse';
    if (request.type === 'text') {
      if (refuseEmpty && column.values.includes('')) return undefined;
      columns.push(column);
      continue;
    }
    const values = new Float64Array(column.values.length);
    for (let r = 0; r < values.length; r++) {
      const cell = column.values[r];
      const value = cell === '' ? (refuseEmpty ? undefined : Number.NaN) : parseDecimal(cell);
      if (value === undefined || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
        return undefined;
      }
      values[r] = value;
    }
    columns.push({ name: column.name, type: 'number', values });
  }
  return { ...table, columns };
}

function encodeRows(table: CsvTable, layout: TableLayout): Dataset {
  return {
    x: encodeFeatures(table, layout.features),
    y: encodeTargets(table, layout),
    featureNames: inputNames(layout.features),
    targetNames: [...layout.targetNames],
  };
}

function encodeTargets(table: CsvTable, layout: TableLayout): Dataset['y'] {
  return layout.classes ? encodeLabels(table, layout.classes) : selectColumns(table, layout.targetNames);
}

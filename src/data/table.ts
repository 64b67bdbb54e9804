import { Matrix } from '../nn/matrix.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';

/** A rectangular table of finite numbers with named columns, as read from a CSV file. */
export interface NumericTable {
  /** Where it came from, for messages (a file path). */
  source: string;
  columns: string[];
  rows: number;
  /** rows × columns.length values, row-major. */
  values: Float64Array;
}

/** The positions of the named columns; a name the table lacks is a DataError that lists what it has. */
export function columnIndices(table: NumericTable, names: readonly string[]): number[] {
  return names.map((name) => {
    const index = table.columns.indexOf(name);
    if (index < 0) {
      throw new DataError(`${table.source} has no column "${name}" (its columns: ${listColumns(table.columns)})`);
    }
    return index;
  });
}

/** The given columns of every row, in that order, as a new matrix. */
export function selectColumns(table: NumericTable, indices: readonly number[]): Matrix {
  const width = table.columns.length;
  const out = new Matrix(table.rows, indices.length);
  for (let r = 0; r < table.rows; r++) {
    for (let c = 0; c < indices.length; c++) out.data[r * indices.length + c] = table.values[r * width + indices[c]];
  }
  return out;
}

/** Splits a table into targets (the named columns) and features (every other column). */
export function datasetFromTable(table: NumericTable, targetNames: readonly string[]): Dataset {
  const targets = columnIndices(table, targetNames);
  const features = table.columns.map((_, i) => i).filter((i) => !targets.includes(i));
  if (features.length === 0) {
    throw new DataError(`${table.source} has no feature columns left once the targets are taken out`);
  }
  return {
    x: selectColumns(table, features),
    y: selectColumns(table, targets),
    featureNames: features.map((i) => table.columns[i]),
    targetNames: [...targetNames],
  };
}

function listColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, 12).map((c) => `"${c}"`);
  return columns.length > shown.length ? `${shown.join(', ')}, … (${columns.length} in all)` : shown.join(', ');
}

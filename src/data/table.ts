// From CSV columns to the matrices a model trains and predicts on.

import { Matrix } from '../nn/matrix.js';
import { type ColumnRequest, type CsvTable, type NumberColumn, readCsv } from './csv.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';

/** Requests for the named columns, as numbers. */
export function numberColumns(names: readonly string[]): ColumnRequest[] {
  return names.map((name) => ({ name, type: 'number' }));
}

/** What `blasprop train` reads: the targets, then every other column of the header as a feature, all as numbers. */
export function trainingColumns(header: readonly string[], targetNames: readonly string[]): ColumnRequest[] {
  return numberColumns([...targetNames, ...header.filter((name) => !targetNames.includes(name))]);
}

/** The named number columns of a table, in that order, as the columns of a new matrix. */
export function selectColumns(table: CsvTable, names: readonly string[]): Matrix {
  const columns = names.map((name) => numberColumn(table, name));
  const out = new Matrix(table.rows, columns.length);
  columns.forEach(({ values }, c) => {
    for (let r = 0; r < table.rows; r++) out.data[r * columns.length + c] = values[r];
  });
  return out;
}

/** A CSV file as a data set: the named target columns, and every other column as a feature. */
export async function readTrainingCsv(path: string, targetNames: readonly string[]): Promise<Dataset> {
  return datasetFromTable(await readCsv(path, (header) => trainingColumns(header, targetNames)), targetNames);
}

/** Splits a table into targets (the named columns) and features (every other column it holds). */
export function datasetFromTable(table: CsvTable, targetNames: readonly string[]): Dataset {
  const featureNames = table.columns.map((c) => c.name).filter((name) => !targetNames.includes(name));
  if (featureNames.length === 0) {
    throw new DataError(`${table.source} has no feature columns left once the targets are taken out`);
  }
  return {
    x: selectColumns(table, featureNames),
    y: selectColumns(table, targetNames),
    featureNames,
    targetNames: [...targetNames],
  };
}

function numberColumn(table: CsvTable, name: string): NumberColumn {
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined) throw new DataError(`${table.source}: column "${name}" was not read`);
  if (column.type !== 'number') throw new DataError(`${table.source}: column "${name}" was read as text, not numbers`);
  return column;
}

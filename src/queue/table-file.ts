// Table files: rows of named float64 columns in the model file's container
// (docs/table-format.md) — the header says `"kind": "table"` and names the columns,
// and one tensor, "table", holds the rows. A job reads one in a millisecond where
// parsing the same rows from CSV takes a noticeable part of a small job; the values
// are exact, and the container's checksum catches a truncated or damaged file.

import type { CsvTable } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { ModelFileError } from '../model/errors.js';
import { encodeModel, loadModelFile } from '../model/model-file.js';
import { checkFiniteMatrix } from '../nn/check-matrix.js';
import { Matrix } from '../nn/matrix.js';
import { rangeError, typeError } from '../util/check.js';

const KIND = 'table';
const TENSOR = 'table';

/**
 * Writes `rows` (one column per name in `columns`) to `path` as a table file, atomically.
 * Every value must be finite.
 */
export async function writeTableFile(path: string, columns: readonly string[], rows: Matrix): Promise<void> {
  if (typeof path !== 'string' || path === '') throw typeError('path', 'a non-empty string', path);
  if (!Array.isArray(columns)) throw typeError('columns', 'an array of column names', columns);
  if (!(rows instanceof Matrix)) throw typeError('rows', 'a Matrix', rows);
  if (columns.length !== rows.cols) {
    throw rangeError('columns', `${rows.cols} names, one per column of rows`, columns);
  }
  columns.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') throw typeError(`columns[${i}]`, 'a non-empty string', name);
    if (columns.indexOf(name) !== i) throw rangeError(`columns[${i}]`, 'a name not used before', name);
  });
  if (rows.rows === 0) throw rangeError('rows', 'at least one row', rows);
  checkFiniteMatrix('rows', rows);
  const bytes = encodeModel({
    header: { kind: KIND, columns: [...columns] },
    tensors: [{ name: TENSOR, shape: [rows.rows, rows.cols], values: rows.data }],
  });
  await writeFileAtomic(path, bytes);
}

/** Reads a table file as readCsv reads a CSV file, every column as numbers; every problem is a DataError naming the path. */
export async function readTableFile(path: string): Promise<CsvTable> {
  let file: Awaited<ReturnType<typeof loadModelFile>>;
  try {
    file = await loadModelFile(path);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    // The container's own reason, without its words about model files.
    const prefix = `Cannot load model file ${path}: `;
    const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    throw new DataError(`${path}: ${reason.replace('not a blasprop model file', 'not a blasprop table file')}`);
  }
  const { header, tensors } = file;
  const columns = header.columns;
  if (header.kind !== KIND || !isColumnList(columns)) {
    throw new DataError(`${path} is a blasprop file but not a table file (it holds a model?)`);
  }
  const [table] = tensors;
  const [rows, width] = table?.shape ?? [];
  if (
    tensors.length !== 1 ||
    table.name !== TENSOR ||
    table.shape.length !== 2 ||
    width !== columns.length ||
    rows < 1
  ) {
    throw new DataError(`${path}: the table's values do not match its ${columns.length} columns`);
  }
  const index = table.values.findIndex((value) => !Number.isFinite(value));
  if (index >= 0) {
    const row = Math.floor(index / width);
    throw new DataError(
      `${path}, row ${row + 1}, column ${index - row * width + 1} ("${columns[index % width]}"): ${table.values[index]} is not a finite number`,
    );
  }
  const values = table.values;
  return {
    source: path,
    header: columns,
    rows,
    columns: columns.map((name, c) => ({
      name,
      type: 'number' as const,
      values: Float64Array.from({ length: rows }, (_, r) => values[r * width + c]),
    })),
  };
}

function isColumnList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((name, i) => typeof name === 'string' && name !== '' && value.indexOf(name) === i)
  );
}

// Missing values — empty cells, NaN once encoded — and the three ways to deal with
// them: refuse the file (the default: a gap is often a mistake), drop the rows that
// have one, or fill each gap with its column's mean over the training rows (the mean
// of a one-hot column is its category's frequency). A row without a target teaches
// nothing and cannot be scored, so it is dropped in both 'drop' and 'mean'.

import { Matrix } from '../nn/matrix.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';

export const MISSING_MODES = ['error', 'drop', 'mean'] as const;
export type MissingMode = (typeof MISSING_MODES)[number];

/** The rows of `data` for which `keep(row)` holds, in order, and how many were left out. */
function keepRows(data: Dataset, keep: (row: number) => boolean): { data: Dataset; dropped: number } {
  const rows: number[] = [];
  for (let r = 0; r < data.x.rows; r++) if (keep(r)) rows.push(r);
  if (rows.length === data.x.rows) return { data, dropped: 0 };
  const take = (m: Matrix) => {
    const out = new Matrix(rows.length, m.cols);
    rows.forEach((r, i) => {
      out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
    });
    return out;
  };
  return { data: { ...data, x: take(data.x), y: take(data.y) }, dropped: data.x.rows - rows.length };
}

function rowHasNaN(m: Matrix, r: number): boolean {
  for (let c = 0; c < m.cols; c++) if (Number.isNaN(m.data[r * m.cols + c])) return true;
  return false;
}

/** The rows with no missing value at all ('drop'). */
export function dropIncompleteRows(data: Dataset): { data: Dataset; dropped: number } {
  return keepRows(data, (r) => !rowHasNaN(data.x, r) && !rowHasNaN(data.y, r));
}

/** The rows whose targets are all there ('mean': features are filled in, targets cannot be). */
export function dropRowsWithoutTargets(data: Dataset): { data: Dataset; dropped: number } {
  return keepRows(data, (r) => !rowHasNaN(data.y, r));
}

/**
 * The rows a missing-value mode keeps: 'drop' leaves out rows with a gap, 'mean' those
 * without a target, 'error' keeps them all (the file was read refusing gaps). A table
 * left without a row is a DataError naming `source`.
 */
export function keepRowsFor(data: Dataset, missing: MissingMode, source: string): { data: Dataset; dropped: number } {
  const kept =
    missing === 'drop'
      ? dropIncompleteRows(data)
      : missing === 'mean'
        ? dropRowsWithoutTargets(data)
        : { data, dropped: 0 };
  if (kept.data.x.rows === 0) {
    const why =
      missing === 'drop'
        ? 'has a missing value, so none is left (--missing mean fills in missing features)'
        : 'lacks a target, so none is left';
    throw new DataError(`${source}: every one of its ${kept.dropped} rows ${why}`);
  }
  return kept;
}

/** Whether any value of the matrix is missing. */
export function hasMissing(m: Matrix): boolean {
  return m.data.some(Number.isNaN);
}

/**
 * The mean of each column over its first `rows` rows, missing values left out. A
 * column with no value in those rows has no mean: a DataError naming it.
 */
export function columnMeans(m: Matrix, rows: number, names: readonly string[], source: string): number[] {
  const sums = new Float64Array(m.cols);
  const counts = new Float64Array(m.cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const value = m.data[r * m.cols + c];
      if (Number.isNaN(value)) continue;
      sums[c] += value;
      counts[c]++;
    }
  }
  return Array.from(sums, (sum, c) => {
    if (counts[c] === 0) {
      throw new DataError(`${source}: column "${names[c]}" has no value in the training rows to take a mean of`);
    }
    return sum / counts[c];
  });
}

/** Fills each missing value in place with its column's entry of `means`. */
export function fillMissing(m: Matrix, means: readonly number[]): Matrix {
  for (let i = 0; i < m.data.length; i++) if (Number.isNaN(m.data[i])) m.data[i] = means[i % m.cols];
  return m;
}

/** Whether a value read back from a model's metadata is a usable list of `cols` fill values. */
export function isFillValues(value: unknown, cols: number): value is number[] {
  return (
    Array.isArray(value) && value.length === cols && value.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

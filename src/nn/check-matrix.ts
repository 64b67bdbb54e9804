import { rangeError, typeError } from '../util/check.js';
import { describe } from '../util/describe.js';
import { Matrix } from './matrix.js';

/** A Matrix, optionally with a required number of columns and/or rows. */
export function checkMatrix(name: string, value: unknown, shape: { rows?: number; cols?: number } = {}): Matrix {
  if (!(value instanceof Matrix)) throw typeError(name, 'a Matrix', value);
  const { rows, cols } = shape;
  if ((rows !== undefined && value.rows !== rows) || (cols !== undefined && value.cols !== cols)) {
    const expected = `a ${rows ?? 'any'} × ${cols ?? 'any'} Matrix`;
    throw rangeError(name, expected, value, `got ${value.rows} × ${value.cols}`);
  }
  return value;
}

/** The first non-finite entry of a matrix as a RangeError naming it, or undefined. */
export function findNonFinite(name: string, m: Matrix): RangeError | undefined {
  const { data, cols } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / cols);
      return rangeError(name, 'finite values', m, `${describe(data[i])} at row ${row}, column ${i - row * cols}`);
    }
  }
  return undefined;
}

export function checkFiniteMatrix(name: string, m: Matrix): void {
  const error = findNonFinite(name, m);
  if (error) throw error;
}

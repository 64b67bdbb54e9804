import { rangeError, typeError } from '../util/check.js';
import { describe } from '../util/describe.js';
import type { DType, FloatArray } from '../util/dtype.js';
import { Matrix } from './matrix.js';

/** What checkMatrix may require of a matrix besides being one. */
export interface MatrixRequirements {
  rows?: number;
  cols?: number;
  /** The dtype it must have: a matrix of the other one is a TypeError, never converted. */
  dtype?: DType;
}

/** A Matrix, optionally with a required number of columns and/or rows, and a required dtype. */
export function checkMatrix<A extends FloatArray = Float64Array>(
  name: string,
  value: unknown,
  shape: MatrixRequirements = {},
): Matrix<A> {
  if (!(value instanceof Matrix)) throw typeError(name, 'a Matrix', value);
  const { rows, cols, dtype } = shape;
  if (dtype !== undefined && value.dtype !== dtype) {
    throw typeError(
      name,
      `a ${dtype} Matrix`,
      value,
      `its dtype is ${value.dtype}; convert it with astype('${dtype}')`,
    );
  }
  if ((rows !== undefined && value.rows !== rows) || (cols !== undefined && value.cols !== cols)) {
    const expected = `a ${rows ?? 'any'} × ${cols ?? 'any'} Matrix`;
    throw rangeError(name, expected, value, `got ${value.rows} × ${value.cols}`);
  }
  return value as Matrix<A>;
}

/** The first non-finite entry of a matrix as a RangeError naming it, or undefined. */
export function findNonFinite(name: string, m: Matrix<FloatArray>): RangeError | undefined {
  const { data, cols } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / cols);
      return rangeError(name, 'finite values', m, `${describe(data[i])} at row ${row}, column ${i - row * cols}`);
    }
  }
  return undefined;
}

export function checkFiniteMatrix(name: string, m: Matrix<FloatArray>): void {
  const error = findNonFinite(name, m);
  if (error) throw error;
}

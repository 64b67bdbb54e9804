import { gatherRows as gatherRowsKernel } from '../kernels/copy.js';
import { checkFloat64Array, checkInteger, rangeError } from '../util/check.js';
import { typedArrayLength } from '../util/typed-array.js';

/**
 * A row-major `rows × cols` matrix over a Float64Array. Wraps the given array without
 * copying: writes through the matrix are writes to the caller's memory. Without `data`,
 * a new zero-filled array is allocated. A Matrix is frozen: its shape and array never change.
 *
 * @throws TypeError or RangeError when `rows` or `cols` is not a whole number >= 0, or
 *   `data` is not a Float64Array of length rows × cols.
 *
 * @example
 * ```ts
 * const features = new Float64Array([1, 2, 3, 4, 5, 6]);
 * const x = new Matrix(3, 2, features); // 3 rows of 2 features, no copy
 * x.get(2, 1); // 6
 * ```
 */
export class Matrix {
  /** The number of rows, a whole number >= 0. */
  readonly rows: number;
  /** The number of columns, a whole number >= 0. */
  readonly cols: number;
  /** The values, row after row: element (r, c) is `data[r * cols + c]`. */
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    checkInteger('rows', rows, 0);
    checkInteger('cols', cols, 0);
    const length = rows * cols;
    if (data === undefined) {
      this.data = new Float64Array(length);
    } else {
      checkFloat64Array('data', data);
      if (typedArrayLength(data) !== length) {
        throw rangeError('data', `a Float64Array of length rows × cols = ${rows} × ${cols} = ${length}`, data);
      }
      this.data = data;
    }
    this.rows = rows;
    this.cols = cols;
    // Frozen so that rows, cols and data stay consistent: every layer trusts them.
    Object.freeze(this);
  }

  /** A new matrix holding a copy of nested arrays (all rows of equal length). */
  static fromRows(rows: readonly (readonly number[])[]): Matrix {
    const cols = rows.length === 0 ? 0 : rows[0].length;
    const out = new Matrix(rows.length, cols);
    rows.forEach((row, i) => {
      if (row.length !== cols) throw rangeError(`rows[${i}]`, `an array of length ${cols}`, row);
      out.data.set(row, i * cols);
    });
    return out;
  }

  /**
   * The element at (`row`, `col`), both 0-based.
   * @throws RangeError when an index is not a whole number within the matrix.
   */
  get(row: number, col: number): number {
    return this.data[this.index(row, col)];
  }

  /**
   * Writes `value` at (`row`, `col`), both 0-based (into the wrapped array).
   * @throws RangeError when an index is not a whole number within the matrix.
   */
  set(row: number, col: number, value: number): void {
    this.data[this.index(row, col)] = value;
  }

  /**
   * Rows [start, end) as a matrix sharing this one's memory (a view, not a copy): e.g.
   * the first ten rows to predict, or a validation slice.
   * @throws RangeError unless 0 <= start <= end <= rows, whole numbers.
   */
  rowRange(start: number, end: number): Matrix {
    checkInteger('start', start, 0, this.rows);
    checkInteger('end', end, start, this.rows);
    return new Matrix(end - start, this.cols, this.data.subarray(start * this.cols, end * this.cols));
  }

  /** A deep copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** A copy as nested arrays, one per row. */
  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, i) =>
      Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)),
    );
  }

  private index(row: number, col: number): number {
    checkInteger('row', row, 0, this.rows - 1);
    checkInteger('col', col, 0, this.cols - 1);
    return row * this.cols + col;
  }
}

/**
 * Copies rows order[start … start+count) of `m` into `out`, one after another: the
 * gather behind shuffled batches and shuffled data sets (a native kernel: a fit's
 * recorded steps gather the same way).
 */
export function gatherRows(m: Matrix, order: Uint32Array, start: number, count: number, out: Float64Array): void {
  gatherRowsKernel(count, m.cols, m.data, order, start, out);
}

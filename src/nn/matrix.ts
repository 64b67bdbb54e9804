import { gatherRows as gatherRowsKernel } from '../kernels/copy.js';
import { checkDType, checkFloatArray, checkInteger, isPlainObject, rangeError, typeError } from '../util/check.js';
import {
  type ArrayOfDType,
  type DType,
  type DTypeOfArray,
  dtypeInfo,
  dtypeOfArray,
  type FloatArray,
} from '../util/dtype.js';
import { typedArrayLength } from '../util/typed-array.js';

/** A matrix of either dtype: what layers, losses and models take and return. */
export type AnyMatrix = Matrix<FloatArray>;

/** What `new Matrix(rows, cols, options)` takes instead of an array: a zeroed matrix of this dtype. */
export interface MatrixOptions<D extends DType = DType> {
  /** The element type (default 'float64'). */
  dtype?: D;
}

/**
 * A row-major `rows × cols` matrix over a Float64Array or a Float32Array, whose type is
 * the matrix's dtype ('float64' or 'float32'). Wraps the given array without copying:
 * writes through the matrix are writes to the caller's memory. Without `data`, a new
 * zero-filled array is allocated (`{ dtype }` chooses its type). Nothing converts
 * between the two dtypes implicitly; `astype` does it explicitly. A Matrix is frozen:
 * its shape and array never change.
 *
 * @throws TypeError or RangeError when `rows` or `cols` is not a whole number >= 0, or
 *   `data` is not a Float64Array or a Float32Array of length rows × cols.
 *
 * @example
 * ```ts
 * const features = new Float64Array([1, 2, 3, 4, 5, 6]);
 * const x = new Matrix(3, 2, features); // 3 rows of 2 features, no copy
 * x.get(2, 1); // 6
 * const single = new Matrix(3, 2, new Float32Array(6)); // single.dtype is 'float32'
 * ```
 */
export class Matrix<A extends FloatArray = Float64Array> {
  /** The number of rows, a whole number >= 0. */
  readonly rows: number;
  /** The number of columns, a whole number >= 0. */
  readonly cols: number;
  /** The values, row after row: element (r, c) is `data[r * cols + c]`. */
  readonly data: A;
  /** The element type, read from the array: 'float32' for a Float32Array, 'float64' for a Float64Array. */
  readonly dtype: DTypeOfArray<A>;

  /** A zero-filled float64 matrix. */
  constructor(rows: number, cols: number);
  /** A matrix over `data`, of its dtype (no copy). */
  constructor(rows: number, cols: number, data: A);
  /** A zero-filled matrix of `options.dtype` (default 'float64'). */
  constructor(rows: number, cols: number, options: MatrixOptions<DTypeOfArray<A>>);
  constructor(rows: number, cols: number, dataOrOptions?: A | MatrixOptions) {
    checkInteger('rows', rows, 0);
    checkInteger('cols', cols, 0);
    const length = rows * cols;
    if (dataOrOptions === undefined || isPlainObject(dataOrOptions)) {
      const { dtype = 'float64' } = (dataOrOptions ?? {}) as MatrixOptions;
      this.data = dtypeInfo(checkDType('dtype', dtype)).create(length) as A;
    } else {
      const dtype = dtypeOfArray(dataOrOptions);
      if (dtype === undefined) {
        throw typeError('data', 'a Float64Array, a Float32Array or { dtype }', dataOrOptions);
      }
      const data = checkFloatArray('data', dataOrOptions, dtype) as A;
      if (typedArrayLength(data) !== length) {
        const { arrayName } = dtypeInfo(dtype);
        throw rangeError('data', `a ${arrayName} of length rows × cols = ${rows} × ${cols} = ${length}`, data);
      }
      this.data = data;
    }
    this.dtype = dtypeOfArray(this.data) as DTypeOfArray<A>;
    this.rows = rows;
    this.cols = cols;
    // Frozen so that rows, cols and data stay consistent: every layer trusts them.
    Object.freeze(this);
  }

  /** A new matrix holding a copy of nested arrays (all rows of equal length), of `dtype` (default 'float64'). */
  static fromRows<D extends DType = 'float64'>(
    rows: readonly (readonly number[])[],
    options: MatrixOptions<D> = {},
  ): Matrix<ArrayOfDType<D>> {
    const cols = rows.length === 0 ? 0 : rows[0].length;
    const out = new Matrix<ArrayOfDType<D>>(rows.length, cols, { dtype: options.dtype ?? 'float64' } as MatrixOptions<
      DTypeOfArray<ArrayOfDType<D>>
    >);
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
  rowRange(start: number, end: number): Matrix<A> {
    checkInteger('start', start, 0, this.rows);
    checkInteger('end', end, start, this.rows);
    return new Matrix(end - start, this.cols, this.data.subarray(start * this.cols, end * this.cols) as A);
  }

  /** A deep copy. */
  clone(): Matrix<A> {
    return new Matrix(this.rows, this.cols, this.data.slice() as A);
  }

  /**
   * A copy in `dtype`: to float32 each value is rounded to nearest (values beyond
   * float32's range become ±Infinity), to float64 it is exact. Always a new array,
   * also when `dtype` is this matrix's own: the result never shares memory with this one.
   */
  astype<D extends DType>(dtype: D): Matrix<ArrayOfDType<D>> {
    const { create } = dtypeInfo(checkDType('dtype', dtype));
    const data = create(this.data.length);
    data.set(this.data);
    return new Matrix(this.rows, this.cols, data as ArrayOfDType<D>);
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

/** Whether `m` holds float64 values: narrows an AnyMatrix to a Matrix over a Float64Array. */
export function isFloat64Matrix(m: AnyMatrix): m is Matrix {
  return m.dtype === 'float64';
}

/**
 * Copies rows order[start … start+count) of `m` into `out`, one after another: the
 * gather behind shuffled batches and shuffled data sets (a native kernel: a fit's
 * recorded steps gather the same way).
 */
export function gatherRows<A extends FloatArray>(
  m: Matrix<A>,
  order: Uint32Array,
  start: number,
  count: number,
  out: A,
): void {
  gatherRowsKernel(count, m.cols, m.data, order, start, out);
}

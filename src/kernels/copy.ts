// Kernels that only move values (native/src/kernels/copy.cc): the batch gather, the
// bias under a product, and a fill. No arithmetic, so native and reference agree bit
// for bit. The gather and the bias take Float64Arrays or Float32Arrays (one dtype per
// call, the source's); the fill is a plan's, in float64.

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkInteger, checkUint32Array, rangeError, typeError } from '../util/check.js';
import { dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { typedArrayLength } from '../util/typed-array.js';
import { defineKernel } from './define.js';

/**
 * Copies row order[start + r] of the row-major `src` (of `cols` columns) into row r
 * of `dst`, for r < count; returns dst.
 */
export const gatherRows = defineKernel({
  name: 'gatherRows',
  validate(count: number, cols: number, src: FloatArray, order: Uint32Array, start: number, dst: FloatArray): void {
    const N = checkInteger('count', count, 0);
    const C = checkInteger('cols', cols, 0);
    const dtype = dtypeOfArray(src) ?? 'float64';
    const S = checkVector('src', src, 0, 1, dtype);
    const O = checkUint32Array('order', order);
    const first = checkInteger('start', start, 0);
    if (first + N > typedArrayLength(O)) {
      throw rangeError('order', `a Uint32Array holding rows [${first}, ${first + N})`, O);
    }
    const D = checkVector('dst', dst, N * C, 1, dtype);
    const rows = C === 0 ? Number.POSITIVE_INFINITY : Math.floor(typedArrayLength(S) / C);
    for (let r = first; r < first + N; r++) {
      if (O[r] >= rows) throw rangeError(`order[${r}]`, `a row of src (< ${rows})`, O[r]);
    }
    checkNoOverlap('dst', D, N * C, 'src', S, typedArrayLength(S));
  },
  reference(
    count: number,
    cols: number,
    src: FloatArray,
    order: Uint32Array,
    start: number,
    dst: FloatArray,
  ): FloatArray {
    for (let r = 0; r < count; r++) {
      const from = order[start + r] * cols;
      for (let c = 0; c < cols; c++) dst[r * cols + c] = src[from + c];
    }
    return dst;
  },
});

/** Copies `row` (its first `cols` values) into each of the `rows` rows of `out`; returns out. */
export const repeatRow = defineKernel({
  name: 'repeatRow',
  validate(rows: number, cols: number, row: FloatArray, out: FloatArray): void {
    const R = checkInteger('rows', rows, 0);
    const C = checkInteger('cols', cols, 0);
    const dtype = dtypeOfArray(row) ?? 'float64';
    const V = checkVector('row', row, C, 1, dtype);
    const O = checkVector('out', out, R * C, 1, dtype);
    checkNoOverlap('out', O, R * C, 'row', V, C);
  },
  reference(rows: number, cols: number, row: FloatArray, out: FloatArray): FloatArray {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = row[c];
    return out;
  },
});

/** x[i] = value for i < n; returns x. */
export const fill = defineKernel({
  name: 'fill',
  validate(n: number, value: number, x: Float64Array): void {
    const N = checkInteger('n', n, 0);
    if (typeof value !== 'number') throw typeError('value', 'a number', value);
    checkVector('x', x, N, 1);
  },
  reference(n: number, value: number, x: Float64Array): Float64Array {
    for (let i = 0; i < n; i++) x[i] = value;
    return x;
  },
});

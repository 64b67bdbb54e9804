// Kernels that only move values (native/src/kernels/copy.cc): the batch gather, the
// bias under a product, and a fill. No arithmetic, so native and reference agree bit
// for bit.

import { checkNoOverlap, checkVector } from '../blas/validate.js';
import { checkInteger, checkUint32Array, rangeError, typeError } from '../util/check.js';
import { typedArrayLength } from '../util/typed-array.js';
import { defineKernel } from './define.js';

/**
 * Copies row order[start + r] of the row-major `src` (of `cols` columns) into row r
 * of `dst`, for r < count; returns dst.
 */
export const gatherRows = defineKernel({
  name: 'gatherRows',
  validate(count: number, cols: number, src: Float64Array, order: Uint32Array, start: number, dst: Float64Array): void {
    const N = checkInteger('count', count, 0);
    const C = checkInteger('cols', cols, 0);
    const S = checkVector('src', src, 0, 1);
    const O = checkUint32Array('order', order);
    const first = checkInteger('start', start, 0);
    if (first + N > typedArrayLength(O)) {
      throw rangeError('order', `a Uint32Array holding rows [${first}, ${first + N})`, O);
    }
    const D = checkVector('dst', dst, N * C, 1);
    const rows = C === 0 ? Number.POSITIVE_INFINITY : Math.floor(typedArrayLength(S) / C);
    for (let r = first; r < first + N; r++) {
      if (O[r] >= rows) throw rangeError(`order[${r}]`, `a row of src (< ${rows})`, O[r]);
    }
    checkNoOverlap('dst', D, N * C, 'src', S, typedArrayLength(S));
  },
  reference(
    count: number,
    cols: number,
    src: Float64Array,
    order: Uint32Array,
    start: number,
    dst: Float64Array,
  ): Float64Array {
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
  validate(rows: number, cols: number, row: Float64Array, out: Float64Array): void {
    const R = checkInteger('rows', rows, 0);
    const C = checkInteger('cols', cols, 0);
    const V = checkVector('row', row, C, 1);
    const O = checkVector('out', out, R * C, 1);
    checkNoOverlap('out', O, R * C, 'row', V, C);
  },
  reference(rows: number, cols: number, row: Float64Array, out: Float64Array): Float64Array {
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

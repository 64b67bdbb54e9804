// Matrices in shared memory. A background fit reads its data from the worker thread;
// data in a SharedArrayBuffer is read there in place, anything else is copied once
// into shared memory when fit is called. Large data sets should be built in a shared
// matrix from the start (read a file straight into it, or fill it row by row).

import { types } from 'node:util';

import { type AnyMatrix, Matrix, type MatrixOptions } from '../../nn/matrix.js';
import { checkDType, checkInteger } from '../../util/check.js';
import { dtypeInfo, type FloatArray } from '../../util/dtype.js';
import type { SharedData } from './protocol.js';

/** A zero-filled `rows × cols` Matrix of `options.dtype` (default 'float64') whose data lives in a SharedArrayBuffer. */
export function sharedMatrix(rows: number, cols: number, options: MatrixOptions = {}): AnyMatrix {
  checkInteger('rows', rows, 0);
  checkInteger('cols', cols, 0);
  const dtype = checkDType('dtype', options.dtype ?? 'float64');
  const { bytesPerElement } = dtypeInfo(dtype);
  const buffer = new SharedArrayBuffer(rows * cols * bytesPerElement);
  return new Matrix<FloatArray>(rows, cols, dtype === 'float32' ? new Float32Array(buffer) : new Float64Array(buffer));
}

/** Whether a matrix's data is in shared memory (so a background fit reads it without a copy). */
export function isSharedMatrix(m: AnyMatrix): boolean {
  return types.isSharedArrayBuffer(m.data.buffer);
}

/**
 * The matrix as a worker can read it without another copy: its own data when it is
 * shared, else a copy in a new SharedArrayBuffer, made now and all at once — so
 * that whatever the caller does to its arrays once fit has returned (writing,
 * detaching, shrinking) cannot reach the training.
 */
export function shareData(m: AnyMatrix): SharedData {
  if (isSharedMatrix(m)) return { rows: m.rows, cols: m.cols, data: m.data };
  const buffer = new SharedArrayBuffer(m.data.byteLength);
  const copy = m.dtype === 'float32' ? new Float32Array(buffer) : new Float64Array(buffer);
  copy.set(m.data);
  return { rows: m.rows, cols: m.cols, data: copy };
}

/** The Matrix a worker trains on. */
export function sharedDataMatrix(shared: SharedData): AnyMatrix {
  return new Matrix(shared.rows, shared.cols, shared.data);
}

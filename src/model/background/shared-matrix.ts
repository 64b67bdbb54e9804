// Matrices in shared memory. A background fit reads its data from the worker thread;
// data in a SharedArrayBuffer is read there in place, anything else is copied once
// into shared memory when fit is called. Large data sets should be built in a shared
// matrix from the start (read a file straight into it, or fill it row by row).

import { types } from 'node:util';

import { Matrix } from '../../nn/matrix.js';
import { checkInteger } from '../../util/check.js';
import type { SharedData } from './protocol.js';

/** A zero-filled `rows × cols` Matrix whose data lives in a SharedArrayBuffer. */
export function sharedMatrix(rows: number, cols: number): Matrix {
  checkInteger('rows', rows, 0);
  checkInteger('cols', cols, 0);
  const buffer = new SharedArrayBuffer(rows * cols * Float64Array.BYTES_PER_ELEMENT);
  return new Matrix(rows, cols, new Float64Array(buffer));
}

/** Whether a matrix's data is in shared memory (so a background fit reads it without a copy). */
export function isSharedMatrix(m: Matrix): boolean {
  return types.isSharedArrayBuffer(m.data.buffer);
}

/**
 * The matrix as a worker can read it without another copy: its own data when it is
 * shared, else a copy in a new SharedArrayBuffer, made now and all at once — so
 * that whatever the caller does to its arrays once fit has returned (writing,
 * detaching, shrinking) cannot reach the training.
 */
export function shareData(m: Matrix): SharedData {
  if (isSharedMatrix(m)) return { rows: m.rows, cols: m.cols, data: m.data };
  const copy = new Float64Array(new SharedArrayBuffer(m.data.byteLength));
  copy.set(m.data);
  return { rows: m.rows, cols: m.cols, data: copy };
}

/** The Matrix a worker trains on. */
export function sharedDataMatrix(shared: SharedData): Matrix {
  return new Matrix(shared.rows, shared.cols, shared.data);
}

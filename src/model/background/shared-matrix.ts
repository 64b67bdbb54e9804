// Matrices in shared memory. A background fit reads its data from the worker thread;
// data in a SharedArrayBuffer is read there in place, anything else is first copied
// once into shared memory. Large data sets should be built in a shared matrix from
// the start (read a file straight into it, or fill it row by row).

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { types } from 'node:util';

import { Matrix } from '../../nn/matrix.js';
import { checkInteger } from '../../util/check.js';

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
 * Elements copied between two turns of the event loop: 1 MiB, about a millisecond of
 * copying (the first touch of fresh shared memory costs more than the copy itself).
 */
const COPY_SLICE = 128 * 1024;

/**
 * The matrix's data as a Float64Array a worker can read without another copy: the
 * data itself when it is shared, else a copy of it in a new SharedArrayBuffer, made a
 * slice at a time so that copying a large data set does not stall the event loop.
 */
export async function shareData(m: Matrix): Promise<Float64Array> {
  if (isSharedMatrix(m)) return m.data;
  const source = m.data;
  const copy = new Float64Array(new SharedArrayBuffer(source.byteLength));
  for (let start = 0; start < source.length; start += COPY_SLICE) {
    if (start > 0) await yieldToEventLoop();
    copy.set(source.subarray(start, start + COPY_SLICE), start);
  }
  return copy;
}

// Bookkeeping for calls on typed arrays that may share, alias or overlap buffers:
// deep copies that keep every view at its offset, byte snapshots, and the buffers
// behind a list of arguments. Plain ESM so that standalone scripts and vitest can
// both import it.

import { types } from 'node:util';

/** Whether an ArrayBuffer has been transferred away (Node 20 lacks `.detached`). */
export function isDetached(buffer) {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * The bytes of any kind of buffer (plain, resizable or shared) in a new plain one.
 * @returns {Uint8Array}
 */
function copyOf(buffer) {
  return new Uint8Array(buffer).slice();
}

/** @returns {ArrayBufferLike[]} each live buffer behind a typed-array argument, once */
export function buffersOf(args) {
  const buffers = new Set();
  for (const arg of args) {
    if (ArrayBuffer.isView(arg) && !isDetached(arg.buffer)) buffers.add(arg.buffer);
  }
  return [...buffers];
}

/**
 * A copy of `args` in which every Float64Array is a view, at the same offset and
 * length, into a copy of its buffer. Views that shared a buffer share the copy, so
 * aliasing and overlap are preserved.
 */
export function cloneArgs(args) {
  const copies = new Map();
  return args.map((arg) => {
    if (!types.isFloat64Array(arg) || isDetached(arg.buffer)) return arg;
    let copy = copies.get(arg.buffer);
    if (copy === undefined) {
      copy = copyOf(arg.buffer).buffer;
      copies.set(arg.buffer, copy);
    }
    return new Float64Array(copy, arg.byteOffset, arg.length);
  });
}

/** @returns {Map<ArrayBufferLike, Uint8Array>} the bytes of every buffer behind `args` */
export function snapshot(args) {
  return new Map(buffersOf(args).map((buffer) => [buffer, copyOf(buffer)]));
}

/** @returns {string | undefined} why the buffers no longer hold the snapshot's bytes, if they do not */
export function changedSince(before) {
  for (const [buffer, bytes] of before) {
    const now = new Uint8Array(buffer);
    if (now.length !== bytes.length) return `a buffer changed size from ${bytes.length} to ${now.length} bytes`;
    for (let i = 0; i < bytes.length; i++) {
      if (now[i] !== bytes[i]) return `byte ${i} of a ${bytes.length}-byte buffer changed`;
    }
  }
  return undefined;
}

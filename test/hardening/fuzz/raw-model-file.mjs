// A model file written by hand, following docs/model-format.md, with a correct
// checksum: for contents that encodeModel (and so save) refuses to write, to check
// that load refuses them too. Independent of the library's encoder on purpose.

import { createHash } from 'node:crypto';

/**
 * @param {string} headerJson the header, as JSON text
 * @param {ArrayLike<number>[]} tensors each tensor's values, in header order
 * @returns {Buffer}
 */
export function rawModelFile(headerJson, tensors) {
  const header = Buffer.from(headerJson, 'utf8');
  const dataStart = Math.ceil((16 + header.length) / 8) * 8;
  const values = tensors.flatMap((t) => Array.from(t));
  const out = Buffer.alloc(dataStart + values.length * 8 + 32);
  out.write('BLASPROP', 0, 'latin1');
  out.writeUInt32LE(1, 8);
  out.writeUInt32LE(header.length, 12);
  header.copy(out, 16);
  values.forEach((v, i) => {
    out.writeDoubleLE(v, dataStart + i * 8);
  });
  createHash('sha256')
    .update(out.subarray(0, out.length - 32))
    .digest()
    .copy(out, out.length - 32);
  return out;
}

/** The header encodeModel would write for `contents`, as JSON text, without its checks. */
export function rawHeader({ kind, config, metadata, tensors }) {
  const list = Object.entries(tensors).map(([name, values]) => ({ name, length: values.length }));
  return JSON.stringify({ kind, config, metadata, tensors: list });
}

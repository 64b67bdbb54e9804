// Model files written byte by byte, independently of the library's writer: for files
// of format 1 as blasprop 0.1 wrote them, and for contents the library's writer
// refuses (so that load can be shown to refuse them too). Follows docs/model-format.md.

import { createHash } from 'node:crypto';

/**
 * A file of the given format version: magic, version, header length, the header
 * text, zero padding to 8 bytes, the tensors as little-endian doubles in order, and
 * the SHA-256 of everything before it.
 *
 * @param {string} headerJson the header, as JSON text
 * @param {ArrayLike<number>[]} tensors each tensor's values, in header order
 * @param {number} [version]
 * @returns {Buffer}
 */
export function rawModelFile(headerJson, tensors, version = 2) {
  const header = Buffer.from(headerJson, 'utf8');
  const dataStart = Math.ceil((16 + header.length) / 8) * 8;
  const values = tensors.flatMap((t) => Array.from(t));
  const body = Buffer.alloc(dataStart + values.length * 8);
  body.write('BLASPROP', 0, 'latin1');
  body.writeUInt32LE(version, 8);
  body.writeUInt32LE(header.length, 12);
  header.copy(body, 16);
  values.forEach((v, i) => {
    body.writeDoubleLE(v, dataStart + i * 8);
  });
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** A format 1 file: header { kind, config, metadata, tensors: [{ name, length }] }, tensors by name. */
export function encodeFormat1({ kind, config, metadata, tensors }) {
  const entries = Object.entries(tensors);
  const list = entries.map(([name, values]) => ({ name, length: values.length }));
  return rawModelFile(
    JSON.stringify({ kind, config, metadata, tensors: list }),
    entries.map(([, values]) => values),
    1,
  );
}

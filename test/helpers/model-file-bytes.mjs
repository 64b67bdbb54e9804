// Model files written byte by byte, independently of the library's writer: format 1
// as blasprop 0.1 wrote it, for tests of reading old files and crafted contents.

import { createHash } from 'node:crypto';

const MAGIC = Buffer.from('BLASPROP', 'latin1');

/**
 * A format 1 file: magic, version 1, header length, header JSON { kind, config,
 * metadata, tensors: [{ name, length }] }, zero padding to 8 bytes, the tensors as
 * little-endian doubles, and the SHA-256 of everything before it.
 */
export function encodeFormat1({ kind, config, metadata, tensors }) {
  const entries = Object.entries(tensors);
  const header = Buffer.from(
    JSON.stringify({
      kind,
      config,
      metadata,
      tensors: entries.map(([name, values]) => ({ name, length: values.length })),
    }),
    'utf8',
  );
  const dataStart = Math.ceil((16 + header.length) / 8) * 8;
  const body = Buffer.alloc(dataStart + entries.reduce((sum, [, v]) => sum + v.length * 8, 0));
  MAGIC.copy(body, 0);
  body.writeUInt32LE(1, 8);
  body.writeUInt32LE(header.length, 12);
  header.copy(body, 16);
  let at = dataStart;
  for (const [, values] of entries) for (const v of values) at = body.writeDoubleLE(v, at);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

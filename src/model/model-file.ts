// The model file container (documented in docs/model-format.md):
//
//   bytes 0–7    magic "BLASPROP"
//   bytes 8–11   format version, uint32 little-endian (2; 1 is still read)
//   bytes 12–15  header length H, uint32 little-endian
//   16 … 16+H    header: UTF-8 JSON, ending with tensors: [{ name, shape }]
//   padding      zeros up to a multiple of 8
//   tensors      each tensor's float64 values, little-endian, in header order
//   last 32      SHA-256 of every byte before it
//
// What the header says besides the tensor list is the model's business
// (src/model/persistence.ts); this file only packs and checks the container.
// Weights are stored as raw IEEE-754 doubles, so a round trip is bit-exact. Writes are
// atomic: a temporary file in the same folder is written, fsynced and renamed over
// the target, so a crash mid-save leaves the previous file intact.

import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { isPlainObject } from '../util/check.js';
import { ModelFileError } from './errors.js';

const MAGIC = Buffer.from('BLASPROP', 'latin1');
const VERSION = 2;
const PREFIX_BYTES = 16;
const DIGEST_BYTES = 32;
/** Header size beyond which a file is taken to be corrupt rather than a real model. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** A tensor in a file: a name unique in the file, a shape, and row-major values. */
export interface StoredTensor {
  name: string;
  shape: readonly number[];
  values: Float64Array;
}

export interface ModelFileContents {
  /** The header's fields besides the tensor list: plain JSON. */
  header: Record<string, unknown>;
  tensors: StoredTensor[];
}

export interface DecodedModelFile extends ModelFileContents {
  /** The format version the file was written in. */
  version: 1 | 2;
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodeModel(contents: ModelFileContents): Buffer {
  const { tensors } = contents;
  const header = Buffer.from(
    JSON.stringify({ ...contents.header, tensors: tensors.map(({ name, shape }) => ({ name, shape })) }),
    'utf8',
  );
  const dataStart = align8(PREFIX_BYTES + header.length);
  const dataBytes = tensors.reduce((sum, t) => sum + t.values.length * 8, 0);
  const out = Buffer.alloc(dataStart + dataBytes + DIGEST_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(VERSION, 8);
  out.writeUInt32LE(header.length, 12);
  header.copy(out, PREFIX_BYTES);
  let at = dataStart;
  for (const { values } of tensors) {
    if (littleEndian) {
      out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
      at += values.byteLength;
    } else {
      for (const v of values) at = out.writeDoubleLE(v, at);
    }
  }
  createHash('sha256').update(out.subarray(0, at)).digest().copy(out, at);
  return out;
}

export function decodeModel(bytes: Buffer, path: string): DecodedModelFile {
  const fail = (reason: string) => new ModelFileError(path, reason);
  if (bytes.length < PREFIX_BYTES + DIGEST_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) {
    throw fail('not a blasprop model file (bad magic number or too short)');
  }
  const version = bytes.readUInt32LE(8);
  if (version !== 1 && version !== 2) {
    throw fail(`unsupported format version ${version} (this version reads 1 and ${VERSION})`);
  }
  const bodyEnd = bytes.length - DIGEST_BYTES;
  const digest = createHash('sha256').update(bytes.subarray(0, bodyEnd)).digest();
  if (!digest.equals(bytes.subarray(bodyEnd))) throw fail('checksum mismatch: the file is truncated or corrupted');

  // The checksum matched, so what follows only fails for a file written by a
  // different program that happens to reuse the magic number.
  const headerLength = bytes.readUInt32LE(12);
  if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength > bodyEnd)
    throw fail('header length out of range');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLength));
  } catch {
    throw fail('header is not valid JSON');
  }
  if (!isPlainObject(header)) throw fail('header is not a JSON object');
  const { tensors: list, ...rest } = header;
  if (!Array.isArray(list)) throw fail('header lacks the tensor list');
  const names = new Set<string>();
  const tensors: StoredTensor[] = [];
  let at = align8(PREFIX_BYTES + headerLength);
  for (const entry of list as unknown[]) {
    const { name, shape } = tensorEntry(entry, version);
    if (shape === undefined || name === undefined) throw fail('malformed tensor entry in header');
    if (names.has(name)) throw fail(`tensor ${JSON.stringify(name)} appears twice`);
    names.add(name);
    const length = shape.reduce((product, size) => product * size, 1);
    const end = at + length * 8;
    if (!Number.isSafeInteger(end) || end > bodyEnd) throw fail(`tensor ${name} extends past the end of the data`);
    const values = new Float64Array(length);
    if (littleEndian) {
      new Uint8Array(values.buffer).set(bytes.subarray(at, end));
    } else {
      for (let i = 0; i < values.length; i++) values[i] = bytes.readDoubleLE(at + i * 8);
    }
    tensors.push({ name, shape, values });
    at = end;
  }
  if (at !== bodyEnd) throw fail('unexpected bytes after the last tensor');
  return { version, header: rest, tensors };
}

/** A tensor's name and shape from the header's list; format 1 gave a length, format 2 a shape. */
function tensorEntry(entry: unknown, version: number): { name?: string; shape?: number[] } {
  const { name, length, shape } = (entry ?? {}) as { name?: unknown; length?: unknown; shape?: unknown };
  if (typeof name !== 'string') return {};
  const sizes = version === 1 ? [length] : shape;
  if (!Array.isArray(sizes) || !sizes.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)) return {};
  return { name, shape: sizes as number[] };
}

/** Writes `bytes` to `path` atomically: temporary file, fsync, rename, fsync of the folder. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx', 0o644);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  // Make the rename itself durable. Not every platform can fsync a folder.
  const dir = await open(folder, 'r').catch(() => undefined);
  if (dir) {
    await dir.sync().catch(() => {});
    await dir.close();
  }
  await removeAbandonedTemporaries(folder, basename(path));
}

/**
 * Deletes temporary files that earlier saves of the same file left behind when their
 * process was killed mid-write: those whose writer's pid no longer runs. A live
 * writer's file (another process saving right now) is never touched.
 */
async function removeAbandonedTemporaries(folder: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const match = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length));
    if (match && !processIsAlive(Number(match[1]))) await unlink(join(folder, entry)).catch(() => {});
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function saveModelFile(path: string, contents: ModelFileContents): Promise<void> {
  await writeFileAtomic(path, encodeModel(contents));
}

export async function loadModelFile(path: string): Promise<DecodedModelFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(path, code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  return decodeModel(bytes, path);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

// The model file format (documented in docs/model-format.md):
//
//   bytes 0–7    magic "BLASPROP"
//   bytes 8–11   format version, uint32 little-endian (1)
//   bytes 12–15  header length H, uint32 little-endian
//   16 … 16+H    header: UTF-8 JSON { kind, config, metadata, tensors: [{ name, length }] }
//   padding      zeros up to a multiple of 8
//   tensors      each tensor's float64 values, little-endian, in header order
//   last 32      SHA-256 of every byte before it
//
// Weights are stored as raw IEEE-754 doubles, so a round trip is bit-exact. Writes are
// atomic: a temporary file in the same folder is written, fsynced and renamed over
// the target, so a crash mid-save leaves the previous file intact.

import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { ModelFileError } from './errors.js';

const MAGIC = Buffer.from('BLASPROP', 'latin1');
const VERSION = 1;
const PREFIX_BYTES = 16;
const DIGEST_BYTES = 32;
/** Header size beyond which a file is taken to be corrupt rather than a real model. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

export interface ModelFileContents {
  kind: string;
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  tensors: Record<string, Float64Array>;
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodeModel(contents: ModelFileContents): Buffer {
  const entries = Object.entries(contents.tensors);
  const header = Buffer.from(
    JSON.stringify({
      kind: contents.kind,
      config: contents.config,
      metadata: contents.metadata,
      tensors: entries.map(([name, values]) => ({ name, length: values.length })),
    }),
    'utf8',
  );
  const dataStart = align8(PREFIX_BYTES + header.length);
  const dataBytes = entries.reduce((sum, [, v]) => sum + v.length * 8, 0);
  const out = Buffer.alloc(dataStart + dataBytes + DIGEST_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(VERSION, 8);
  out.writeUInt32LE(header.length, 12);
  header.copy(out, PREFIX_BYTES);
  let at = dataStart;
  for (const [, values] of entries) {
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

export function decodeModel(bytes: Buffer, path: string): ModelFileContents {
  const fail = (reason: string) => new ModelFileError(path, reason);
  if (bytes.length < PREFIX_BYTES + DIGEST_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) {
    throw fail('not a blasprop model file (bad magic number or too short)');
  }
  const version = bytes.readUInt32LE(8);
  if (version !== VERSION) throw fail(`unsupported format version ${version} (this version reads ${VERSION})`);
  const bodyEnd = bytes.length - DIGEST_BYTES;
  const digest = createHash('sha256').update(bytes.subarray(0, bodyEnd)).digest();
  if (!digest.equals(bytes.subarray(bodyEnd))) throw fail('checksum mismatch: the file is truncated or corrupted');

  // The checksum matched, so what follows only fails for a file written by a
  // different program that happens to reuse the magic number.
  const headerLength = bytes.readUInt32LE(12);
  if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength > bodyEnd)
    throw fail('header length out of range');
  let header: { kind?: unknown; config?: unknown; metadata?: unknown; tensors?: unknown };
  try {
    header = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLength));
  } catch {
    throw fail('header is not valid JSON');
  }
  if (typeof header.kind !== 'string' || !isPlainObject(header.config) || !isPlainObject(header.metadata)) {
    throw fail('header lacks kind, config or metadata');
  }
  if (!Array.isArray(header.tensors)) throw fail('header lacks the tensor list');
  const tensors: Record<string, Float64Array> = {};
  let at = align8(PREFIX_BYTES + headerLength);
  for (const entry of header.tensors as unknown[]) {
    const { name, length } = (entry ?? {}) as { name?: unknown; length?: unknown };
    if (typeof name !== 'string' || !Number.isSafeInteger(length) || (length as number) < 0) {
      throw fail('malformed tensor entry in header');
    }
    const end = at + (length as number) * 8;
    if (end > bodyEnd) throw fail(`tensor ${name} extends past the end of the data`);
    const values = new Float64Array(length as number);
    if (littleEndian) {
      new Uint8Array(values.buffer).set(bytes.subarray(at, end));
    } else {
      for (let i = 0; i < values.length; i++) values[i] = bytes.readDoubleLE(at + i * 8);
    }
    tensors[name] = values;
    at = end;
  }
  if (at !== bodyEnd) throw fail('unexpected bytes after the last tensor');
  return {
    kind: header.kind,
    config: header.config as Record<string, unknown>,
    metadata: header.metadata as Record<string, unknown>,
    tensors,
  };
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

export async function loadModelFile(path: string): Promise<ModelFileContents> {
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
// atomic (src/io/atomic-write.ts), so a crash mid-save leaves the previous file intact.
// Save and load check the metadata with one function (src/io/metadata.ts), and the
// tensors with one here, so that save refuses what load would.

import { createHash } from 'node:crypto';

import { writeFileAtomic } from '../io/atomic-write.js';
import { fileErrorReason } from '../io/errors.js';
import { checkMetadata } from '../io/metadata.js';
import { openRegularFile, type RegularFile, readExactly } from '../io/read-file.js';
import { rangeError } from '../util/check.js';
import { ModelFileError } from './errors.js';

const MAGIC = Buffer.from('BLASPROP', 'latin1');
const VERSION = 1;
const PREFIX_BYTES = 16;
const DIGEST_BYTES = 32;
/** Header size beyond which a file is taken to be corrupt rather than a real model. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** The largest model file (4 GiB, the largest Buffer Node.js 20 allocates); save and load refuse larger ones. */
export const MAX_MODEL_FILE_BYTES = 2 ** 32;

export interface ModelFileContents {
  kind: string;
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  tensors: Record<string, Float64Array>;
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodeModel(contents: ModelFileContents): Buffer {
  const entries = Object.entries(contents.tensors);
  for (const [name, values] of entries) {
    const bad = firstNonFinite(values);
    if (bad >= 0) throw rangeError(`tensor ${name}`, 'finite values', values, `${values[bad]} at index ${bad}`);
  }
  const header = Buffer.from(
    JSON.stringify({
      kind: contents.kind,
      config: contents.config,
      metadata: checkMetadata(contents.metadata),
      tensors: entries.map(([name, values]) => ({ name, length: values.length })),
    }),
    'utf8',
  );
  if (header.length > MAX_HEADER_BYTES) {
    throw rangeError(
      'metadata',
      `metadata whose JSON fits the model file's ${MAX_HEADER_BYTES / 2 ** 20} MiB header`,
      contents.metadata,
      `the header would take ${header.length} bytes`,
    );
  }
  const dataStart = align8(PREFIX_BYTES + header.length);
  const dataBytes = entries.reduce((sum, [, v]) => sum + v.length * 8, 0);
  const fileBytes = dataStart + dataBytes + DIGEST_BYTES;
  if (fileBytes > MAX_MODEL_FILE_BYTES) {
    throw rangeError(
      'tensors',
      `at most ${MAX_MODEL_FILE_BYTES} bytes of model file`,
      contents.tensors,
      `${fileBytes} bytes`,
    );
  }
  const out = Buffer.alloc(fileBytes);
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
  if (typeof header.kind !== 'string' || !isPlainObject(header.config) || header.metadata === undefined) {
    throw fail('header lacks kind, config or metadata');
  }
  let metadata: Record<string, unknown>;
  try {
    metadata = checkMetadata(header.metadata);
  } catch (error) {
    throw fail(`its metadata cannot be loaded: ${(error as Error).message}`);
  }
  if (!Array.isArray(header.tensors)) throw fail('header lacks the tensor list');
  const tensors: Record<string, Float64Array> = {};
  let at = align8(PREFIX_BYTES + headerLength);
  for (const entry of header.tensors as unknown[]) {
    const { name, length } = (entry ?? {}) as { name?: unknown; length?: unknown };
    if (typeof name !== 'string' || !Number.isSafeInteger(length) || (length as number) < 0) {
      throw fail('malformed tensor entry in header');
    }
    // An object's key: "__proto__" would set its prototype, a repeated name replace a tensor.
    if (name === '__proto__') throw fail('a tensor is named "__proto__"');
    if (Object.hasOwn(tensors, name)) throw fail(`two tensors are named ${JSON.stringify(name)}`);
    const end = at + (length as number) * 8;
    if (end > bodyEnd) throw fail(`tensor ${name} extends past the end of the data`);
    const values = new Float64Array(length as number);
    if (littleEndian) {
      new Uint8Array(values.buffer).set(bytes.subarray(at, end));
    } else {
      for (let i = 0; i < values.length; i++) values[i] = bytes.readDoubleLE(at + i * 8);
    }
    const bad = firstNonFinite(values);
    if (bad >= 0) throw fail(`tensor ${name} holds ${values[bad]} at index ${bad}; weights must be finite`);
    tensors[name] = values;
    at = end;
  }
  if (at !== bodyEnd) throw fail('unexpected bytes after the last tensor');
  return {
    kind: header.kind,
    config: header.config as Record<string, unknown>,
    metadata,
    tensors,
  };
}

/** Where a tensor holds a non-finite value, or -1. Save and load both refuse them: such a model predicts NaN. */
function firstNonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

export async function saveModelFile(path: string, contents: ModelFileContents): Promise<void> {
  await writeFileAtomic(path, encodeModel(contents));
}

/**
 * Reads and decodes a model file. Only a regular file is read (not a device, FIFO or
 * directory), at most MAX_MODEL_FILE_BYTES, and only once its size matches what its
 * header declares, so a damaged file costs no more memory than its header claims.
 */
export async function loadModelFile(path: string): Promise<ModelFileContents> {
  let file: RegularFile | undefined;
  let bytes: Buffer;
  try {
    file = await openRegularFile(path);
    if (file.size > MAX_MODEL_FILE_BYTES) {
      throw new ModelFileError(
        path,
        `it is ${file.size} bytes, more than a model file may be (${MAX_MODEL_FILE_BYTES})`,
      );
    }
    const declared = await declaredSize(file);
    if (declared !== undefined && declared !== file.size) {
      throw new ModelFileError(
        path,
        `its header describes ${declared} bytes but the file has ${file.size}: it is truncated or corrupted`,
      );
    }
    bytes = await readExactly(file, 0, file.size);
  } catch (error) {
    throw error instanceof ModelFileError ? error : new ModelFileError(path, fileErrorReason(error));
  } finally {
    await file?.handle.close();
  }
  return decodeModel(bytes, path);
}

/**
 * The file size the header declares, read from the prefix and the header alone; undefined
 * when they are too damaged to tell (decodeModel then says what is wrong).
 */
async function declaredSize(file: RegularFile): Promise<number | undefined> {
  if (file.size < PREFIX_BYTES) return undefined;
  const prefix = await readExactly(file, 0, PREFIX_BYTES);
  const headerLength = prefix.readUInt32LE(12);
  if (
    !prefix.subarray(0, 8).equals(MAGIC) ||
    headerLength > MAX_HEADER_BYTES ||
    PREFIX_BYTES + headerLength > file.size
  ) {
    return undefined;
  }
  let tensors: unknown;
  try {
    tensors = JSON.parse((await readExactly(file, PREFIX_BYTES, headerLength)).toString('utf8'))?.tensors;
  } catch {
    return undefined;
  }
  if (!Array.isArray(tensors)) return undefined;
  let size = align8(PREFIX_BYTES + headerLength) + DIGEST_BYTES;
  for (const entry of tensors) {
    const length = (entry as { length?: unknown } | null)?.length;
    if (!Number.isSafeInteger(length) || (length as number) < 0) return undefined;
    size += (length as number) * 8;
  }
  return size;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

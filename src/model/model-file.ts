// The model file container (documented in docs/model-format.md):
//
//   bytes 0–7    magic "BLASPROP"
//   bytes 8–11   format version, uint32 little-endian (2; 1 is still read)
//   bytes 12–15  header length H, uint32 little-endian
//   16 … 16+H    header: UTF-8 JSON, ending with tensors: [{ name, shape, dtype? }]
//   padding      zeros up to a multiple of 8
//   tensors      each tensor's values, little-endian, in header order: float64, or
//                float32 for an entry with dtype "float32" (format 2)
//   last 32      SHA-256 of every byte before it
//
// What the header says besides the tensor list is the model's business
// (src/model/persistence.ts); this file only packs and checks the container.
// Weights are stored as raw IEEE-754 doubles, so a round trip is bit-exact; every
// value must be finite, on save as on load (such a model would predict NaN). Writes
// are atomic (src/io/atomic-write.ts), so a crash mid-save leaves the previous file
// intact. Reads take regular files only, and no more bytes than the header declares.

import { createHash } from 'node:crypto';

import { writeFileAtomic } from '../io/atomic-write.js';
import { fileErrorReason } from '../io/errors.js';
import { openRegularFile, type RegularFile, readExactly } from '../io/read-file.js';
import { isPlainObject, rangeError } from '../util/check.js';
import { type DType, dtypeInfo, dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { ModelFileError } from './errors.js';

const MAGIC = Buffer.from('BLASPROP', 'latin1');
const VERSION = 2;
const PREFIX_BYTES = 16;
const DIGEST_BYTES = 32;
/** Header size beyond which a file is taken to be corrupt rather than a real model. */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** The largest model file (4 GiB, the largest Buffer Node.js 20 allocates); save and load refuse larger ones. */
export const MAX_MODEL_FILE_BYTES = 2 ** 32;

/** A tensor in a file: a name unique in the file, a shape, and row-major values (stored in their own dtype). */
export interface StoredTensor {
  name: string;
  shape: readonly number[];
  values: FloatArray;
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
  for (const { name, values } of tensors) {
    const bad = firstNonFinite(values);
    if (bad >= 0) throw rangeError(`tensor ${name}`, 'finite values', values, `${values[bad]} at index ${bad}`);
  }
  // A float64 tensor's entry is written as before float32 existed, so that such files read the same everywhere.
  const entries = tensors.map(({ name, shape, values }) =>
    dtypeOfArray(values) === 'float32' ? { name, shape, dtype: 'float32' } : { name, shape },
  );
  const header = Buffer.from(JSON.stringify({ ...contents.header, tensors: entries }), 'utf8');
  if (header.length > MAX_HEADER_BYTES) {
    throw rangeError(
      'metadata',
      `metadata whose JSON fits the model file's ${MAX_HEADER_BYTES / 2 ** 20} MiB header`,
      contents.header.metadata,
      `the header would take ${header.length} bytes`,
    );
  }
  const dataStart = align8(PREFIX_BYTES + header.length);
  const dataBytes = tensors.reduce((sum, t) => sum + t.values.byteLength, 0);
  const fileBytes = dataStart + dataBytes + DIGEST_BYTES;
  if (fileBytes > MAX_MODEL_FILE_BYTES) {
    throw rangeError('tensors', `at most ${MAX_MODEL_FILE_BYTES} bytes of model file`, tensors, `${fileBytes} bytes`);
  }
  const out = Buffer.alloc(fileBytes);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(VERSION, 8);
  out.writeUInt32LE(header.length, 12);
  header.copy(out, PREFIX_BYTES);
  let at = dataStart;
  for (const { values } of tensors) {
    if (littleEndian) {
      out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
      at += values.byteLength;
    } else if (dtypeOfArray(values) === 'float32') {
      for (const v of values) at = out.writeFloatLE(v, at);
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
    const { name, shape, dtype } = tensorEntry(entry, version);
    if (shape === undefined || name === undefined) throw fail('malformed tensor entry in header');
    // Names become object keys: "__proto__" would set a prototype, a repeated name replace a tensor.
    if (name === '__proto__') throw fail('a tensor is named "__proto__"');
    if (names.has(name)) throw fail(`two tensors are named ${JSON.stringify(name)}`);
    names.add(name);
    const length = shape.reduce((product, size) => product * size, 1);
    const { bytesPerElement, create } = dtypeInfo(dtype);
    const end = at + length * bytesPerElement;
    if (!Number.isSafeInteger(end) || end > bodyEnd) throw fail(`tensor ${name} extends past the end of the data`);
    const values = create(length);
    if (littleEndian) {
      new Uint8Array(values.buffer).set(bytes.subarray(at, end));
    } else if (dtype === 'float32') {
      for (let i = 0; i < values.length; i++) values[i] = bytes.readFloatLE(at + i * 4);
    } else {
      for (let i = 0; i < values.length; i++) values[i] = bytes.readDoubleLE(at + i * 8);
    }
    const bad = firstNonFinite(values);
    if (bad >= 0) throw fail(`tensor ${name} holds ${values[bad]} at index ${bad}; weights must be finite`);
    tensors.push({ name, shape, values });
    at = end;
  }
  if (at !== bodyEnd) throw fail('unexpected bytes after the last tensor');
  return { version, header: rest, tensors };
}

/**
 * A tensor's name, shape and dtype from the header's list; format 1 gave a length,
 * format 2 a shape, and a dtype for float32 tensors (float64 when absent).
 */
function tensorEntry(entry: unknown, version: number): { name?: string; shape?: number[]; dtype: DType } {
  const { name, length, shape, dtype } = (entry ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string') return { dtype: 'float64' };
  const sizes = version === 1 ? [length] : shape;
  if (!Array.isArray(sizes) || !sizes.every((size) => Number.isSafeInteger(size) && (size as number) >= 0))
    return { dtype: 'float64' };
  if (dtype !== undefined && (version === 1 || dtype !== 'float32')) return { dtype: 'float64' };
  return { name, shape: sizes as number[], dtype: dtype === 'float32' ? 'float32' : 'float64' };
}

/** Where a tensor holds a non-finite value, or -1. */
function firstNonFinite(values: FloatArray): number {
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
export async function loadModelFile(path: string): Promise<DecodedModelFile> {
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
  const version = prefix.readUInt32LE(8);
  const headerLength = prefix.readUInt32LE(12);
  if (
    !prefix.subarray(0, 8).equals(MAGIC) ||
    (version !== 1 && version !== 2) ||
    headerLength > MAX_HEADER_BYTES ||
    PREFIX_BYTES + headerLength > file.size
  ) {
    return undefined;
  }
  let list: unknown;
  try {
    list = JSON.parse((await readExactly(file, PREFIX_BYTES, headerLength)).toString('utf8'))?.tensors;
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  let size = align8(PREFIX_BYTES + headerLength) + DIGEST_BYTES;
  for (const entry of list) {
    const { shape, dtype } = tensorEntry(entry, version);
    if (shape === undefined) return undefined;
    size += shape.reduce((product, n) => product * n, 1) * dtypeInfo(dtype).bytesPerElement;
  }
  return Number.isSafeInteger(size) ? size : undefined;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

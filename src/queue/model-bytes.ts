// Model files as bytes, for storing them in Redis. Model.save and Model.load work on
// paths (they write atomically and check everything on the way in), so the bytes pass
// through a private temporary folder rather than a second encoder.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Model } from '../model/model.js';

/** A private temporary folder inside `parent` (default: the OS's) for the duration of `use`. */
export async function withTemporaryFolder<T>(use: (folder: string) => Promise<T>, parent = tmpdir()): Promise<T> {
  const folder = await mkdtemp(join(parent, 'blasprop-queue-'));
  try {
    return await use(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The model file `model.save` writes, as bytes (written in `scratch`, default the OS's temporary folder). */
export function modelFileBytes(model: Model, scratch?: string): Promise<Buffer> {
  return withTemporaryFolder(async (folder) => {
    const path = join(folder, 'model.blasprop');
    await model.save(path);
    return readFile(path);
  }, scratch);
}

/** The model in a model file's bytes, checked as Model.load checks a file (ModelFileError otherwise). */
export function modelFromBytes(bytes: Buffer, name: string): Promise<Model> {
  return withTemporaryFolder(async (folder) => {
    const path = join(folder, name);
    await writeFile(path, bytes);
    return Model.load(path);
  });
}

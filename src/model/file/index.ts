// Saving and loading model files: format 2 is written, formats 1 and 2 are read.

import { typeError } from '../../util/check.js';
import { ModelFileError } from '../errors.js';
import { type DecodedModelFile, decodeModel, encodeModel, loadModelFile, saveModelFile } from '../model-file.js';
import type { ModelFileData } from './contents.js';
import { fromFormat1 } from './format-1.js';
import { checkFitProgress, fromFormat2, toContents } from './format-2.js';

export type { ModelFileData } from './contents.js';

export async function saveModel(path: string, data: ModelFileData): Promise<void> {
  await saveModelFile(path, toContents(data));
}

/** A model file's bytes, as saveModel writes them. */
export function encodeModelData(data: ModelFileData): Buffer {
  return encodeModel(toContents(data));
}

/** Reads and checks a model file; every failure is a ModelFileError naming the path. */
export async function loadModel(path: string): Promise<ModelFileData> {
  if (typeof path !== 'string' || path === '') throw typeError('path', 'a non-empty string', path);
  return interpret(await loadModelFile(path), path);
}

/** Checks a model file's bytes, as loadModel checks a file; `name` stands for the path in errors. */
export function decodeModelData(bytes: Buffer, name: string): ModelFileData {
  return interpret(decodeModel(bytes, name), name);
}

function interpret(file: DecodedModelFile, path: string): ModelFileData {
  try {
    const data = file.version === 1 ? fromFormat1(file) : fromFormat2(file);
    if (data.fit !== undefined) checkFitProgress(data.fit);
    return data;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(path, `inconsistent contents: ${(error as Error).message}`);
  }
}

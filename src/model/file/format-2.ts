// Format 2 of the model file (docs/model-format.md): what the header and tensors hold.
//
//   header.model      the ModelConfig: network, loss, optimizer, metrics, seed (and dtype
//                     for float32)
//   header.dtype      the model's element type, 'float64' or 'float32' (absent in files
//                     written before float32: float64), which every tensor is stored in
//   header.metadata   the application's JSON (model.metadata)
//   header.optimizer  checkpoints: the optimizer's scalars and which buffers follow
//   header.fit        checkpoints: how far the fit got, with which settings
//   header.callbacks  checkpoints: the training callbacks' configurations and scalars
//   tensors           the parameters by dotted name ("0.weight", stored shape rows × cols),
//                     then the optimizer's buffers as "optimizer/<parameter>/<buffer>",
//                     then the training callbacks' tensors as "callbacks/<index>/<name>"
//
// Loading checks everything before it returns, and the parameter shapes the network
// configuration implies against the stored tensors before anything is built: a small
// crafted file cannot make load allocate a huge network only to reject it.

import { checkMetadata } from '../../io/metadata.js';
import { parameterShapesOf } from '../../nn/layers/registry.js';
import type { StateDict } from '../../nn/state-dict.js';
import { isPlainObject, rangeError } from '../../util/check.js';
import { type DType, dtypeOfArray } from '../../util/dtype.js';
import type { FitProgress } from '../fit/checkpoint.js';
import type { SavedTrainingCallback } from '../fit/training-callback.js';
import type { ModelConfig } from '../model-config.js';
import type { DecodedModelFile, StoredTensor } from '../model-file.js';
import type { ModelFileData } from './contents.js';

const OPTIMIZER_PREFIX = 'optimizer/';
const CALLBACKS_PREFIX = 'callbacks/';

export function toContents(data: ModelFileData): { header: Record<string, unknown>; tensors: StoredTensor[] } {
  const shapes = new Map(
    (parameterShapesOf(data.model.network) ?? []).map(([name, rows, cols]) => [name, [rows, cols]]),
  );
  const tensors: StoredTensor[] = Object.entries(data.parameters).map(([name, values]) => {
    if (name.startsWith(OPTIMIZER_PREFIX) || name.startsWith(CALLBACKS_PREFIX))
      throw rangeError('parameters', `names not starting with ${OPTIMIZER_PREFIX} or ${CALLBACKS_PREFIX}`, name);
    return { name, shape: shapes.get(name) ?? [values.length], values };
  });
  const dtype = data.model.dtype ?? 'float64';
  const header: Record<string, unknown> = { model: data.model, metadata: checkMetadata(data.metadata), dtype };
  if (data.optimizer) {
    const buffers: { parameter: string; buffer: string }[] = [];
    for (const [parameter, named] of Object.entries(data.optimizer.buffers)) {
      for (const [buffer, values] of Object.entries(named)) {
        buffers.push({ parameter, buffer });
        tensors.push({
          name: `${OPTIMIZER_PREFIX}${parameter}/${buffer}`,
          shape: shapes.get(parameter) ?? [values.length],
          values,
        });
      }
    }
    header.optimizer = { scalars: data.optimizer.scalars, buffers };
  }
  if (data.fit) header.fit = data.fit;
  if (data.callbacks) {
    header.callbacks = data.callbacks.map(({ config, state }, index) => {
      const names = Object.keys(state.tensors);
      for (const name of names) {
        const values = state.tensors[name];
        tensors.push({
          name: `${CALLBACKS_PREFIX}${index}/${name}`,
          shape: shapes.get(name) ?? [values.length],
          values,
        });
      }
      return { config, scalars: state.scalars, tensors: names };
    });
  }
  return { header, tensors };
}

export function fromFormat2(file: DecodedModelFile): ModelFileData {
  const { model, metadata, optimizer, fit, callbacks, dtype } = file.header as Record<string, unknown>;
  const config = checkModelConfig(model, dtype);
  const checkedMetadata = loadableMetadata(metadata);
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const parameters = checkParameters(config, byName);
  const data: ModelFileData = { model: config, metadata: checkedMetadata, parameters };
  if (optimizer !== undefined) data.optimizer = checkOptimizer(optimizer, byName, parameters);
  if (callbacks !== undefined) data.callbacks = checkCallbacks(callbacks, byName);
  const stray = [...byName.keys()].find(
    (name) =>
      !Object.hasOwn(parameters, name) && !name.startsWith(OPTIMIZER_PREFIX) && !name.startsWith(CALLBACKS_PREFIX),
  );
  if (stray !== undefined)
    throw new RangeError(`tensor ${JSON.stringify(stray)} belongs to no parameter of the network`);
  if (fit !== undefined) {
    if (data.optimizer === undefined) throw new RangeError('a checkpoint must hold the optimizer state');
    data.fit = fit as FitProgress;
  }
  if (data.callbacks !== undefined && data.fit === undefined) {
    throw new RangeError('training callbacks belong in a checkpoint, which holds the fit progress');
  }
  return data;
}

/** The model configuration, with the header's dtype (float64 when a file written before float32 has none). */
function checkModelConfig(value: unknown, dtype: unknown): ModelConfig {
  if (!isPlainObject(value)) throw new TypeError('the header has no model configuration');
  for (const part of ['network', 'loss', 'optimizer'] as const) {
    if (!isPlainObject(value[part])) throw new TypeError(`the model configuration has no ${part}`);
  }
  const stated = dtype ?? 'float64';
  if (stated !== 'float64' && stated !== 'float32')
    throw new TypeError(`the header's dtype ${String(dtype)} is unknown`);
  if ((value.dtype ?? 'float64') !== stated) {
    throw new RangeError(`the model configuration's dtype ${String(value.dtype)} is not the header's ${stated}`);
  }
  const config = { ...value } as unknown as ModelConfig;
  if (stated === 'float32') config.dtype = stated;
  return config;
}

/** Each tensor of a model is stored in the model's dtype. */
function checkTensorDtype(name: string, stored: StoredTensor, dtype: DType): void {
  const actual = dtypeOfArray(stored.values);
  if (actual !== dtype) throw new RangeError(`tensor ${name} is stored as ${actual} in a ${dtype} model`);
}

/**
 * The stored parameters, checked against the shapes the network configuration
 * implies (when every layer type can say them) before anything is built.
 */
function checkParameters(config: ModelConfig, byName: ReadonlyMap<string, StoredTensor>): StateDict {
  const expected = parameterShapesOf(config.network, 'model.network');
  const parameters: StateDict = {};
  if (expected === undefined) {
    for (const [name, t] of byName) {
      if (name.startsWith(OPTIMIZER_PREFIX)) continue;
      checkTensorDtype(name, t, config.dtype ?? 'float64');
      parameters[name] = t.values;
    }
    return parameters;
  }
  for (const [name, rows, cols] of expected) {
    const stored = byName.get(name);
    if (stored === undefined) throw new RangeError(`the network has a parameter ${name} that the file does not hold`);
    checkTensorDtype(name, stored, config.dtype ?? 'float64');
    if (stored.values.length !== rows * cols) {
      throw new RangeError(
        `tensor ${name} holds ${stored.values.length} values where the network needs ${rows} × ${cols}`,
      );
    }
    parameters[name] = stored.values;
  }
  return parameters;
}

function checkOptimizer(
  value: unknown,
  byName: ReadonlyMap<string, StoredTensor>,
  parameters: StateDict,
): NonNullable<ModelFileData['optimizer']> {
  if (!isPlainObject(value) || !isPlainObject(value.scalars) || !Array.isArray(value.buffers)) {
    throw new TypeError('the optimizer state is malformed');
  }
  const buffers: Record<string, StateDict> = {};
  for (const entry of value.buffers as unknown[]) {
    const { parameter, buffer } = (entry ?? {}) as { parameter?: unknown; buffer?: unknown };
    if (typeof parameter !== 'string' || typeof buffer !== 'string' || !Object.hasOwn(parameters, parameter)) {
      throw new RangeError('an optimizer buffer names no parameter of the network');
    }
    const stored = byName.get(`${OPTIMIZER_PREFIX}${parameter}/${buffer}`);
    if (stored === undefined || stored.values.length !== parameters[parameter].length) {
      throw new RangeError(`optimizer buffer ${buffer} of ${parameter} is missing or has the wrong length`);
    }
    checkTensorDtype(stored.name, stored, dtypeOfArray(parameters[parameter]) ?? 'float64');
    if (!Object.hasOwn(buffers, parameter)) buffers[parameter] = {};
    if (Object.hasOwn(buffers[parameter], buffer))
      throw new RangeError(`optimizer buffer ${buffer} of ${parameter} appears twice`);
    buffers[parameter][buffer] = stored.values;
  }
  const scalars = value.scalars as Record<string, unknown>;
  for (const [name, scalar] of Object.entries(scalars)) {
    if (typeof scalar !== 'number' || !Number.isFinite(scalar))
      throw new TypeError(`optimizer scalar ${name} is not a finite number`);
  }
  return { scalars: scalars as Record<string, number>, buffers };
}

/**
 * The training callbacks of a checkpoint: each a configuration, its scalars (finite
 * numbers or null) and the names of its tensors, which must all be stored. Whether
 * they fit the callbacks of the fit that resumes is that fit's check.
 */
function checkCallbacks(value: unknown, byName: ReadonlyMap<string, StoredTensor>): SavedTrainingCallback[] {
  if (!Array.isArray(value)) throw new TypeError('the training callbacks are malformed');
  return value.map((entry: unknown, index) => {
    if (!isPlainObject(entry) || !isPlainObject(entry.config) || typeof entry.config.type !== 'string') {
      throw new TypeError(`training callback ${index} is malformed`);
    }
    const { scalars, tensors } = entry;
    if (!isPlainObject(scalars) || !Array.isArray(tensors))
      throw new TypeError(`training callback ${index} is malformed`);
    for (const [name, scalar] of Object.entries(scalars)) {
      if (scalar !== null && (typeof scalar !== 'number' || !Number.isFinite(scalar))) {
        throw new TypeError(`training callback ${index}'s scalar ${name} is neither a finite number nor null`);
      }
    }
    const state: SavedTrainingCallback['state'] = { scalars: scalars as Record<string, number | null>, tensors: {} };
    for (const name of tensors as unknown[]) {
      const stored = typeof name === 'string' ? byName.get(`${CALLBACKS_PREFIX}${index}/${name}`) : undefined;
      if (stored === undefined || Object.hasOwn(state.tensors, name as string)) {
        throw new RangeError(`tensor ${String(name)} of training callback ${index} is missing or listed twice`);
      }
      state.tensors[name as string] = stored.values;
    }
    return { config: entry.config as SavedTrainingCallback['config'], state };
  });
}

export function checkFitProgress(value: unknown): void {
  if (!isPlainObject(value)) throw new TypeError('the fit progress is malformed');
  const integer = (key: string) => Number.isSafeInteger(value[key]) && (value[key] as number) >= 0;
  const ok =
    ['epochsCompleted', 'batchSize', 'trainRows', 'validationRows', 'blasThreads'].every(integer) &&
    Number.isSafeInteger(value.seed) &&
    typeof value.shuffle === 'boolean' &&
    isPlainObject(value.optimizer);
  if (!ok) throw new TypeError('the fit progress is malformed');
}

/** The metadata of a file being loaded, checked as save checks it. */
export function loadableMetadata(value: unknown): Record<string, unknown> {
  try {
    return checkMetadata(value);
  } catch (error) {
    throw new TypeError(`its metadata cannot be loaded: ${(error as Error).message}`);
  }
}

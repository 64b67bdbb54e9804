// Model files of format 1, written by blasprop 0.1: always a TwoLayerRegressor, with
// its options as the configuration and its weights as W1, b1, W2, b2. They load as
// the same network in format 2's terms; a format 1 checkpoint resumes too (plain SGD,
// the only optimizer then, keeps no state).

import type { StateDict } from '../../nn/state-dict.js';
import { checkInteger, checkOneOf, isPlainObject } from '../../util/check.js';
import type { FitProgress } from '../fit/checkpoint.js';
import type { ModelConfig } from '../model-config.js';
import type { DecodedModelFile } from '../model-file.js';
import type { ModelFileData } from './contents.js';
import { loadableMetadata } from './format-2.js';

/** The metadata key under which format 1 checkpoints recorded their fit's progress. */
const FORMAT_1_PROGRESS = 'blasprop:fit';
/** Format 1 files do not record a learning rate; a loaded model's SGD starts with this one. */
const FORMAT_1_DEFAULT_LR = 0.01;

export function fromFormat1(file: DecodedModelFile): ModelFileData {
  const { kind, config, metadata } = file.header as { kind?: unknown; config?: unknown; metadata?: unknown };
  if (kind !== 'TwoLayerRegressor') throw new RangeError(`it holds a ${String(kind)}, which this version cannot read`);
  if (!isPlainObject(config)) throw new TypeError('the header lacks config');
  const c = config as Record<string, unknown>;
  const inputSize = checkInteger('config.inputSize', c.inputSize, 1);
  const hiddenSize = checkInteger('config.hiddenSize', c.hiddenSize, 1);
  const outputSize = checkInteger('config.outputSize', c.outputSize, 1);
  const reduction = checkOneOf('config.reduction', c.reduction ?? 'mean', ['mean', 'sum']);
  const init = checkOneOf('config.init', c.init ?? 'he', ['he', 'post']);
  const seed = checkInteger('config.seed', c.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
  const { [FORMAT_1_PROGRESS]: saved, ...rest } = loadableMetadata(metadata);
  const progress = saved as Partial<Record<string, unknown>> | undefined;
  const lr = typeof progress?.lr === 'number' && progress.lr > 0 ? progress.lr : FORMAT_1_DEFAULT_LR;

  const expected = { W1: inputSize * hiddenSize, b1: hiddenSize, W2: hiddenSize * outputSize, b2: outputSize };
  const stored = new Map(file.tensors.map((t) => [t.name, t.values]));
  const values = (name: keyof typeof expected) => {
    const v = stored.get(name);
    if (v?.length !== expected[name]) {
      throw new RangeError(
        `tensor ${name} holds ${v?.length ?? 'no'} values where the configuration needs ${expected[name]}`,
      );
    }
    return v;
  };
  const parameters: StateDict = {
    '0.weight': values('W1'),
    '0.bias': values('b1'),
    '2.weight': values('W2'),
    '2.bias': values('b2'),
  };
  if (file.tensors.length !== 4) throw new RangeError('it holds tensors besides W1, b1, W2 and b2');

  const optimizer = { type: 'SGD', lr, momentum: 0, weightDecay: 0 };
  const model: ModelConfig = {
    network: {
      type: 'Sequential',
      layers: [
        { type: 'Linear', inFeatures: inputSize, outFeatures: hiddenSize, bias: true, init },
        { type: 'ReLU' },
        { type: 'Linear', inFeatures: hiddenSize, outFeatures: outputSize, bias: true, init },
      ],
    },
    loss: { type: 'MSELoss', reduction },
    optimizer,
    metrics: ['mae'],
    seed,
  };
  const data: ModelFileData = { model, metadata: rest, parameters };
  if (progress !== undefined) {
    // Checked with every other file's progress by the caller.
    const { epochsCompleted, seed: fitSeed, batchSize, shuffle, trainRows, validationRows, blasThreads } = progress;
    data.optimizer = { scalars: { lr }, buffers: {} };
    data.fit = {
      epochsCompleted,
      seed: fitSeed,
      batchSize,
      shuffle,
      trainRows,
      validationRows,
      blasThreads,
      optimizer,
    } as FitProgress;
  }
  return data;
}

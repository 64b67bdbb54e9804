// A float32 model end to end: its layers, optimizer buffers, outputs and files are
// float32; fit trains bit-identically on the calling thread and in the background;
// checkpoints resume bit-identically; its files record the dtype and load as float32,
// while files written before float32 load as float64; and anything of the other dtype
// is a TypeError naming it, never converted.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  Adam,
  CrossEntropyLoss,
  Linear,
  Matrix,
  Model,
  MSELoss,
  ReLU,
  Sequential,
  SGD,
  sharedMatrix,
  Tanh,
  TwoLayerRegressor,
} from '../../dist/index.js';
import { expectArgumentError } from '../helpers/errors.js';
import { problem, SIZES } from './helpers.js';

const folder = mkdtempSync(join(tmpdir(), 'blasprop-float32-'));
const data64 = problem(8, 240);
const x = data64.x.astype('float32');
const y = data64.y.astype('float32');
const options = { epochs: 4, batchSize: 16, lr: 0.02, validationSplit: 0.1, seed: 5 };

function float32Model(seed = 1): TwoLayerRegressor {
  return new TwoLayerRegressor({ ...SIZES, seed, dtype: 'float32' });
}

function bits(m: TwoLayerRegressor): string[] {
  return Object.values(m.stateDict()).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'));
}

describe('a float32 model', () => {
  it('holds float32 parameters, gradients and optimizer buffers, and returns float32 matrices', () => {
    const network = new Sequential(
      new Linear(6, 8, { dtype: 'float32' }),
      new Tanh({ dtype: 'float32' }),
      new Linear(8, 3, { dtype: 'float32' }),
    );
    const model = new Model(network, {
      loss: new CrossEntropyLoss(),
      optimizer: new Adam(network.parameters(), { lr: 0.01, amsgrad: true }),
    });
    expect(model.dtype).toBe('float32');
    const classes = new Matrix(240, 1, { dtype: 'float32' });
    for (let r = 0; r < 240; r++) classes.data[r] = r % 3;
    model.trainStep(x, classes);
    for (const p of network.parameters()) {
      expect(p.value.data).toBeInstanceOf(Float32Array);
      expect(p.grad.data).toBeInstanceOf(Float32Array);
    }
    for (const buffers of model.optimizer.state().buffers) {
      for (const values of Object.values(buffers)) expect(values).toBeInstanceOf(Float32Array);
    }
    expect(model.predict(x).dtype).toBe('float32');
    expect(model.predictProba(x).dtype).toBe('float32');
    expect(Array.from(new Set(model.predictClasses(x).data)).every((c) => [0, 1, 2].includes(c))).toBe(true);
    expect(model.toConfig().dtype).toBe('float32');
  });

  it('starts from the float64 twin’s initial weights rounded to float32', () => {
    const single = float32Model(4).stateDict();
    const double = new TwoLayerRegressor({ ...SIZES, seed: 4 }).stateDict();
    for (const key of Object.keys(double)) expect(single[key]).toEqual(Float32Array.from(double[key]));
  });

  it('trains bit-identically on the calling thread and in the background, from shared memory too', async () => {
    const foreground = float32Model();
    const background = float32Model();
    const fromShared = float32Model();
    const [a, b] = [
      await foreground.fit(x, y, { ...options, background: false }),
      await background.fit(x, y, { ...options, background: true }),
    ];
    const [sx, sy] = [
      sharedMatrix(x.rows, x.cols, { dtype: 'float32' }),
      sharedMatrix(y.rows, y.cols, { dtype: 'float32' }),
    ];
    sx.data.set(x.data);
    sy.data.set(y.data);
    const c = await fromShared.fit(sx, sy, { ...options, background: true });
    expect(b.history).toEqual(a.history);
    expect(c.history).toEqual(a.history);
    expect(bits(background)).toEqual(bits(foreground));
    expect(bits(fromShared)).toEqual(bits(foreground));
    expect(a.history.loss.at(-1)!).toBeLessThan(a.history.loss[0]);
  });

  it('resumes a checkpoint bit-identically, in float32', async () => {
    const uninterrupted = float32Model();
    const full = await uninterrupted.fit(x, y, options);
    const path = join(folder, 'resume.blasprop');
    const controller = new AbortController();
    const stopped = await float32Model()
      .fit(x, y, {
        ...options,
        checkpoint: { path },
        signal: controller.signal,
        callbacks: { onEpochEnd: (epoch) => void (epoch === 1 && controller.abort()) },
      })
      .catch((e: unknown) => e);
    expect((stopped as Error).name).toBe('AbortError');
    const restarted = float32Model(99);
    const rest = await restarted.fit(x, y, { ...options, resume: path });
    expect(rest.epoch).toEqual([2, 3]);
    expect(rest.history.loss).toEqual(full.history.loss.slice(2));
    expect(bits(restarted)).toEqual(bits(uninterrupted));
  });

  it('saves a file that records the dtype, stores float32 tensors, and loads as float32', async () => {
    const model = float32Model(3);
    model.trainStep(x, y);
    const path = join(folder, 'model.blasprop');
    await model.save(path);
    const header = JSON.parse(
      readFileSync(path)
        .subarray(16, 16 + readFileSync(path).readUInt32LE(12))
        .toString(),
    );
    expect(header.dtype).toBe('float32');
    expect(header.tensors.every((t: { dtype?: string }) => t.dtype === 'float32')).toBe(true);
    const double = new TwoLayerRegressor({ ...SIZES, seed: 3 });
    await double.save(join(folder, 'double.blasprop'));
    // Half the bytes of the float64 file's tensors, plus the same header and checksum give or take.
    const sizes = [readFileSync(path).length, readFileSync(join(folder, 'double.blasprop')).length];
    expect(sizes[0]).toBeLessThan(sizes[1]);
    for (const loaded of [await Model.load(path), await TwoLayerRegressor.load(path)]) {
      expect(loaded.dtype).toBe('float32');
      expect(loaded.predict(x).data).toEqual(model.predict(x).data);
    }
    expect((await Model.load(join(folder, 'double.blasprop'))).dtype).toBe('float64');
  });
});

describe('dtypes never mix', () => {
  it('a Model refuses data of the other dtype, naming it, in every method', async () => {
    const model = float32Model();
    const shape = { type: TypeError, received: 'Matrix object' } as const;
    expectArgumentError(() => model.trainStep(data64.x, y), { ...shape, name: 'x' });
    expectArgumentError(() => model.trainStep(x, data64.y), { ...shape, name: 'y' });
    expectArgumentError(() => model.evaluate(data64.x, data64.y), { ...shape, name: 'x' });
    expectArgumentError(() => model.predict(data64.x), { ...shape, name: 'x' });
    await expect(model.fit(data64.x, data64.y, options)).rejects.toThrow(TypeError);
    await expect(
      model.fit(x, y, { ...options, validationSplit: 0, validationData: [data64.x, data64.y] }),
    ).rejects.toThrow(/for validationData\[0\]/);
    const double = new TwoLayerRegressor({ ...SIZES });
    expectArgumentError(() => double.trainStep(x, y), { ...shape, name: 'x' });
  });

  it('a network refuses layers of another dtype, and a Model a dtype that is not its network’s', () => {
    expectArgumentError(() => new Sequential(new Linear(2, 3, { dtype: 'float32' }), new ReLU(), new Linear(3, 1)), {
      type: TypeError,
      name: 'modules[1]',
      received: 'ReLU object',
    });
    const network = new Sequential(new Linear(2, 1, { dtype: 'float32' }));
    expectArgumentError(
      () =>
        new Model(network, {
          loss: new MSELoss(),
          optimizer: new SGD(network.parameters(), { lr: 0.1 }),
          dtype: 'float64',
        }),
      { type: TypeError, name: 'dtype', received: '"float64"' },
    );
    expectArgumentError(() => new Linear(2, 1, { dtype: 'float16' as never }), {
      type: RangeError,
      name: 'dtype',
      received: '"float16"',
    });
  });

  it('a layer and a loss refuse the other dtype, naming the argument', () => {
    const layer = new Linear(2, 2, { dtype: 'float32' });
    expectArgumentError(() => layer.forward(new Matrix(1, 2)), {
      type: TypeError,
      name: 'x',
      received: 'Matrix object',
    });
    const relu = new ReLU();
    expectArgumentError(() => relu.forward(new Matrix(1, 2, { dtype: 'float32' })), {
      type: TypeError,
      name: 'x',
      received: 'Matrix object',
    });
    expectArgumentError(() => new MSELoss().forward(new Matrix(1, 2, { dtype: 'float32' }), new Matrix(1, 2)), {
      type: TypeError,
      name: 'target',
      received: 'Matrix object',
    });
  });

  it('a state dict of the other dtype is refused before anything changes', () => {
    const model = float32Model();
    const before = bits(model);
    const state = new TwoLayerRegressor({ ...SIZES }).stateDict();
    expectArgumentError(() => model.loadStateDict(state as never), {
      type: TypeError,
      name: 'state.W1',
      received: `Float64Array of length ${SIZES.inputSize * SIZES.hiddenSize}`,
    });
    expect(bits(model)).toEqual(before);
  });
});

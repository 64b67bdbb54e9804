// Model over networks of any shape: gradients, equivalence with the TwoLayerRegressor
// preset, configurations, state dicts, summaries, and the errors of building one.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  Linear,
  Matrix,
  Model,
  type ModelConfig,
  type Module,
  MSELoss,
  Random,
  ReLU,
  Sequential,
  SGD,
  TwoLayerRegressor,
} from '../../dist/index.js';
import { expectArgumentError } from '../helpers/errors.js';
import { maxGradientError } from '../helpers/gradcheck.js';

const folder = mkdtempSync(join(tmpdir(), 'blasprop-model-'));

function randomMatrix(random: Random, rows: number, cols: number, scale = 1): Matrix {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols), scale));
}

/** A network of `sizes.length - 1` Linear layers with ReLU between them, weights seeded. */
function mlp(sizes: readonly number[], seed = 1): Sequential {
  const random = new Random(seed);
  const layers: Module[] = [];
  sizes.slice(1).forEach((out, i) => {
    if (i > 0) layers.push(new ReLU());
    layers.push(new Linear(sizes[i], out, { random }));
  });
  return new Sequential(...layers);
}

function sgdModel(network: Sequential, options: { lr?: number; momentum?: number; weightDecay?: number } = {}) {
  return new Model(network, {
    loss: new MSELoss(),
    optimizer: new SGD(network.parameters(), { lr: options.lr ?? 0.01, ...options }),
  });
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function expectSameStateDict(a: Record<string, Float64Array>, b: Record<string, Float64Array>): void {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const key of Object.keys(a)) expect(sameBits(a[key], b[key]), key).toBe(true);
}

describe('Model gradients', () => {
  it('match central differences through a network of three hidden layers', () => {
    const random = new Random(21);
    const network = mlp([5, 7, 6, 4, 3], 2);
    const model = sgdModel(network, { lr: 1e-3 });
    const x = randomMatrix(random, 9, 5);
    const y = randomMatrix(random, 9, 3);
    // The check is only valid away from ReLU's kink: no pre-activation of this fixed
    // case lies within 1e-3 of zero, far beyond the ±1e-6 perturbations can move it.
    let h = x;
    for (const m of network.modules) {
      h = m.forward(h);
      if (m instanceof Linear && m !== network.modules.at(-1)) {
        expect(Math.min(...Array.from(h.data, Math.abs))).toBeGreaterThan(1e-3);
      }
    }
    const named = network.namedParameters();
    const before = named.map(([, p]) => p.value.data.slice());
    // trainStep computes the gradients at the current weights, then updates them:
    // keep the gradients, and put the weights back.
    model.trainStep(x, y);
    const analytic = named.map(([, p]) => p.grad.data.slice());
    named.forEach(([, p], i) => {
      p.value.data.set(before[i]);
    });
    const loss = () => model.evaluate(x, y).loss;
    named.forEach(([name, p], i) => {
      expect(maxGradientError(loss, p.value.data, analytic[i]), name).toBeLessThan(1e-6);
    });
    expect(named.map(([name]) => name)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
      '6.weight',
      '6.bias',
    ]);
  });
});

describe('Model and the TwoLayerRegressor preset', () => {
  it('train bit-identically for the same seed, data and options', async () => {
    const random = new Random(5);
    const x = randomMatrix(random, 150, 6);
    const y = randomMatrix(random, 150, 2);
    const options = { epochs: 4, batchSize: 16, lr: 0.03, validationSplit: 0.2, seed: 8, background: false };
    const preset = new TwoLayerRegressor({ inputSize: 6, hiddenSize: 10, outputSize: 2, seed: 4 });
    const shared = new Random(4);
    const hidden = new Linear(6, 10, { random: shared });
    const output = new Linear(10, 2, { random: shared });
    const network = new Sequential(hidden, new ReLU(), output);
    const byHand = new Model(network, {
      loss: new MSELoss(),
      optimizer: new SGD(network.parameters(), { lr: 0.5 }),
      seed: 4,
    });
    expectSameStateDict(byHand.stateDict(), preset.network.stateDict());
    const a = await preset.fit(x, y, options);
    const b = await byHand.fit(x, y, options);
    expect(b).toEqual(a);
    expectSameStateDict(byHand.stateDict(), preset.network.stateDict());
    const post = preset.stateDict();
    expect(sameBits(post.W1, hidden.weight.value.data)).toBe(true);
    expect(sameBits(post.b2, output.bias!.value.data)).toBe(true);
  });
});

describe('Model configuration and files', () => {
  it('rebuilds from toConfig(): the same configuration, and the same weights for the same seed', () => {
    const model = sgdModel(mlp([4, 8, 3]), { momentum: 0.5 });
    const config = model.toConfig();
    expect(config).toEqual({
      network: {
        type: 'Sequential',
        layers: [
          { type: 'Linear', inFeatures: 4, outFeatures: 8, bias: true, init: 'he' },
          { type: 'ReLU' },
          { type: 'Linear', inFeatures: 8, outFeatures: 3, bias: true, init: 'he' },
        ],
      },
      loss: { type: 'MSELoss', reduction: 'mean' },
      optimizer: { type: 'SGD', lr: 0.01, momentum: 0.5, weightDecay: 0 },
      metrics: ['mae'],
      seed: 0,
    });
    const again = Model.fromConfig(JSON.parse(JSON.stringify(config)) as ModelConfig);
    expect(again.toConfig()).toEqual(config);
    expectSameStateDict(Model.fromConfig(config).stateDict(), again.stateDict());
    const reseeded = Model.fromConfig({ ...config, seed: 1 });
    expect(sameBits(reseeded.stateDict()['0.weight'], again.stateDict()['0.weight'])).toBe(false);
  });

  for (const layers of [1, 2, 3, 4, 5]) {
    it(`save → load → predict is bit-identical for ${layers} Linear layer(s)`, async () => {
      const sizes = [3, 7, 5, 6, 4, 2].slice(0, layers + 1);
      const model = sgdModel(mlp(sizes, layers), { momentum: 0.9 });
      const random = new Random(layers);
      const x = randomMatrix(random, 40, 3);
      await model.fit(x, randomMatrix(random, 40, sizes.at(-1)!), { epochs: 2, batchSize: 8, background: false });
      model.metadata = { run: layers, names: ['a', 'b'] };
      const path = join(folder, `layers-${layers}.blasprop`);
      await model.save(path);
      const loaded = await Model.load(path);
      expect(loaded.toConfig()).toEqual(model.toConfig());
      expect(loaded.metadata).toEqual(model.metadata);
      expectSameStateDict(loaded.stateDict(), model.stateDict());
      expect(sameBits(loaded.predict(x).data, model.predict(x).data)).toBe(true);
    });
  }

  it('loads the format 1 file of blasprop 0.1, through TwoLayerRegressor.load and Model.load', async () => {
    const fixture = join(import.meta.dirname, '../fixtures/model-files/v1-two-layer.blasprop');
    const expected = JSON.parse(readFileSync(fixture.replace('.blasprop', '.expected.json'), 'utf8'));
    const probe = Matrix.fromRows(expected.inputs);
    const asPreset = await TwoLayerRegressor.load(fixture);
    const asModel = await Model.load(fixture);
    // Written before float32 existed: it loads as float64.
    expect(asPreset.config).toEqual({ ...expected.config, dtype: 'float64' });
    expect(asModel.dtype).toBe('float64');
    expect(asPreset.metadata).toEqual(expected.metadata);
    expect(asModel.metadata).toEqual(expected.metadata);
    const hex = (m: Matrix) => Array.from(m.data, (v) => Buffer.from(new Float64Array([v]).buffer).toString('hex'));
    expect(hex(asPreset.predict(probe))).toEqual(expected.predictionsHex);
    expect(hex(asModel.predict(probe))).toEqual(expected.predictionsHex);
    for (const key of ['W1', 'b1', 'W2', 'b2'])
      expect(Array.from(asPreset.stateDict()[key])).toEqual(expected.state[key]);
    expect(asModel.toConfig().network).toMatchObject({
      type: 'Sequential',
      layers: [{ inFeatures: 3, outFeatures: 5 }, {}, { outFeatures: 2 }],
    });
  });

  it('refuses, with a ModelFileError, a file whose network TwoLayerRegressor cannot hold', async () => {
    const path = join(folder, 'deep.blasprop');
    await sgdModel(mlp([3, 4, 4, 2])).save(path);
    await expect(TwoLayerRegressor.load(path)).rejects.toThrow(/a network other than Linear, ReLU, Linear/);
  });

  it('refuses to save non-finite weights, which load would refuse', async () => {
    const model = sgdModel(mlp([2, 3, 1]));
    model.network.namedParameters()[0][1].value.data[1] = Number.NaN;
    await expect(model.save(join(folder, 'nan.blasprop'))).rejects.toThrow(
      /^Expected finite values for tensor 0.weight but received/,
    );
  });
});

describe('Model.summary', () => {
  it('lists the layers with their output shapes and parameter counts, and the total', () => {
    const summary = sgdModel(mlp([10, 64, 32, 1])).summary();
    expect(summary).toContain('Input: N × 10');
    expect(summary).toMatch(/0 \(Linear\(10 → 64\)\)\s+N × 64\s+704/);
    expect(summary).toMatch(/1 \(ReLU\)\s+N × 64\s+0/);
    expect(summary).toMatch(/2 \(Linear\(64 → 32\)\)\s+N × 32\s+2,080/);
    expect(summary).toMatch(/4 \(Linear\(32 → 1\)\)\s+N × 1\s+33/);
    expect(summary).toContain('Total parameters: 2,817');
    expect(summary).toContain('Optimizer: SGD (lr 0.01, momentum 0, weightDecay 0)');
  });
});

describe('state dicts', () => {
  it('use PyTorch-style dotted names, and load only when every entry is right', () => {
    const model = sgdModel(mlp([2, 3, 1]));
    const state = model.stateDict();
    expect(Object.keys(state)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const before = model.stateDict();
    const cases: [string, unknown, typeof TypeError | typeof RangeError, string][] = [
      ['a missing entry', { ...state, '2.bias': undefined }, TypeError, 'state["2.bias"]'],
      ['an extra entry', { ...state, '4.weight': new Float64Array(1) }, RangeError, 'state'],
      ['a short entry', { ...state, '0.weight': new Float64Array(5) }, RangeError, 'state["0.weight"]'],
      ['a NaN', { ...state, '0.bias': new Float64Array([0, Number.NaN, 0]) }, RangeError, 'state["0.bias"]'],
      ['a Float32Array', { ...state, '2.weight': new Float32Array(3) }, TypeError, 'state["2.weight"]'],
      ['null', null, TypeError, 'state'],
    ];
    for (const [what, bad, type, name] of cases) {
      expect(() => model.loadStateDict(bad as never), what).toThrow(type);
      expect(() => model.loadStateDict(bad as never), what).toThrow(`for ${name} but received`);
      expectSameStateDict(model.stateDict(), before);
    }
  });

  it('read each entry exactly once, so a getter cannot swap the array after the check', () => {
    const model = sgdModel(mlp([2, 3, 1]));
    const good = model.stateDict();
    const before = model.stateDict();
    let reads = 0;
    const tricky = { ...good };
    Object.defineProperty(tricky, '2.bias', {
      enumerable: true,
      get() {
        reads++;
        return reads === 1 ? good['2.bias'] : new Float64Array([Number.NaN]);
      },
    });
    // An earlier entry changed in between would be copied under the old scheme: make it visible.
    for (const values of Object.values(good)) values.fill(0.25);
    model.loadStateDict(tricky);
    expect(reads).toBe(1);
    expect(Array.from(model.stateDict()['2.bias'])).toEqual([0.25]);
    expect(Array.from(model.stateDict()['0.weight'])).toEqual(new Array(6).fill(0.25));
    expect(sameBits(model.stateDict()['0.weight'], before['0.weight'])).toBe(false);
  });
});

describe('building a Model: bad input', () => {
  const net = () => mlp([4, 3, 2]);

  it('refuses layers whose sizes do not chain, naming both layers', () => {
    const error = expectArgumentError(() => new Sequential(new Linear(10, 5), new ReLU(), new Linear(4, 1)), {
      type: RangeError,
      name: 'modules[2]',
      received: 'Linear object',
    });
    expect(error.message).toMatch(/taking the 5 features that modules\[1\] ReLU puts out/);
    expect(error.message).toMatch(/Linear\(4 → 1\) takes 4/);
    expect(() => new Sequential(new Linear(10, 5), new Linear(4, 1))).toThrow(/modules\[0\] Linear\(10 → 5\)/);
  });

  it('refuses a module or parameter used twice (weight sharing), which would train wrong', () => {
    const shared = new Linear(3, 3);
    expect(() => new Sequential(shared, new ReLU(), shared)).toThrow(/modules\[2\].*is also modules\[0\]/);
    expect(() => new Sequential(new Sequential(shared), shared)).toThrow(RangeError);
  });

  it('refuses an optimizer over another network’s parameters, or over only some of them', () => {
    const network = net();
    const other = net();
    expect(
      () => new Model(network, { loss: new MSELoss(), optimizer: new SGD(other.parameters(), { lr: 0.1 }) }),
    ).toThrow(/belongs to another network/);
    expect(
      () => new Model(network, { loss: new MSELoss(), optimizer: new SGD(network.parameters().slice(1), { lr: 0.1 }) }),
    ).toThrow(/does not update 0.weight/);
  });

  it('refuses a network without parameters or without a fixed input width', () => {
    const relu = new Sequential(new ReLU());
    expect(() => new Model(relu, { loss: new MSELoss(), optimizer: new SGD([], { lr: 0.1 }) })).toThrow(RangeError);
    expect(() => new Model(relu, { loss: new MSELoss(), optimizer: new SGD([], { lr: 0.1 }) })).toThrow(/input width/);
  });

  it('refuses what is not a network, a loss or an optimizer, each by name', () => {
    const network = net();
    const optimizer = new SGD(network.parameters(), { lr: 0.1 });
    expect(() => new Model({} as never, { loss: new MSELoss(), optimizer })).toThrow(/for network but received object/);
    expect(() => new Model(network, { loss: {} as never, optimizer })).toThrow(/for loss but received object/);
    expect(() => new Model(network, { loss: new MSELoss(), optimizer: {} as never })).toThrow(/for optimizer/);
    expect(() => new Model(network, { loss: new MSELoss(), optimizer, metrics: ['auc'] })).toThrow(/metrics\[0\]/);
  });

  it('refuses bad configurations, naming where in them the problem is', () => {
    const config = sgdModel(net()).toConfig();
    const layers = (config.network as { layers: Record<string, unknown>[] }).layers;
    const broken = (layer: number, option: string, value: unknown) => {
      const copy = JSON.parse(JSON.stringify(config)) as ModelConfig;
      (copy.network as { layers: Record<string, unknown>[] }).layers[layer][option] = value;
      return copy;
    };
    expect(() => Model.fromConfig(broken(1, 'type', 'Conv2d'))).toThrow(
      /registered layer type .* for config.network.layers\[1\].type but received "Conv2d"/,
    );
    expect(() => Model.fromConfig(broken(2, 'inFeatures', 2.5))).toThrow(
      /^config.network.layers\[2\] \(Linear\): Expected an integer/,
    );
    expect(() => Model.fromConfig(broken(2, 'inFeatures', 7))).toThrow(/modules\[2\]/);
    expect(() => Model.fromConfig({ ...config, loss: { type: 'Hinge' } })).toThrow(/config.loss.type/);
    expect(() => Model.fromConfig({ ...config, optimizer: { type: 'SGD', lr: -1 } })).toThrow(
      /config.optimizer \(SGD\): Expected a finite number > 0 for lr/,
    );
    expect(layers).toHaveLength(3);
  });
});

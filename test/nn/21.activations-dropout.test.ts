// The new layers as a user meets them: options and their checks, configurations that
// rebuild them, the initialisation a configuration gives Linear layers next to them,
// Dropout's modes and masks; and the library's exp, tanh and erf against mpmath.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import {
  Dropout,
  GELU,
  LeakyReLU,
  Linear,
  Matrix,
  Model,
  type ModelConfig,
  MSELoss,
  Random,
  ReLU,
  Sequential,
  SGD,
  Sigmoid,
  Tanh,
} from '../../dist/index.js';
import { erf, exp, tanh } from '../../dist/kernels/math.js';
import { expectArgumentError } from '../helpers/errors.js';

function randomMatrix(random: Random, rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols)));
}

function configOf(layers: object[]): ModelConfig {
  return {
    network: { type: 'Sequential', layers },
    loss: { type: 'MSELoss', reduction: 'mean' },
    optimizer: { type: 'SGD', lr: 0.01, momentum: 0, weightDecay: 0 },
    metrics: [],
    seed: 3,
  };
}

describe('the activation layers', () => {
  it('describe themselves and rebuild from their configurations', () => {
    const layers = [
      new Tanh(),
      new Sigmoid(),
      new LeakyReLU({ negativeSlope: 0.2 }),
      new GELU({ approximate: 'tanh' }),
    ];
    expect(layers.map((l) => l.describe())).toEqual(['Tanh', 'Sigmoid', 'LeakyReLU(0.2)', 'GELU(tanh)']);
    expect(layers.map((l) => l.toConfig())).toEqual([
      { type: 'Tanh' },
      { type: 'Sigmoid' },
      { type: 'LeakyReLU', negativeSlope: 0.2 },
      { type: 'GELU', approximate: 'tanh' },
    ]);
    expect(new LeakyReLU().negativeSlope).toBe(0.01);
    expect(new GELU().approximate).toBe('none');
    const model = Model.fromConfig(
      configOf([
        { type: 'Linear', inFeatures: 3, outFeatures: 4 },
        ...layers.map((l) => l.toConfig()),
        { type: 'Linear', inFeatures: 4, outFeatures: 1 },
      ]),
    );
    expect((model.network as Sequential).modules.slice(1, 5).map((m) => m.toConfig())).toEqual(
      layers.map((l) => l.toConfig()),
    );
    expect(model.summary()).toMatch(/3 \(LeakyReLU\(0\.2\)\)\s+N × 4\s+0/);
  });

  it('refuse bad options, naming them', () => {
    expectArgumentError(() => new LeakyReLU({ negativeSlope: Number.NaN }), {
      type: RangeError,
      name: 'negativeSlope',
      received: 'NaN',
    });
    expectArgumentError(() => new LeakyReLU({ negativeSlope: '0.1' as never }), {
      type: TypeError,
      name: 'negativeSlope',
      received: '"0.1"',
    });
    expectArgumentError(() => new GELU({ approximate: 'exact' as never }), {
      type: RangeError,
      name: 'approximate',
      received: '"exact"',
    });
    expectArgumentError(() => new GELU(null as never), { type: TypeError, name: 'options', received: 'null' });
    const tanh = new Tanh();
    expect(() => tanh.backward(new Matrix(1, 1))).toThrow(/Tanh.backward\(\) called before forward\(\)/);
    tanh.forward(new Matrix(2, 3));
    expectArgumentError(() => tanh.backward(new Matrix(3, 2)), {
      type: RangeError,
      name: 'gradOutput',
      received: 'Matrix object',
    });
    expectArgumentError(() => tanh.forward([[1]] as never), {
      type: TypeError,
      name: 'x',
      received: 'Array of length 1',
    });
  });

  it('keep their outputs per batch size and follow a change of width', () => {
    const random = new Random(1);
    const gelu = new GELU();
    const wide = randomMatrix(random, 4, 7);
    const first = gelu.forward(wide).data.slice();
    gelu.forward(randomMatrix(random, 3, 2));
    expect(Array.from(gelu.forward(wide).data)).toEqual(Array.from(first));
  });
});

describe('initialisation of Linear layers built from a configuration', () => {
  const linear = (inFeatures: number, outFeatures: number, init?: string) => ({
    type: 'Linear',
    inFeatures,
    outFeatures,
    ...(init === undefined ? {} : { init }),
  });
  const inits = (layers: object[]) =>
    (Model.fromConfig(configOf(layers)).network.toConfig().layers as { init?: string }[]).map((l) => l.init);

  it('is He before the ReLU family and Xavier before Tanh and Sigmoid, looking through Dropout', () => {
    expect(
      inits([
        linear(3, 4),
        { type: 'ReLU' },
        linear(4, 4),
        { type: 'Tanh' },
        linear(4, 4),
        { type: 'Dropout', p: 0.1 },
        { type: 'Sigmoid' },
        linear(4, 4),
        { type: 'GELU', approximate: 'none' },
        linear(4, 1),
      ]),
    ).toEqual(['he', undefined, 'xavier', undefined, 'xavier', undefined, undefined, 'he', undefined, 'he']);
    expect(inits([linear(3, 4), { type: 'LeakyReLU', negativeSlope: 0.1 }, linear(4, 1)])).toEqual([
      'he',
      undefined,
      'he',
    ]);
  });

  it('takes, for the last layer, the activation before it, and He with none', () => {
    expect(inits([linear(3, 4), { type: 'Tanh' }, linear(4, 1)])).toEqual(['xavier', undefined, 'xavier']);
    expect(inits([linear(3, 4), { type: 'Sigmoid' }, { type: 'Dropout', p: 0.5 }, linear(4, 1)])).toEqual([
      'xavier',
      undefined,
      undefined,
      'xavier',
    ]);
    expect(inits([linear(3, 1)])).toEqual(['he']);
    expect(inits([linear(3, 4), linear(4, 1)])).toEqual(['he', 'he']);
  });

  it('keeps an init the configuration names, and draws weights of the scheme’s scale', () => {
    expect(inits([linear(3, 4, 'post'), { type: 'Tanh' }, linear(4, 1, 'he')])).toEqual(['post', undefined, 'he']);
    const model = Model.fromConfig(configOf([linear(300, 200), { type: 'Tanh' }, linear(200, 1)]));
    const w = model.stateDict()['0.weight'];
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 500), 3);
    // The configuration the model saves names the init, so that loading rebuilds the same.
    expect(Model.fromConfig(model.toConfig()).stateDict()['0.weight']).toEqual(w);
  });
});

describe('Dropout', () => {
  const random = new Random(7);
  const x = randomMatrix(random, 50, 40);

  it('zeroes about p of the elements in training and scales the others by 1/(1 − p)', () => {
    const layer = new Dropout({ p: 0.25 });
    const y = layer.forward(x).data;
    let dropped = 0;
    y.forEach((v, i) => {
      if (v === 0) dropped++;
      else expect(v).toBe(x.data[i] * (1 / 0.75));
    });
    // 3σ of a binomial(2000, 0.25) is 58.
    expect(Math.abs(dropped - 500)).toBeLessThan(58);
    const g = randomMatrix(random, 50, 40);
    const dx = layer.backward(g).data;
    dx.forEach((v, i) => {
      expect(v).toBe(g.data[i] * (y[i] === 0 ? 0 : 1 / 0.75));
    });
  });

  it('passes its input through in evaluation mode and draws nothing, as with p = 0', () => {
    const layer = new Dropout({ p: 0.5, seed: 1 });
    layer.eval();
    const state = layer.randomState.slice();
    expect(layer.forward(x)).toBe(x);
    const g = randomMatrix(random, 50, 40);
    expect(layer.backward(g)).toBe(g);
    expect(Array.from(layer.randomState)).toEqual(Array.from(state));
    const none = new Dropout({ p: 0 });
    expect(none.forward(x)).toBe(x);
    layer.train();
    expect(layer.forward(x)).not.toBe(x);
    expect(Array.from(layer.randomState)).not.toEqual(Array.from(state));
  });

  it('draws the same masks from the same seed and other masks from another, or from a shared generator', () => {
    const masks = (layer: Dropout) => Array.from(layer.forward(x).data, (v) => v === 0);
    expect(masks(new Dropout({ seed: 4 }))).toEqual(masks(new Dropout({ seed: 4 })));
    expect(masks(new Dropout({ seed: 4 }))).not.toEqual(masks(new Dropout({ seed: 5 })));
    const shared = new Random(3);
    expect(masks(new Dropout({ random: shared }))).not.toEqual(masks(new Dropout({ random: shared })));
    const layer = new Dropout({ seed: 4 });
    expect(masks(layer)).not.toEqual(masks(layer));
    layer.reseed(1, 2, 0);
    const again = masks(layer);
    layer.reseed(1, 2, 0);
    expect(masks(layer)).toEqual(again);
  });

  it('rebuilds from its configuration, drawing its seed from the network’s generator', () => {
    const config = configOf([
      { type: 'Linear', inFeatures: 4, outFeatures: 4 },
      { type: 'Dropout', p: 0.3 },
      { type: 'Dropout', p: 0.3 },
      { type: 'Linear', inFeatures: 4, outFeatures: 1 },
    ]);
    const model = Model.fromConfig(config);
    const [, a, b] = (model.network as Sequential).modules as Dropout[];
    expect(a.toConfig()).toEqual({ type: 'Dropout', p: 0.3 });
    expect(Array.from(a.randomState)).not.toEqual(Array.from(b.randomState));
    const rebuilt = (Model.fromConfig(config).network as Sequential).modules[1] as Dropout;
    expect(Array.from(rebuilt.randomState)).toEqual(Array.from(a.randomState));
    expect(model.summary()).toMatch(/1 \(Dropout\(0\.3\)\)\s+N × 4\s+0/);
  });

  it('refuses p outside [0, 1), a bad seed or generator, and a gradient of the wrong shape', () => {
    for (const p of [1, -0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectArgumentError(() => new Dropout({ p }), { type: RangeError, name: 'p', received: String(p) });
    }
    expectArgumentError(() => new Dropout({ p: '0.5' as never }), { type: TypeError, name: 'p', received: '"0.5"' });
    expectArgumentError(() => new Dropout({ seed: 1.5 }), { type: RangeError, name: 'seed', received: '1.5' });
    expectArgumentError(() => new Dropout({ random: {} as never }), {
      type: TypeError,
      name: 'random',
      received: 'object',
    });
    expect(() =>
      Model.fromConfig(
        configOf([
          { type: 'Linear', inFeatures: 2, outFeatures: 2 },
          { type: 'Dropout', p: 1 },
        ]),
      ),
    ).toThrow(/^config\.network\.layers\[1\] \(Dropout\): Expected a probability in \[0, 1\) for p but received 1$/);
    const layer = new Dropout();
    expect(() => layer.backward(new Matrix(1, 1))).toThrow(/called before forward/);
    layer.forward(x);
    expectArgumentError(() => layer.backward(new Matrix(40, 50)), {
      type: RangeError,
      name: 'gradOutput',
      received: 'Matrix object',
    });
  });

  it('trains in a Model: the divergence guard’s snapshot keeps its generator, so a replayed step repeats', () => {
    const net = new Sequential(
      new Linear(40, 8, { seed: 1 }),
      new ReLU(),
      new Dropout({ p: 0.5, seed: 2 }),
      new Linear(8, 1, { seed: 3 }),
    );
    const model = new Model(net, { loss: new MSELoss(), optimizer: new SGD(net.parameters(), { lr: 0.01 }) });
    const y = randomMatrix(random, 50, 1);
    const snapshot = model.createSnapshot();
    snapshot.save();
    const first = model.trainStep(x, y);
    const after = model.stateDict();
    snapshot.restore();
    expect(model.trainStep(x, y)).toBe(first);
    expect(model.stateDict()).toEqual(after);
  });
});

describe('the library’s exp, tanh and erf (src/kernels/math.ts; exp and tanh as the addon computes them)', () => {
  const reference = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/math/math.json'), 'utf8')) as Record<
    'exp' | 'tanh' | 'erf',
    [number, number][]
  >;
  /** The distance between a and b in units in the last place of b. */
  const ulps = (a: number, b: number) => {
    if (a === b) return 0;
    const view = new Float64Array([Math.abs(b)]);
    const bits = new BigInt64Array(view.buffer);
    bits[0] += 1n;
    return Math.abs(a - b) / (view[0] - Math.abs(b));
  };
  const check = (
    name: 'exp' | 'tanh' | 'erf',
    f: (x: number) => number,
    bound: (x: number, y: number) => number,
    odd: boolean,
  ) => {
    expect(reference[name].length).toBeGreaterThan(500);
    for (const [x, expected] of reference[name]) {
      expect(ulps(f(x), expected), `${name}(${x})`).toBeLessThanOrEqual(bound(x, expected));
      if (odd) expect(ulps(f(-x), -expected), `${name}(${-x})`).toBeLessThanOrEqual(bound(x, expected));
    }
  };

  it('are within 1 (exp), 2 (tanh) and 2 below 1, else 1 (erf) units in the last place of mpmath’s', () => {
    check('exp', exp, (_, y) => (y < 2.2250738585072014e-308 ? 2 : 1), false);
    check('tanh', tanh, () => 2, true);
    check('erf', erf, (x) => (x < 1 ? 2 : 1), true);
  });

  it('are exact where they saturate, odd at ±0, and NaN for NaN', () => {
    expect([exp(0), exp(Number.NEGATIVE_INFINITY), exp(-746), exp(Number.POSITIVE_INFINITY), exp(710)]).toEqual([
      1,
      0,
      0,
      Infinity,
      Infinity,
    ]);
    expect([tanh(22), tanh(-22), tanh(Number.POSITIVE_INFINITY), tanh(Number.NEGATIVE_INFINITY)]).toEqual([
      1, -1, 1, -1,
    ]);
    expect([erf(6), erf(-6), erf(Number.POSITIVE_INFINITY), erf(Number.NEGATIVE_INFINITY)]).toEqual([1, -1, 1, -1]);
    for (const f of [tanh, erf]) expect(Object.is(f(-0), -0) && Object.is(f(0), 0)).toBe(true);
    for (const f of [exp, tanh, erf]) expect(f(Number.NaN)).toBeNaN();
  });
});

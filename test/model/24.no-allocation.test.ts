import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

// Every Float64Array and Uint32Array (the kinds the package allocates) made from here on is counted: the global constructors are
// replaced by counting subclasses before the package is loaded, so its `new
// Float64Array(…)` calls — and the `slice()` and `subarray()` of arrays it made, which
// construct through the same class — all go through them. The longest one made since
// the last reset is kept too.
let created = 0;
let longest = 0;
for (const name of ['Float64Array', 'Uint32Array'] as const) {
  const Original = globalThis[name] as unknown as new (...args: unknown[]) => { length: number };
  const Counting = class extends Original {
    constructor(...args: unknown[]) {
      super(...args);
      created++;
      longest = Math.max(longest, this.length);
    }
  };
  Object.defineProperty(globalThis, name, { value: Counting, writable: true, configurable: true });
}

const { Matrix, Model, MSELoss, Random, ReLU, Linear, SGD, Sequential, TwoLayerRegressor } = await import(
  '../../dist/index.js'
);
const { encodeFormat1 } = await import('../helpers/model-file-bytes.mjs');
const recordable = await import('../helpers/recordable-parts.js');

function randomMatrix(random: InstanceType<typeof Random>, rows: number, cols: number) {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols)));
}

function allocationsDuring(run: () => void): number {
  const before = created;
  run();
  return created - before;
}

describe('training steps allocate nothing after the first at a given batch size', () => {
  const random = new Random(1);
  const full = { x: randomMatrix(random, 32, 20), y: randomMatrix(random, 32, 3) };
  const tail = { x: randomMatrix(random, 17, 20), y: randomMatrix(random, 17, 3) };

  it('counts allocations at all (the instrument works)', () => {
    const model = new TwoLayerRegressor({ inputSize: 20, hiddenSize: 40, outputSize: 3 });
    expect(allocationsDuring(() => model.stateDict())).toBe(4);
    expect(allocationsDuring(() => model.trainStep(full.x, full.y, 1e-3))).toBeGreaterThan(0);
  });

  it('TwoLayerRegressor.trainStep, alternating full and last batches', () => {
    const model = new TwoLayerRegressor({ inputSize: 20, hiddenSize: 40, outputSize: 3 });
    model.trainStep(full.x, full.y, 1e-3);
    model.trainStep(tail.x, tail.y, 1e-3);
    const count = allocationsDuring(() => {
      for (let i = 0; i < 50; i++) {
        model.trainStep(full.x, full.y, 1e-3);
        model.trainStep(tail.x, tail.y, 1e-3);
      }
    });
    expect(count).toBe(0);
  });

  it('a model replaying its recorded steps (src/plan/), alternating full and last batches', () => {
    const model = recordable.model({ widths: [20, 40, 3], sgd: { momentum: 0.9, weightDecay: 1e-4, lr: 1e-3 } });
    model.trainStep(full.x, full.y);
    model.trainStep(tail.x, tail.y);
    const before = recordable.replayed(model);
    const count = allocationsDuring(() => {
      for (let i = 0; i < 50; i++) {
        model.trainStep(full.x, full.y);
        model.trainStep(tail.x, tail.y);
      }
    });
    expect(recordable.replayed(model) - before).toBe(100);
    expect(count).toBe(0);
  });

  it('Sequential + MSELoss + SGD with momentum and weight decay', () => {
    const net = new Sequential(new Linear(20, 40), new ReLU(), new Linear(40, 3));
    const loss = new MSELoss();
    const optimizer = new SGD(net.parameters(), { lr: 1e-3, momentum: 0.9, weightDecay: 1e-4 });
    const step = () => {
      loss.forward(net.forward(full.x), full.y);
      optimizer.zeroGrad();
      net.backward(loss.backward());
      optimizer.step();
    };
    step();
    expect(allocationsDuring(() => Array.from({ length: 50 }, step))).toBe(0);
  });
});

describe('loading a model file', () => {
  it('rejects a format 1 file whose configuration disagrees with its tensors before allocating the model', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'blasprop-')), 'huge.blasprop');
    const config = { inputSize: 20000, hiddenSize: 20000, outputSize: 1, reduction: 'mean', seed: 0, init: 'he' };
    const tensors = {
      W1: new Float64Array(4),
      b1: new Float64Array(2),
      W2: new Float64Array(2),
      b2: new Float64Array(1),
    };
    writeFileSync(path, encodeFormat1({ kind: 'TwoLayerRegressor', config, metadata: {}, tensors }));
    longest = 0;
    await expect(TwoLayerRegressor.load(path)).rejects.toThrow(
      /W1 holds 4 values where the configuration needs 400000000/,
    );
    // Only the file's own tensors were made, none of the 20000 × 20000 weights it describes.
    expect(longest).toBe(4);
  });

  it('rejects a format 2 file whose network is far larger than its tensors before building it', async () => {
    const { encodeModel } = await import('../../dist/model/model-file.js');
    const path = join(mkdtempSync(join(tmpdir(), 'blasprop-')), 'huge-v2.blasprop');
    const model = {
      network: {
        type: 'Sequential',
        layers: [
          { type: 'Linear', inFeatures: 20000, outFeatures: 20000, bias: true, init: 'he' },
          { type: 'ReLU' },
          { type: 'Linear', inFeatures: 20000, outFeatures: 1, bias: true, init: 'he' },
        ],
      },
      loss: { type: 'MSELoss', reduction: 'mean' },
      optimizer: { type: 'SGD', lr: 0.01, momentum: 0, weightDecay: 0 },
      metrics: [],
      seed: 0,
    };
    const tensors = ['0.weight', '0.bias', '2.weight', '2.bias'].map((name) => ({
      name,
      shape: [4],
      values: new Float64Array(4),
    }));
    writeFileSync(path, encodeModel({ header: { model, metadata: {} }, tensors }));
    longest = 0;
    await expect(Model.load(path)).rejects.toThrow(
      /tensor 0.weight holds 4 values where the network needs 20000 × 20000/,
    );
    expect(longest).toBe(4);
  });
});

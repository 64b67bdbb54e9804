import { describe, expect, it } from 'vitest';

// Every Float64Array and Uint32Array (the kinds the package allocates) made from here on is counted: the global constructors are
// replaced by counting subclasses before the package is loaded, so its `new
// Float64Array(…)` calls — and the `slice()` and `subarray()` of arrays it made, which
// construct through the same class — all go through them.
let created = 0;
for (const name of ['Float64Array', 'Uint32Array'] as const) {
  const Original = globalThis[name] as unknown as new (...args: unknown[]) => object;
  const Counting = class extends Original {
    constructor(...args: unknown[]) {
      super(...args);
      created++;
    }
  };
  Object.defineProperty(globalThis, name, { value: Counting, writable: true, configurable: true });
}

const { Matrix, MSELoss, Random, ReLU, Linear, SGD, Sequential, TwoLayerRegressor } = await import(
  '../../dist/index.js'
);

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

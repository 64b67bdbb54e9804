// Recorded training steps (src/plan/, src/model/plans.ts) through Model.trainStep:
// a model replays its step natively after the first at each batch size, and every
// replayed step gives what the eager step gives, to the last bit — losses, weights,
// gradients, optimizer buffers — for any network of Linear and ReLU layers, any batch
// size, plain SGD, momentum and weight decay, whatever happens between steps (a new
// learning rate, zeroGrad, a loaded state, new inputs). What it cannot follow (an
// undeclared part, inputs sharing memory with the model's own arrays) runs eagerly;
// what would make it unsafe (a detached or resized array) is an error naming it.
// A float32 model is recorded and replayed as a float64 one is.

import { describe, expect, it } from 'vitest';

import { Linear, Matrix, Model, Module, MSELoss, Random, ReLU, Sequential, SGD } from '../../dist/index.js';
import { reluBackward, reluForward } from '../../dist/kernels/relu.js';
import { expectArgumentError } from '../helpers/errors.js';
import {
  KernelSquaredError,
  type ModelSpec,
  model,
  network,
  randomMatrix,
  replayed,
  stateBits,
} from '../helpers/recordable-parts.js';

const random = new Random(5);
const batches = (rows: number[], inputs: number, outputs: number) =>
  rows.map((n) => ({ x: randomMatrix(random, n, inputs), y: randomMatrix(random, n, outputs) }));

/** Trains both models on the same steps and expects the same losses and state throughout. */
function expectTwins(spec: ModelSpec, steps: { x: Matrix; y: Matrix }[], rounds: number) {
  const planned = model(spec);
  const eager = model(spec, true);
  for (let round = 0; round < rounds; round++) {
    for (const { x, y } of steps) {
      expect(Object.is(planned.trainStep(x, y), eager.trainStep(x, y))).toBe(true);
    }
  }
  expect(stateBits(planned)).toEqual(stateBits(eager));
  expect(replayed(eager)).toBe(0);
  // Every step but the first at each batch size was replayed.
  expect(replayed(planned)).toBe(rounds * steps.length - new Set(steps.map((s) => s.x.rows)).size);
  return { planned, eager };
}

describe('trainStep with recorded steps', () => {
  for (const widths of [
    [6, 2],
    [6, 9, 2],
    [6, 9, 5, 2],
    [6, 9, 7, 5, 2],
  ]) {
    for (const sgd of [{}, { momentum: 0.9 }, { momentum: 0.5, weightDecay: 0.01 }, { weightDecay: 0.1 }]) {
      it(`matches eager bit for bit: ${widths.length - 1} Linear layer(s), SGD ${JSON.stringify(sgd)}`, () => {
        expectTwins({ widths, sgd }, batches([32, 7, 1, 32, 7], widths[0], widths.at(-1)!), 4);
      });
    }
  }

  it('matches eager without biases, with the summed loss, and at a batch size of 1 only', () => {
    expectTwins({ widths: [4, 8, 3], bias: false, reduction: 'sum' }, batches([5, 5], 4, 3), 6);
    expectTwins({ widths: [3, 1] }, batches([1], 3, 1), 10);
  });

  it('follows a new learning rate, zeroGrad, new inputs of the same shape and a loaded state', () => {
    const spec = { widths: [5, 8, 2], sgd: { momentum: 0.9 } };
    const planned = model(spec);
    const eager = model(spec, true);
    const both = (act: (m: Model) => void) => {
      act(planned);
      act(eager);
    };
    const data = batches([16, 16, 16], 5, 2);
    let step = 0;
    const train = () => {
      const { x, y } = data[step++ % data.length];
      expect(Object.is(planned.trainStep(x, y), eager.trainStep(x, y))).toBe(true);
    };
    for (let i = 0; i < 4; i++) train();
    both((m) => {
      m.optimizer.lr = 0.003;
    });
    train();
    train();
    both((m) => m.optimizer.zeroGrad());
    train();
    const saved = eager.trainingState();
    train();
    train();
    // The optimizer's buffers are replaced, by the model's method and by the optimizer's own.
    both((m) => m.loadTrainingState(saved));
    train();
    train();
    both((m) => m.optimizer.loadState({ scalars: { lr: 0.005 }, buffers: [{}, {}, {}, {}] }));
    train();
    train();
    expect(stateBits(planned)).toEqual(stateBits(eager));
    expect(replayed(planned)).toBeGreaterThan(0);
  });

  it('replays with a learning rate that changes every step, read from the optimizer’s hyper-parameters', () => {
    const spec = { widths: [5, 6, 1], sgd: { momentum: 0.9, dampening: 0.1 } };
    const planned = model(spec);
    const eager = model(spec, true);
    const [{ x, y }] = batches([12], 5, 1);
    for (let i = 0; i < 40; i++) {
      planned.optimizer.lr = 0.01 / (1 + i);
      eager.optimizer.lr = 0.01 / (1 + i);
      expect(Object.is(planned.trainStep(x, y), eager.trainStep(x, y))).toBe(true);
    }
    // One step recorded, every other replayed with the rate of its moment.
    expect(replayed(planned)).toBe(39);
    expect(stateBits(planned)).toEqual(stateBits(eager));
  });

  it('leaves the gradients as an eager step does, readable after zeroGrad and a replay', () => {
    const spec = { widths: [4, 6, 1] };
    const planned = model(spec);
    const eager = model(spec, true);
    const [{ x, y }] = batches([9], 4, 1);
    for (let i = 0; i < 3; i++) {
      planned.optimizer.zeroGrad();
      eager.optimizer.zeroGrad();
      planned.trainStep(x, y);
      eager.trainStep(x, y);
    }
    const theirs = eager.network.namedParameters();
    planned.network.namedParameters().forEach(([name, p], i) => {
      expect(p.hasGrad, name).toBe(true);
      expect([...p.grad.data], name).toEqual([...theirs[i][1].grad.data]);
    });
  });

  it('runs eagerly, with the same results, a model with a module of the user’s own', () => {
    // ReLU written by a user over the same kernels: correct, but not declared capturable.
    class MyReLU extends Module {
      private out: Matrix | undefined;
      forward(x: Matrix): Matrix {
        this.out = new Matrix(x.rows, x.cols);
        reluForward(x.data.length, x.data, this.out.data);
        return this.out;
      }
      backward(grad: Matrix): Matrix {
        const dx = new Matrix(grad.rows, grad.cols);
        reluBackward(grad.data.length, this.out!.data, grad.data, dx.data);
        return dx;
      }
    }
    const build = (relu: Module) => {
      const r = new Random(3);
      const net = new Sequential(new Linear(4, 7, { random: r }), relu, new Linear(7, 2, { random: r }));
      return new Model(net, {
        loss: new KernelSquaredError(),
        optimizer: new SGD(net.parameters(), { lr: 0.02 }),
        metrics: [],
      });
    };
    const mine = build(new MyReLU());
    const builtIn = build(new ReLU());
    // A subclass of a built-in is not the built-in: it may compute in JavaScript.
    const subclassed = build(new (class extends ReLU {})());
    for (const { x, y } of batches([8, 8, 3, 8, 8, 3], 4, 2)) {
      const loss = builtIn.trainStep(x, y);
      expect(Object.is(mine.trainStep(x, y), loss)).toBe(true);
      expect(Object.is(subclassed.trainStep(x, y), loss)).toBe(true);
    }
    expect(stateBits(mine)).toEqual(stateBits(builtIn));
    expect(stateBits(subclassed)).toEqual(stateBits(builtIn));
    expect(replayed(mine)).toBe(0);
    expect(replayed(subclassed)).toBe(0);
    expect(replayed(builtIn)).toBe(4);
  });

  it('replays a float32 model, in trainStep and in fit, bit for bit as its eager twin', async () => {
    const build = (loss: MSELoss) => {
      const r = new Random(3);
      const dtype = 'float32';
      const net = new Sequential(
        new Linear(4, 7, { random: r, dtype }),
        new ReLU({ dtype }),
        new Linear(7, 2, { random: r, dtype }),
      );
      return new Model(net, { loss, optimizer: new SGD(net.parameters(), { lr: 0.02, momentum: 0.5 }), metrics: [] });
    };
    const x = randomMatrix(random, 16, 4).astype('float32');
    const y = randomMatrix(random, 16, 2).astype('float32');
    const stepped = build(new MSELoss());
    const eager = build(new (class extends MSELoss {})());
    const fitted = build(new MSELoss());
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const start of [0, 8]) {
        const [bx, by] = [x.rowRange(start, start + 8), y.rowRange(start, start + 8)];
        expect(Object.is(stepped.trainStep(bx, by), eager.trainStep(bx, by))).toBe(true);
      }
    }
    await fitted.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, background: false });
    // fit gathers each batch into its own buffers: the same steps, the same bits.
    expect(stateBits(fitted)).toEqual(stateBits(eager));
    expect(stateBits(stepped)).toEqual(stateBits(eager));
    expect(stepped.network.namedParameters()[0][1].value.data).toBeInstanceOf(Float32Array);
    expect(replayed(eager)).toBe(0);
    expect(replayed(stepped)).toBe(5);
    expect(replayed(fitted)).toBe(5);

    // A float32 array detached after the recording is named, as a float64 one is.
    const bias = stepped.network.namedParameters()[1][1].value.data;
    structuredClone(bias.buffer, { transfer: [bias.buffer] });
    expect(() => stepped.trainStep(x.rowRange(0, 8), y.rowRange(0, 8))).toThrow(
      /^Expected a Float32Array of length 7 for parameter 0\.bias but received Float32Array of length 0 \(its buffer was detached or resized after the training step was recorded\)$/,
    );
  });

  it('stops a replayed float32 step whose loss overflows float32, changing no weight, as the eager step does', () => {
    const build = (loss: MSELoss) => {
      const net = new Sequential(new Linear(3, 1, { random: new Random(4), dtype: 'float32' }));
      return new Model(net, { loss, optimizer: new SGD(net.parameters(), { lr: 0.01 }), metrics: [] });
    };
    const planned = build(new MSELoss());
    const eager = build(new (class extends MSELoss {})());
    const x = randomMatrix(random, 5, 3).astype('float32');
    const y = randomMatrix(random, 5, 1).astype('float32');
    planned.trainStep(x, y);
    eager.trainStep(x, y);
    // Weights of 1 and inputs of 3e38, the largest float32 magnitude's neighbourhood:
    // every prediction, a float32, overflows to Infinity, and so does the loss.
    for (const m of [planned, eager]) {
      m.loadStateDict({ '0.weight': Float32Array.of(1, 1, 1), '0.bias': Float32Array.of(0) });
    }
    const huge = new Matrix(5, 3, new Float32Array(15).fill(3e38));
    for (const m of [planned, eager]) {
      const before = m.stateDict();
      expect(() => m.trainStep(huge, y)).toThrow(/Training diverged/);
      expect(m.stateDict()).toEqual(before);
    }
    planned.trainStep(x, y);
    eager.trainStep(x, y);
    expect(stateBits(planned)).toEqual(stateBits(eager));
    expect(replayed(planned)).toBe(1);
  });

  it('replays the built-in MSELoss, both reductions, as its undeclared subclass steps eagerly', () => {
    for (const reduction of ['mean', 'sum'] as const) {
      const build = (loss: MSELoss) => {
        const net = network({ widths: [5, 6, 3, 2], seed: 4 });
        return new Model(net, {
          loss,
          optimizer: new SGD(net.parameters(), { lr: 0.01, momentum: 0.5 }),
          metrics: [],
        });
      };
      const builtIn = build(new MSELoss({ reduction }));
      const eager = build(new (class extends MSELoss {})({ reduction }));
      for (const { x, y } of batches([7, 7, 7, 2, 7, 2], 5, 2)) {
        expect(Object.is(builtIn.trainStep(x, y), eager.trainStep(x, y))).toBe(true);
      }
      expect(stateBits(builtIn)).toEqual(stateBits(eager));
      expect(replayed(builtIn)).toBe(4);
      expect(replayed(eager)).toBe(0);
    }
  });

  it('steps eagerly when new inputs share memory with the model’s own arrays', () => {
    const spec = { widths: [3, 1] };
    const planned = model(spec);
    const eager = model(spec, true);
    const [{ x, y }] = batches([3], 3, 1);
    planned.trainStep(x, y);
    eager.trainStep(x, y);
    // x over the weight's own memory (3 × 1 weights: a 1-row batch of 3 features).
    for (const m of [planned, eager]) {
      const weight = m.network.namedParameters()[0][1].value.data;
      const before = replayed(m);
      m.trainStep(new Matrix(1, 3, weight), new Matrix(1, 1, Float64Array.of(0.5)));
      expect(replayed(m)).toBe(before);
    }
    expect(stateBits(planned)).toEqual(stateBits(eager));
  });

  it('rejects a step whose recorded arrays were detached or resized, naming the array, changing nothing', () => {
    const spec = { widths: [4, 5, 1] };
    const m = model(spec);
    const [{ x, y }] = batches([6], 4, 1);
    m.trainStep(x, y);
    m.trainStep(x, y);
    const before = m.stateDict();
    const weight = m.network.namedParameters()[2][1].value.data;
    structuredClone(weight.buffer, { transfer: [weight.buffer] });
    expectArgumentError(() => m.trainStep(x, y), {
      type: TypeError,
      name: 'parameter 2.weight',
      received: 'Float64Array of length 0',
    });
    expectArgumentError(() => m.trainStep(x, y), {
      type: TypeError,
      name: 'parameter 2.weight',
      received: 'Float64Array of length 0',
    });
    for (const [name, p] of m.network.namedParameters()) {
      if (name !== '2.weight') expect([...p.value.data], name).toEqual([...before[name]]);
    }

    // An array only the layers hold: the output buffer forward() hands out.
    const other = model(spec);
    other.trainStep(x, y);
    const output = other.network.forward(x).data;
    structuredClone(output.buffer, { transfer: [output.buffer] });
    expect(() => other.trainStep(x, y)).toThrow(
      /^Expected a Float64Array of length 6 for argument \d+ of \w+, call \d+ of the recorded step but received Float64Array of length 0 \(its buffer was detached or resized after the training step was recorded\)$/,
    );
  });

  it('rejects inputs whose buffer was detached or shrunk since they were bound', () => {
    const m = model({ widths: [2, 1] });
    const buffer = new ArrayBuffer(8 * 8, { maxByteLength: 8 * 16 });
    const x = new Matrix(4, 2, new Float64Array(buffer, 0, 8));
    const y = new Matrix(4, 1, Float64Array.of(1, 2, 3, 4));
    x.data.set([1, 2, 3, 4, 5, 6, 7, 8]);
    m.trainStep(x, y);
    m.trainStep(x, y);
    const before = m.stateDict();
    buffer.resize(8 * 4);
    expectArgumentError(() => m.trainStep(x, y), { type: RangeError, name: 'x', received: 'Matrix object' });
    structuredClone(y.data.buffer, { transfer: [y.data.buffer] });
    buffer.resize(8 * 8);
    expectArgumentError(() => m.trainStep(x, y), { type: RangeError, name: 'y', received: 'Matrix object' });
    expect(m.stateDict()).toEqual(before);
  });

  it('reports a non-finite loss of a replayed step as the eager step does, changing no weight', () => {
    const spec = { widths: [3, 4, 1] };
    const planned = model(spec);
    const eager = model(spec, true);
    const [{ x, y }] = batches([5], 3, 1);
    planned.trainStep(x, y);
    eager.trainStep(x, y);
    const huge = new Matrix(5, 3, new Float64Array(15).fill(1e200));
    for (const m of [planned, eager]) {
      const before = m.stateDict();
      expect(() => m.trainStep(huge, y)).toThrow(/Training diverged: the loss became Infinity/);
      expect(m.stateDict()).toEqual(before);
    }
    expect(replayed(planned)).toBe(0);
    planned.trainStep(x, y);
    eager.trainStep(x, y);
    expect(stateBits(planned)).toEqual(stateBits(eager));
    expect(replayed(planned)).toBe(1);
  });
});

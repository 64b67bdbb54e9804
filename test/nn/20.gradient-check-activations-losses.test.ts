// Central-difference gradient checks of the activations, Dropout and the losses (the
// method and its error budget: test/helpers/gradcheck.ts; errors are taken relative to
// each gradient's largest entry, as these gradients span orders of magnitude), and of
// a whole network of them. Inputs stay away from kinks (LeakyReLU at 0, L1 at a zero difference, Huber at
// |d| = delta) by more than the step, so the one-sided derivatives agree there.

import { describe, expect, it } from 'vitest';

import {
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  Dropout,
  GELU,
  HuberLoss,
  L1Loss,
  LeakyReLU,
  Linear,
  type Loss,
  Matrix,
  type Module,
  Random,
  Sequential,
  Sigmoid,
  Tanh,
} from '../../dist/index.js';
import { EPSILON, maxGradientErrorToScale, weightedSum } from '../helpers/gradcheck.js';

const TOLERANCE = 1e-6;

function randomMatrix(random: Random, rows: number, cols: number, scale = 1): Matrix {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols), scale));
}

/** Values at least `margin` away from `from` (per element), keeping their side. */
function awayFrom(m: Matrix, from: Float64Array | number, margin: number): Matrix {
  for (let i = 0; i < m.data.length; i++) {
    const centre = typeof from === 'number' ? from : from[i];
    const d = m.data[i] - centre;
    m.data[i] = centre + Math.sign(d || 1) * (margin + Math.abs(d));
  }
  return m;
}

function checkLayer(layer: Module, x: Matrix, random: Random): number {
  const g = randomMatrix(random, x.rows, x.cols);
  const objective = () => weightedSum(layer.forward(x).data, g.data);
  objective();
  const dx = layer.backward(g).data.slice();
  return maxGradientErrorToScale(objective, x.data, dx);
}

describe('finite-difference gradient checks of the activations and Dropout', () => {
  const random = new Random(21);
  const cases: [string, () => Module, number][] = [
    ['Tanh', () => new Tanh(), 0],
    ['Sigmoid', () => new Sigmoid(), 0],
    ['LeakyReLU(0.1)', () => new LeakyReLU({ negativeSlope: 0.1 }), 1e3 * EPSILON],
    ['LeakyReLU(−0.5)', () => new LeakyReLU({ negativeSlope: -0.5 }), 1e3 * EPSILON],
    ['GELU', () => new GELU(), 0],
    ['GELU(tanh)', () => new GELU({ approximate: 'tanh' }), 0],
  ];
  for (const [name, make, margin] of cases) {
    it(`${name}: the input gradient, on 1 × 1, 5 × 7 and 3 × 13 inputs`, () => {
      for (const [rows, cols] of [
        [1, 1],
        [5, 7],
        [3, 13],
      ]) {
        const x = awayFrom(randomMatrix(random, rows, cols, 2), 0, margin);
        expect(checkLayer(make(), x, random), `${rows} × ${cols}`).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('Dropout in training mode, with the mask held fixed, and in evaluation mode', () => {
    const layer = new Dropout({ p: 0.4, seed: 3 });
    const x = randomMatrix(random, 6, 9);
    const g = randomMatrix(random, 6, 9);
    const start = layer.randomState.slice();
    // Every evaluation draws the same mask: the generator starts from the same state.
    const objective = () => {
      layer.randomState.set(start);
      return weightedSum(layer.forward(x).data, g.data);
    };
    objective();
    const dx = layer.backward(g).data.slice();
    expect(dx.some((v) => v === 0) && dx.some((v) => v !== 0)).toBe(true);
    expect(maxGradientErrorToScale(objective, x.data, dx)).toBeLessThan(TOLERANCE);
    layer.eval();
    expect(checkLayer(layer, x, random)).toBeLessThan(TOLERANCE);
  });
});

describe('finite-difference gradient checks of the losses', () => {
  const random = new Random(22);

  function checkLoss(loss: Loss, pred: Matrix, target: Matrix): number {
    const objective = () => loss.forward(pred, target);
    objective();
    return maxGradientErrorToScale(objective, pred.data, loss.backward().data.slice());
  }

  for (const reduction of ['mean', 'sum'] as const) {
    it(`L1Loss and HuberLoss (${reduction}), away from their kinks`, () => {
      const target = randomMatrix(random, 6, 4);
      const pred = awayFrom(randomMatrix(random, 6, 4), target.data, 1e3 * EPSILON);
      expect(checkLoss(new L1Loss({ reduction }), pred, target)).toBeLessThan(TOLERANCE);
      for (const delta of [0.3, 1, 4]) {
        const huber = pred.clone();
        // Away from |d| = delta on both sides, in both regions.
        for (let i = 0; i < huber.data.length; i++) {
          const d = huber.data[i] - target.data[i];
          if (Math.abs(Math.abs(d) - delta) < 1e3 * EPSILON) huber.data[i] += Math.sign(d) * 1e-2;
        }
        expect(checkLoss(new HuberLoss({ delta, reduction }), huber, target), `delta ${delta}`).toBeLessThan(TOLERANCE);
      }
    });

    it(`BCEWithLogitsLoss (${reduction}), hard and soft targets, with and without posWeight`, () => {
      const pred = randomMatrix(random, 7, 3, 3);
      const target = new Matrix(
        7,
        3,
        Float64Array.from({ length: 21 }, (_, i) => [0, 1, 0.25, 0.875][i % 4]),
      );
      expect(checkLoss(new BCEWithLogitsLoss({ reduction }), pred, target)).toBeLessThan(TOLERANCE);
      const weighted = new BCEWithLogitsLoss({ posWeight: [0.5, 2, 3.25], reduction });
      expect(checkLoss(weighted, pred, target)).toBeLessThan(TOLERANCE);
    });

    it(`CrossEntropyLoss (${reduction}), with class weights and label smoothing`, () => {
      const pred = randomMatrix(random, 8, 5, 2);
      const target = new Matrix(8, 1, Float64Array.from([0, 4, 2, 2, 1, 3, 0, 4]));
      for (const options of [
        {},
        { weight: [0.5, 1, 2, 0.25, 1.5] },
        { labelSmoothing: 0.1 },
        { weight: [0.5, 1, 2, 0.25, 1.5], labelSmoothing: 0.3 },
      ]) {
        const loss = new CrossEntropyLoss({ ...options, reduction });
        expect(checkLoss(loss, pred, target), JSON.stringify(options)).toBeLessThan(TOLERANCE);
      }
    });
  }
});

describe('finite-difference gradient check of a whole network', () => {
  it('Linear, GELU, Linear, Tanh, Linear, LeakyReLU, Linear with CrossEntropyLoss: every parameter', () => {
    const random = new Random(23);
    const network = new Sequential(
      new Linear(4, 6, { seed: 1 }),
      new GELU(),
      new Linear(6, 5, { seed: 2, init: 'xavier' }),
      new Tanh(),
      new Linear(5, 5, { seed: 3 }),
      new LeakyReLU({ negativeSlope: 0.2 }),
      new Linear(5, 3, { seed: 4 }),
    );
    const loss = new CrossEntropyLoss({ labelSmoothing: 0.05 });
    const x = randomMatrix(random, 9, 4);
    const y = new Matrix(9, 1, Float64Array.from([0, 1, 2, 2, 1, 0, 1, 2, 0]));
    const objective = () => loss.forward(network.forward(x), y);
    objective();
    network.zeroGrad();
    network.backward(loss.backward());
    for (const [name, p] of network.namedParameters()) {
      expect(maxGradientErrorToScale(objective, p.value.data, p.grad.data.slice()), name).toBeLessThan(TOLERANCE);
    }
  });
});

// Gradient checks: analytic gradients against central finite differences. They stay
// in float64, also now that every layer runs in float32 too. A central difference
// (f(x + h) − f(x − h)) / 2h has a truncation error of order h² and a rounding error of
// order u·|f|/h; the best h balances them at an error of order u^(2/3): about 1e-11 in
// float64 (u = 2^-53), which lets a 1e-6 tolerance catch any wrong gradient, but about
// 1e-5 in float32 (u = 2^-24), which would hide errors of that size. The float32 code
// paths share the float64 ones' formulas (the same kernels, templated over the element
// type, bit for bit with the reference: test/nn/26), and their training runs match
// PyTorch's float32 runs step by step (test/nn/27), which is what checks them.

import { describe, expect, it } from 'vitest';

import { Linear, Matrix, MSELoss, Random, ReLU, Sequential, TwoLayerRegressor } from '../../dist/index.js';
import { EPSILON, maxGradientError, weightedSum } from '../helpers/gradcheck.js';

const TOLERANCE = 1e-6;

function randomMatrix(random: Random, rows: number, cols: number, scale = 1): Matrix {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols), scale));
}

/** Values at least `margin` away from zero, so that no finite-difference step crosses a ReLU kink. */
function awayFromZero(random: Random, rows: number, cols: number, margin: number): Matrix {
  const m = randomMatrix(random, rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = Math.sign(m.data[i] || 1) * (margin + Math.abs(m.data[i]));
  return m;
}

/** Smallest |pre-activation| of the first layer: the margin by which the check avoids ReLU kinks. */
function smallestPreActivation(layer: Linear, x: Matrix): number {
  return layer.forward(x).data.reduce((min, v) => Math.min(min, Math.abs(v)), Number.POSITIVE_INFINITY);
}

describe('finite-difference gradient checks', () => {
  it('Linear: input, weight and bias gradients', () => {
    const random = new Random(11);
    for (const [n, i, o] of [
      [1, 1, 1],
      [4, 3, 5],
      [7, 6, 2],
    ]) {
      const layer = new Linear(i, o, { seed: n * 31 + i });
      layer.bias!.value.data.set(random.fillNormal(new Float64Array(o)));
      const x = randomMatrix(random, n, i);
      const g = randomMatrix(random, n, o);
      const objective = () => weightedSum(layer.forward(x).data, g.data);
      objective();
      layer.zeroGrad();
      const dx = layer.backward(g).data.slice();
      expect(maxGradientError(objective, x.data, dx)).toBeLessThan(TOLERANCE);
      expect(maxGradientError(objective, layer.weight.value.data, layer.weight.grad.data)).toBeLessThan(TOLERANCE);
      expect(maxGradientError(objective, layer.bias!.value.data, layer.bias!.grad.data)).toBeLessThan(TOLERANCE);
    }
  });

  it('ReLU, with inputs kept away from the kink', () => {
    const random = new Random(12);
    const relu = new ReLU();
    const x = awayFromZero(random, 6, 9, 1e3 * EPSILON);
    const g = randomMatrix(random, 6, 9);
    const objective = () => weightedSum(relu.forward(x).data, g.data);
    objective();
    const dx = relu.backward(g).data.slice();
    expect(dx.some((v) => v === 0)).toBe(true);
    expect(maxGradientError(objective, x.data, dx)).toBeLessThan(TOLERANCE);
  });

  for (const reduction of ['mean', 'sum'] as const) {
    it(`MSELoss (${reduction})`, () => {
      const random = new Random(13);
      const loss = new MSELoss({ reduction });
      const pred = randomMatrix(random, 5, 4);
      const target = randomMatrix(random, 5, 4);
      const objective = () => loss.forward(pred, target);
      objective();
      const grad = loss.backward().data.slice();
      expect(maxGradientError(objective, pred.data, grad)).toBeLessThan(TOLERANCE);
    });
  }

  for (const reduction of ['mean', 'sum'] as const) {
    it(`the whole two-layer network (${reduction}): every parameter`, () => {
      const random = new Random(14);
      const model = new TwoLayerRegressor({ inputSize: 6, hiddenSize: 8, outputSize: 3, reduction, seed: 5 });
      model.hidden.bias!.value.data.set(random.fillNormal(new Float64Array(8), 0.1));
      model.output.bias!.value.data.set(random.fillNormal(new Float64Array(3), 0.1));
      // Resample the inputs until no hidden pre-activation is within 1000·ε of zero.
      let x = randomMatrix(random, 10, 6);
      while (smallestPreActivation(model.hidden, x) < 1e3 * EPSILON) x = randomMatrix(random, 10, 6);
      const y = randomMatrix(random, 10, 3);
      const objective = () => model.loss.forward(model.network.forward(x), y);
      objective();
      model.network.zeroGrad();
      model.network.backward(model.loss.backward());
      for (const p of model.network.parameters()) {
        expect(maxGradientError(objective, p.value.data, p.grad.data.slice()), p.name).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('a deeper Sequential, including the gradient with respect to its input', () => {
    const random = new Random(15);
    const net = new Sequential(
      new Linear(4, 7, { seed: 1 }),
      new ReLU(),
      new Linear(7, 5, { seed: 2 }),
      new ReLU(),
      new Linear(5, 2, { seed: 3 }),
    );
    const loss = new MSELoss();
    const x = randomMatrix(random, 9, 4);
    const y = randomMatrix(random, 9, 2);
    const objective = () => loss.forward(net.forward(x), y);
    objective();
    net.zeroGrad();
    const dx = net.backward(loss.backward()).data.slice();
    expect(maxGradientError(objective, x.data, dx)).toBeLessThan(TOLERANCE);
    for (const p of net.parameters()) {
      expect(maxGradientError(objective, p.value.data, p.grad.data.slice())).toBeLessThan(TOLERANCE);
    }
  });

  it('would catch the reference post’s bug: using db2 in place of dpred gives a different dW2', () => {
    // The post computes dW2 from db2 (the column sums of dpred). Broadcast to the
    // shape that numpy would need, that is r·(1ᵀ·dpred) — not rᵀ·dpred.
    const random = new Random(16);
    const model = new TwoLayerRegressor({ inputSize: 3, hiddenSize: 4, outputSize: 2, reduction: 'sum', seed: 8 });
    const x = randomMatrix(random, 5, 3);
    const y = randomMatrix(random, 5, 2);
    const objective = () => model.loss.forward(model.network.forward(x), y);
    objective();
    model.network.zeroGrad();
    model.network.backward(model.loss.backward());
    const dpred = model.loss.backward().data;
    const db2 = [0, 1].map((j) => dpred[j] + dpred[2 + j] + dpred[4 + j] + dpred[6 + j] + dpred[8 + j]);
    const r = model.network.modules[1].forward(model.hidden.forward(x)).data;
    const wrong = new Float64Array(8);
    for (let h = 0; h < 4; h++) {
      let rowSum = 0;
      for (let n = 0; n < 5; n++) rowSum += r[n * 4 + h];
      for (let j = 0; j < 2; j++) wrong[h * 2 + j] = rowSum * db2[j];
    }
    expect(maxGradientError(objective, model.output.weight.value.data, wrong)).toBeGreaterThan(1e-2);
  });
});

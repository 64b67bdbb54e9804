import { describe, expect, it } from 'vitest';

import { Linear, Matrix, MSELoss, Parameter, Random, ReLU, reference, Sequential, SGD } from '../../dist/index.js';

function randomMatrix(random: Random, rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols)));
}

describe('Matrix', () => {
  it('wraps the given array without copying', () => {
    const data = new Float64Array(6);
    const m = new Matrix(2, 3, data);
    m.set(1, 2, 7);
    expect(data[5]).toBe(7);
    expect(m.data).toBe(data);
  });

  it('checks the length, sizes and element indices', () => {
    expect(() => new Matrix(2, 3, new Float64Array(5))).toThrow(RangeError);
    expect(() => new Matrix(2, 3, new Float64Array(5))).toThrow(/length rows × cols = 2 × 3 = 6 for data/);
    expect(() => new Matrix(2, 3, new Int16Array(6) as unknown as Float64Array)).toThrow(TypeError);
    expect(new Matrix(2, 3, new Float32Array(6)).dtype).toBe('float32');
    expect(() => new Matrix(-1, 3)).toThrow(RangeError);
    expect(() => new Matrix(1.5, 3)).toThrow(/rows/);
    expect(() => new Matrix(Number.NaN, 3)).toThrow(RangeError);
    expect(() => new Matrix('2' as unknown as number, 3)).toThrow(TypeError);
    expect(() => new Matrix(2, 2).get(2, 0)).toThrow(/row/);
    expect(() => Matrix.fromRows([[1, 2], [3]])).toThrow(/rows\[1\]/);
  });

  it('cannot have its shape or data swapped after construction', () => {
    const m = new Matrix(2, 2);
    expect(() => {
      (m as { data: Float64Array }).data = new Float64Array(9);
    }).toThrow(TypeError);
    expect(() => {
      (m as { rows: number }).rows = 3;
    }).toThrow(TypeError);
    expect(m.data.length).toBe(4);
  });

  it('rowRange shares memory and fromRows/toArray round-trip', () => {
    const m = Matrix.fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const view = m.rowRange(1, 3);
    view.set(0, 0, 30);
    expect(m.toArray()).toEqual([
      [1, 2],
      [30, 4],
      [5, 6],
    ]);
    expect(() => m.rowRange(2, 1)).toThrow(RangeError);
  });
});

describe('Linear', () => {
  it('computes x·W + b (weight stored in × out) against the reference kernels', () => {
    const random = new Random(1);
    const layer = new Linear(4, 3, { seed: 9 });
    layer.bias!.value.data.set([0.5, -1, 2]);
    const x = randomMatrix(random, 5, 4);
    const y = layer.forward(x);
    const expected = new Float64Array(15);
    for (let i = 0; i < 5; i++) expected.set(layer.bias!.value.data, i * 3);
    reference.dgemm('N', 'N', 5, 3, 4, 1, x.data, 4, layer.weight.value.data, 3, 1, expected, 3);
    for (let i = 0; i < 15; i++) expect(y.data[i]).toBeCloseTo(expected[i], 12);
  });

  it('without bias has one parameter and adds nothing', () => {
    const layer = new Linear(2, 2, { bias: false });
    layer.weight.value.data.set([1, 0, 0, 1]);
    expect(layer.parameters()).toHaveLength(1);
    expect(Array.from(layer.forward(Matrix.fromRows([[3, 4]])).data)).toEqual([3, 4]);
  });

  it('is initialised He-normal by default, Glorot-normal with init "xavier" and N(0, 1) with init "post"', () => {
    const std = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(std(new Linear(400, 300).weight.value.data)).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(std(new Linear(400, 300, { init: 'xavier' }).weight.value.data)).toBeCloseTo(Math.sqrt(2 / 700), 2);
    expect(std(new Linear(400, 300, { init: 'post' }).weight.value.data)).toBeCloseTo(1, 1);
    expect(Array.from(new Linear(3, 2, { seed: 4 }).weight.value.data)).toEqual(
      Array.from(new Linear(3, 2, { seed: 4 }).weight.value.data),
    );
    expect(() => new Linear(3, 2, { init: 'glorot' as 'he' })).toThrow(/init/);
    expect(() => new Linear(0, 2)).toThrow(/inFeatures/);
  });

  it('accumulates gradients across backward passes until zeroGrad, as PyTorch does', () => {
    const random = new Random(2);
    const layer = new Linear(3, 2);
    const x = randomMatrix(random, 4, 3);
    const g = randomMatrix(random, 4, 2);
    layer.forward(x);
    layer.backward(g);
    const once = layer.weight.grad.data.slice();
    const onceBias = layer.bias!.grad.data.slice();
    layer.backward(g);
    layer.weight.grad.data.forEach((v, i) => {
      expect(v).toBeCloseTo(2 * once[i], 12);
    });
    layer.bias!.grad.data.forEach((v, i) => {
      expect(v).toBeCloseTo(2 * onceBias[i], 12);
    });
    layer.zeroGrad();
    expect(layer.weight.hasGrad).toBe(false);
    expect(Array.from(layer.weight.grad.data)).toEqual([0, 0, 0, 0, 0, 0]);
    layer.backward(g);
    layer.weight.grad.data.forEach((v, i) => {
      expect(v).toBeCloseTo(once[i], 12);
    });
  });

  it('rejects mismatched shapes and backward before forward', () => {
    const layer = new Linear(3, 2);
    expect(() => layer.backward(new Matrix(1, 2))).toThrow(/before forward/);
    expect(() => layer.forward(new Matrix(2, 4))).toThrow(RangeError);
    expect(() => layer.forward(new Matrix(2, 4))).toThrow(/for x.*got 2 × 4/);
    expect(() => layer.forward(new Float64Array(6) as unknown as Matrix)).toThrow(TypeError);
    layer.forward(new Matrix(2, 3));
    expect(() => layer.backward(new Matrix(3, 2))).toThrow(/gradOutput/);
  });

  it('skips the input gradient when asked and returns an empty matrix', () => {
    const layer = new Linear(3, 2);
    layer.forward(new Matrix(4, 3));
    const out = layer.backward(new Matrix(4, 2), { inputGrad: false });
    expect([out.rows, out.cols]).toEqual([0, 3]);
    expect(layer.weight.hasGrad).toBe(true);
  });
});

describe('ReLU', () => {
  it('clamps negatives, keeps NaN, and passes gradients only where the input was positive', () => {
    const relu = new ReLU();
    const out = relu.forward(Matrix.fromRows([[-2, 0, 3, Number.NaN]]));
    expect(Array.from(out.data)).toEqual([0, 0, 3, Number.NaN]);
    const grad = relu.backward(Matrix.fromRows([[10, 20, 30, 40]]));
    expect(Array.from(grad.data)).toEqual([0, 0, 30, 0]);
  });

  it('handles a change of width between calls', () => {
    const relu = new ReLU();
    relu.forward(new Matrix(2, 3));
    expect(relu.forward(Matrix.fromRows([[-1, 1]])).toArray()).toEqual([[0, 1]]);
  });
});

describe('MSELoss', () => {
  it('sums or averages the squared error', () => {
    const pred = Matrix.fromRows([
      [1, 2],
      [3, 4],
    ]);
    const target = Matrix.fromRows([
      [0, 2],
      [5, 4],
    ]);
    expect(new MSELoss({ reduction: 'sum' }).forward(pred, target)).toBe(5);
    const mean = new MSELoss();
    expect(mean.forward(pred, target)).toBe(1.25);
    expect(Array.from(mean.backward().data)).toEqual([0.5, 0, -1, 0]);
    expect(() => new MSELoss({ reduction: 'max' as 'sum' })).toThrow(/reduction/);
    expect(() => mean.forward(pred, new Matrix(2, 3))).toThrow(/target/);
    expect(() => new MSELoss().backward()).toThrow(/before forward/);
  });
});

describe('SGD', () => {
  function parameterWith(value: number[], grad: number[]): Parameter {
    const p = new Parameter('p', 1, value.length);
    p.value.data.set(value);
    p.accumulateBeta();
    p.gradient.data.set(grad);
    return p;
  }

  it('steps p −= lr·g and leaves parameters without a gradient alone', () => {
    const p = parameterWith([1, 2], [0.5, -1]);
    const untouched = new Parameter('q', 1, 1);
    untouched.value.data[0] = 3;
    new SGD([p, untouched], { lr: 0.1 }).step();
    expect(Array.from(p.value.data)).toEqual([1 - 0.05, 2 + 0.1]);
    expect(untouched.value.data[0]).toBe(3);
  });

  it('applies momentum and weight decay with PyTorch semantics', () => {
    const lr = 0.1;
    const momentum = 0.9;
    const weightDecay = 0.01;
    const p = parameterWith([1, -2], [0.5, 0.25]);
    const optimizer = new SGD([p], { lr, momentum, weightDecay });
    // Reference: d = g + λ·p; v = μ·v + d; p −= lr·v, twice with the same gradient.
    let w = [1, -2];
    let v = [0, 0];
    const g = [0.5, 0.25];
    for (let step = 0; step < 2; step++) {
      optimizer.step();
      v = v.map((vi, i) => momentum * vi + g[i] + weightDecay * w[i]);
      w = w.map((wi, i) => wi - lr * v[i]);
      p.value.data.forEach((value, i) => {
        expect(value).toBeCloseTo(w[i], 14);
      });
    }
  });

  it('decays weights without momentum', () => {
    const p = parameterWith([2], [1]);
    new SGD([p], { lr: 0.5, weightDecay: 0.1 }).step();
    expect(p.value.data[0]).toBeCloseTo(2 - 0.5 * (1 + 0.1 * 2), 14);
  });

  it('validates its options', () => {
    expect(() => new SGD([], { lr: 0 })).toThrow(RangeError);
    expect(() => new SGD([], { lr: Number.NaN })).toThrow(/lr/);
    expect(() => new SGD([], { lr: 0.1, momentum: -1 })).toThrow(/momentum/);
    expect(() => new SGD([], { lr: 0.1, weightDecay: Number.POSITIVE_INFINITY })).toThrow(/weightDecay/);
    expect(() => new SGD([{} as Parameter], { lr: 0.1 })).toThrow(TypeError);
  });
});

describe('Sequential', () => {
  it('chains forward and collects parameters in order', () => {
    const a = new Linear(2, 3);
    const b = new Linear(3, 1);
    const net = new Sequential(a, new ReLU(), b);
    expect(net.parameters()).toEqual([a.weight, a.bias, b.weight, b.bias]);
    expect(net.forward(new Matrix(4, 2)).rows).toBe(4);
    expect(() => new Sequential({} as Linear)).toThrow(TypeError);
  });
});

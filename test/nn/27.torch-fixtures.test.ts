// The PyTorch fixtures (test/fixtures/torch) and their loader: the layout conversion
// on hand-made tensors, the shape of the fixture set, and an end-to-end replay of
// everything the library can run today (Linear, ReLU, MSELoss, SGD without Nesterov or
// dampening) against PyTorch's numbers.

import { describe, expect, it } from 'vitest';

import { Linear, Matrix, type Module, MSELoss, ReLU, Sequential, SGD } from '../../dist/index.js';
import { expectClose } from '../helpers/expect-close.js';
import {
  type FloatArray,
  type LayerConfig,
  type LinearConfig,
  libraryParameters,
  linearToLibraryLayout,
  type OptimizerConfig,
  type Tensor,
  type TorchRun,
  toLibraryLayout,
  torchFixtureNames,
  torchLayerCases,
  torchLossCases,
  torchRuns,
} from '../helpers/torch-fixtures.js';

// One pass (a GEMM with k <= 13, or an element-wise loss over <= 54 elements) in two
// BLAS builds and two summation orders: a few ulps of the operands, about k·u <= 2e-15
// relative to the array's scale. 1e-12 leaves room for that and nothing else.
const ONE_PASS = 1e-12;
// Whole runs: as in the numpy parity test, a few ulps per step carried through at most
// 28 converging steps stay many orders below 1e-9, while any semantic difference (a
// transposed weight, a wrong batch, a missed decay) is off by 1e-3 or more at once.
const RUN = 1e-9;

const LINEAR: LinearConfig = { type: 'Linear', inFeatures: 3, outFeatures: 2, bias: true };

function tensor(shape: number[], values: number[], Typed: { from(v: number[]): FloatArray } = Float64Array): Tensor {
  return { shape, data: Typed.from(values) };
}

describe('PyTorch state_dict entries in the library layout', () => {
  const weight = tensor([2, 3], [1, 2, 3, 4, 5, 6]);

  it('transposes a Linear weight from out × in to in × out', () => {
    const converted = linearToLibraryLayout(LINEAR, 'weight', weight);
    expect(converted.rows).toBe(3);
    expect(converted.cols).toBe(2);
    expect(Array.from(converted.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('keeps a bias as a 1 × out row', () => {
    const converted = linearToLibraryLayout(LINEAR, 'bias', tensor([2], [7, 8]));
    expect(converted).toMatchObject({ rows: 1, cols: 2 });
    expect(Array.from(converted.data)).toEqual([7, 8]);
  });

  it('copies, keeping the array type, so that the fixture is never written through', () => {
    const single = tensor([2, 3], [1, 2, 3, 4, 5, 6], Float32Array);
    const converted = linearToLibraryLayout(LINEAR, 'weight', single);
    expect(converted.data).toBeInstanceOf(Float32Array);
    converted.data[0] = 99;
    expect(single.data[0]).toBe(1);
    const bias = tensor([2], [7, 8]);
    linearToLibraryLayout(LINEAR, 'bias', bias).data[0] = 99;
    expect(bias.data[0]).toBe(7);
  });

  it('1 × 1 and a single output: the transposes that look like no-ops', () => {
    const one: LinearConfig = { type: 'Linear', inFeatures: 1, outFeatures: 1, bias: true };
    expect(Array.from(linearToLibraryLayout(one, 'weight', tensor([1, 1], [5])).data)).toEqual([5]);
    const column: LinearConfig = { type: 'Linear', inFeatures: 3, outFeatures: 1, bias: false };
    const converted = linearToLibraryLayout(column, 'weight', tensor([1, 3], [1, 2, 3]));
    expect(converted).toMatchObject({ rows: 3, cols: 1 });
    expect(Array.from(converted.data)).toEqual([1, 2, 3]);
  });

  it('refuses a weight in the library layout, a bias of the wrong length and unknown parameters', () => {
    expect(() => linearToLibraryLayout(LINEAR, 'weight', tensor([3, 2], [1, 2, 3, 4, 5, 6]))).toThrow(/\[out, in\]/);
    expect(() => linearToLibraryLayout(LINEAR, 'bias', tensor([3], [1, 2, 3]))).toThrow(/bias has shape \[3\]/);
    expect(() => linearToLibraryLayout({ ...LINEAR, bias: false }, 'bias', tensor([2], [1, 2]))).toThrow(
      /no parameter/,
    );
    expect(() => linearToLibraryLayout(LINEAR, 'running_mean', tensor([2], [1, 2]))).toThrow(/no parameter/);
  });

  const network: LayerConfig[] = [
    { type: 'Linear', inFeatures: 3, outFeatures: 2, bias: false },
    { type: 'ReLU' },
    { type: 'Linear', inFeatures: 2, outFeatures: 1, bias: true },
  ];

  it('finds the layer of a Sequential key by its position', () => {
    const converted = toLibraryLayout(network, '2.weight', tensor([1, 2], [3, 4]));
    expect(converted).toMatchObject({ rows: 2, cols: 1 });
    expect(() => toLibraryLayout(network, '1.weight', tensor([1, 2], [3, 4]))).toThrow(/names no Linear layer/);
    expect(() => toLibraryLayout(network, '3.weight', tensor([1, 2], [3, 4]))).toThrow(/names no Linear layer/);
    expect(() => toLibraryLayout(network, 'weight', tensor([1, 2], [3, 4]))).toThrow(/names no Linear layer/);
  });

  it("lists a network's parameters in the order of its parameters(), and only a complete state_dict", () => {
    const state = { '0.weight': weight, '2.weight': tensor([1, 2], [3, 4]), '2.bias': tensor([1], [5]) };
    const params = libraryParameters(network, state);
    expect(params.map((p) => [p.rows, p.cols])).toEqual([
      [3, 2],
      [2, 1],
      [1, 1],
    ]);
    expect(Array.from(params[2].data)).toEqual([5]);
    const { '2.bias': _, ...missing } = state;
    expect(() => libraryParameters(network, missing)).toThrow(/the network has 0.weight, 2.weight, 2.bias/);
    expect(() => libraryParameters(network, { ...state, '0.bias': tensor([2], [0, 0]) })).toThrow(/holds 0.bias/);
  });
});

describe('the fixture set', () => {
  const runs = torchRuns('float64');
  const runs32 = torchRuns('float32');

  it('has the same files in float64 and float32', () => {
    expect(torchFixtureNames('float32')).toEqual(torchFixtureNames('float64'));
    expect(runs.length).toBeGreaterThanOrEqual(12);
  });

  it('every epoch visits every row once, in batches of batchSize with a shorter last one', () => {
    let shortLast = 0;
    for (const run of runs) {
      const n = run.x.shape[0];
      expect(run.y.shape[0], run.name).toBe(n);
      for (const epoch of run.epochs) {
        const sizes = epoch.batches.map((b) => b.length);
        expect(
          sizes.slice(0, -1).every((s) => s === run.batchSize),
          run.name,
        ).toBe(true);
        expect(sizes.at(-1)!, run.name).toBeLessThanOrEqual(run.batchSize);
        expect(
          epoch.batches.flat().sort((a, b) => a - b),
          run.name,
        ).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(epoch.losses.length, run.name).toBe(epoch.batches.length);
        expect(epoch.gradNorms?.length, run.name).toBe(run.clipNorm === null ? undefined : epoch.batches.length);
      }
      if (n % run.batchSize !== 0 && n > run.batchSize) shortLast++;
    }
    expect(shortLast).toBeGreaterThanOrEqual(10);
  });

  it('records a constant learning rate when there is no schedule', () => {
    for (const run of runs.filter((r) => r.schedule === null)) {
      expect(
        run.epochs.map((e) => e.lr),
        run.name,
      ).toEqual(run.epochs.map(() => run.optimizer.lr));
      expect(run.finalLr, run.name).toBe(run.optimizer.lr);
    }
  });

  it('covers every layer, loss, schedule and optimizer option, clipping and networks of 3+ Linear layers', () => {
    const types = (pick: (run: TorchRun) => string[]) => new Set(runs.flatMap(pick));
    expect(types((r) => r.network.map((l) => l.type))).toEqual(
      new Set(['Linear', 'ReLU', 'Tanh', 'Sigmoid', 'LeakyReLU', 'GELU']),
    );
    expect(types((r) => [r.loss.type])).toEqual(
      new Set(['MSELoss', 'L1Loss', 'HuberLoss', 'BCEWithLogitsLoss', 'CrossEntropyLoss']),
    );
    expect(types((r) => (r.schedule ? [r.schedule.type] : []))).toEqual(
      new Set(['StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'ReduceLROnPlateau', 'LinearLR']),
    );
    expect(runs.filter((r) => r.clipNorm !== null).length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((r) => r.network.filter((l) => l.type === 'Linear').length >= 3).length).toBeGreaterThanOrEqual(
      4,
    );
    // PyTorch's defaults: an option is covered by a run that sets it to something else.
    const defaults: Record<OptimizerConfig['type'], Record<string, unknown>> = {
      SGD: { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
      Adam: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
      AdamW: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false },
      RMSprop: { alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
    };
    for (const [type, options] of Object.entries(defaults)) {
      for (const [option, value] of Object.entries(options)) {
        const changed = runs.filter((r) => {
          const config = r.optimizer as unknown as Record<string, unknown>;
          return r.optimizer.type === type && JSON.stringify(config[option]) !== JSON.stringify(value);
        });
        expect(changed.length, `${type} ${option}`).toBeGreaterThan(0);
      }
    }
  });

  it('float32: the same runs on the float64 data and initial weights rounded to float32', () => {
    expect(runs32.map((r) => r.name)).toEqual(runs.map((r) => r.name));
    runs.forEach((run, i) => {
      const single = runs32[i];
      const { name, network, loss, optimizer, schedule, clipNorm, batchSize } = run;
      expect({ name, network, loss, optimizer, schedule, clipNorm, batchSize }).toEqual({
        name: single.name,
        network: single.network,
        loss: single.loss,
        optimizer: single.optimizer,
        schedule: single.schedule,
        clipNorm: single.clipNorm,
        batchSize: single.batchSize,
      });
      // Same batches, and the same learning rates: the generator keeps plateau decisions clear of the bound.
      expect(single.epochs.map((e) => [e.batches, e.lr])).toEqual(run.epochs.map((e) => [e.batches, e.lr]));
      const rounded = (t: Tensor) => Float32Array.from(t.data);
      for (const [key, t] of [['x', run.x], ['y', run.y], ...Object.entries(run.initial)] as const) {
        const t32 = key === 'x' ? single.x : key === 'y' ? single.y : single.initial[key];
        expect(t32.data, `${name} ${key}`).toBeInstanceOf(Float32Array);
        expect(t32.shape, `${name} ${key}`).toEqual(t.shape);
        expect(t32.data, `${name} ${key}`).toEqual(rounded(t));
      }
      expect(single.epochs[0].losses).toBeInstanceOf(Float32Array);
    });
  });

  it('float32: within 1e-5 of the float64 run, the tolerance a float32 replay gets', () => {
    // Measured: PyTorch's float32 runs stay within 6.5e-7 (relative to each array's
    // scale) of its float64 runs, in the step losses and the final weights. An
    // independent float32 implementation rounds differently but no worse, so 1e-5
    // bounds its distance from these fixtures with room to spare, while a semantic
    // difference is off by 1e-3 or more.
    runs.forEach((run, i) => {
      const single = runs32[i];
      const losses = (r: TorchRun) => r.epochs.flatMap((e) => Array.from(e.losses));
      expectClose(losses(single), losses(run), `${run.name} losses`, 1e-5);
      for (const [key, t] of Object.entries(run.final)) {
        expectClose(single.final[key].data, t.data, `${run.name} ${key}`, 1e-5);
      }
    });
  });
});

function matrix(t: Tensor): Matrix {
  expect(t.shape.length).toBe(2);
  return new Matrix(t.shape[0], t.shape[1], Float64Array.from(t.data));
}

/** Rows `rows` of a tensor, as a matrix, in that order. */
function gather(t: Tensor, rows: readonly number[]): Matrix {
  const cols = t.shape[1];
  const out = new Matrix(rows.length, cols);
  rows.forEach((row, i) => {
    out.data.set(t.data.subarray(row * cols, (row + 1) * cols), i * cols);
  });
  return out;
}

describe('replaying PyTorch with the layers the library has', () => {
  const layers = torchLayerCases('float64');

  it('Linear: output, input gradient and parameter gradients, weights transposed', () => {
    const cases = layers.filter((c) => c.layer.type === 'Linear');
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) {
      const config = c.layer as LinearConfig;
      const linear = new Linear(config.inFeatures, config.outFeatures, { bias: config.bias });
      const params = linear.parameters();
      const names = config.bias ? ['weight', 'bias'] : ['weight'];
      expect(params.length, c.name).toBe(names.length);
      names.forEach((name, i) => {
        const value = linearToLibraryLayout(config, name, c.parameters![name]);
        params[i].value.data.set(value.data);
      });
      expectClose(linear.forward(matrix(c.input)).data, c.output.data, `${c.name} output`, ONE_PASS);
      expectClose(linear.backward(matrix(c.gradOutput)).data, c.gradInput.data, `${c.name} gradInput`, ONE_PASS);
      names.forEach((name, i) => {
        const expected = linearToLibraryLayout(config, name, c.gradParameters![name]);
        expectClose(params[i].grad.data, expected.data, `${c.name} grad ${name}`, ONE_PASS);
      });
    }
  });

  it('ReLU: output and input gradient exactly, at the kink and on the edge values too', () => {
    const cases = layers.filter((c) => c.layer.type === 'ReLU');
    expect(cases.map((c) => c.name)).toContain('ReLU-edges');
    for (const c of cases) {
      const relu = new ReLU();
      const out = relu.forward(matrix(c.input)).data;
      const grad = relu.backward(matrix(c.gradOutput)).data;
      // Equal as numbers: PyTorch's relu(−0) is −0 (it keeps x unless x < 0), the library's +0.
      c.input.data.forEach((x, i) => {
        if (out[i] !== c.output.data[i]) expect.fail(`${c.name}: relu(${x}) = ${out[i]}, PyTorch ${c.output.data[i]}`);
        if (grad[i] !== c.gradInput.data[i]) {
          expect.fail(`${c.name}: gradient at ${x} is ${grad[i]}, PyTorch ${c.gradInput.data[i]}`);
        }
      });
    }
  });

  it('MSELoss: value and gradient, both reductions', () => {
    const cases = torchLossCases('float64').filter((c) => c.loss.type === 'MSELoss');
    expect(new Set(cases.map((c) => c.loss.reduction))).toEqual(new Set(['mean', 'sum']));
    for (const c of cases) {
      const loss = new MSELoss({ reduction: c.loss.reduction });
      expectClose([loss.forward(matrix(c.input), matrix(c.target))], [c.value], `${c.name} value`, ONE_PASS);
      expectClose(loss.backward().data, c.gradInput.data, `${c.name} gradInput`, ONE_PASS);
    }
  });

  function replayable(run: TorchRun): boolean {
    const { network, loss, optimizer } = run;
    return (
      network.every((l) => l.type === 'Linear' || l.type === 'ReLU') &&
      loss.type === 'MSELoss' &&
      optimizer.type === 'SGD' &&
      !optimizer.nesterov &&
      optimizer.dampening === 0 &&
      run.clipNorm === null
    );
  }

  const runs = torchRuns('float64').filter(replayable);

  it('finds runs to replay, with and without momentum, weight decay, biases and a schedule', () => {
    const sgd = runs.map((r) => r.optimizer as Extract<OptimizerConfig, { type: 'SGD' }>);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(sgd.some((o) => o.momentum > 0) && sgd.some((o) => o.momentum === 0)).toBe(true);
    expect(sgd.some((o) => o.weightDecay > 0)).toBe(true);
    expect(runs.some((r) => r.network.some((l) => l.type === 'Linear' && !l.bias))).toBe(true);
    expect(runs.some((r) => r.schedule !== null)).toBe(true);
    expect(runs.some((r) => r.loss.reduction === 'sum')).toBe(true);
  });

  for (const run of runs) {
    it(`${run.name}: the loss at every step and the final weights`, () => {
      const modules: Module[] = run.network.map((l) =>
        l.type === 'Linear' ? new Linear(l.inFeatures, l.outFeatures, { bias: l.bias }) : new ReLU(),
      );
      const model = new Sequential(...modules);
      const params = model.parameters();
      const initial = libraryParameters(run.network, run.initial);
      expect(params.length).toBe(initial.length);
      params.forEach((p, i) => {
        expect([p.value.rows, p.value.cols]).toEqual([initial[i].rows, initial[i].cols]);
        p.value.data.set(initial[i].data);
      });
      const loss = new MSELoss({ reduction: run.loss.reduction });
      const { momentum, weightDecay } = run.optimizer as Extract<OptimizerConfig, { type: 'SGD' }>;
      const sgd = new SGD(params, { lr: run.optimizer.lr, momentum, weightDecay });

      const losses: number[] = [];
      for (const epoch of run.epochs) {
        // The schedule is not the library's yet: the recorded learning rate stands in for it.
        sgd.lr = epoch.lr;
        for (const rows of epoch.batches) {
          sgd.zeroGrad();
          losses.push(loss.forward(model.forward(gather(run.x, rows)), gather(run.y, rows)));
          model.backwardParameters(loss.backward());
          sgd.step();
        }
      }
      // Each step's loss relative to itself, not to the run's largest.
      const expected = run.epochs.flatMap((e) => Array.from(e.losses));
      expect(losses.length).toBe(expected.length);
      losses.forEach((value, step) => {
        expectClose([value], [expected[step]], `loss at step ${step}`, RUN);
      });
      const final = libraryParameters(run.network, run.final);
      params.forEach((p, i) => {
        expectClose(p.value.data, final[i].data, `parameter ${i}`, RUN);
      });
    });
  }
});

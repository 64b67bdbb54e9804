// Every layer, loss, optimizer, schedule and clipping run of the PyTorch fixtures
// (test/fixtures/torch, float64) replayed through the library: forward and backward
// of each layer case, value and gradient of each loss case, and whole training runs —
// the loss at every step, the gradient norm of every clipped step, the learning rate
// of every epoch and the final weights. The training runs are replayed in float32 too,
// by a float32 model, against PyTorch's own float32 runs (test/fixtures/torch/float32,
// written by the same generate.py with --dtype float32).

import { describe, expect, it } from 'vitest';

import {
  type AnyMatrix,
  BCEWithLogitsLoss,
  CosineAnnealingLR,
  CrossEntropyLoss,
  clipGradNorm,
  ExponentialLR,
  type FloatArray,
  GELU,
  HuberLoss,
  L1Loss,
  LeakyReLU,
  LinearLR,
  type Loss,
  Matrix,
  Model,
  type Module,
  MSELoss,
  type Optimizer,
  ReduceLROnPlateau,
  ReLU,
  Sigmoid,
  StepLR,
  Tanh,
} from '../../dist/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { ParityReport } from '../helpers/parity-report.js';
import {
  type Dtype,
  type LayerConfig,
  type LossConfig,
  libraryParameters,
  type ScheduleConfig,
  type Tensor,
  type TorchRun,
  torchLayerCases,
  torchLossCases,
  torchRuns,
} from '../helpers/torch-fixtures.js';

// One element-wise pass: libm's exp, tanh and erf against PyTorch's vectorised ones
// (SLEEF), a few ulps each, measured against the array's largest magnitude. 1e-12
// leaves room for that and nothing else: a wrong formula is off by 1e-3 or more.
const ONE_PASS = 1e-12;
// Whole runs, as in the SGD replay of 27.torch-fixtures: a few ulps per step carried
// through at most 35 converging steps stay orders below 1e-9.
const RUN = 1e-9;
// Whole runs in float32: float32's unit roundoff is 2^-24 ≈ 6e-8, and two correct
// float32 implementations round differently at every step (sgemm's blocking and fused
// multiply-adds here and there; blasprop's element-wise kernels compute each element in
// double and round once, PyTorch's compute in float32), so they drift apart by a few
// units of k·2^-24 per step (k the longest inner product, at most 40 here) over at most
// 35 converging steps: measured at most 6.7e-7 relative to each array's scale (the
// step losses 4.6e-7, the final weights 6.7e-7; BLASPROP_PARITY_REPORT=1 prints them).
// 1e-5 leaves room for that and for other CPUs' kernels, while a semantic difference (a missing bias correction, a transposed
// weight, a wrong reduction) is off by 1e-3 or more.
const RUN_FLOAT32 = 1e-5;

// BLASPROP_PARITY_REPORT=1 npx vitest run test/nn/27.torch-parity.test.ts prints these.
const report = new ParityReport('PyTorch parity (float64)');

/** expectClose, the error recorded for the report. */
function expectParity(
  fixture: string,
  quantity: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
) {
  report.record(fixture, quantity, actual, expected);
  expectClose(actual, expected, `${fixture} ${quantity}`, tolerance);
}

function matrix(t: Tensor): Matrix {
  return new Matrix(t.shape[0], t.shape[1], Float64Array.from(t.data));
}

/** The given rows of t in a new matrix of t's own dtype. */
function gather(t: Tensor, rows: readonly number[]): AnyMatrix {
  const cols = t.shape[1];
  const out = new Matrix<FloatArray>(rows.length, cols, {
    dtype: t.data instanceof Float32Array ? 'float32' : 'float64',
  });
  rows.forEach((row, i) => {
    out.data.set(t.data.subarray(row * cols, (row + 1) * cols), i * cols);
  });
  return out;
}

function activation(config: LayerConfig): Module {
  switch (config.type) {
    case 'ReLU':
      return new ReLU();
    case 'Tanh':
      return new Tanh();
    case 'Sigmoid':
      return new Sigmoid();
    case 'LeakyReLU':
      return new LeakyReLU({ negativeSlope: config.negativeSlope });
    case 'GELU':
      return new GELU({ approximate: config.approximate });
    default:
      throw new Error(`not an activation: ${config.type}`);
  }
}

function loss(config: LossConfig): Loss {
  switch (config.type) {
    case 'MSELoss':
      return new MSELoss(config);
    case 'L1Loss':
      return new L1Loss(config);
    case 'HuberLoss':
      return new HuberLoss(config);
    case 'BCEWithLogitsLoss':
      return new BCEWithLogitsLoss(config);
    case 'CrossEntropyLoss':
      return new CrossEntropyLoss(config);
  }
}

type Schedule = { step(value?: number): void };

function schedule(config: ScheduleConfig, optimizer: Optimizer): Schedule {
  switch (config.type) {
    case 'StepLR':
      return new StepLR(optimizer, config);
    case 'ExponentialLR':
      return new ExponentialLR(optimizer, config);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, config);
    case 'LinearLR':
      return new LinearLR(optimizer, config);
    case 'ReduceLROnPlateau': {
      const plateau = new ReduceLROnPlateau(optimizer, config);
      return { step: (value?: number) => plateau.step(value!) };
    }
  }
}

describe('PyTorch layer cases', () => {
  const cases = torchLayerCases('float64').filter((c) => c.layer.type !== 'Linear');

  it('cover every activation, on the edge values too', () => {
    expect(new Set(cases.map((c) => c.layer.type))).toEqual(new Set(['ReLU', 'Tanh', 'Sigmoid', 'LeakyReLU', 'GELU']));
    expect(cases.filter((c) => c.name.endsWith('-edges')).length).toBe(7);
  });

  for (const c of cases) {
    it(`${c.name}: output and input gradient`, () => {
      const layer = activation(c.layer);
      expectParity(c.name, 'output', layer.forward(matrix(c.input)).data, c.output.data, ONE_PASS);
      expectParity(c.name, 'input gradient', layer.backward(matrix(c.gradOutput)).data, c.gradInput.data, ONE_PASS);
    });
  }
});

describe('PyTorch loss cases', () => {
  const cases = torchLossCases('float64');

  it('cover every loss with both reductions', () => {
    const kinds = new Set(cases.map((c) => `${c.loss.type} ${c.loss.reduction}`));
    expect(kinds.size).toBe(10);
  });

  for (const c of cases) {
    it(`${c.name}: value and gradient`, () => {
      const l = loss(c.loss);
      expectParity(c.name, 'value', [l.forward(matrix(c.input), matrix(c.target))], [c.value], ONE_PASS);
      expectParity(c.name, 'gradient', l.backward().data, c.gradInput.data, ONE_PASS);
    });
  }
});

/** A Model of the run's network, loss and optimizer in `dtype`, with the run's initial weights. */
function modelOf(run: TorchRun, dtype: Dtype): Model {
  const model = Model.fromConfig({
    network: { type: 'Sequential', layers: run.network },
    loss: run.loss,
    optimizer: run.optimizer,
    metrics: [],
    seed: 0,
    dtype,
  });
  expect(model.dtype).toBe(dtype);
  const params = model.network.parameters();
  const initial = libraryParameters(run.network, run.initial);
  expect(params.length).toBe(initial.length);
  params.forEach((p, i) => {
    expect([p.value.rows, p.value.cols]).toEqual([initial[i].rows, initial[i].cols]);
    p.value.data.set(initial[i].data);
  });
  return model;
}

describe.each([
  ['float64', RUN],
  ['float32', RUN_FLOAT32],
] as const)('PyTorch training runs in %s', (dtype, tolerance) => {
  const runs = torchRuns(dtype);

  it('include every optimizer, schedule and loss, clipping, and networks of three and more Linear layers', () => {
    expect(runs.length).toBe(16);
    expect(new Set(runs.map((r) => r.optimizer.type))).toEqual(new Set(['SGD', 'Adam', 'AdamW', 'RMSprop']));
    expect(runs.filter((r) => r.clipNorm !== null).length).toBe(4);
  });

  for (const run of runs) {
    it(`${run.name}: every step's loss, the learning rates and the final weights`, () => {
      const model = modelOf(run, dtype);
      const label = dtype === 'float64' ? run.name : `${run.name} (float32)`;
      const { network, optimizer } = model;
      const params = network.parameters();
      const lossFn = model.loss;
      const scheduler = run.schedule === null ? undefined : schedule(run.schedule, optimizer);
      const n = run.x.shape[0];
      const losses: number[] = [];
      const norms: number[] = [];
      for (const epoch of run.epochs) {
        expectParity(label, 'learning rate', [optimizer.lr], [epoch.lr], 1e-13);
        let total = 0;
        for (const rows of epoch.batches) {
          const value = lossFn.forward(network.forward(gather(run.x, rows)), gather(run.y, rows));
          optimizer.zeroGrad();
          network.backward(lossFn.backward(), { inputGrad: false });
          if (run.clipNorm !== null) norms.push(clipGradNorm(params, run.clipNorm));
          optimizer.step();
          losses.push(value);
          total += run.loss.reduction === 'mean' ? value * rows.length : value;
        }
        scheduler?.step(run.loss.reduction === 'mean' ? total / n : total);
      }
      expectParity(label, 'learning rate', [optimizer.lr], [run.finalLr], 1e-13);
      const expected = run.epochs.flatMap((e) => Array.from(e.losses));
      expect(losses.length).toBe(expected.length);
      // Each step's loss relative to itself, not to the run's largest.
      losses.forEach((value, step) => {
        expectParity(label, 'step losses', [value], [expected[step]], tolerance);
      });
      if (run.clipNorm !== null) {
        const expectedNorms = run.epochs.flatMap((e) => Array.from(e.gradNorms!));
        expect(norms.length).toBe(expectedNorms.length);
        norms.forEach((value, step) => {
          expectParity(label, 'gradient norms', [value], [expectedNorms[step]], tolerance);
        });
      }
      const final = libraryParameters(run.network, run.final);
      params.forEach((p, i) => {
        expectParity(label, 'final weights', p.value.data, final[i].data, tolerance);
      });
    });
  }
});

// Recorded steps across every built-in part: each activation, Dropout, each loss,
// optimizer, metric and schedule, gradient clipping and early stopping. A model made
// of built-ins replays its steps, and must give what the same model gives with every
// step eager (its loss wrapped in an undeclared subclass: src/plan/capturable.ts), to
// the last bit — losses, batch logs, History, weights, gradients, optimizer state —
// through trainStep, fit on the calling thread, and fit in the background; in float64
// and in float32 alike.

import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  type BatchLogs,
  BCEWithLogitsLoss,
  CosineAnnealingLR,
  CrossEntropyLoss,
  Dropout,
  EarlyStopping,
  ExponentialLR,
  type FitOptions,
  GELU,
  type History,
  HuberLoss,
  L1Loss,
  LeakyReLU,
  Linear,
  LinearLR,
  type Loss,
  Matrix,
  Model,
  type Module,
  MSELoss,
  type Optimizer,
  type Parameter,
  Random,
  ReduceLROnPlateau,
  ReLU,
  RMSprop,
  Sequential,
  SGD,
  Sigmoid,
  StepLR,
  Tanh,
} from '../../dist/index.js';
import type { AnyMatrix } from '../../dist/nn/matrix.js';
import type { DType } from '../../dist/util/dtype.js';
import { randomMatrix, replayed, stateBits } from '../helpers/recordable-parts.js';

type LossKind = 'regression' | 'binary' | 'classes';
type LossClass = new (options?: never) => Loss;

interface Spec {
  /** The layers between the first Linear (inputs → 6) and the last (6 → outputs), of the model's dtype. */
  hidden?: (dtype: DType) => Module[];
  /** The loss's class and options (default MSELoss). */
  loss?: [LossClass, object?];
  optimizer?: (parameters: Parameter[]) => Optimizer;
  metrics?: string[];
  kind?: LossKind;
  outputs?: number;
  /** The model's dtype (default float64). */
  dtype?: DType;
}

const INPUTS = 5;

/** The model of `spec`, or with `eager` its twin whose every step runs eagerly (same parts, loss undeclared). */
function build(spec: Spec, eager: boolean): Model {
  const random = new Random(2);
  const outputs = spec.outputs ?? 2;
  const dtype = spec.dtype ?? 'float64';
  const network = new Sequential(
    new Linear(INPUTS, 6, { random, dtype }),
    ...(spec.hidden?.(dtype) ?? [new ReLU({ dtype })]),
    new Linear(6, outputs, { random, dtype }),
  );
  const [Loss, options] = spec.loss ?? [MSELoss as LossClass];
  // An undeclared subclass of the same loss: a model with it steps eagerly.
  const Chosen = eager ? class extends Loss {} : Loss;
  const optimizer = spec.optimizer?.(network.parameters()) ?? new SGD(network.parameters(), { lr: 0.05 });
  return new Model(network, { loss: new Chosen(options as never), optimizer, metrics: spec.metrics });
}

function data(spec: Spec, rows: number, seed: number): { x: AnyMatrix; y: AnyMatrix } {
  const random = new Random(seed);
  const outputs = spec.outputs ?? 2;
  const dtype = spec.dtype ?? 'float64';
  const x = randomMatrix(random, rows, INPUTS);
  const kind = spec.kind ?? 'regression';
  let y: Matrix;
  if (kind === 'regression') y = randomMatrix(random, rows, outputs);
  else if (kind === 'binary') {
    y = new Matrix(
      rows,
      outputs,
      Float64Array.from({ length: rows * outputs }, () => random.nextUint32() % 2),
    );
  } else
    y = new Matrix(
      rows,
      1,
      Float64Array.from({ length: rows }, () => random.nextUint32() % outputs),
    );
  return { x: x.astype(dtype), y: y.astype(dtype) };
}

/** trainStep on both twins over batches of these sizes, the losses compared as they come. */
function expectSameSteps(spec: Spec, sizes: number[]): void {
  const planned = build(spec, false);
  const eager = build(spec, true);
  sizes.forEach((rows, i) => {
    const { x, y } = data(spec, rows, 10 + i);
    const ours = planned.trainStep(x, y);
    const theirs = eager.trainStep(x, y);
    expect(Object.is(ours, theirs), `step ${i}: ${ours} vs ${theirs}`).toBe(true);
  });
  expect(stateBits(planned)).toEqual(stateBits(eager));
  expect(replayed(eager)).toBe(0);
  expect(replayed(planned)).toBeGreaterThan(0);
}

interface FitRun {
  history: unknown;
  batches: [number, BatchLogs][];
  state: Record<string, number[]>;
  replayed: number;
}

async function fitOnce(
  m: Model,
  spec: Spec,
  options: (m: Model) => FitOptions,
  { background = false, batchLogs = true } = {},
): Promise<FitRun> {
  const { x, y } = data(spec, 103, 3);
  const batches: [number, BatchLogs][] = [];
  const given = options(m);
  const callbacks = [
    ...((given.callbacks as unknown[] | undefined) ?? []),
    ...(batchLogs ? [{ onBatchEnd: (batch: number, logs: BatchLogs) => void batches.push([batch, logs]) }] : []),
  ];
  const history = await m.fit(x, y, { ...given, background, callbacks } as FitOptions);
  return { history, batches, state: stateBits(m), replayed: replayed(m) };
}

/** fit on both twins (the recorded one on the calling thread, or in the background): the same everything. */
async function expectSameFits(
  spec: Spec,
  options: (m: Model) => FitOptions,
  { background = false, batchLogs = true } = {},
): Promise<FitRun> {
  const ours = await fitOnce(build(spec, false), spec, options, { background, batchLogs });
  const theirs = await fitOnce(build(spec, true), spec, options, { batchLogs });
  expect(ours.history).toEqual(theirs.history);
  expect(ours.batches).toEqual(theirs.batches);
  // A worker's model is rebuilt there, its gradients left behind: compare what comes back.
  const comparable = (state: Record<string, number[]>) =>
    background ? Object.fromEntries(Object.entries(state).filter(([name]) => !name.endsWith('.grad'))) : state;
  expect(comparable(ours.state)).toEqual(comparable(theirs.state));
  expect(theirs.replayed).toBe(0);
  if (!background) expect(ours.replayed).toBeGreaterThan(0);
  return ours;
}

const fitOptions =
  (extra: Partial<FitOptions> = {}) =>
  (): FitOptions => ({
    epochs: 3,
    batchSize: 10,
    seed: 4,
    validationSplit: 0.2,
    ...extra,
  });

const ACTIVATIONS: [string, (dtype: DType) => Module][] = [
  ['ReLU', (dtype) => new ReLU({ dtype })],
  ['Tanh', (dtype) => new Tanh({ dtype })],
  ['Sigmoid', (dtype) => new Sigmoid({ dtype })],
  ['LeakyReLU', (dtype) => new LeakyReLU({ negativeSlope: 0.1, dtype })],
  ['GELU', (dtype) => new GELU({ dtype })],
  ['GELU(tanh)', (dtype) => new GELU({ approximate: 'tanh', dtype })],
];

const LOSSES: [string, Spec][] = [
  [
    'MSELoss (sum), every regression metric',
    {
      loss: [MSELoss, { reduction: 'sum' }],
      optimizer: (p) => new SGD(p, { lr: 0.002 }),
      metrics: ['mae', 'rmse', 'r2'],
    },
  ],
  ['L1Loss', { loss: [L1Loss], metrics: ['mae', 'r2'] }],
  ['HuberLoss', { loss: [HuberLoss, { delta: 0.5 }] }],
  [
    'BCEWithLogitsLoss, accuracy',
    { loss: [BCEWithLogitsLoss, { posWeight: [2, 0.5] }], kind: 'binary', metrics: ['accuracy'] },
  ],
  [
    'CrossEntropyLoss, accuracy',
    {
      loss: [CrossEntropyLoss, { weight: [1, 2, 0.5], labelSmoothing: 0.1 }],
      kind: 'classes',
      outputs: 3,
      metrics: ['accuracy'],
    },
  ],
];

const OPTIMIZERS: [string, (p: Parameter[]) => Optimizer][] = [
  [
    'SGD with Nesterov momentum and weight decay',
    (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  ],
  ['SGD with dampened momentum', (p) => new SGD(p, { lr: 0.05, momentum: 0.8, dampening: 0.3 })],
  ['Adam', (p) => new Adam(p, { lr: 0.01 })],
  ['Adam with AMSGrad and weight decay', (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1 })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.01, weightDecay: 0.05 })],
  [
    'RMSprop, centered, with momentum',
    (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.01 }),
  ],
];

describe.each<DType>(['float64', 'float32'])('recorded steps for every built-in part, in %s', (dtype) => {
  for (const [name, activation] of ACTIVATIONS) {
    it(`match eager with ${name}: trainStep and fit`, async () => {
      const spec: Spec = {
        dtype,
        hidden: (d) => [activation(d), new Linear(6, 6, { random: new Random(5), dtype: d }), activation(d)],
      };
      expectSameSteps(spec, [7, 7, 7, 3, 7, 3]);
      await expectSameFits(spec, fitOptions());
    });
  }

  it('match eager with Dropout: the same masks, drawn from the generator fit reseeds every epoch', async () => {
    const spec: Spec = {
      dtype,
      hidden: (d) => [
        new ReLU({ dtype: d }),
        new Dropout({ p: 0.3, seed: 8, dtype: d }),
        new Tanh({ dtype: d }),
        new Dropout({ p: 0.1, dtype: d }),
      ],
    };
    expectSameSteps(spec, [8, 8, 8, 8, 5]);
    await expectSameFits(spec, fitOptions());
    await expectSameFits(spec, fitOptions({ epochs: 2 }), { batchLogs: false });
  });

  for (const [name, lossSpec] of LOSSES) {
    it(`match eager with ${name}`, async () => {
      const spec: Spec = { ...lossSpec, dtype };
      expectSameSteps(spec, [9, 9, 9, 4]);
      await expectSameFits(spec, fitOptions());
    });
  }

  for (const [name, optimizer] of OPTIMIZERS) {
    it(`match eager with ${name}`, async () => {
      const spec: Spec = { dtype, optimizer, hidden: (d) => [new GELU({ dtype: d })] };
      expectSameSteps(spec, [6, 6, 6, 6, 2]);
      await expectSameFits(spec, fitOptions(), { batchLogs: false });
    });
  }

  it('match eager with the gradients clipped (fit’s clipNorm), and step for step a changed clipping norm', async () => {
    const spec: Spec = { dtype, optimizer: (p) => new Adam(p, { lr: 0.05 }) };
    await expectSameFits(spec, fitOptions({ clipNorm: 0.05 }));
    await expectSameFits(spec, fitOptions({ clipNorm: 0.5, epochs: 2 }), { batchLogs: false });
    // With and without clipping, one model keeps a recording of each.
    const planned = build(spec, false);
    const eager = build(spec, true);
    const { x, y } = data(spec, 12, 6);
    for (const clipNorm of [0.01, undefined, 0.01, 0.2, undefined, 0.2]) {
      for (const m of [planned, eager]) m.trainBatch(x, y, undefined, clipNorm);
    }
    expect(stateBits(planned)).toEqual(stateBits(eager));
    expect(replayed(planned)).toBe(4);
  });

  for (const [name, schedule] of [
    ['StepLR', (o: Optimizer) => new StepLR(o, { stepSize: 1, gamma: 0.5 })],
    ['ExponentialLR', (o: Optimizer) => new ExponentialLR(o, { gamma: 0.7 })],
    ['CosineAnnealingLR', (o: Optimizer) => new CosineAnnealingLR(o, { tMax: 2, etaMin: 0.001 })],
    ['LinearLR', (o: Optimizer) => new LinearLR(o, { startFactor: 0.25, totalIters: 2 })],
    ['ReduceLROnPlateau', (o: Optimizer) => new ReduceLROnPlateau(o, { patience: 0, factor: 0.5 })],
  ] as const) {
    it(`match eager with the learning rate of ${name}, changed every epoch`, async () => {
      const spec: Spec = { dtype, optimizer: (p) => new SGD(p, { lr: 0.1, momentum: 0.5 }) };
      await expectSameFits(spec, (m) => ({ ...fitOptions({ epochs: 4 })(), callbacks: [schedule(m.optimizer)] }));
    });
  }

  it('match eager with EarlyStopping restoring the best weights', async () => {
    const spec: Spec = { dtype, optimizer: (p) => new SGD(p, { lr: 0.3 }) };
    const ours = await expectSameFits(spec, () => ({
      ...fitOptions({ epochs: 8 })(),
      callbacks: [new EarlyStopping({ patience: 1, restoreBestWeights: true })],
    }));
    // It did stop early, and so restored weights older than the last epoch's.
    expect((ours.history as History).epoch.length).toBeLessThan(8);
  });

  it('in the background: the same History and weights as eager steps on the calling thread', async () => {
    const spec: Spec = {
      dtype,
      hidden: (d) => [
        new GELU({ dtype: d }),
        new Dropout({ p: 0.2, dtype: d }),
        new LeakyReLU({ negativeSlope: 0.05, dtype: d }),
      ],
      loss: [CrossEntropyLoss, { labelSmoothing: 0.05 }],
      optimizer: (p) => new AdamW(p, { lr: 0.02 }),
      kind: 'classes',
      outputs: 3,
      metrics: ['accuracy'],
    };
    const options = (m: Model): FitOptions => ({
      ...fitOptions({ epochs: 4, clipNorm: 0.5 })(),
      callbacks: [
        new StepLR(m.optimizer, { stepSize: 2, gamma: 0.5 }),
        new EarlyStopping({ patience: 3, restoreBestWeights: true }),
      ],
    });
    await expectSameFits(spec, options, { background: true });
    await expectSameFits(spec, options, { background: true, batchLogs: false });
  });
});

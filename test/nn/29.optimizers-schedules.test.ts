// The optimizers' options, configurations and saved states; the schedules' rates, on
// their own (as a PyTorch loop steps them) and in fit; clipping; and every bad
// option or combination refused, naming it, before anything changes.

import { describe, expect, it } from 'vitest';

import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm,
  EarlyStopping,
  ExponentialLR,
  GradientClipper,
  Linear,
  LinearLR,
  Matrix,
  Model,
  MSELoss,
  type Optimizer,
  Parameter,
  Random,
  ReduceLROnPlateau,
  ReLU,
  RMSprop,
  Sequential,
  SGD,
  StepLR,
} from '../../dist/index.js';
import { expectArgumentError } from '../helpers/errors.js';

function parameterWith(values: number[], grad?: number[]): Parameter {
  const p = new Parameter('p', 1, values.length);
  p.value.data.set(values);
  if (grad) p.grad.data.set(grad);
  return p;
}

function model(optimizer: (params: Parameter[]) => Optimizer = (p) => new SGD(p, { lr: 0.1 })): Model {
  const network = new Sequential(new Linear(3, 4, { seed: 1 }), new ReLU(), new Linear(4, 1, { seed: 2 }));
  return new Model(network, { loss: new MSELoss(), optimizer: optimizer(network.parameters()) });
}

const random = new Random(5);
const x = new Matrix(30, 3, random.fillNormal(new Float64Array(90)));
const y = new Matrix(30, 1, random.fillNormal(new Float64Array(30)));

describe('optimizers', () => {
  it('refuse bad options, naming them', () => {
    const p = [parameterWith([1])];
    const cases: [() => unknown, typeof TypeError | typeof RangeError, string, string][] = [
      [() => new SGD(p, { lr: 0.1, dampening: 1.5 }), RangeError, 'dampening', '1.5'],
      [() => new SGD(p, { lr: 0.1, nesterov: true }), RangeError, 'nesterov', 'true'],
      [() => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), RangeError, 'nesterov', 'true'],
      [() => new SGD(p, { lr: 0.1, nesterov: 1 as never }), TypeError, 'nesterov', '1'],
      [() => new Adam(p, { betas: [0.9, 1] }), RangeError, 'betas[1]', '1'],
      [() => new Adam(p, { betas: [-0.1, 0.9] }), RangeError, 'betas[0]', '-0.1'],
      [() => new Adam(p, { betas: [0.9, Number.NaN] }), RangeError, 'betas[1]', 'NaN'],
      [() => new Adam(p, { betas: 0.9 as never }), TypeError, 'betas', '0.9'],
      [() => new Adam(p, { betas: [0.9] as never }), TypeError, 'betas', 'Array of length 1'],
      [() => new Adam(p, { eps: -1e-8 }), RangeError, 'eps', '-1e-8'],
      [() => new Adam(p, { lr: 0 }), RangeError, 'lr', '0'],
      [() => new AdamW(p, { weightDecay: -1 }), RangeError, 'weightDecay', '-1'],
      [() => new Adam(p, { amsgrad: 'yes' as never }), TypeError, 'amsgrad', '"yes"'],
      [() => new RMSprop(p, { alpha: 1.1 }), RangeError, 'alpha', '1.1'],
      [() => new RMSprop(p, { momentum: -0.5 }), RangeError, 'momentum', '-0.5'],
      [() => new RMSprop(p, { centered: 'yes' as never }), TypeError, 'centered', '"yes"'],
      [() => new RMSprop(p, 'fast' as never), TypeError, 'options', '"fast"'],
    ];
    for (const [call, type, name, received] of cases) expectArgumentError(call, { type, name, received });
  });

  it('describe themselves, with PyTorch’s defaults, and rebuild from their configurations', () => {
    const p = [parameterWith([1])];
    expect(new Adam(p).toConfig()).toEqual({
      type: 'Adam',
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
    });
    expect(new AdamW(p).toConfig()).toEqual({
      type: 'AdamW',
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0.01,
      amsgrad: false,
    });
    expect(new RMSprop(p).toConfig()).toEqual({
      type: 'RMSprop',
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
    });
    // SGD names dampening and nesterov only when set, so configurations saved before them compare equal.
    expect(new SGD(p, { lr: 0.1 }).toConfig()).toEqual({ type: 'SGD', lr: 0.1, momentum: 0, weightDecay: 0 });
    expect(new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }).toConfig()).toMatchObject({ nesterov: true });
    expect(new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5 }).toConfig()).toMatchObject({ dampening: 0.5 });
    for (const make of [
      (q: Parameter[]) => new Adam(q, { lr: 0.01, betas: [0.8, 0.99], amsgrad: true }),
      (q: Parameter[]) => new AdamW(q, { weightDecay: 0.1 }),
      (q: Parameter[]) => new RMSprop(q, { centered: true, momentum: 0.5 }),
      (q: Parameter[]) => new SGD(q, { lr: 0.1, momentum: 0.9, nesterov: true }),
    ]) {
      const original = model(make);
      const rebuilt = Model.fromConfig(JSON.parse(JSON.stringify(original.toConfig())));
      expect(rebuilt.optimizer.constructor).toBe(original.optimizer.constructor);
      expect(rebuilt.optimizer.toConfig()).toEqual(original.optimizer.toConfig());
    }
  });

  it('count steps in their saved state, restore it into the same buffers, and refuse a bad one whole', () => {
    const m = model((p) => new Adam(p, { lr: 0.01, amsgrad: true }));
    for (let i = 0; i < 3; i++) m.trainStep(x, y);
    const saved = m.optimizer.state();
    expect(saved.scalars).toEqual({ lr: 0.01, step: 3 });
    expect(Object.keys(saved.buffers[0]).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq']);
    const held = (m.optimizer as unknown as { buffer(i: number, name: string): Float64Array }).buffer(0, 'expAvg');
    const next = m.trainStep(x, y);
    m.optimizer.loadState(saved);
    // The arrays a recorded step holds see the restored values.
    expect(Array.from(held)).toEqual(Array.from(saved.buffers[0].expAvg));
    for (const [step, type] of [
      [-1, RangeError],
      [1.5, RangeError],
      ['2', TypeError],
    ] as const) {
      expectArgumentError(() => m.optimizer.loadState({ ...saved, scalars: { lr: 0.5, step: step as number } }), {
        type,
        name: 'state.scalars.step',
        received: typeof step === 'string' ? '"2"' : String(step),
      });
    }
    expect(m.optimizer.lr).toBe(0.01);
    // A state saved before optimizers counted steps reads as step 0.
    const sgd = new SGD([parameterWith([1], [1])], { lr: 0.1, momentum: 0.9 });
    sgd.loadState({ scalars: { lr: 0.2 }, buffers: [{ momentumBuffer: Float64Array.from([3]) }] });
    expect(sgd.state().scalars).toEqual({ lr: 0.2, step: 0 });
    expect(Number.isFinite(next)).toBe(true);
  });

  it('leave parameters without a gradient alone, and count no step when none has one', () => {
    for (const make of [
      (p: Parameter[]) => new Adam(p, { lr: 0.1 }),
      (p: Parameter[]) => new RMSprop(p, { momentum: 0.9 }),
    ]) {
      const withGrad = parameterWith([1, 2], [0.5, -0.5]);
      const without = parameterWith([3]);
      const optimizer = make([withGrad, without]);
      optimizer.step();
      expect(without.value.data[0]).toBe(3);
      expect(withGrad.value.data[0]).not.toBe(1);
      withGrad.zeroGrad();
      const before = optimizer.state();
      optimizer.step();
      expect(optimizer.state()).toEqual(before);
    }
  });
});

describe('options read through getters', () => {
  /** An options object whose `name` getter answers `first`, then `later` forever. */
  const changing = (name: string, first: unknown, later: unknown, rest: object = {}) => {
    let reads = 0;
    return Object.defineProperty({ ...rest }, name, { enumerable: true, get: () => (reads++ === 0 ? first : later) });
  };

  it('are read once, so that what was checked is what is kept', () => {
    const p = [parameterWith([1])];
    expect(new EarlyStopping(changing('monitor', 'loss', 5) as never).monitor).toBe('loss');
    expect(new EarlyStopping(changing('patience', 2, -1) as never).patience).toBe(2);
    const opt = new SGD(p, { lr: 0.1 });
    expect(new ReduceLROnPlateau(opt, changing('monitor', 'valLoss', {}) as never).monitor).toBe('valLoss');
    expect(new ReduceLROnPlateau(opt, changing('factor', 0.5, 2) as never).factor).toBe(0.5);
    expect(new Adam(p, changing('betas', [0.8, 0.9], [2, 2]) as never).betas).toEqual([0.8, 0.9]);
    expect(new SGD(p, changing('momentum', 0.5, -1, { lr: 0.1 }) as never).momentum).toBe(0.5);
    expect(new StepLR(opt, changing('gamma', 0.5, 0, { stepSize: 1 }) as never).gamma).toBe(0.5);
  });
});

describe('clipGradNorm', () => {
  it('scales the gradients to the norm, returns the norm before, and leaves out parameters without a gradient', () => {
    const a = parameterWith([0, 0], [3, 0]);
    const b = parameterWith([0], [4]);
    const stale = new Parameter('stale', 1, 1);
    stale.gradient.data[0] = 100;
    expect(clipGradNorm([a, b, stale], 1)).toBe(5);
    expect(Array.from(a.grad.data)).toEqual([3 * (1 / (5 + 1e-6)), 0]);
    expect(stale.gradient.data[0]).toBe(100);
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(1, 6);
  });

  it('refuses a maximum norm that is not a finite number > 0, and anything but parameters', () => {
    const p = [parameterWith([0], [1])];
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectArgumentError(() => clipGradNorm(p, bad), { type: RangeError, name: 'maxNorm', received: String(bad) });
    }
    expectArgumentError(() => clipGradNorm(p, '1' as never), { type: TypeError, name: 'maxNorm', received: '"1"' });
    expectArgumentError(() => clipGradNorm([{}] as never, 1), {
      type: TypeError,
      name: 'parameters[0]',
      received: 'object',
    });
    expectArgumentError(() => new GradientClipper(5 as never, 1), {
      type: TypeError,
      name: 'parameters',
      received: '5',
    });
  });

  it('runs in fit as the clipNorm option, changing the updates, and refuses a bad one', async () => {
    const plain = model();
    const clipped = model();
    await plain.fit(x, y, { epochs: 2, batchSize: 8, background: false });
    await clipped.fit(x, y, { epochs: 2, batchSize: 8, background: false, clipNorm: 1e-3 });
    expect(clipped.stateDict()['0.weight']).not.toEqual(plain.stateDict()['0.weight']);
    const untouched = model();
    const before = untouched.stateDict();
    for (const bad of [0, -1, Number.NaN]) {
      await expect(untouched.fit(x, y, { epochs: 1, clipNorm: bad })).rejects.toThrow(/for clipNorm but received/);
    }
    expect(untouched.stateDict()).toEqual(before);
  });
});

describe('schedules, stepped as in a PyTorch loop', () => {
  const optimizer = () => new SGD([parameterWith([1])], { lr: 0.2 });
  const rates = (schedule: { step(): void; optimizer: Optimizer }, steps: number) => {
    const lrs = [schedule.optimizer.lr];
    for (let i = 0; i < steps; i++) {
      schedule.step();
      lrs.push(schedule.optimizer.lr);
    }
    return lrs;
  };

  it('follow their closed forms from the rate the optimizer had', () => {
    expect(rates(new StepLR(optimizer(), { stepSize: 2, gamma: 0.5 }), 5)).toEqual([0.2, 0.2, 0.1, 0.1, 0.05, 0.05]);
    expect(rates(new ExponentialLR(optimizer(), { gamma: 0.5 }), 3)).toEqual([0.2, 0.1, 0.05, 0.025]);
    const cosine = rates(new CosineAnnealingLR(optimizer(), { tMax: 2, etaMin: 0.02 }), 4);
    [0.2, 0.11, 0.02, 0.11, 0.2].forEach((lr, i) => {
      expect(cosine[i]).toBeCloseTo(lr, 15);
    });
    // LinearLR applies its start factor as it is created, as PyTorch's does.
    const warmup = rates(new LinearLR(optimizer(), { startFactor: 0.25, endFactor: 1, totalIters: 3 }), 4);
    [0.05, 0.1, 0.15, 0.2, 0.2].forEach((lr, i) => {
      expect(warmup[i]).toBeCloseTo(lr, 15);
    });
  });

  it('ReduceLROnPlateau takes PyTorch’s decisions (values computed by torch 1.13)', () => {
    const values = [5, 4, 4.5, 4.2, 3.9, 4.1, 4.3, 4.4, 3.0, 3.1, 3.2, 3.3, 3.4, 2.0];
    const run = (options: ConstructorParameters<typeof ReduceLROnPlateau>[1]) => {
      const opt = new SGD([parameterWith([0])], { lr: 1 });
      const plateau = new ReduceLROnPlateau(opt, options);
      return values.map((v) => {
        plateau.step(v);
        return opt.lr;
      });
    };
    expect(run({ mode: 'min', factor: 0.5, patience: 1, threshold: 0.01, cooldown: 1, minLr: 0.01 })).toEqual([
      1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125,
    ]);
    expect(run({ mode: 'max', factor: 0.1, patience: 0, threshold: 0.5, thresholdMode: 'abs' })).toEqual([
      1, 0.1, 0.010000000000000002, 0.0010000000000000002, 0.00010000000000000003, 1.0000000000000004e-5,
      1.0000000000000004e-6, 1.0000000000000005e-7, 1.0000000000000005e-8, 1.0000000000000005e-8, 1.0000000000000005e-8,
      1.0000000000000005e-8, 1.0000000000000005e-8, 1.0000000000000005e-8,
    ]);
  });

  it('refuse a step whose rate would not be > 0, changing nothing', () => {
    const schedule = new ExponentialLR(optimizer(), { gamma: 1e-200 });
    schedule.step();
    expectArgumentError(() => schedule.step(), { type: RangeError, name: 'step()', received: '2' });
    expect([schedule.optimizer.lr, schedule.lastEpoch]).toEqual([0.2 * 1e-200, 1]);
    const floor = new ReduceLROnPlateau(new SGD([parameterWith([0])], { lr: Number.MIN_VALUE * 4 }), {
      patience: 0,
      factor: 0.1,
      eps: 0,
    });
    floor.step(1);
    expectArgumentError(() => floor.step(2), { type: RangeError, name: 'minLr', received: '0' });
    expect(floor.optimizer.lr).toBe(Number.MIN_VALUE * 4);
  });

  it('refuse bad options, naming them', () => {
    const opt = optimizer();
    const cases: [() => unknown, typeof TypeError | typeof RangeError, string, string][] = [
      [() => new StepLR(opt, { stepSize: 0 }), RangeError, 'stepSize', '0'],
      [() => new StepLR(opt, { stepSize: 1.5 }), RangeError, 'stepSize', '1.5'],
      [() => new StepLR(opt, { stepSize: 1, gamma: 0 }), RangeError, 'gamma', '0'],
      [() => new ExponentialLR(opt, { gamma: -1 }), RangeError, 'gamma', '-1'],
      [() => new ExponentialLR(opt, {} as never), TypeError, 'gamma', 'undefined'],
      [() => new CosineAnnealingLR(opt, { tMax: 0 }), RangeError, 'tMax', '0'],
      [() => new CosineAnnealingLR(opt, { tMax: 3, etaMin: -1 }), RangeError, 'etaMin', '-1'],
      [() => new LinearLR(opt, { startFactor: 0 }), RangeError, 'startFactor', '0'],
      [() => new LinearLR(opt, { startFactor: 1.5 }), RangeError, 'startFactor', '1.5'],
      [() => new LinearLR(opt, { endFactor: 2 }), RangeError, 'endFactor', '2'],
      [() => new LinearLR(opt, { totalIters: 0 }), RangeError, 'totalIters', '0'],
      [() => new StepLR({} as never, { stepSize: 1 }), TypeError, 'optimizer', 'object'],
      [() => new ReduceLROnPlateau(opt, { factor: 1 }), RangeError, 'factor', '1'],
      [() => new ReduceLROnPlateau(opt, { factor: 0 }), RangeError, 'factor', '0'],
      [() => new ReduceLROnPlateau(opt, { patience: -1 }), RangeError, 'patience', '-1'],
      [() => new ReduceLROnPlateau(opt, { mode: 'up' as never }), RangeError, 'mode', '"up"'],
      [
        () => new ReduceLROnPlateau(opt, { thresholdMode: 'relative' as never }),
        RangeError,
        'thresholdMode',
        '"relative"',
      ],
      [() => new ReduceLROnPlateau(opt, { minLr: -1 }), RangeError, 'minLr', '-1'],
      [() => new ReduceLROnPlateau(opt, { monitor: 3 as never }), TypeError, 'monitor', '3'],
      [() => new ReduceLROnPlateau(opt).step(Number.NaN), RangeError, 'value', 'NaN'],
    ];
    for (const [call, type, name, received] of cases) expectArgumentError(call, { type, name, received });
    expect(opt.lr).toBe(0.2);
  });

  it('save their position, and refuse a bad state whole', () => {
    const schedule = new StepLR(optimizer(), { stepSize: 1, gamma: 0.5 });
    schedule.step();
    const saved = schedule.state();
    expect(saved).toEqual({ scalars: { baseLr: 0.2, lastEpoch: 1 }, tensors: {} });
    const other = new StepLR(optimizer(), { stepSize: 1, gamma: 0.5 });
    other.loadState(saved);
    other.step();
    expect(other.optimizer.lr).toBe(0.05);
    for (const [state, name] of [
      [{ scalars: { baseLr: 0, lastEpoch: 1 }, tensors: {} }, 'state.scalars.baseLr'],
      [{ scalars: { baseLr: 0.2, lastEpoch: 1.5 }, tensors: {} }, 'state.scalars.lastEpoch'],
      [{ scalars: { baseLr: 0.2, lastEpoch: 1, extra: 1 }, tensors: {} }, 'state.scalars'],
      [{ scalars: { baseLr: 0.2 }, tensors: {} }, 'state.scalars.lastEpoch'],
    ] as const) {
      expect(() => other.loadState(state as never), name).toThrow(new RegExp(`for ${name.replace(/\./g, '\\.')} but`));
    }
    expect(other.lastEpoch).toBe(2);
  });
});

describe('schedules in fit', () => {
  it('set each epoch’s rate as it begins, which History records as lr', async () => {
    const m = model();
    const schedule = new CosineAnnealingLR(m.optimizer, { tMax: 4, etaMin: 0.01 });
    const history = await m.fit(x, y, { epochs: 6, batchSize: 10, background: false, callbacks: [schedule] });
    expect(history.history.lr).toEqual([0, 1, 2, 3, 4, 5].map((e) => schedule.lrAt(e)));
    expect(schedule.lastEpoch).toBe(5);
  });

  it('refuse, before anything changes, what a fit cannot honour', async () => {
    const m = model();
    const before = JSON.stringify(m.stateDict(), (_, v) => (v instanceof Float64Array ? Array.from(v) : v));
    const other = model();
    const attempts: [() => unknown[], object, RegExp][] = [
      [
        () => [new StepLR(m.optimizer, { stepSize: 1 }), new ExponentialLR(m.optimizer, { gamma: 0.9 })],
        {},
        /at most one learning-rate schedule per fit for callbacks\[1\]/,
      ],
      [() => [new StepLR(m.optimizer, { stepSize: 1 })], { lr: 0.5 }, /for lr but received 0.5/],
      [
        () => [new StepLR(other.optimizer, { stepSize: 1 })],
        {},
        /a schedule of this model’s optimizer for callbacks\[0\]/,
      ],
      [
        () => [new CosineAnnealingLR(m.optimizer, { tMax: 2 })],
        { epochs: 3 },
        /for callbacks\[0\] .*epoch 2 would train at lr 0/,
      ],
      [
        () => [new LinearLR(m.optimizer, { endFactor: 0, totalIters: 2 })],
        { epochs: 3 },
        /epoch 2 would train at lr 0/,
      ],
      [() => [new StepLR(m.optimizer, { stepSize: 1, gamma: 1e-300 })], { epochs: 3 }, /epoch 2 would train at lr 0/],
      [
        () => [new ReduceLROnPlateau(m.optimizer, { monitor: 'valLoss' })],
        {},
        /for callbacks\[0\]\.monitor but received "valLoss"/,
      ],
      [
        () => [new EarlyStopping({ monitor: 'accuracy' })],
        {},
        /one of the values this fit logs \("loss", "mae"\) for callbacks\[0\]\.monitor/,
      ],
    ];
    for (const [callbacks, options, message] of attempts) {
      for (const background of [false, true]) {
        const lr = m.optimizer.lr;
        const list = callbacks();
        m.optimizer.lr = lr;
        await expect(
          m.fit(x, y, { epochs: 2, ...options, background, callbacks: list }),
          String(message),
        ).rejects.toThrow(message);
      }
    }
    expect(JSON.stringify(m.stateDict(), (_, v) => (v instanceof Float64Array ? Array.from(v) : v))).toBe(before);
    // A cosine schedule reaching etaMin = 0 only after the last epoch is fine.
    m.optimizer.lr = 0.1;
    await m.fit(x, y, { epochs: 2, background: false, callbacks: [new CosineAnnealingLR(m.optimizer, { tMax: 2 })] });
  });

  it('refuse one training callback listed twice', async () => {
    const m = model();
    const stop = new EarlyStopping();
    await expect(m.fit(x, y, { epochs: 1, callbacks: [stop, stop] })).rejects.toThrow(
      /each training callback once for callbacks\[1\]/,
    );
  });
});

// Classification end to end in the library: CrossEntropyLoss over class indices and
// BCEWithLogitsLoss over binary targets, accuracy as the default metric, predictProba
// and predictClasses; the regression metrics; and every bad target refused with the
// model unchanged.

import { describe, expect, it } from 'vitest';

import { rSquared as referenceR2 } from '../../dist/data/metrics.js';
import {
  Adam,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HuberLoss,
  L1Loss,
  Linear,
  type Loss,
  Matrix,
  Model,
  MSELoss,
  Random,
  ReLU,
  Sequential,
  SGD,
  Tanh,
} from '../../dist/index.js';
import { expectArgumentError } from '../helpers/errors.js';

/** Three blobs in the plane, one per class, and their class indices. */
function blobs(seed: number, rows: number): { x: Matrix; y: Matrix } {
  const random = new Random(seed);
  const centres = [
    [0, 3],
    [3, -2],
    [-3, -2],
  ];
  const x = new Matrix(rows, 2);
  const y = new Matrix(rows, 1);
  for (let r = 0; r < rows; r++) {
    const c = r % 3;
    x.set(r, 0, centres[c][0] + random.normal() * 0.7);
    x.set(r, 1, centres[c][1] + random.normal() * 0.7);
    y.set(r, 0, c);
  }
  return { x, y };
}

function classifier(loss: Loss, outputs: number, seed = 1): Model {
  const random = new Random(seed);
  const network = new Sequential(new Linear(2, 16, { random }), new Tanh(), new Linear(16, outputs, { random }));
  return new Model(network, { loss, optimizer: new Adam(network.parameters(), { lr: 0.05 }) });
}

function state(model: Model) {
  return JSON.stringify({ weights: model.stateDict(), optimizer: model.optimizer.state() }, (_, v) =>
    v instanceof Float64Array ? Array.from(v) : v,
  );
}

describe('CrossEntropyLoss classifiers', () => {
  const { x, y } = blobs(1, 300);

  it('learn three classes, logging accuracy by default, and predict probabilities and classes', async () => {
    const model = classifier(new CrossEntropyLoss(), 3);
    expect(model.metrics.map((m) => m.name)).toEqual(['accuracy']);
    expect(model.targetSize).toBe(1);
    const history = await model.fit(x, y, { epochs: 15, batchSize: 20, validationSplit: 0.2, background: false });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'valAccuracy', 'valLoss']);
    expect(history.history.valAccuracy.at(-1)).toBeGreaterThan(0.95);
    const proba = model.predictProba(x);
    expect([proba.rows, proba.cols]).toEqual([300, 3]);
    const classes = model.predictClasses(x);
    expect([classes.rows, classes.cols]).toEqual([300, 1]);
    for (let r = 0; r < 300; r++) {
      const row = Array.from(proba.data.subarray(3 * r, 3 * r + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      expect(row.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(classes.get(r, 0)).toBe(row.indexOf(Math.max(...row)));
    }
    const { accuracy } = model.evaluate(x, y);
    let right = 0;
    for (let r = 0; r < 300; r++) right += classes.get(r, 0) === y.get(r, 0) ? 1 : 0;
    expect(accuracy).toBe(right / 300);
  });

  it('saves and loads with its loss options, predicting the same probabilities', async () => {
    const loss = new CrossEntropyLoss({ weight: [1, 2, 0.5], labelSmoothing: 0.1, reduction: 'sum' });
    const model = classifier(loss, 3);
    await model.fit(x, y, { epochs: 2, background: false });
    const again = Model.fromConfig(JSON.parse(JSON.stringify(model.toConfig())));
    expect(again.loss.toConfig()).toEqual({
      type: 'CrossEntropyLoss',
      weight: [1, 2, 0.5],
      labelSmoothing: 0.1,
      reduction: 'sum',
    });
    again.loadStateDict(model.stateDict());
    expect(Array.from(again.predictProba(x).data)).toEqual(Array.from(model.predictProba(x).data));
  });

  it('refuses class indices out of range, negative, fractional or NaN, in trainStep, evaluate and fit, changing nothing', async () => {
    const model = classifier(new CrossEntropyLoss(), 3);
    const before = state(model);
    for (const [bad, shown] of [
      [3, '3'],
      [-1, '-1'],
      [0.5, '0.5'],
      [Number.NaN, 'NaN'],
    ] as const) {
      const targets = y.clone();
      targets.set(7, 0, bad);
      const check = (error: Error) => expect(error.message).toContain(`(${shown} at row 7)`);
      check(
        expectArgumentError(() => model.trainStep(x, targets), {
          type: RangeError,
          name: 'y',
          received: 'Matrix object',
        }),
      );
      if (!Number.isNaN(bad)) {
        check(
          expectArgumentError(() => model.evaluate(x, targets), {
            type: RangeError,
            name: 'y',
            received: 'Matrix object',
          }),
        );
      }
      for (const background of [false, true]) {
        const error = await model.fit(x, targets, { epochs: 1, background }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toMatch(/for y but received Matrix object/);
        const validation = await model
          .fit(x, y, { epochs: 1, background, validationData: [x, targets] })
          .catch((e: Error) => e);
        expect((validation as Error).message).toMatch(/for validationData\[1\] but received Matrix object/);
      }
    }
    expect(state(model)).toBe(before);
  });

  it('needs two logits or more, and one weight per class', () => {
    expectArgumentError(() => classifier(new CrossEntropyLoss(), 1), {
      type: RangeError,
      name: 'outputs',
      received: '1',
    });
    const error = expectArgumentError(() => classifier(new CrossEntropyLoss({ weight: [1, 2] }), 3), {
      type: RangeError,
      name: 'weight',
      received: 'Float64Array of length 2',
    });
    expect(error.message).toContain('3 weights, one per class');
    expect(error.message).toContain('(the predictions have 3 columns)');
    expectArgumentError(() => new CrossEntropyLoss({ weight: [1, -2] }), {
      type: RangeError,
      name: 'weight[1]',
      received: '-2',
    });
    expectArgumentError(() => new CrossEntropyLoss({ weight: 'balanced' as never }), {
      type: TypeError,
      name: 'weight',
      received: '"balanced"',
    });
    expectArgumentError(() => new CrossEntropyLoss({ labelSmoothing: 1.5 }), {
      type: RangeError,
      name: 'labelSmoothing',
      received: '1.5',
    });
    expectArgumentError(() => new CrossEntropyLoss({ reduction: 'none' as never }), {
      type: RangeError,
      name: 'reduction',
      received: '"none"',
    });
  });
});

describe('BCEWithLogitsLoss classifiers', () => {
  const { x, y } = blobs(2, 240);
  // Class 0 against the rest, one logit; and one logit per class (multi-label form).
  const binary = new Matrix(
    240,
    1,
    Float64Array.from(y.data, (c) => (c === 0 ? 1 : 0)),
  );
  const oneHot = new Matrix(
    240,
    3,
    Float64Array.from({ length: 720 }, (_, i) => (y.data[Math.floor(i / 3)] === i % 3 ? 1 : 0)),
  );

  it('learn one logit, with binary accuracy, sigmoid probabilities and 0/1 classes', async () => {
    const model = classifier(new BCEWithLogitsLoss(), 1);
    const history = await model.fit(x, binary, { epochs: 10, batchSize: 16, background: false });
    expect(history.history.accuracy.at(-1)).toBeGreaterThan(0.95);
    const logits = model.predict(x);
    const proba = model.predictProba(x);
    const classes = model.predictClasses(x);
    logits.data.forEach((z, i) => {
      // The addon's exp is libm's, Math.exp V8's: they may differ in the last place.
      expect(proba.data[i]).toBeCloseTo(1 / (1 + Math.exp(-z)), 15);
      expect(classes.data[i]).toBe(z > 0 ? 1 : 0);
    });
  });

  it('learn one logit per column, with posWeight, and element-wise accuracy', async () => {
    const model = classifier(new BCEWithLogitsLoss({ posWeight: [2, 2, 2] }), 3);
    await model.fit(x, oneHot, { epochs: 10, batchSize: 16, background: false });
    const classes = model.predictClasses(x);
    expect([classes.rows, classes.cols]).toEqual([240, 3]);
    let right = 0;
    classes.data.forEach((c, i) => {
      right += c === oneHot.data[i] ? 1 : 0;
    });
    expect(model.evaluate(x, oneHot).accuracy).toBe(right / 720);
  });

  it('take soft labels in [0, 1] and refuse targets outside, and posWeight of another width', () => {
    const model = classifier(new BCEWithLogitsLoss(), 1);
    const soft = new Matrix(
      240,
      1,
      Float64Array.from(binary.data, (v) => 0.1 + 0.8 * v),
    );
    expect(Number.isFinite(model.trainStep(x, soft))).toBe(true);
    const before = state(model);
    for (const bad of [1.5, -0.5, Number.NaN]) {
      const targets = binary.clone();
      targets.set(3, 0, bad);
      expectArgumentError(() => model.trainStep(x, targets), {
        type: RangeError,
        name: 'y',
        received: 'Matrix object',
      });
    }
    expect(state(model)).toBe(before);
    expectArgumentError(() => classifier(new BCEWithLogitsLoss({ posWeight: [1, 2] }), 3), {
      type: RangeError,
      name: 'posWeight',
      received: 'Float64Array of length 2',
    });
    expectArgumentError(() => new BCEWithLogitsLoss({ posWeight: [Number.POSITIVE_INFINITY] }), {
      type: RangeError,
      name: 'posWeight[0]',
      received: 'Infinity',
    });
  });
});

describe('regression models', () => {
  const random = new Random(3);
  const x = new Matrix(120, 3, random.fillNormal(new Float64Array(360)));
  const y = new Matrix(120, 2);
  for (let r = 0; r < 120; r++) {
    y.set(r, 0, x.get(r, 0) - 2 * x.get(r, 1) + 10);
    y.set(r, 1, Math.sin(x.get(r, 2)) * 1e3);
  }

  function regressor(loss: Loss, metrics?: string[]): Model {
    const network = new Sequential(new Linear(3, 8, { seed: 1 }), new ReLU(), new Linear(8, 2, { seed: 2 }));
    return new Model(network, { loss, optimizer: new SGD(network.parameters(), { lr: 1e-3 }), metrics });
  }

  it('report mae, rmse and r2 over all the rows, whatever the chunks evaluate splits them into', () => {
    const model = regressor(new MSELoss(), ['mae', 'rmse', 'r2']);
    const logs = model.evaluate(x, y);
    const pred = model.predict(x);
    let absolute = 0;
    let squares = 0;
    pred.data.forEach((p, i) => {
      absolute += Math.abs(p - y.data[i]);
      squares += (p - y.data[i]) ** 2;
    });
    expect(logs.mae).toBeCloseTo(absolute / 240, 12);
    expect(logs.rmse).toBeCloseTo(Math.sqrt(squares / 240), 12);
    expect(Math.abs(logs.r2 - referenceR2(pred, y))).toBeLessThan(1e-12);
  });

  it('merge batches of R² into the R² of all their rows', async () => {
    const model = regressor(new L1Loss(), ['r2']);
    const r2 = model.metrics[0];
    const pred = model.predict(x);
    const total = new Float64Array(r2.sumsLength(2));
    const batch = new Float64Array(r2.sumsLength(2));
    for (const [start, end] of [
      [0, 1],
      [1, 40],
      [40, 41],
      [41, 120],
    ]) {
      r2.accumulate(pred.rowRange(start, end), y.rowRange(start, end), batch, total);
    }
    expect(Math.abs(r2.value(total) - referenceR2(pred, y))).toBeLessThan(1e-12);
  });

  it('train with L1Loss and HuberLoss, logging mae by default', async () => {
    for (const loss of [new L1Loss(), new HuberLoss({ delta: 0.5 })]) {
      const model = regressor(loss);
      const history = await model.fit(x, y, { epochs: 3, background: false });
      expect(Object.keys(history.history)).toEqual(['loss', 'mae']);
      expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
    }
  });

  it('have no probabilities or classes, and no accuracy metric', () => {
    const model = regressor(new MSELoss());
    expectArgumentError(() => model.predictProba(x), { type: TypeError, name: 'loss', received: 'MSELoss object' });
    expectArgumentError(() => model.predictClasses(x), { type: TypeError, name: 'loss', received: 'MSELoss object' });
    expectArgumentError(() => regressor(new MSELoss(), ['accuracy']), {
      type: RangeError,
      name: 'metrics[0]',
      received: '"accuracy"',
    });
    const net = new Sequential(new Linear(2, 3));
    const optimizer = new SGD(net.parameters(), { lr: 1 });
    expectArgumentError(() => new Model(net, { loss: new CrossEntropyLoss(), optimizer, metrics: ['r2'] }), {
      type: RangeError,
      name: 'metrics[0]',
      received: '"r2"',
    });
    expectArgumentError(() => new HuberLoss({ delta: -1 }), { type: RangeError, name: 'delta', received: '-1' });
    expectArgumentError(() => new HuberLoss({ delta: 0 }), { type: RangeError, name: 'delta', received: '0' });
  });
});

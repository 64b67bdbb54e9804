import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import {
  Matrix,
  ModelFileError,
  Random,
  type StateDict,
  TrainingDivergedError,
  TwoLayerRegressor,
} from '../../dist/index.js';

function randomMatrix(random: Random, rows: number, cols: number, scale = 1): Matrix {
  return new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols), scale));
}

function expectSameState(a: StateDict, b: StateDict): void {
  for (const key of ['W1', 'b1', 'W2', 'b2'] as const) {
    expect(Buffer.from(a[key].buffer).equals(Buffer.from(b[key].buffer)), key).toBe(true);
  }
}

/** The reference post's experiment: N=32, D=100, H=200, O=10, random normal data. */
function postData(seed: number) {
  const random = new Random(seed);
  return { x: randomMatrix(random, 32, 100), y: randomMatrix(random, 32, 10) };
}

describe('the reference post’s experiment', () => {
  it('diverges with the post’s settings (randn weights, summed error, lr = 1e-2), with a clear error', () => {
    const { x, y } = postData(1);
    const model = new TwoLayerRegressor({
      inputSize: 100,
      hiddenSize: 200,
      outputSize: 10,
      reduction: 'sum',
      init: 'post',
    });
    let step = 0;
    const run = () => {
      for (; step < 200; step++) model.trainStep(x, y, 1e-2);
    };
    expect(run).toThrow(TrainingDivergedError);
    expect(step).toBeLessThan(20);
    // The weights that produced the non-finite loss were not updated by it.
    expect(Object.values(model.stateDict()).every((a) => a.every(Number.isFinite))).toBe(true);
  });

  it('converges with He initialisation and a learning rate suited to the summed loss', () => {
    const { x, y } = postData(1);
    const model = new TwoLayerRegressor({ inputSize: 100, hiddenSize: 200, outputSize: 10, reduction: 'sum' });
    const losses = Array.from({ length: 200 }, () => model.trainStep(x, y, 1e-3));
    expect(losses.every(Number.isFinite)).toBe(true);
    // 32 rows against 20,000 hidden weights: the net can memorise the batch.
    expect(losses[199]).toBeLessThan(losses[0] / 20);
  });
});

describe('trainStep', () => {
  it('returns the loss before the update, which evaluate reproduces', () => {
    const random = new Random(3);
    const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 6, outputSize: 2, seed: 1 });
    const x = randomMatrix(random, 8, 4);
    const y = randomMatrix(random, 8, 2);
    const before = model.evaluate(x, y).loss;
    expect(model.trainStep(x, y, 0.05)).toBe(before);
    expect(model.evaluate(x, y).loss).toBeLessThan(before);
  });

  it('rejects bad input with a TypeError or RangeError and leaves the model unchanged', () => {
    const random = new Random(4);
    const model = new TwoLayerRegressor({ inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 2 });
    const x = randomMatrix(random, 4, 3);
    const y = randomMatrix(random, 4, 2);
    const withValue = (m: Matrix, at: number, v: number) => {
      const copy = m.clone();
      copy.data[at] = v;
      return copy;
    };
    const before = model.stateDict();
    const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
      ['row counts differ', () => model.trainStep(x, randomMatrix(random, 3, 2), 0.1), RangeError, /for y/],
      ['wrong column count', () => model.trainStep(randomMatrix(random, 4, 4), y, 0.1), RangeError, /for x/],
      ['wrong target width', () => model.trainStep(x, randomMatrix(random, 4, 3), 0.1), RangeError, /for y/],
      ['no rows', () => model.trainStep(new Matrix(0, 3), new Matrix(0, 2), 0.1), RangeError, /at least one row/],
      ['lr = 0', () => model.trainStep(x, y, 0), RangeError, /lr/],
      ['lr < 0', () => model.trainStep(x, y, -1), RangeError, /lr/],
      ['lr NaN', () => model.trainStep(x, y, Number.NaN), RangeError, /lr/],
      ['lr not a number', () => model.trainStep(x, y, '0.1' as unknown as number), TypeError, /lr/],
      ['x not a Matrix', () => model.trainStep(x.data as unknown as Matrix, y, 0.1), TypeError, /for x/],
      ['NaN in x', () => model.trainStep(withValue(x, 5, Number.NaN), y, 0.1), RangeError, /x.*NaN at row 1, column 2/],
      ['Infinity in y', () => model.trainStep(x, withValue(y, 3, Infinity), 0.1), RangeError, /y.*Infinity at row 1/],
    ];
    for (const [what, call, type, message] of cases) {
      expect(call, what).toThrow(type);
      expect(call, what).toThrow(message);
    }
    expectSameState(model.stateDict(), before);
  });
});

describe('stateDict and loadStateDict', () => {
  it('hands out copies in the post’s shapes and checks every entry before copying any', () => {
    const model = new TwoLayerRegressor({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 1 });
    const state = model.stateDict();
    expect([state.W1.length, state.b1.length, state.W2.length, state.b2.length]).toEqual([12, 4, 8, 2]);
    state.W1[0] = 42;
    expect(model.stateDict().W1[0]).not.toBe(42);
    const before = model.stateDict();
    const bad = { ...model.stateDict(), W1: new Float64Array(12).fill(1), b2: new Float64Array(3) };
    expect(() => model.loadStateDict(bad)).toThrow(/length 2 for state.b2/);
    expect(() => model.loadStateDict({ ...before, W2: new Float32Array(8) as unknown as Float64Array })).toThrow(
      TypeError,
    );
    expect(() => model.loadStateDict({ ...before, b1: new Float64Array([1, Number.NaN, 0, 0]) })).toThrow(/finite/);
    expect(() => model.loadStateDict(null as unknown as StateDict)).toThrow(TypeError);
    expectSameState(model.stateDict(), before);
    model.loadStateDict(state);
    expect(model.stateDict().W1[0]).toBe(42);
  });
});

describe('fit', () => {
  const random = new Random(5);
  const x = randomMatrix(random, 300, 4);
  const y = new Matrix(
    300,
    1,
    x.data.filter((_, i) => i % 4 === 0).map((v, i) => Math.sin(v) + 0.5 * x.data[i * 4 + 1]),
  );

  it('is bit-identical for the same seed (same thread count)', async () => {
    const train = async () => {
      const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 16, outputSize: 1, seed: 7 });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 32, lr: 0.05, validationSplit: 0.2, seed: 11 });
      return { state: model.stateDict(), history };
    };
    const [a, b] = [await train(), await train()];
    expectSameState(a.state, b.state);
    expect(a.history).toEqual(b.history);
    expect(a.history.epoch).toEqual([0, 1, 2]);
    expect(a.history.history.valLoss).toHaveLength(3);
  });

  it('depends on the shuffling seed', async () => {
    const fitWith = async (seed: number) => {
      const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 8, outputSize: 1, seed: 7 });
      await model.fit(x, y, { epochs: 1, batchSize: 32, lr: 0.05, seed });
      return model.stateDict().W1;
    };
    expect(Array.from(await fitWith(1))).not.toEqual(Array.from(await fitWith(2)));
  });

  it('reports batches and epochs through callbacks, with validation on the held-out tail', async () => {
    const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 8, outputSize: 1 });
    const batches: number[] = [];
    const epochs: { loss: number; valLoss?: number; samples: number }[] = [];
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 100,
      lr: 0.05,
      validationSplit: 0.1,
      callbacks: {
        onBatchEnd: (_batch, logs) => {
          batches.push(logs.size);
        },
        onEpochEnd: async (_epoch, logs) => {
          epochs.push(logs);
        },
      },
    });
    expect(batches).toEqual([100, 100, 70, 100, 100, 70]);
    expect(epochs.map((e) => e.samples)).toEqual([270, 270]);
    expect(epochs[1].valLoss).toBeCloseTo(model.evaluate(x.rowRange(270, 300), y.rowRange(270, 300)).loss, 12);
  });

  it('keeps the event loop turning while it trains on the calling thread', async () => {
    // yieldEvery 5 ms, in a fit far longer than the test: a 1 ms timer, started by the
    // first batch, can fire only when the fit yields, and its third firing aborts the
    // fit. Without those yields the fit would run to its end and resolve.
    const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 64, outputSize: 1 });
    const controller = new AbortController();
    const TICKS = 3;
    let ticks = 0;
    let timer: NodeJS.Timeout | undefined;
    const onBatchEnd = () => {
      timer ??= setInterval(() => {
        if (++ticks === TICKS) {
          clearInterval(timer);
          controller.abort();
        }
      }, 1);
    };
    const run = model.fit(x, y, {
      epochs: 2_000,
      batchSize: 8,
      lr: 0.01,
      yieldEvery: 5,
      background: false,
      signal: controller.signal,
      callbacks: { onBatchEnd },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    clearInterval(timer);
    expect(ticks).toBe(TICKS);
  });

  it('stops with an AbortError when its signal fires, keeping the last completed step', async () => {
    const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 8, outputSize: 1 });
    const controller = new AbortController();
    let snapshot: StateDict | undefined;
    const run = model.fit(x, y, {
      epochs: 5,
      batchSize: 10,
      lr: 0.05,
      background: false,
      signal: controller.signal,
      callbacks: {
        onBatchEnd: (batch) => {
          snapshot = model.stateDict();
          if (batch === 3) controller.abort();
        },
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expectSameState(model.stateDict(), snapshot!);
  });

  it('stops on divergence naming the epoch and batch, keeping the last finite weights', async () => {
    const model = new TwoLayerRegressor({
      inputSize: 4,
      hiddenSize: 32,
      outputSize: 1,
      reduction: 'sum',
      init: 'post',
    });
    let lastGood: StateDict = model.stateDict();
    const error = await model
      .fit(x, y, {
        epochs: 5,
        batchSize: 50,
        lr: 0.05,
        background: false,
        callbacks: {
          onBatchEnd: () => {
            lastGood = model.stateDict();
          },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.message).toMatch(/epoch \d+, batch \d+/);
    expect(diverged.epoch).toBeTypeOf('number');
    expectSameState(model.stateDict(), lastGood);
  });

  it('validates data and options up front', async () => {
    const model = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 8, outputSize: 1 });
    const before = model.stateDict();
    const nanX = x.clone();
    nanX.data[17] = Number.NaN;
    const good = { epochs: 1, batchSize: 10, lr: 0.1 };
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['batch size 0', () => model.fit(x, y, { ...good, batchSize: 0 }), /batchSize/],
      ['epochs 0', () => model.fit(x, y, { ...good, epochs: 0 }), /epochs/],
      ['lr NaN', () => model.fit(x, y, { ...good, lr: Number.NaN }), /lr/],
      ['split 1', () => model.fit(x, y, { ...good, validationSplit: 1 }), /validationSplit/],
      ['split too small', () => model.fit(x, y, { ...good, validationSplit: 1e-4 }), /validationSplit/],
      ['NaN in x', () => model.fit(nanX, y, good), /x.*NaN at row 4, column 1/],
      ['rows differ', () => model.fit(x, y.rowRange(0, 10), good), /for y/],
      ['bad callback', () => model.fit(x, y, { ...good, callbacks: { onEpochEnd: 3 as never } }), /onEpochEnd/],
    ];
    for (const [what, call, message] of cases) await expect(call(), what).rejects.toThrow(message);
    expectSameState(model.stateDict(), before);
  });
});

describe('save and load', () => {
  const folder = mkdtempSync(join(tmpdir(), 'blasprop-model-'));

  it('round-trips weights bit-exactly with configuration and metadata, leaving no temporary file', async () => {
    const model = new TwoLayerRegressor({ inputSize: 5, hiddenSize: 7, outputSize: 3, reduction: 'sum', seed: 9 });
    model.metadata = { columns: ['a', 'b'], scale: [1.5, 2] };
    const path = join(folder, 'model.blasprop');
    await model.save(path);
    const loaded = await TwoLayerRegressor.load(path);
    expectSameState(loaded.stateDict(), model.stateDict());
    expect(loaded.config).toEqual(model.config);
    expect(loaded.metadata).toEqual(model.metadata);
    expect(readdirSync(folder)).toEqual(['model.blasprop']);
  });

  it('detects truncation, corruption and files that are not models', async () => {
    const model = new TwoLayerRegressor({ inputSize: 2, hiddenSize: 3, outputSize: 1 });
    const path = join(folder, 'good.blasprop');
    await model.save(path);
    const bytes = readFileSync(path);
    const flipped = (at: number, bit: number) => {
      const copy = Buffer.from(bytes);
      copy[at] ^= 1 << bit;
      return copy;
    };
    const variants: [string, Buffer][] = [
      ['truncated', bytes.subarray(0, bytes.length - 9)],
      ['one bit flipped in the weights', flipped(bytes.length - 40, 0)],
      ['one bit flipped in the header', flipped(20, 2)],
      ['one bit flipped in the checksum', flipped(bytes.length - 1, 7)],
      ['empty', Buffer.alloc(0)],
      ['text', Buffer.from('hello, this is not a model at all, not even close')],
    ];
    for (const [what, content] of variants) {
      const bad = join(folder, 'bad.blasprop');
      writeFileSync(bad, content);
      await expect(TwoLayerRegressor.load(bad), what).rejects.toBeInstanceOf(ModelFileError);
    }
    await expect(TwoLayerRegressor.load(join(folder, 'missing'))).rejects.toThrow(/no such file/);
  });

  it('leaves no temporary file behind when a save fails', async () => {
    const model = new TwoLayerRegressor({ inputSize: 2, hiddenSize: 3, outputSize: 1 });
    await expect(model.save(join(folder, 'no-such-folder', 'm.blasprop'))).rejects.toThrow();
    expect(readdirSync(folder).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

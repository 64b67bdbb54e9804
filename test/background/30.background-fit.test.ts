import { describe, expect, it } from 'vitest';

import {
  type BatchLogs,
  configureTraining,
  type EpochLogs,
  getNumThreads,
  isSharedMatrix,
  type Matrix,
  sharedMatrix,
  trainingConfig,
} from '../../dist/index.js';
import { expectSameState, model, outcome, problem, sameState } from './helpers.js';

const { x, y } = problem(3, 400);
const options = { epochs: 3, batchSize: 16, lr: 0.02, validationSplit: 0.1, seed: 5 };

describe('background fit', () => {
  it('trains exactly like a fit on the calling thread: weights, History and callbacks', async () => {
    const record = () => {
      const batches: [number, BatchLogs][] = [];
      const epochs: [number, EpochLogs][] = [];
      const callbacks = {
        onBatchEnd: (batch: number, logs: BatchLogs) => void batches.push([batch, logs]),
        onEpochEnd: async (epoch: number, logs: EpochLogs) => void epochs.push([epoch, logs]),
      };
      return { batches, epochs, callbacks };
    };
    const inThread = model();
    const seen = record();
    const expected = await inThread.fit(x, y, { ...options, background: false, callbacks: seen.callbacks });
    const background = model();
    const relayed = record();
    const history = await background.fit(x, y, { ...options, callbacks: relayed.callbacks });

    expectSameState(background.stateDict(), inThread.stateDict());
    expect(history).toEqual(expected);
    expect(relayed.batches).toEqual(seen.batches);
    const withoutTiming = (entries: [number, EpochLogs][]) =>
      entries.map(([epoch, { loss, valLoss, samples }]) => [epoch, loss, valLoss, samples]);
    expect(withoutTiming(relayed.epochs)).toEqual(withoutTiming(seen.epochs));
    expect(relayed.batches).toHaveLength(3 * Math.ceil(360 / 16));
  });

  it('leaves the event loop free: a timer keeps firing while the worker trains', async () => {
    // A fit that never yields (yieldEvery is effectively infinite) and is far longer
    // than the test: on the calling thread no timer could fire until it ended. Here a
    // 1 ms timer starts with the first batch report, and its tenth firing aborts the
    // fit, which therefore rejects only if this thread's event loop ran while it trained.
    const sizes = { inputSize: 64, hiddenSize: 256, outputSize: 4 };
    const big = problem(4, 4000, sizes);
    const m = model(1, sizes);
    const controller = new AbortController();
    const TICKS = 10;
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
    const fit = m.fit(big.x, big.y, {
      epochs: 200,
      batchSize: 32,
      lr: 0.01,
      yieldEvery: Number.MAX_VALUE,
      signal: controller.signal,
      callbacks: { onBatchEnd },
    });
    const settled = await outcome(fit);
    clearInterval(timer);
    expect(settled).toMatchObject({ settled: 'rejected', name: 'AbortError' });
    expect(ticks).toBe(TICKS);
  });

  it('runs two fits at once with the same results as one after the other', async () => {
    const other = problem(8, 300);
    const jobs = [
      { make: () => model(1), x, y, options },
      { make: () => model(2), x: other.x, y: other.y, options: { epochs: 4, batchSize: 8, lr: 0.01, seed: 9 } },
    ];
    const sequential = [];
    for (const job of jobs) {
      const m = job.make();
      const history = await m.fit(job.x, job.y, job.options);
      sequential.push({ state: m.stateDict(), history });
    }
    const concurrent = await Promise.all(
      jobs.map(async (job) => {
        const m = job.make();
        const history = await m.fit(job.x, job.y, job.options);
        return { state: m.stateDict(), history };
      }),
    );
    for (let i = 0; i < jobs.length; i++) {
      expectSameState(concurrent[i].state, sequential[i].state);
      expect(concurrent[i].history).toEqual(sequential[i].history);
    }
    expect(sameState(concurrent[0].state, concurrent[1].state)).toBe(false);
  });

  it('queues fits beyond the pool and runs them all', async () => {
    const models = Array.from({ length: 5 }, (_, i) => model(i));
    const before = models.map((m) => m.stateDict());
    const histories = await Promise.all(models.map((m) => m.fit(x, y, { epochs: 1, batchSize: 50, lr: 0.01 })));
    expect(histories.map((h) => h.epoch)).toEqual(Array(5).fill([0]));
    expect(models.map((m, i) => sameState(m.stateDict(), before[i]))).toEqual(Array(5).fill(false));
  });

  it('refuses a second fit of a model that is still training', async () => {
    const m = model();
    const first = m.fit(x, y, { epochs: 2, batchSize: 16, lr: 0.01 });
    await expect(m.fit(x, y, { epochs: 1, batchSize: 16, lr: 0.01 })).rejects.toThrow(/already training/);
    await first;
  });
});

describe('data handed to a background fit', () => {
  // Documented behaviour: data in a SharedArrayBuffer is read in place by the worker,
  // so changes made while the fit waits for onEpochEnd are seen by the next epoch;
  // other data is copied when fit is called, so such changes are not seen.
  const changeTargetsAfterFirstEpoch = (target: Matrix) => ({
    onEpochEnd: (epoch: number) => {
      if (epoch === 0) for (let i = 0; i < target.data.length; i++) target.data[i] = -target.data[i];
    },
  });
  const twoEpochs = { epochs: 2, batchSize: 20, lr: 0.05, seed: 2 };

  function sharedCopy(m: Matrix): Matrix {
    const shared = sharedMatrix(m.rows, m.cols);
    shared.data.set(m.data);
    return shared;
  }

  it('is read in place when it lives in shared memory', async () => {
    const sharedY = sharedCopy(y);
    expect(isSharedMatrix(sharedY)).toBe(true);
    const background = model();
    await background.fit(x, sharedY, { ...twoEpochs, callbacks: changeTargetsAfterFirstEpoch(sharedY) });

    const inThread = model();
    const localY = y.clone();
    await inThread.fit(x, localY, {
      ...twoEpochs,
      background: false,
      callbacks: changeTargetsAfterFirstEpoch(localY),
    });
    expectSameState(background.stateDict(), inThread.stateDict());
  });

  it('is copied once, as it was when fit was called, otherwise', async () => {
    const localY = y.clone();
    expect(isSharedMatrix(localY)).toBe(false);
    const background = model();
    await background.fit(x, localY, { ...twoEpochs, callbacks: changeTargetsAfterFirstEpoch(localY) });
    expect(localY.data[0]).toBe(-y.data[0]);

    const unchanged = model();
    await unchanged.fit(x, y, { ...twoEpochs, background: false });
    expectSameState(background.stateDict(), unchanged.stateDict());
  });

  it('sharedMatrix makes a zeroed matrix over a SharedArrayBuffer', () => {
    const m = sharedMatrix(3, 4);
    expect(m.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([m.rows, m.cols, m.data.length]).toEqual([3, 4, 12]);
    expect(m.data.every((v) => v === 0)).toBe(true);
    expect(() => sharedMatrix(-1, 2)).toThrow(RangeError);
  });
});

describe('configureTraining', () => {
  it('checks its options before changing anything', () => {
    const before = trainingConfig();
    expect(() => configureTraining({ maxWorkers: 0 })).toThrow(/^Expected an integer in \[1, 1024\] for maxWorkers/);
    expect(() => configureTraining({ blasThreads: '2' as never })).toThrow(TypeError);
    expect(() => configureTraining({ maxWorkers: 2, idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs/);
    expect(trainingConfig()).toEqual(before);
  });

  it('sets OpenBLAS threads process-wide and keeps an explicit pool size', () => {
    const before = trainingConfig();
    try {
      expect(configureTraining({ maxWorkers: 3, blasThreads: 1 })).toEqual({
        ...before,
        maxWorkers: 3,
        blasThreads: 1,
      });
      expect(getNumThreads()).toBe(1);
    } finally {
      configureTraining({ maxWorkers: before.maxWorkers });
    }
  });
});

// Schedules and EarlyStopping train the model where it trains: a background fit
// rebuilds them in its worker and copies their final states back, and a checkpoint
// carries their states, so that the background and the calling thread, and a resumed
// fit and an uninterrupted one, end bit-identical — with Dropout's masks, Adam's
// moments and gradient clipping in the same run.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  Adam,
  Dropout,
  EarlyStopping,
  type FitOptions,
  GELU,
  type History,
  Linear,
  Model,
  MSELoss,
  Random,
  ReduceLROnPlateau,
  Sequential,
  type StateDict,
  StepLR,
  Tanh,
  type TrainingCallback,
} from '../../dist/index.js';
import { problem, sameBits } from './helpers.js';

const { x, y } = problem(11, 200);
const folder = mkdtempSync(join(tmpdir(), 'blasprop-training-callbacks-'));

function network(seed: number): Sequential {
  const random = new Random(seed);
  return new Sequential(
    new Linear(6, 16, { random }),
    new Tanh(),
    new Dropout({ p: 0.2, random }),
    new Linear(16, 8, { random }),
    new GELU(),
    new Dropout({ p: 0.1, random }),
    new Linear(8, 2, { random }),
  );
}

function makeModel(seed = 1): Model {
  const net = network(seed);
  const optimizer = new Adam(net.parameters(), { lr: 0.02, amsgrad: true });
  return new Model(net, { loss: new MSELoss(), optimizer, metrics: ['mae', 'rmse', 'r2'], seed: 4 });
}

type Schedule = 'step' | 'plateau';

/** A schedule of the model's optimizer and an EarlyStopping that stops some runs early. */
function trainingCallbacks(model: Model, schedule: Schedule, stopping: ConstructorParameters<typeof EarlyStopping>[0]) {
  const first =
    schedule === 'step'
      ? new StepLR(model.optimizer, { stepSize: 2, gamma: 0.5 })
      : new ReduceLROnPlateau(model.optimizer, { patience: 0, factor: 0.5, threshold: 0.3 });
  return [first, new EarlyStopping(stopping)] as const;
}

const options: FitOptions = { epochs: 8, batchSize: 16, validationSplit: 0.2, clipNorm: 0.5, seed: 9 };

function expectSameWeights(a: StateDict, b: StateDict): void {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const key of Object.keys(a)) expect(sameBits(a[key], b[key]), key).toBe(true);
}

function statesOf(callbacks: readonly TrainingCallback[]) {
  return callbacks.map((c) => c.state());
}

async function run(background: boolean, schedule: Schedule, stopping = { patience: 2, restoreBestWeights: true }) {
  const model = makeModel();
  const callbacks = trainingCallbacks(model, schedule, stopping);
  const history = await model.fit(x, y, { ...options, background, callbacks: [...callbacks] });
  return { model, callbacks, history };
}

describe('schedules and EarlyStopping, on the calling thread and in the background', () => {
  for (const schedule of ['step', 'plateau'] as const) {
    it(`train bit-identically (${schedule === 'step' ? 'StepLR' : 'ReduceLROnPlateau'}, EarlyStopping, Dropout, Adam, clipping)`, async () => {
      const here = await run(false, schedule);
      const there = await run(true, schedule);
      expect(there.history).toEqual(here.history);
      expectSameWeights(there.model.stateDict(), here.model.stateDict());
      expect(there.model.optimizer.lr).toBe(here.model.optimizer.lr);
      expect(statesOf(there.callbacks)).toEqual(statesOf(here.callbacks));
      // The learning rate changed as the schedule says, and History shows it.
      const rates = here.history.history.lr;
      expect(rates.length).toBe(here.history.epoch.length);
      if (schedule === 'step') expect(rates.slice(0, 4)).toEqual([0.02, 0.02, 0.01, 0.01]);
      else expect(new Set(rates).size).toBeGreaterThan(1);
    });
  }

  it('hand the caller’s EarlyStopping its final state: the stopped and the best epoch', async () => {
    const stopping = { patience: 0, minDelta: 1e9, restoreBestWeights: true };
    for (const background of [false, true]) {
      const { callbacks, history, model } = await run(background, 'step', stopping);
      const early = callbacks[1];
      // Nothing improves by 1e9 after the first epoch, and patience 0 stops at the second.
      expect(history.epoch).toEqual([0, 1]);
      expect([early.stoppedEpoch, early.bestEpoch, early.best]).toEqual([1, 0, history.history.valLoss[0]]);
      // The first epoch's weights are back, so the validation loss is the first epoch's again.
      expect(model.evaluate(x.rowRange(160, 200), y.rowRange(160, 200)).loss).toBe(history.history.valLoss[0]);
    }
  });
});

describe('checkpoints of fits with schedules and EarlyStopping', () => {
  /** Fits until the 0-based epoch `stopAfter` has been saved, then stops as a crash would. */
  async function interrupted(path: string, background: boolean, schedule: Schedule, stopAfter: number) {
    const model = makeModel();
    const controller = new AbortController();
    const callbacks = trainingCallbacks(model, schedule, { patience: 3 });
    const error = await model
      .fit(x, y, {
        ...options,
        background,
        checkpoint: { path },
        signal: controller.signal,
        callbacks: [...callbacks, { onEpochEnd: (epoch: number) => void (epoch === stopAfter && controller.abort()) }],
      })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  }

  const modes: [string, boolean, boolean][] = [
    ['on the calling thread', false, false],
    ['in the background', true, true],
    ['written in the background, resumed on the calling thread', true, false],
  ];
  for (const schedule of ['step', 'plateau'] as const) {
    modes.forEach(([what, writeInBackground, resumeInBackground], i) => {
      it(`resume bit-identically to an uninterrupted fit (${schedule}): ${what}`, async () => {
        const uninterrupted = makeModel();
        const fullCallbacks = trainingCallbacks(uninterrupted, schedule, { patience: 3 });
        const full = await uninterrupted.fit(x, y, {
          ...options,
          background: resumeInBackground,
          callbacks: [...fullCallbacks],
        });
        const path = join(folder, `resume-${schedule}-${i}.blasprop`);
        await interrupted(path, writeInBackground, schedule, 2);

        const restarted = makeModel(99);
        const callbacks = trainingCallbacks(restarted, schedule, { patience: 3 });
        const rest = await restarted.fit(x, y, {
          ...options,
          background: resumeInBackground,
          resume: path,
          callbacks: [...callbacks],
        });
        expect(rest.epoch).toEqual(full.epoch.slice(3));
        for (const key of Object.keys(full.history)) expect(rest.history[key], key).toEqual(full.history[key].slice(3));
        expectSameWeights(restarted.stateDict(), uninterrupted.stateDict());
        expect(statesOf(callbacks)).toEqual(statesOf(fullCallbacks));
      });
    });
  }

  it('saved as EarlyStopping stops, resume to no further epoch and the same best weights', async () => {
    const stopping = { patience: 0, minDelta: 1e9, restoreBestWeights: true };
    for (const background of [false, true]) {
      const path = join(folder, `stopped-${background}.blasprop`);
      const first = makeModel();
      await first.fit(x, y, {
        ...options,
        background,
        checkpoint: { path, everyEpochs: 5 },
        callbacks: [...trainingCallbacks(first, 'step', stopping)],
      });
      const again = makeModel(99);
      const callbacks = trainingCallbacks(again, 'step', stopping);
      const history: History = await again.fit(x, y, {
        ...options,
        background,
        resume: path,
        callbacks: [...callbacks],
      });
      expect(history.epoch).toEqual([]);
      expect(callbacks[1].stoppedEpoch).toBe(1);
      expectSameWeights(again.stateDict(), first.stateDict());
    }
  });

  it('refuse to resume with other training callbacks than the checkpoint’s', async () => {
    const path = join(folder, 'refused.blasprop');
    await interrupted(path, false, 'step', 1);
    const restarted = makeModel();
    const before = restarted.stateDict();
    const other = new StepLR(restarted.optimizer, { stepSize: 3, gamma: 0.5 });
    await expect(restarted.fit(x, y, { ...options, resume: path, callbacks: [other] })).rejects.toThrow(
      /for resume .*\(it holds 2\)/,
    );
    const stopping = new EarlyStopping({ patience: 3 });
    const renamed = new StepLR(restarted.optimizer, { stepSize: 3, gamma: 0.5 });
    await expect(restarted.fit(x, y, { ...options, resume: path, callbacks: [renamed, stopping] })).rejects.toThrow(
      /callbacks\[0\]\.stepSize is 3 here but 2 in the checkpoint/,
    );
    expectSameWeights(restarted.stateDict(), before);
  });
});

describe('Dropout in fit', () => {
  it('draws the same masks for the same seed, other masks for another, in either mode', async () => {
    const trained = async (seed: number, background: boolean) => {
      const model = makeModel();
      await model.fit(x, y, { epochs: 2, batchSize: 16, seed, background });
      return model.stateDict();
    };
    const a = await trained(5, false);
    expectSameWeights(await trained(5, true), a);
    expectSameWeights(await trained(5, false), a);
    const other = await trained(6, false);
    expect(sameBits(other['0.weight'], a['0.weight'])).toBe(false);
  });

  it('continuing with initialEpoch repeats the masks of an uninterrupted fit', async () => {
    const whole = makeModel();
    await whole.fit(x, y, { epochs: 4, batchSize: 16, seed: 2, background: false });
    const parts = makeModel();
    await parts.fit(x, y, { epochs: 2, batchSize: 16, seed: 2, background: false });
    await parts.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 16, seed: 2, background: true });
    expectSameWeights(parts.stateDict(), whole.stateDict());
  });

  it('is off in evaluate and predict, which give the same answer every time', () => {
    const model = makeModel();
    const first = model.predict(x).data.slice();
    model.trainStep(x.rowRange(0, 16), y.rowRange(0, 16));
    const trained = model.predict(x);
    expect(sameBits(model.predict(x).data, trained.data)).toBe(true);
    expect(sameBits(first, trained.data)).toBe(false);
    expect(model.network.training).toBe(true);
  });
});

// fit with recorded steps: runs of batches train natively (gather, step, record),
// and a fit gives what the eager fit gives, to the last bit — History, batch logs,
// weights, optimizer state — with a short last batch, validation, callbacks, aborts,
// a non-finite loss, an update that breaks the parameters (the divergence guard),
// checkpoints and resuming, and a stop flag raised by another thread mid-run.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { type BatchLogs, type FitOptions, type History, Matrix, type Model, Random } from '../../dist/index.js';
import { fitInThread } from '../../dist/model/fit/in-thread.js';
import { type ModelSpec, model, randomMatrix, replayed, stateBits } from '../helpers/recordable-parts.js';

const random = new Random(9);

function dataSet(rows: number, inputs: number, outputs: number) {
  return { x: randomMatrix(random, rows, inputs), y: randomMatrix(random, rows, outputs) };
}

interface Outcome {
  history?: History;
  error?: unknown;
  batchLogs: [number, BatchLogs][];
  state: Record<string, number[]>;
  replayed: number;
}

async function fitAndRecord(
  m: Model,
  x: Matrix,
  y: Matrix,
  options: FitOptions,
  withBatchLogs: boolean,
): Promise<Outcome> {
  const batchLogs: [number, BatchLogs][] = [];
  const callbacks = withBatchLogs
    ? [options.callbacks ?? {}, { onBatchEnd: (batch: number, logs: BatchLogs) => batchLogs.push([batch, logs]) }]
    : options.callbacks;
  const outcome: Outcome = { batchLogs, state: {}, replayed: 0 };
  try {
    outcome.history = await m.fit(x, y, { background: false, ...options, callbacks });
  } catch (error) {
    outcome.error = error;
  }
  outcome.state = stateBits(m);
  outcome.replayed = replayed(m);
  return outcome;
}

/** Fits a recordable model and its eager twin alike; expects the same outcome, and the first to have replayed. */
async function expectTwinFits(
  spec: ModelSpec,
  data: { x: Matrix; y: Matrix },
  options: (m: Model) => FitOptions,
  { withBatchLogs = false, replays = true, prepare = (_: Model) => {} } = {},
): Promise<Outcome> {
  const planned = model(spec);
  const eager = model(spec, true);
  prepare(planned);
  prepare(eager);
  const ours = await fitAndRecord(planned, data.x, data.y, options(planned), withBatchLogs);
  const theirs = await fitAndRecord(eager, data.x, data.y, options(eager), withBatchLogs);
  expect(ours.history).toEqual(theirs.history);
  expect(String(ours.error)).toEqual(String(theirs.error));
  expect({ ...(ours.error as object) }).toEqual({ ...(theirs.error as object) });
  expect(ours.batchLogs).toEqual(theirs.batchLogs);
  expect(ours.state).toEqual(theirs.state);
  expect(theirs.replayed).toBe(0);
  if (replays) expect(ours.replayed).toBeGreaterThan(0);
  return ours;
}

describe('fit with recorded steps', () => {
  for (const batchSize of [1, 7, 32]) {
    for (const widths of [
      [5, 2],
      [5, 12, 2],
      [5, 12, 6, 3, 2],
    ]) {
      it(`matches eager: batch ${batchSize}, ${widths.length - 1} Linear layer(s), a short last batch, validation`, async () => {
        const data = dataSet(batchSize === 1 ? 150 : 613, widths[0], widths.at(-1)!);
        await expectTwinFits({ widths, sgd: { momentum: 0.8, lr: 0.005 } }, data, () => ({
          epochs: 3,
          batchSize,
          validationSplit: 0.1,
        }));
      });
    }
  }

  it('matches eager in runs that cross snapshot points, with validationData and any yieldEvery', async () => {
    const data = dataSet(2000, 4, 1);
    const validationData = [randomMatrix(random, 50, 4), randomMatrix(random, 50, 1)] as const;
    for (const yieldEvery of [0, 1, 10, 1e9]) {
      await expectTwinFits({ widths: [4, 8, 1], sgd: { weightDecay: 0.01 } }, data, () => ({
        epochs: 2,
        batchSize: 7,
        validationData,
        yieldEvery,
        shuffle: yieldEvery !== 1,
      }));
    }
  });

  it('hands every batch’s logs to onBatchEnd, each before the next batch trains, so that a callback may change the model', async () => {
    const data = dataSet(300, 3, 2);
    const ours = await expectTwinFits(
      { widths: [3, 6, 2], reduction: 'sum' },
      data,
      (m) => ({
        epochs: 2,
        batchSize: 16,
        callbacks: {
          onBatchEnd(batch: number) {
            m.optimizer.lr = 0.001 * (1 + (batch % 5));
          },
        },
      }),
      { withBatchLogs: true },
    );
    expect(ours.batchLogs.map(([batch]) => batch)).toEqual([...Array(19).keys(), ...Array(19).keys()]);
    expect(ours.batchLogs.every(([, logs]) => Number.isFinite(logs.loss) && logs.size > 0)).toBe(true);
  });

  it('stops on stopTraining and on an abort mid-epoch with the weights of the last step taken', async () => {
    const data = dataSet(400, 3, 1);
    await expectTwinFits({ widths: [3, 5, 1] }, data, (m) => ({
      epochs: 3,
      batchSize: 8,
      callbacks: {
        onBatchEnd(batch: number) {
          if (batch === 17) m.stopTraining = true;
        },
      },
    }));
    const ours = await expectTwinFits({ widths: [3, 5, 1] }, data, () => {
      const controller = new AbortController();
      return {
        epochs: 3,
        batchSize: 8,
        signal: controller.signal,
        callbacks: {
          onBatchEnd(batch: number, logs: BatchLogs) {
            if (logs.epoch === 1 && batch === 30) controller.abort();
          },
        },
      };
    });
    expect((ours.error as Error).name).toBe('AbortError');
  });

  it('stops at a batch whose loss is not finite, mid-run, with the weights from before it', async () => {
    const data = dataSet(700, 3, 1);
    // Row 500 overflows the forward pass: batch 62 of the unshuffled second epoch... and of the first.
    data.x.data.fill(1e200, 500 * 3, 501 * 3);
    const ours = await expectTwinFits({ widths: [3, 4, 1] }, data, () => ({ epochs: 2, batchSize: 8, shuffle: false }));
    expect(ours.error).toMatchObject({ name: 'TrainingDivergedError', epoch: 0, batch: 62, loss: Infinity });
  });

  it('finds, natively as eagerly, the update that made the parameters non-finite', async () => {
    const data = dataSet(800, 3, 1);
    // Targets of 0 keep the weights near their start, 1e-10, where row 400 (batch 50)
    // keeps its loss finite, about 1e304, but overflows its weight gradient: the
    // update makes the weights infinite, and the next batch's loss tells.
    data.y.data.fill(0);
    data.x.data.fill(1e162, 400 * 3, 401 * 3);
    const ours = await expectTwinFits(
      { widths: [3, 1], sgd: { lr: 1e-3 } },
      data,
      () => ({ epochs: 1, batchSize: 8, shuffle: false }),
      {
        prepare: (m) => {
          m.network.namedParameters()[0][1].value.data.fill(1e-10);
        },
      },
    );
    expect(ours.error).toMatchObject({ name: 'TrainingDivergedError', epoch: 0, batch: 50, parameter: '0.weight' });
    expect(Number.isFinite((ours.error as { loss: number }).loss)).toBe(true);
  });

  it('checkpoints and resumes bit for bit', async () => {
    const data = dataSet(500, 4, 2);
    const folder = mkdtempSync(join(tmpdir(), 'blasprop-plans-'));
    const spec = { widths: [4, 9, 2], sgd: { momentum: 0.9 } };
    const whole = await expectTwinFits(spec, data, () => ({ epochs: 4, batchSize: 16 }));
    for (const eager of [false, true]) {
      const path = join(folder, `checkpoint-${eager}.blasprop`);
      const first = model(spec, eager);
      await first.fit(data.x, data.y, { epochs: 2, batchSize: 16, background: false, checkpoint: { path } });
      const resumed = model(spec, eager);
      const history = await resumed.fit(data.x, data.y, { epochs: 4, batchSize: 16, background: false, resume: path });
      expect(history.epoch).toEqual([2, 3]);
      expect(history.history.loss).toEqual(whole.history!.history.loss.slice(2));
      expect(stateBits(resumed)).toEqual(whole.state);
    }
  });

  it('replays with metrics, the mae kernel adding each batch’s sums natively', async () => {
    const data = dataSet(200, 3, 1);
    const ours = await expectTwinFits(
      { widths: [3, 4, 1], metrics: ['mae'] },
      data,
      () => ({ epochs: 2, batchSize: 10, validationSplit: 0.2 }),
      { withBatchLogs: true },
    );
    expect(ours.history!.history.mae).toHaveLength(2);
    expect(ours.batchLogs[0][1]).toHaveProperty('mae');
  });

  it('keeps the recording with metrics from one fit to the next: a later fit replays from its first batch', async () => {
    const data = dataSet(200, 3, 1);
    const spec = { widths: [3, 4, 1], metrics: ['mae'] };
    const planned = model(spec);
    const eager = model(spec, true);
    const options = { epochs: 1, batchSize: 10, background: false } as const;
    const replays: number[] = [];
    for (let fit = 0; fit < 3; fit++) {
      const ours = await planned.fit(data.x, data.y, options);
      const theirs = await eager.fit(data.x, data.y, options);
      expect(ours).toEqual(theirs);
      expect(stateBits(planned)).toEqual(stateBits(eager));
      replays.push(replayed(planned));
    }
    // 20 batches a fit: the first fit records its first step, the later ones record none.
    expect(replays).toEqual([19, 39, 59]);
    expect(replayed(eager)).toBe(0);
  });

  it('gives fits of one model running at once metric sums of their own', async () => {
    const data = dataSet(200, 3, 1);
    const m = model({ widths: [3, 4, 1], metrics: ['mae'] });
    const fitAndLog = async () => {
      const sizes: number[] = [];
      const maes: number[] = [];
      // onBatchEnd is awaited, so the two fits take turns batch by batch.
      const history = await m.fit(data.x, data.y, {
        epochs: 2,
        batchSize: 30,
        background: false,
        callbacks: {
          onBatchEnd: (_batch: number, logs: BatchLogs) => {
            sizes.push(logs.size);
            maes.push(logs.mae);
          },
        },
      });
      return { history, sizes, maes };
    };
    // The first fit leaves its sums to the next, which only one of two fits at once may take.
    await fitAndLog();
    const both = await Promise.all([fitAndLog(), fitAndLog()]);
    for (const { history, sizes, maes } of both) {
      // An epoch's mae is the mean of its batches' maes weighted by their rows (a
      // different order of the same additions: a few ulps apart at most).
      const perEpoch = sizes.length / 2;
      for (let epoch = 0; epoch < 2; epoch++) {
        const batches = [...Array(perEpoch).keys()].map((b) => epoch * perEpoch + b);
        const rows = batches.reduce((total, b) => total + sizes[b], 0);
        const expected = batches.reduce((total, b) => total + maes[b] * sizes[b], 0) / rows;
        expect(history.history.mae[epoch]).toBeCloseTo(expected, 12);
      }
    }
  });

  it('stops between two batches, mid-run, when another thread raises the stop flag', async () => {
    const data = dataSet(4000, 4, 1);
    const spec = { widths: [4, 6, 1] };
    const planned = model(spec);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const controller = new AbortController();
    let trained = 0;
    // The flag goes up while the thread is inside a run of native batches (yieldEvery
    // is too long to leave it): nothing of JavaScript runs until the run ends.
    const raiser = new Worker(
      `const { workerData } = require('node:worker_threads');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
       Atomics.store(workerData, 0, 1);`,
      { eval: true, workerData: flag },
    );
    let error: unknown;
    try {
      await fitInThread(
        planned,
        data.x,
        data.y,
        {
          epochs: 1000,
          batchSize: 4,
          yieldEvery: 1e9,
          signal: controller.signal,
          callbacks: {
            onBatchEnd: () => {
              trained++;
            },
          },
        },
        { stop: { flag, onStopRequest: () => controller.abort() }, bundledBatchLogs: true },
      );
    } catch (caught) {
      error = caught;
    }
    await raiser.terminate();
    expect((error as Error).name).toBe('AbortError');
    expect(trained).toBeGreaterThan(0);
    expect(replayed(planned)).toBeGreaterThan(0);
    // The eager twin, stopped after the same number of batches, holds the same weights.
    const eager = model(spec, true);
    const stop = new AbortController();
    let seen = 0;
    await expect(
      eager.fit(data.x, data.y, {
        epochs: 1000,
        batchSize: 4,
        background: false,
        signal: stop.signal,
        callbacks: {
          onBatchEnd: () => {
            if (++seen === trained) stop.abort();
          },
        },
      }),
    ).rejects.toThrow(/aborted/);
    expect(stateBits(planned)).toEqual(stateBits(eager));
  });
});

describe('Matrix data of a fit', () => {
  it('is checked before every run: detached during a fit, an error naming it, the weights of the last step', async () => {
    const data = dataSet(100, 3, 1);
    const x = new Matrix(100, 3, data.x.data.slice());
    const m = model({ widths: [3, 1] });
    let error: unknown;
    try {
      await m.fit(x, data.y, {
        epochs: 2,
        batchSize: 10,
        background: false,
        callbacks: {
          onEpochEnd() {
            structuredClone(x.data.buffer, { transfer: [x.data.buffer] });
          },
        },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/^Expected a Matrix whose data holds its 100 × 3 = 300 values for x/);
  });
});

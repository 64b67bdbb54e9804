import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { type FitOptions, ModelFileError, TrainingDivergedError, TwoLayerRegressor } from '../../dist/index.js';
import { expectSameState, model, outcome, problem } from './helpers.js';

const { x, y } = problem(3, 200);
const good = { epochs: 2, batchSize: 20, lr: 0.01 };
const folder = mkdtempSync(join(tmpdir(), 'blasprop-errors-'));

/** Runs the same fit in both modes and returns how each one failed. */
async function bothModes(make: () => TwoLayerRegressor, data: { x: unknown; y: unknown }, options: FitOptions) {
  const settle = (background: boolean) =>
    outcome(make().fit(data.x as never, data.y as never, { ...options, background }));
  return { inThread: await settle(false), background: await settle(true) };
}

describe('a background fit fails like a fit on the calling thread', () => {
  const nanX = x.clone();
  nanX.data[13] = Number.NaN;
  const cases: [string, { x: unknown; y: unknown }, FitOptions, ErrorConstructor | typeof DOMException][] = [
    ['a non-integer batch size', { x, y }, { ...good, batchSize: 2.5 }, RangeError],
    ['a shuffle that is not a boolean', { x, y }, { ...good, shuffle: 'yes' as never }, TypeError],
    ['x that is not a Matrix', { x: [[1, 2]], y }, good, TypeError],
    ['NaN in the data (found by the worker)', { x: nanX, y }, good, RangeError],
    ['a checkpoint without a path', { x, y }, { ...good, checkpoint: {} as never }, TypeError],
    ['resume together with initialEpoch', { x, y }, { ...good, resume: 'a', initialEpoch: 1 }, RangeError],
    ['a checkpoint that does not exist', { x, y }, { ...good, resume: join(folder, 'missing') }, ModelFileError],
    ['an already aborted signal', { x, y }, { ...good, signal: AbortSignal.abort() }, DOMException],
  ];
  for (const [what, data, options, type] of cases) {
    it(`on ${what}`, async () => {
      const { inThread, background } = await bothModes(() => model(), data, options);
      expect(inThread.settled).toBe('rejected');
      expect(inThread.class).toBe(type);
      expect(background).toEqual(inThread);
    });
  }

  it('on divergence: TrainingDivergedError with the same epoch, batch and loss, keeping the last finite weights', async () => {
    const diverging = () =>
      new TwoLayerRegressor({ inputSize: 6, hiddenSize: 64, outputSize: 2, reduction: 'sum', init: 'post' });
    const options = { epochs: 5, batchSize: 50, lr: 0.05 };
    const inThread = diverging();
    const expected = await outcome(inThread.fit(x, y, { ...options, background: false }));
    const background = diverging();
    const actual = await outcome(background.fit(x, y, options));
    expect(expected.class).toBe(TrainingDivergedError);
    expect(expected.fields.epoch).toBeTypeOf('number');
    expect(actual).toEqual(expected);
    expectSameState(background.stateDict(), inThread.stateDict());
  });

  it('on a checkpoint folder that does not exist: the file system error, with its code', async () => {
    const options = { ...good, checkpoint: { path: join(folder, 'no-such-folder', 'c.blasprop') } };
    const failure = (background: boolean) =>
      model()
        .fit(x, y, { ...options, background })
        .catch((e: NodeJS.ErrnoException) => e);
    for (const error of [await failure(false), await failure(true)]) {
      expect(error.constructor).toBe(Error);
      expect(error.code).toBe('ENOENT');
      expect(error.message).toMatch(
        /^Cannot write \S*no-such-folder\/c\.blasprop: the directory \S*no-such-folder does not exist/,
      );
    }
  });

  it('with the error a callback throws, after putting back the weights trained so far', async () => {
    const m = model();
    const before = m.stateDict();
    const thrown = new Error('stop here');
    const error = await m
      .fit(x, y, {
        ...good,
        callbacks: {
          onEpochEnd: () => {
            throw thrown;
          },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBe(thrown);
    const oneEpoch = model();
    await oneEpoch.fit(x, y, { ...good, epochs: 1, background: false });
    expectSameState(m.stateDict(), oneEpoch.stateDict());
    expect(m.stateDict().W1).not.toEqual(before.W1);
  });
});

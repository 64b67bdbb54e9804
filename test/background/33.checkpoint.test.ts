import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ModelFileError, TwoLayerRegressor } from '../../dist/index.js';
import { loadModel } from '../../dist/model/file/index.js';
import { expectSameState, model, problem } from './helpers.js';

const { x, y } = problem(6, 240);
const options = { epochs: 5, batchSize: 16, lr: 0.02, validationSplit: 0.1, seed: 3 };
const folder = mkdtempSync(join(tmpdir(), 'blasprop-checkpoints-'));

/** Starts a fit that writes checkpoints and is stopped after the 0-based `stopAfter` epoch, as by a crash. */
async function interruptedFit(path: string, background: boolean, stopAfter: number, everyEpochs = 1) {
  const controller = new AbortController();
  const error = await model(1)
    .fit(x, y, {
      ...options,
      background,
      checkpoint: { path, everyEpochs },
      signal: controller.signal,
      callbacks: { onEpochEnd: (epoch) => void (epoch === stopAfter && controller.abort()) },
    })
    .catch((e: unknown) => e);
  expect((error as Error).name).toBe('AbortError');
}

describe('checkpoints', () => {
  const modes: [string, boolean, boolean][] = [
    ['in the background', true, true],
    ['on the calling thread', false, false],
    ['written in the background, resumed on the calling thread', true, false],
  ];
  modes.forEach(([what, writeInBackground, resumeInBackground], i) => {
    it(`resume bit-identically to an uninterrupted fit: ${what}`, async () => {
      const uninterrupted = model(1);
      const full = await uninterrupted.fit(x, y, { ...options, background: resumeInBackground });
      const path = join(folder, `resume-${i}.blasprop`);
      await interruptedFit(path, writeInBackground, 1);

      // A fresh model, as after a restart: its own initial weights are replaced.
      const restarted = model(99);
      const rest = await restarted.fit(x, y, { ...options, background: resumeInBackground, resume: path });
      expect(rest.epoch).toEqual([2, 3, 4]);
      expect(rest.history.loss).toEqual(full.history.loss.slice(2));
      expect(rest.history.valLoss).toEqual(full.history.valLoss.slice(2));
      expectSameState(restarted.stateDict(), uninterrupted.stateDict());
    });
  });

  it('are model files holding the weights after the last saved epoch, written every everyEpochs', async () => {
    const path = join(folder, 'every-2.blasprop');
    await interruptedFit(path, true, 2, 2);
    const saved = await TwoLayerRegressor.load(path);
    expect((await loadModel(path)).fit).toMatchObject({ epochsCompleted: 2, seed: 3, batchSize: 16 });
    const twoEpochs = model(1);
    await twoEpochs.fit(x, y, { ...options, epochs: 2, background: false });
    expectSameState(saved.stateDict(), twoEpochs.stateDict());
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuse to resume a different fit or model', async () => {
    const path = join(folder, 'refuse.blasprop');
    await interruptedFit(path, false, 2);
    const plain = join(folder, 'plain.blasprop');
    await model(1).save(plain);
    const resume = (m: TwoLayerRegressor, changes: object) => m.fit(x, y, { ...options, resume: path, ...changes });
    await expect(resume(model(1), { batchSize: 32 })).rejects.toThrow(/batchSize 32 for resume .*batchSize 16/);
    await expect(resume(model(1), { seed: 4 })).rejects.toThrow(RangeError);
    await expect(resume(model(1), { epochs: 2 })).rejects.toThrow(/for epochs/);
    const wider = new TwoLayerRegressor({ inputSize: 6, hiddenSize: 25, outputSize: 2 });
    await expect(resume(wider, {})).rejects.toThrow(
      /network.layers\[0\].outFeatures is 25 here but 24 in the checkpoint/,
    );
    await expect(resume(model(1), { resume: plain })).rejects.toThrow(ModelFileError);
    await expect(resume(model(1), { resume: plain })).rejects.toThrow(/not a checkpoint/);
  });
});

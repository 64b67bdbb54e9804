// What a fit promises whatever happens around it: it trains on the data as it was
// when fit was called, an abort wins over a callback that never settles, and an
// update that makes the parameters non-finite is undone and reported the same way in
// both modes, never saved into a checkpoint.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { Matrix, Model, TrainingDivergedError, type TwoLayerRegressor } from '../../dist/index.js';
import { expectSameState, model, outcome, problem } from './helpers.js';

const folder = mkdtempSync(join(tmpdir(), 'blasprop-guarantees-'));
const options = { epochs: 3, batchSize: 16, lr: 0.02, seed: 4 };

/** A copy of a problem's matrices in fresh, non-shared memory. */
function copies(rows: number) {
  const { x, y } = problem(9, rows);
  return { x: x.clone(), y: y.clone() };
}

describe('a background fit trains on the data as it was when fit was called', () => {
  it('whatever is written to the arrays once fit has returned', async () => {
    const expected = model(2);
    const { x, y } = copies(300);
    await expected.fit(x, y, { ...options, background: false });
    const trained = model(2);
    const running = trained.fit(x, y, options);
    x.data.fill(0);
    y.data.fill(0);
    await running;
    expectSameState(trained.stateDict(), expected.stateDict());
  });

  it('even if the arrays are detached or their buffer shrinks right after the call', async () => {
    const expected = model(3);
    const original = copies(200);
    await expected.fit(original.x, original.y, { ...options, background: false });

    const detachable = copies(200);
    const detached = model(3);
    const running = detached.fit(detachable.x, detachable.y, options);
    structuredClone(detachable.x.data.buffer, { transfer: [detachable.x.data.buffer as ArrayBuffer] });
    await running;
    expectSameState(detached.stateDict(), expected.stateDict());

    const buffer = new ArrayBuffer(200 * 2 * 8, { maxByteLength: 200 * 2 * 8 });
    const y = new Matrix(200, 2, new Float64Array(buffer));
    y.data.set(original.y.data);
    const shrunk = model(3);
    const shrinking = shrunk.fit(original.x, y, options);
    (buffer as ArrayBuffer & { resize(length: number): void }).resize(8);
    await shrinking;
    expectSameState(shrunk.stateDict(), expected.stateDict());
  });

  it('and refuses detached or shrunk data before it starts with the same error in both modes', async () => {
    const { x, y } = copies(100);
    structuredClone(y.data.buffer, { transfer: [y.data.buffer as ArrayBuffer] });
    const results = [];
    for (const background of [false, true]) results.push(await outcome(model(1).fit(x, y, { ...options, background })));
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({
      class: RangeError,
      message: expect.stringMatching(/for y but received Matrix object \(its buffer is detached or was shrunk\)/),
    });
  });
});

describe('abort wins over a callback that never settles', () => {
  const neverSettles = fileURLToPath(new URL('./fixtures/never-settling-callback.mjs', import.meta.url));
  for (const mode of ['background', 'foreground']) {
    it(`${mode}: the fit rejects with an AbortError and the process can exit`, () => {
      const run = spawnSync(process.execPath, [neverSettles, mode], { encoding: 'utf8', timeout: 30_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ settled: 'rejected', name: 'AbortError', finite: true });
    });
  }
});

describe('an update that makes the parameters non-finite', () => {
  it('is undone and reported with its epoch, batch and parameter, identically in both modes', async () => {
    const { x, y } = problem(5, 64);
    const results = [];
    for (const background of [false, true]) {
      const m = model(7);
      const initial = m.stateDict();
      // One full batch per epoch: the update overflows and no later loss shows it.
      const result = await outcome(m.fit(x, y, { epochs: 1, batchSize: 64, lr: 1e308, background }));
      expectSameState(m.stateDict(), initial);
      results.push(result);
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({ class: TrainingDivergedError, fields: { epoch: 0, batch: 0 } });
    expect(results[0].message).toMatch(/at epoch 1, batch 1: an update made parameter \d\.(weight|bias) non-finite/);
  });

  it('mid-epoch: keeps the weights from before the batch whose update broke them', async () => {
    const { x, y } = problem(5, 160);
    // Targets far from the initial predictions give gradients above 1, which the
    // largest learning rate turns into an infinite step.
    for (let i = 0; i < y.data.length; i++) y.data[i] *= 1000;
    const m = model(8);
    let before: ReturnType<TwoLayerRegressor['stateDict']> | undefined;
    const result = await outcome(
      m.fit(x, y, {
        ...options,
        background: false,
        callbacks: {
          onBatchEnd(batch) {
            // Batch 5 (index 4) is the first to train with the learning rate that overflows.
            if (batch === 3) {
              m.optimizer.lr = Number.MAX_VALUE;
              before = m.stateDict();
            }
          },
        },
      }),
    );
    expect(result).toMatchObject({ class: TrainingDivergedError, fields: { epoch: 0, batch: 4 } });
    expect(result.message).toMatch(
      /an update made parameter .* non-finite .* keeps the weights it had before that batch/,
    );
    expectSameState(m.stateDict(), before!);
  });

  it('never reaches a checkpoint: the last one holds finite weights and resumes', async () => {
    const { x, y } = problem(6, 96);
    const path = join(folder, 'diverged.blasprop');
    const m = model(9);
    const result = await outcome(
      m.fit(x, y, {
        ...options,
        background: false,
        checkpoint: { path },
        callbacks: {
          onEpochEnd(epoch) {
            if (epoch === 0) m.optimizer.lr = 1e308;
          },
        },
      }),
    );
    expect(result).toMatchObject({ class: TrainingDivergedError, fields: { epoch: 1 } });
    const saved = await Model.load(path);
    expect(Object.values(saved.stateDict()).every((v) => v.every(Number.isFinite))).toBe(true);
    const resumed = model(9);
    await resumed.fit(x, y, { ...options, background: false, resume: path });
    const uninterrupted = model(9);
    await uninterrupted.fit(x, y, { ...options, background: false });
    expectSameState(resumed.stateDict(), uninterrupted.stateDict());
  });
});

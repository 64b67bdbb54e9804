// The C loop in both precisions and the floor each row is measured against: a float32
// row is held to the C loop built for float, a float64 row to the double one. If the
// float32 build quietly ran in double, or a report divided by the wrong floor, every
// float32 ratio published would be wrong.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { FIT_CONFIGS, TRAINING } from '../../bench/fit/configs.js';
import { readFitProblem, writeFitProblem } from '../../bench/fit/data.js';
import { create as createRegressorFitF32 } from '../../bench/fit/node/blasprop-regressor-f32.js';
import { PEERS as FIT_PEERS, locatePeers as locateFitPeers } from '../../bench/fit/peers.js';
import { FitReport, keyOf as fitKey } from '../../bench/fit/report.js';
import { LOSS_TOLERANCE, lossDeviation } from '../../bench/lib/agreement.mjs';
import { compileEachPrecision } from '../../bench/lib/compile.mjs';
import { C_FLOORS, floorOf, isFloor, peersToRun } from '../../bench/lib/floors.mjs';
import { Results } from '../../bench/lib/session.mjs';
import { summaryMarkdown } from '../../bench/lib/summary.mjs';
import { readProblem, writeProblem } from '../../bench/train-step/data.js';
import { create as createRegressorStep } from '../../bench/train-step/node/blasprop-regressor.js';
import { locatePeers as locateStepPeers, PEERS as STEP_PEERS } from '../../bench/train-step/peers.js';
import { keyOf as stepKey, TrainStepReport } from '../../bench/train-step/report.js';
import { SIZES } from '../../bench/train-step/sizes.js';

const scratch = mkdtempSync(join(tmpdir(), 'blasprop-floors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Peer = { id: string; precision: string; label: string };

/** Runs a compiled C peer once (no warm-up, one block of one call) and returns its result line. */
function runOnce(binary: string, args: string[]) {
  const out = execFileSync(binary, [...args, '--warmup-ms', '0', '--block-ms', '0', '--blocks', '1'], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  return JSON.parse(out.slice(out.indexOf('{')));
}

const peerById = (peers: Peer[], id: string) => {
  const peer = peers.find((p) => p.id === id);
  if (!peer) throw new Error(`no peer ${id}`);
  return peer;
};

describe('the floor of each precision', () => {
  it('names the C loop of the peer’s precision, and refuses a peer of no known precision', () => {
    expect(floorOf({ id: 'x', precision: 'f64' })).toBe('c-loop');
    expect(floorOf({ id: 'x', precision: 'f32' })).toBe('c-loop-f32');
    expect(() => floorOf({ id: 'x', precision: 'f16' })).toThrow(/peer x has no known precision \(f16\)/);
    expect(() => floorOf({ id: 'y' })).toThrow(/peer y/);
    expect([isFloor('c-loop'), isFloor('c-loop-f32'), isFloor('c-fused-f32'), isFloor('blasprop-model')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('has a float32 C loop peer for every floor in both benchmarks, each of its own precision', () => {
    for (const peers of [FIT_PEERS, STEP_PEERS] as Peer[][]) {
      for (const [precision, id] of Object.entries(C_FLOORS)) expect(peerById(peers, id).precision).toBe(precision);
      expect(peerById(peers, 'c-fused-f32').precision).toBe('f32');
      // Every float32 row has a floor to be measured against.
      for (const peer of peers) expect(peers.some((p) => p.id === floorOf(peer))).toBe(true);
    }
  });

  it('runs the floor of each selected peer’s precision and the float64 loop the losses are checked against', () => {
    const ids = (selected?: string[]) => peersToRun(STEP_PEERS, selected && new Set(selected)).map((p: Peer) => p.id);
    expect(ids(['blasprop-regressor'])).toEqual(['c-loop', 'blasprop-regressor']);
    expect(ids(['blasprop-regressor-f32', 'tfjs-wasm'])).toEqual([
      'c-loop',
      'c-loop-f32',
      'blasprop-regressor-f32',
      'tfjs-wasm',
    ]);
    expect(ids(['c-fused-f32'])).toEqual(['c-loop', 'c-loop-f32', 'c-fused-f32']);
    expect(ids()).toHaveLength(STEP_PEERS.length);
    expect(() => ids(['blasprop-regressor', 'c-loop-f16'])).toThrow(/unknown peer c-loop-f16/);
  });

  it('starts each C peer from the build of its precision, and skips it when that build failed', () => {
    const built = { f64: '/build/loop', f32: '/build/loop_f32' };
    for (const located of [locateFitPeers(built), locateStepPeers(built)]) {
      expect(located['c-loop']).toEqual({ command: '/build/loop', args: [] });
      expect(located['c-loop-f32']).toEqual({ command: '/build/loop_f32', args: [] });
      expect(located['c-fused-f32']).toEqual({ command: '/build/loop_f32', args: ['--fused', '1'] });
    }
    const broken = { f64: '/build/loop', f32: new Error('no sgemm') };
    for (const located of [locateFitPeers(broken), locateStepPeers(broken)]) {
      expect(located['c-fused'].command).toBe('/build/loop');
      expect(located['c-loop-f32'].skip).toMatch(/could not compile: no sgemm/);
    }
  });
});

describe('the C loop built for float32', () => {
  const step = compileEachPrecision('train_step-test', ['bench/train-step/c/train_step.c']);
  const fit = compileEachPrecision('fit_loop-test', ['bench/fit/c/fit_loop.c']);

  it('builds both precisions from one source and says which each is', () => {
    expect(step.f64).not.toBeInstanceOf(Error);
    expect(step.f32).not.toBeInstanceOf(Error);
    expect(step.f32).not.toBe(step.f64);
    const path = writeProblem(SIZES.XS, scratch);
    expect(runOnce(step.f64, ['--data', path]).precision).toBe('f64');
    expect(runOnce(step.f32, ['--data', path]).precision).toBe('f32');
  });

  it('takes the steps of blasprop’s float32 model on the data rounded to float32, fused or not', async () => {
    for (const size of [SIZES.XS, SIZES.S]) {
      const path = writeProblem(size, scratch);
      const { step: f32Step } = await createRegressorStep(readProblem(path), { threads: 1, form: 'float32' });
      const blasprop = [f32Step(), f32Step(), f32Step()];
      const double = runOnce(step.f64, ['--data', path, '--check-steps', '3']).checkLosses;
      for (const fused of ['0', '1']) {
        const single = runOnce(step.f32, ['--data', path, '--check-steps', '3', '--fused', fused]).checkLosses;
        // The same float32 GEMMs on the same float32 numbers, the loss summed in double:
        // only the order of a few float32 additions differs (about 1e-7 relative per
        // step, far less after the squared error's sum in double).
        expect(lossDeviation(single, blasprop)).toBeLessThan(1e-6);
        // float arithmetic, not double in disguise: the rounded data alone moves the
        // first loss by about 1e-8 relative, far beyond float64's 1e-15.
        expect(lossDeviation(single, double)).toBeGreaterThan(1e-10);
        expect(lossDeviation(single, double)).toBeLessThan(LOSS_TOLERANCE.f32);
      }
    }
  });

  it('trains the epochs of blasprop’s float32 fit, in its shuffled order', async () => {
    const training = { ...TRAINING, epochsPerCall: 1, checkEpochs: 2, seed: 5 };
    const path = writeFitProblem({ name: 'f32', D: 4, H: 6, O: 2, rows: 90, data: 'tanh' }, scratch, training);
    const single = runOnce(fit.f32, ['--data', path]);
    expect(single.precision).toBe('f32');
    expect(single.epochs).toBe(3);
    const fused = runOnce(fit.f32, ['--data', path, '--fused', '1']);
    expect(lossDeviation(fused.checkLosses, single.checkLosses)).toBeLessThan(1e-6);
    const peer = await createRegressorFitF32(readFitProblem(path), { threads: 1, mode: 'thread' });
    expect(lossDeviation(await peer.check(), single.checkLosses)).toBeLessThan(1e-6);
    const double = runOnce(fit.f64, ['--data', path]).checkLosses;
    expect(lossDeviation(single.checkLosses, double)).toBeGreaterThan(1e-10);
    expect(lossDeviation(single.checkLosses, double)).toBeLessThan(LOSS_TOLERANCE.f32);
  });
});

/** One round of one timed block per key, each result with the losses it reports. */
function results(entries: [string, number, number[]][]) {
  const r = new Results();
  for (const [key, us, checkLosses] of entries) r.add(key, 0, { blockUs: [us], peakRssKb: 1024, checkLosses });
  return r;
}

describe('reports against the floor of each row’s precision', () => {
  const losses = [1, 0.5];
  const near = [1 + 1e-5, 0.5];

  it('divides a float32 fit by the float32 loop and a float64 one by the float64 loop', () => {
    const config = FIT_CONFIGS.CLI;
    const ids = ['c-loop', 'c-loop-f32', 'blasprop-regressor-thread', 'blasprop-regressor-f32-thread'];
    const peers = ids.map((id) => peerById(FIT_PEERS, id));
    const report = new FitReport({
      results: results([
        [fitKey(config, 'c-loop'), 100, losses],
        [fitKey(config, 'c-loop-f32'), 50, near],
        [fitKey(config, 'blasprop-regressor-thread'), 125, losses],
        [fitKey(config, 'blasprop-regressor-f32-thread'), 100, near],
      ]),
      peers,
      configs: [config],
    });
    const byPeer = Object.fromEntries(report.rows(config).map((row: { peer: Peer }) => [row.peer.id, row]));
    expect(byPeer['blasprop-regressor-thread'].vsC.ratio).toBeCloseTo(0.8, 12);
    // Against the float64 loop it would read 1.
    expect(byPeer['blasprop-regressor-f32-thread'].vsC.ratio).toBeCloseTo(0.5, 12);
    expect(byPeer['c-loop-f32'].check.ok).toBe(true);

    const table = report.configTable(config);
    const line = (start: string) => table.split('\n').filter((l: string) => l.startsWith(`| ${start}`));
    expect(line('C epoch loop over OpenBLAS')).toHaveLength(2);
    for (const l of line('C epoch loop over OpenBLAS')) expect(l).toContain('| 1 (floor) |');
    expect(line("blasprop TwoLayerRegressor.fit, dtype: 'float32'")[0]).toContain('| 0.50× |');

    const targets = report.targets().join('\n');
    expect(targets).toContain("background: false, CLI: 0.800× the float64 C loop's samples/s");
    expect(targets).toMatch(/'float32', background: false, CLI: 0\.500× the float32 C loop's samples\/s .*: missed\)/);

    const saved = report.data()[0].rows;
    expect(saved.find((r: { peer: string }) => r.peer === 'blasprop-regressor-f32-thread')).toMatchObject({
      precision: 'f32',
      floor: 'c-loop-f32',
      vsCLoop: 0.5,
    });
  });

  it('leaves a float32 row without a ratio when the float32 loop was not measured, rather than use the float64 one', () => {
    const config = FIT_CONFIGS.CLI;
    const report = new FitReport({
      results: results([
        [fitKey(config, 'c-loop'), 100, losses],
        [fitKey(config, 'blasprop-regressor-f32-thread'), 100, near],
      ]),
      peers: ['c-loop', 'blasprop-regressor-f32-thread'].map((id) => peerById(FIT_PEERS, id)),
      configs: [config],
    });
    const row = report.rows(config).find((r: { peer: Peer }) => r.peer.id === 'blasprop-regressor-f32-thread');
    expect(row.vsC).toBeUndefined();
    expect(report.targets()).toEqual([]);
  });

  it('divides float32 steps (blasprop’s and the others’) by the float32 loop in the train-step report', () => {
    const size = SIZES.XS;
    const ids = ['c-loop', 'c-loop-f32', 'blasprop-regressor', 'blasprop-regressor-f32', 'tfjs-wasm'];
    const report = new TrainStepReport({
      results: results([
        [stepKey(size, 1, 'c-loop'), 10, losses],
        [stepKey(size, 1, 'c-loop-f32'), 5, near],
        [stepKey(size, 1, 'blasprop-regressor'), 12, losses],
        [stepKey(size, 1, 'blasprop-regressor-f32'), 6, near],
        [stepKey(size, 1, 'tfjs-wasm'), 50, near],
      ]),
      peers: ids.map((id) => peerById(STEP_PEERS, id)),
      sizes: [size],
      threadCounts: [1],
    });
    const ratio = (id: string) => report.rows(size).find((r: { peer: Peer }) => r.peer.id === id).vsC.ratio;
    expect(ratio('blasprop-regressor')).toBeCloseTo(1.2, 12);
    expect(ratio('blasprop-regressor-f32')).toBeCloseTo(1.2, 12);
    expect(ratio('tfjs-wasm')).toBeCloseTo(10, 12);
    const table = report.sizeTable(size);
    expect(table.split('\n').filter((l: string) => l.includes('| 1 (floor) |'))).toHaveLength(2);
    const targets = report.targets().join('\n');
    expect(targets).toContain("TwoLayerRegressor.trainStep, XS, 1 thread: 1.200× the float64 C loop's time");
    expect(targets).toContain(
      "TwoLayerRegressor.trainStep, dtype: 'float32', XS, 1 thread: 1.200× the float32 C loop's time (target ≤ 1.2, at worst 1.5: met)",
    );
    expect(report.data()[0].rows.find((r: { peer: string }) => r.peer === 'tfjs-wasm')).toMatchObject({
      precision: 'f32',
      floor: 'c-loop-f32',
    });
  });

  it('compares best thread counts with the float32 loop’s best at M', () => {
    const size = SIZES.M;
    const report = new TrainStepReport({
      results: results([
        [stepKey(size, 1, 'c-loop'), 100, losses],
        [stepKey(size, 2, 'c-loop'), 60, losses],
        [stepKey(size, 1, 'c-loop-f32'), 50, near],
        [stepKey(size, 2, 'c-loop-f32'), 40, near],
        [stepKey(size, 1, 'blasprop-regressor-f32'), 52, near],
        [stepKey(size, 2, 'blasprop-regressor-f32'), 44, near],
      ]),
      peers: ['c-loop', 'c-loop-f32', 'blasprop-regressor-f32'].map((id) => peerById(STEP_PEERS, id)),
      sizes: [size],
      threadCounts: [1, 2],
    });
    expect(report.targets().join('\n')).toContain(
      "'float32', M, best thread count (2 vs the float32 C loop's 2): 1.100× the float32 C loop's time (target ≤ 1.03: missed)",
    );
  });
});

describe('README summary table with two floors', () => {
  const machine = { date: '2026-01-02T00:00:00Z', cpu: 'CPU', logicalCpus: 2, os: 'OS', node: 'v20', openblas: '0.3' };
  const fitRow = (peer: string, precision: string, samplesPerSecond: number, vsCLoop: number, floor?: string) => ({
    peer,
    precision,
    samplesPerSecond,
    vsCLoop,
    floor,
    lossOk: true,
  });
  const saved = (rows: ReturnType<typeof fitRow>[]) => ({
    fit: {
      machine,
      training: { epochsPerCall: 5, batchSize: 32 },
      configs: [{ config: { name: 'CLI', D: 10, H: 64, O: 1 }, rows }],
    },
    trainStep: {
      machine,
      sizes: [
        {
          size: { name: 'XS', N: 32, D: 8, H: 16, O: 1 },
          rows: [
            {
              peer: 'c-loop-f32',
              precision: 'f32',
              floor: 'c-loop-f32',
              threads: 1,
              medianUs: 1,
              vsCLoop: 1,
              lossOk: true,
            },
            {
              peer: 'blasprop-regressor-f32',
              precision: 'f32',
              floor: 'c-loop-f32',
              threads: 1,
              medianUs: 1.25,
              vsCLoop: 1.25,
              lossOk: true,
            },
          ],
        },
      ],
    },
  });
  const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(`| ${start}`)) ?? '';

  it('shows float32 rows against the float32 floor, and the floor itself without a ratio', () => {
    const text = summaryMarkdown(
      saved([
        fitRow('c-loop', 'f64', 4e6, 1, 'c-loop'),
        fitRow('c-loop-f32', 'f32', 6e6, 1, 'c-loop-f32'),
        fitRow('blasprop-regressor-f32-worker', 'f32', 3e6, 0.5, 'c-loop-f32'),
      ]),
    );
    expect(line(text, 'C loop over OpenBLAS in **float32**')).toBe(
      '| C loop over OpenBLAS in **float32** (the float32 floor) | 6.00 M/s | 1.00 µs |',
    );
    expect(line(text, 'blasprop **float32**')).toContain('| 0.50× · 3.00 M/s | 0.80× · 1.25 µs |');
    expect(text).toContain('float32 rows against the C loop built for float32');
  });

  it('shows no ratio for a float32 row saved against the float64 loop, or saved before floors were named', () => {
    const text = summaryMarkdown(
      saved([
        fitRow('c-loop', 'f64', 4e6, 1, 'c-loop'),
        fitRow('blasprop-regressor-f32-worker', 'f32', 3e6, 0.75, 'c-loop'),
        fitRow('torch-fastest-f32', 'f32', 1e5, 0.025),
        fitRow('blasprop-regressor-worker', 'f64', 2e6, 0.5),
      ]),
    );
    expect(line(text, 'blasprop **float32**')).toContain('| 3.00 M/s |');
    expect(line(text, 'blasprop **float32**')).not.toContain('0.75×');
    expect(line(text, 'PyTorch **float32**')).toContain('| 100 k/s |');
    expect(line(text, 'PyTorch **float32**')).not.toContain('×');
    expect(line(text, 'blasprop: `fit` (background')).not.toContain('×');
  });
});

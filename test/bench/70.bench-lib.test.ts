// The benchmark harness's own arithmetic and plumbing: if these are wrong, every
// published figure is wrong with them.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { batchesPerEpoch, samplesPerCall, TRAINING } from '../../bench/fit/configs.js';
import { generateFit, readFitProblem, writeFitProblem } from '../../bench/fit/data.js';
import { create as createRegressorFit } from '../../bench/fit/node/blasprop-regressor.js';
import { lossAgreement, lossDeviation } from '../../bench/lib/agreement.mjs';
import { compileC } from '../../bench/lib/compile.mjs';
import { markdownTable, peerName, rate, sig } from '../../bench/lib/markdown.mjs';
import { callsPerBlock, timeBlocks, timeBlocksAsync } from '../../bench/lib/measure.mjs';
import { interleaved } from '../../bench/lib/schedule.mjs';
import { commandLine } from '../../bench/lib/session.mjs';
import { median, pairedRatio, quantile, summarize } from '../../bench/lib/stats.mjs';
import { summaryMarkdown } from '../../bench/lib/summary.mjs';
import { readProblem, writeProblem } from '../../bench/train-step/data.js';
import { create as createNaive } from '../../bench/train-step/node/naive-js.js';
import { SIZES, stepFlops } from '../../bench/train-step/sizes.js';

const scratch = mkdtempSync(join(tmpdir(), 'blasprop-bench-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a compiled C peer once (no warm-up, one block of one call) and returns its result line. */
function runOnce(binary: string, args: string[]) {
  const out = execFileSync(binary, [...args, '--warmup-ms', '0', '--block-ms', '0', '--blocks', '1'], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  return JSON.parse(out.slice(out.indexOf('{')));
}

describe('bench statistics', () => {
  it('interpolates quantiles between order statistics, whatever the input order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([10, 0, 20, 30], 0.25)).toBe(7.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('reports the interquartile range as a percentage of the median', () => {
    const s = summarize([90, 100, 100, 110, 200]);
    expect(s.median).toBe(100);
    expect(s.spreadPct).toBeCloseTo(10, 12);
    expect([s.min, s.max, s.samples]).toEqual([90, 200, 5]);
  });

  it('pairs ratios by round, takes their median, and skips rounds where one side has no samples', () => {
    const a = [[2, 2], [3, 3], [], [10]];
    const b = [[1, 1], [1, 1], [1], [2]];
    const r = pairedRatio(a, b);
    expect(r.ratio).toBe(3);
    expect([r.low, r.high, r.rounds]).toEqual([2, 5, 3]);
  });
});

describe('bench schedule', () => {
  it('runs every peer once per configuration and round, rotating the order each round', () => {
    const runs = [...interleaved(['x', 'y'], () => ['a', 'b', 'c'], 2)];
    expect(runs.map((r) => `${r.round}${r.config}${r.peer}`)).toEqual([
      '0xa',
      '0xb',
      '0xc',
      '0ya',
      '0yb',
      '0yc',
      '1xb',
      '1xc',
      '1xa',
      '1yb',
      '1yc',
      '1ya',
    ]);
  });
});

describe('bench timing loops', () => {
  it('sizes blocks from the warm-up pace, and to one call without a warm-up', () => {
    expect(callsPerBlock(0, 0, 100)).toBe(1);
    expect(callsPerBlock(10, 50, 100)).toBe(20);
    expect(callsPerBlock(3, 900, 100)).toBe(1);
  });

  it('times the requested blocks of synchronous calls', () => {
    let calls = 0;
    const { blockUs, itersPerBlock } = timeBlocks(() => calls++, { warmupMs: 0, blockMs: 0, blocks: 3 });
    expect(blockUs).toHaveLength(3);
    expect([itersPerBlock, calls]).toEqual([1, 3]);
  });

  it('awaits each asynchronous call before starting the next', async () => {
    let running = 0;
    let overlapped = false;
    let calls = 0;
    const step = async () => {
      running++;
      overlapped ||= running > 1;
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      calls++;
    };
    const { blockUs, itersPerBlock } = await timeBlocksAsync(step, { warmupMs: 5, blockMs: 5, blocks: 2 });
    expect(blockUs).toHaveLength(2);
    expect(blockUs.every((us: number) => us > 0)).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(2 * itersPerBlock + 1);
    expect(overlapped).toBe(false);
  });
});

describe('bench reports', () => {
  it('formats Markdown tables, significant digits and rates', () => {
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| :--- | ---: |\n| x | 1 |');
    expect([sig(1234.5), sig(0.012345), sig(12.345)]).toEqual(['1235', '0.0123', '12.3']);
    expect([rate(4_860_000), rate(230_000), rate(12), rate(Number.NaN)]).toEqual([
      '4.86 M/s',
      '230 k/s',
      '12.0 /s',
      '—',
    ]);
  });

  it('names a peer with its form and precision, so no row hides that it is float32 or not the fastest form', () => {
    const peer = { label: 'TF.js', precision: 'f32', form: 'idiomatic' };
    expect(peerName(peer)).toBe('TF.js (idiomatic) **(float32)**');
    expect(peerName(peer, { bold: false, form: false })).toBe('TF.js (float32)');
    expect(peerName({ label: 'C', precision: 'f64' })).toBe('C');
    expect(peerName({ label: 'P', precision: 'f64', form: 'fastest' })).toBe('P (fastest form)');
  });

  it('writes peer options as a command line', () => {
    expect(commandLine({ 'warmup-ms': 0, data: '/x.bin' })).toEqual(['--warmup-ms', '0', '--data', '/x.bin']);
  });

  it('counts the five GEMMs of a step', () => {
    expect(stepFlops({ N: 1, D: 2, H: 3, O: 5 })).toBe(4 * 6 + 6 * 15);
  });

  it('measures loss agreement relatively and treats a different step count or a NaN as a mismatch', () => {
    expect(lossDeviation([100, 50], [100, 50.0005])).toBeCloseTo(0.0005 / 50.0005, 15);
    expect(lossDeviation([1], [1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(lossDeviation([Number.NaN], [1])).toBe(Number.POSITIVE_INFINITY);
    expect(lossAgreement([{ checkLosses: [1 + 1e-12] }], [1], 'f64').ok).toBe(true);
    expect(lossAgreement([{ checkLosses: [1 + 1e-12] }, { checkLosses: [1.01] }], [1], 'f64').ok).toBe(false);
    expect(lossAgreement([{ checkLosses: [1.0001] }], [1], 'f32').ok).toBe(true);
    expect(lossAgreement([], [1], 'f64')).toEqual({ ok: true, text: 'n/a' });
  });

  it('counts the samples and batches of a fit, the short last batch included', () => {
    expect(batchesPerEpoch({ rows: 100 })).toBe(Math.ceil(100 / TRAINING.batchSize));
    expect(samplesPerCall({ rows: 100 })).toBe(100 * TRAINING.epochsPerCall);
  });
});

describe('README summary table', () => {
  const machine = { date: '2026-01-02T00:00:00Z', cpu: 'CPU', logicalCpus: 2, os: 'OS', node: 'v20', openblas: '0.3' };
  const saved = {
    fit: {
      machine,
      training: { epochsPerCall: 5, batchSize: 32 },
      configs: [
        {
          config: { name: 'XS', D: 8, H: 16, O: 1 },
          rows: [
            { peer: 'c-loop', precision: 'f64', floor: 'c-loop', samplesPerSecond: 4e6, vsCLoop: 1, lossOk: true },
            {
              peer: 'blasprop-regressor-worker',
              precision: 'f64',
              floor: 'c-loop',
              samplesPerSecond: 1e6,
              vsCLoop: 0.25,
              lossOk: true,
            },
            {
              peer: 'torch-fastest',
              precision: 'f64',
              floor: 'c-loop',
              samplesPerSecond: 2e5,
              vsCLoop: 0.05,
              lossOk: false,
            },
          ],
        },
      ],
    },
    trainStep: {
      machine,
      sizes: [
        {
          size: { name: 'S', N: 32, D: 100, H: 200, O: 10 },
          rows: [
            { peer: 'c-loop', threads: 1, medianUs: 100, vsCLoop: 1, lossOk: true },
            { peer: 'c-loop', threads: 2, medianUs: 80, vsCLoop: 1, lossOk: true },
            ...[
              { threads: 1, medianUs: 125, vsCLoop: 1.25 },
              { threads: 2, medianUs: 50, vsCLoop: 0.5 },
            ].map((r) => ({ ...r, peer: 'blasprop-regressor', precision: 'f64', floor: 'c-loop', lossOk: true })),
          ],
        },
      ],
    },
  };

  it('shows speed relative to the C loop at one thread beside the figure, and marks failed loss checks', () => {
    const text = summaryMarkdown(saved);
    const line = (start: string) => text.split('\n').find((l: string) => l.startsWith(`| ${start}`)) ?? '';
    expect(line('implementation')).toContain('fit XS (8→16→1)');
    expect(line('implementation')).toContain('trainStep S (32×100×200×10)');
    expect(line('C loop')).toContain('| 4.00 M/s | 100 µs |');
    expect(line('blasprop: `fit` (background')).toContain('| 0.25× · 1.00 M/s | 0.80× · 125 µs |');
    expect(line('PyTorch float64, nn')).toContain('0.050× · 200 k/s ✗');
    // Rows with nothing measured are left out, and so is a benchmark with no results.
    expect(text).not.toContain('NumPy');
    expect(text).not.toContain('dgemm 32');
    expect(text).not.toContain('time per call');
    expect(text).toContain('fits of 5 epochs, batch 32');
  });

  it('names the machine once, or each benchmark’s when they ran on different ones', () => {
    expect(summaryMarkdown(saved)).toContain('CPU, 2 logical CPUs; OS; Node.js v20; OpenBLAS 0.3. Full tables');
    const moved = { ...saved, trainStep: { ...saved.trainStep, machine: { ...machine, cpu: 'Other CPU' } } };
    const text = summaryMarkdown(moved);
    expect(text).toContain('(`npm run bench:fit`, 2026-01-02, on CPU, 2 logical CPUs;');
    expect(text).toContain('(`npm run bench`, 2026-01-02, on Other CPU, 2 logical CPUs;');
  });

  it('says what to run when there are no results at all', () => {
    expect(summaryMarkdown({})).toContain('npm run bench:fit');
  });
});

describe('train-step problem file and C loop', () => {
  it('round-trips the shared problem and has the C loop compute the same losses as JavaScript', async () => {
    const binary = compileC('train_step-test', ['bench/train-step/c/train_step.c']);
    for (const size of [SIZES.XS, SIZES.S]) {
      const path = writeProblem(size, scratch);
      const problem = readProblem(path);
      expect([problem.N, problem.D, problem.H, problem.O]).toEqual([size.N, size.D, size.H, size.O]);
      expect(problem.X.length).toBe(size.N * size.D);
      expect(problem.b1.every((v: number) => v === 0)).toBe(true);

      const { step } = await createNaive(readProblem(path));
      const expected = [step(), step(), step()];
      expect(expected[2]).toBeLessThan(expected[0]);

      for (const fused of ['0', '1']) {
        const result = runOnce(binary, ['--data', path, '--check-steps', '3', '--fused', fused]);
        expect(lossDeviation(result.checkLosses, expected)).toBeLessThan(1e-12);
        expect(result.blockUs).toHaveLength(1);
      }
    }
  });

  const numpyPython = ['python3', '/usr/bin/python3'].find(
    (python) => spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0,
  );
  it.skipIf(numpyPython === undefined)('has both NumPy forms compute the same losses as JavaScript', async () => {
    const path = writeProblem(SIZES.XS, scratch);
    const { step } = await createNaive(readProblem(path));
    const expected = [step(), step(), step()];
    for (const impl of ['numpy', 'numpy-preallocated']) {
      const out = execFileSync(
        numpyPython!,
        ['bench/train-step/python/peer.py', '--impl', impl, '--data', path, '--check-steps', '3', '--warmup-ms', '0'],
        { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' } },
      );
      const result = JSON.parse(out.slice(out.indexOf('{')));
      expect(lossDeviation(result.checkLosses, expected)).toBeLessThan(1e-12);
    }
  });
});

describe('fit problem file and peers', () => {
  // 100 rows in batches of 32: three full batches and a short one of 4 rows.
  const training = { ...TRAINING, epochsPerCall: 1, checkEpochs: 2, seed: 11 };
  const config = { name: 'test', D: 3, H: 5, O: 2, rows: 100, data: 'tanh' };
  const path = writeFitProblem(config, scratch, training);

  it('round-trips the problem, with every check epoch a permutation in the order of blasprop’s fit', () => {
    const problem = readFitProblem(path);
    const expected = generateFit(config, training);
    expect([problem.rows, problem.D, problem.H, problem.O]).toEqual([100, 3, 5, 2]);
    expect([problem.batchSize, problem.epochsPerCall, problem.checkEpochs, problem.seed]).toEqual([32, 1, 2, 11]);
    expect(problem.lr).toBe(training.lr);
    expect(Array.from(problem.X)).toEqual(Array.from(expected.X));
    expect(Array.from(problem.W2)).toEqual(Array.from(expected.W2));
    expect(problem.orders).toHaveLength(2);
    for (const order of problem.orders) {
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
    expect(Array.from(problem.orders[0])).not.toEqual(Array.from(problem.orders[1]));
  });

  it('generates the CLI’s default data standardised, and refuses Friedman #1 in another shape', () => {
    const friedman = generateFit({ name: 'f', D: 10, H: 4, O: 1, rows: 400, data: 'friedman1' }, training);
    const column0 = Array.from({ length: 400 }, (_, i) => friedman.X[i * 10]);
    expect(Math.abs(column0.reduce((a, b) => a + b) / 400)).toBeLessThan(1e-12);
    expect(Math.abs(friedman.Y.reduce((a: number, b: number) => a + b * b, 0) / 400 - 1)).toBeLessThan(1e-12);
    expect(() => generateFit({ name: 'f', D: 8, H: 4, O: 1, rows: 10, data: 'friedman1' }, training)).toThrow(
      /10 features/,
    );
  });

  it('has the C epoch loop shuffle as blasprop does and match its fit’s epoch losses, in every mode', async () => {
    const binary = compileC('fit_loop-test', ['bench/fit/c/fit_loop.c']);
    const c = runOnce(binary, ['--data', path]);
    expect(c.checkLosses).toHaveLength(2);
    expect(c.epochs).toBe(3);
    const fused = runOnce(binary, ['--data', path, '--fused', '1']);
    expect(lossDeviation(fused.checkLosses, c.checkLosses)).toBeLessThan(1e-12);

    for (const mode of ['thread', 'worker', 'worker-batches']) {
      const peer = await createRegressorFit(readFitProblem(path), { threads: 1, mode });
      expect(lossDeviation(await peer.check(), c.checkLosses)).toBeLessThan(1e-12);
      await peer.fit();
    }
    await expect(createRegressorFit(readFitProblem(path), { threads: 1, mode: 'nope' })).rejects.toThrow(/--mode/);
  });

  it('has the C loop refuse a row order that is not the one in the problem file', () => {
    // The file's orders are those of seed 12; the header is made to say 11, so the
    // loop's own shuffle no longer matches them.
    const other = writeFitProblem({ ...config, name: 'other' }, scratch, { ...training, seed: 12 });
    const bytes = readFileSync(other);
    bytes.writeUInt32LE(11, 8 + 4 * 7);
    writeFileSync(other, bytes);
    const binary = compileC('fit_loop-test', ['bench/fit/c/fit_loop.c']);
    const run = spawnSync(binary, ['--data', other, '--warmup-ms', '0', '--blocks', '1'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/epoch 0: the row order differs/);
  });

  const torchPython = ['python3', '/usr/bin/python3'].find(
    (python) => spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0,
  );
  it.skipIf(torchPython === undefined)('has both PyTorch loops match the C loop’s epoch losses', () => {
    const binary = compileC('fit_loop-test', ['bench/fit/c/fit_loop.c']);
    const c = runOnce(binary, ['--data', path]);
    for (const [form, dtype, tolerance] of [
      ['fastest', 'float64', 1e-12],
      ['dataloader', 'float64', 1e-12],
      ['fastest', 'float32', 1e-4],
    ] as const) {
      const out = execFileSync(
        torchPython!,
        [
          'bench/fit/python/peer.py',
          '--form',
          form,
          '--dtype',
          dtype,
          '--data',
          path,
          '--warmup-ms',
          '0',
          '--blocks',
          '1',
        ],
        { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' } },
      );
      const result = JSON.parse(out.slice(out.indexOf('{')));
      expect(lossDeviation(result.checkLosses, c.checkLosses)).toBeLessThan(tolerance);
      expect(result.versions.form).toBe(form);
    }
  });
});

// The benchmark harness's own arithmetic and plumbing: if these are wrong, every
// published figure is wrong with them.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compileC } from '../../bench/lib/compile.mjs';
import { markdownTable, sig } from '../../bench/lib/markdown.mjs';
import { interleaved } from '../../bench/lib/schedule.mjs';
import { median, pairedRatio, quantile, summarize } from '../../bench/lib/stats.mjs';
import { readProblem, writeProblem } from '../../bench/train-step/data.js';
import { create as createNaive } from '../../bench/train-step/node/naive-js.js';
import { lossDeviation } from '../../bench/train-step/report.js';
import { SIZES, stepFlops } from '../../bench/train-step/sizes.js';

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

describe('bench reports', () => {
  it('formats Markdown tables and significant digits', () => {
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| :--- | ---: |\n| x | 1 |');
    expect([sig(1234.5), sig(0.012345), sig(12.345)]).toEqual(['1235', '0.0123', '12.3']);
  });

  it('counts the five GEMMs of a step', () => {
    expect(stepFlops({ N: 1, D: 2, H: 3, O: 5 })).toBe(4 * 6 + 6 * 15);
  });

  it('measures loss agreement relatively and treats a different step count as a mismatch', () => {
    expect(lossDeviation([100, 50], [100, 50.0005])).toBeCloseTo(0.0005 / 50.0005, 15);
    expect(lossDeviation([1], [1, 2])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('train-step problem file and C loop', () => {
  it('round-trips the shared problem and has the C loop compute the same losses as JavaScript', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blasprop-bench-'));
    const path = writeProblem(SIZES.S, dir);
    const problem = readProblem(path);
    expect([problem.N, problem.D, problem.H, problem.O]).toEqual([32, 100, 200, 10]);
    expect(problem.X.length).toBe(32 * 100);
    expect(problem.b1.every((v: number) => v === 0)).toBe(true);

    const { step } = await createNaive(readProblem(path));
    const expected = [step(), step(), step()];
    expect(expected[2]).toBeLessThan(expected[0]);

    const binary = compileC('train_step-test', ['bench/train-step/c/train_step.c']);
    for (const fused of ['0', '1']) {
      const out = execFileSync(
        binary,
        [
          '--data',
          path,
          '--check-steps',
          '3',
          '--warmup-ms',
          '0',
          '--block-ms',
          '0',
          '--blocks',
          '1',
          '--fused',
          fused,
        ],
        { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } },
      );
      const result = JSON.parse(out.slice(out.indexOf('{')));
      expect(lossDeviation(result.checkLosses, expected)).toBeLessThan(1e-12);
      expect(result.blockUs).toHaveLength(1);
    }
    rmSync(dir, { recursive: true });
  });
});

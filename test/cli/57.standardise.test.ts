// Standardisation of columns of any finite magnitude: statistics that cannot overflow,
// the same model whatever power of two a column is scaled by, and a clear refusal
// (exit 2, naming the column) of what cannot be standardised.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DataError } from '../../dist/data/errors.js';
import { rSquared } from '../../dist/data/metrics.js';
import { fitStandardisation, MAX_STANDARDISED_MAGNITUDE, standardise } from '../../dist/data/standardise.js';
import { Matrix } from '../../dist/index.js';
import { cleanup, FIXTURE_CSV, runCli, tempDir } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanup);

/** The fixture with column `a` (the first) replaced by `a(value, row)`. */
function withColumnA(name: string, a: (value: number, row: number) => string): string {
  const [header, ...rows] = readFileSync(FIXTURE_CSV, 'utf8').trim().split('\n');
  const path = join(dir, name);
  const changed = rows.map((row, i) => {
    const [first, ...rest] = row.split(',');
    return [a(Number(first), i), ...rest].join(',');
  });
  writeFileSync(path, `${[header, ...changed].join('\n')}\n`);
  return path;
}

describe('fitStandardisation', () => {
  it('gives finite statistics for any finite values, as a scaled reference computes them', () => {
    const columns = [
      [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_VALUE],
      [1e307, 1e307, 1e307],
      [1e160, -3e160, 2e159],
      [5e-324, 0, 1e-320],
      [0, 0, 0],
    ];
    const m = new Matrix(3, columns.length);
    columns.forEach((column, c) => {
      column.forEach((v, r) => {
        m.set(r, c, v);
      });
    });
    const { mean, std } = fitStandardisation(m);
    columns.forEach((column, c) => {
      const largest = Math.max(...column.map(Math.abs));
      // Reference: divide by the largest magnitude, compute plainly, scale back.
      const scaled = column.map((v) => (largest > 0 ? v / largest : 0));
      const refMean = (scaled.reduce((a, b) => a + b, 0) / 3) * largest;
      const m2 = scaled.reduce((a, v) => a + (v - refMean / (largest || 1)) ** 2, 0) / 3;
      const refStd = Math.sqrt(m2) * largest || 1;
      expect(Number.isFinite(mean[c]) && Number.isFinite(std[c]), `column ${c}`).toBe(true);
      // Relative 1e-12: the reference divides by a number that is not a power of two.
      expect(Math.abs(mean[c] - refMean)).toBeLessThanOrEqual(1e-12 * largest);
      expect(Math.abs(std[c] - refStd)).toBeLessThanOrEqual(1e-12 * Math.max(refStd, largest));
    });
    // A constant column: std 1, so its values become 0.
    expect(std[1]).toBe(1);
    expect(mean[1]).toBe(1e307);
  });

  it('scales exactly: a column times a power of two gives mean and std times that power, bit for bit', () => {
    const base = new Matrix(5, 1, new Float64Array([0.3, -1.7, 2.25, 0.1, 9.5]));
    const s = fitStandardisation(base);
    for (const power of [2 ** -600, 2 ** 500, 2 ** 1000]) {
      const scaled = new Matrix(
        5,
        1,
        base.data.map((v) => v * power),
      );
      const t = fitStandardisation(scaled);
      expect(t.mean[0]).toBe(s.mean[0] * power);
      expect(t.std[0]).toBe(s.std[0] * power);
    }
  });
});

describe('rSquared', () => {
  it('is the same for a column of any finite magnitude, scaled by a power of two', () => {
    const truth = new Matrix(4, 1, new Float64Array([1, -2, 3.5, 0.25]));
    const pred = new Matrix(4, 1, new Float64Array([1.25, -1.5, 3, 0]));
    const r2 = rSquared(pred, truth);
    expect(r2).toBeGreaterThan(0.9);
    for (const power of [2 ** 600, 2 ** 1000, 2 ** -1000]) {
      const scale = (m: Matrix) =>
        new Matrix(
          4,
          1,
          m.data.map((v) => v * power),
        );
      expect(rSquared(scale(pred), scale(truth))).toBe(r2);
    }
  });
});

describe('standardise', () => {
  it('refuses values beyond √(largest double) / 2, naming the column, and changes nothing', () => {
    const m = new Matrix(2, 2, new Float64Array([1, 2e154, 3, 4]));
    const before = m.data.slice();
    expect(() => standardise(m, { mean: [0, 0], std: [1, 1] }, ['a', 'big'], 'data.csv')).toThrow(DataError);
    expect(() => standardise(m, { mean: [0, 0], std: [1, 1] }, ['a', 'big'], 'data.csv')).toThrow(
      /^data\.csv: column "big" cannot be standardised: it holds 2e\+154, beyond ±6\.70e\+153/,
    );
    expect(m.data).toEqual(before);
    // The difference of any two accepted values squares to a finite number.
    expect((2 * MAX_STANDARDISED_MAGNITUDE) ** 2).toBeLessThan(Infinity);
  });

  it('refuses a value whose standardised value overflows', () => {
    const m = new Matrix(1, 1, new Float64Array([1e10]));
    expect(() => standardise(m, { mean: [0], std: [1e-300] }, ['tiny'], 'new.csv')).toThrow(
      /column "tiny" cannot be standardised: it holds 10000000000, further from the training mean/,
    );
  });
});

describe.concurrent('blasprop train and predict on columns of extreme magnitude', () => {
  it('train the same model, and predict the same, whatever power of two a feature is scaled by', async () => {
    // 6.7e153 times values in (0, 1): about the largest that can be standardised; the sum
    // of their squared deviations overflows, which made the old std Infinity (saved as null).
    const scale = 2 ** 511;
    const plain = withColumnA('plain.csv', (v) => String(v));
    const huge = withColumnA('huge.csv', (v) => String(v * scale));
    const outs = [join(dir, 'plain'), join(dir, 'huge')];
    const args = ['--target', 'y,z', '--epochs', '3', '--json'];
    const [a, b] = await Promise.all([
      runCli(['train', '--data', plain, ...args, '--out', outs[0]]),
      runCli(['train', '--data', huge, ...args, '--out', outs[1]]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(JSON.parse(b.stdout).history).toEqual(JSON.parse(a.stdout).history);
    const [p, q] = await Promise.all([
      runCli(['predict', '--model', join(outs[0], 'model.blasprop'), '--data', plain]),
      runCli(['predict', '--model', join(outs[1], 'model.blasprop'), '--data', huge]),
    ]);
    expect(p.code).toBe(0);
    expect(q.stdout).toBe(p.stdout);
  });

  it('a feature column of 1e307 everywhere: exit 2, naming the column', async () => {
    const path = withColumnA('e307.csv', () => '1e307');
    const result = await runCli(['train', '--data', path, '--target', 'y', '--out', join(dir, 'never')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^blasprop: .*e307\.csv: column "a" cannot be standardised: it holds 1e\+307, beyond ±6\.70e\+153/,
    );
  });

  it('a feature column around 1e160 and a target column of 1e307: exit 2, naming each', async () => {
    const e160 = withColumnA('e160.csv', (v) => `${v}e160`);
    const feature = await runCli(['train', '--data', e160, '--target', 'y', '--out', join(dir, 'never')]);
    expect(feature.code).toBe(2);
    expect(feature.stderr).toMatch(/column "a" cannot be standardised/);
    const target = await runCli([
      'train',
      '--data',
      withColumnA('t307.csv', () => '1e307'),
      '--target',
      'a',
      '--out',
      join(dir, 'never'),
    ]);
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/column "a" cannot be standardised/);
  });

  it('predict refuses new data beyond the limit, naming the column and the file', async () => {
    const out = join(dir, 'limits');
    expect(
      (await runCli(['train', '--data', FIXTURE_CSV, '--target', 'y,z', '--epochs', '1', '--out', out])).code,
    ).toBe(0);
    const extreme = withColumnA('extreme.csv', (v, row) => (row === 7 ? '-1e200' : String(v)));
    const result = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', extreme]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^blasprop: .*extreme\.csv: column "a" cannot be standardised: it holds -1e\+200/);
  });
});

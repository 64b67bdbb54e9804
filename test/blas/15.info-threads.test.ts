// blasInfo() in a development checkout (OpenBLAS, its kernel family, the CPU), and
// setNumThreads/getNumThreads: the round trip, the arguments refused, and products
// that stay correct on 1 and 2 threads.

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { blasInfo, daxpy, dgemm, dgemv, dscal, getNumThreads, reference, setNumThreads } from '../../dist/index.js';
import { randomGemmCase } from '../helpers/cases.mjs';
import { expectArgumentError } from '../helpers/errors.js';
import { checkDgemm } from '../helpers/parity.mjs';

const native = { dgemm, dgemv, daxpy, dscal };

describe('blasInfo', () => {
  it('describes the OpenBLAS the addon runs on', () => {
    const info = blasInfo();
    expect(info.backend).toBe('native');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.config).toMatch(/^OpenBLAS \d/);
    expect(info.corename).toMatch(/\S/);
    expect(info.threads).toBe(getNumThreads());
    expect(info.processors).toBeGreaterThanOrEqual(1);
    expect(['sequential', 'pthreads', 'openmp']).toContain(info.threading);
    expect(['static', 'shared']).toContain(info.linkage);
  });

  // The kernel family is OpenBLAS's name for a set of kernels, the CPU model the
  // processor's own: they can disagree (AMD EPYC processors run "Cooperlake").
  it('names the CPU model as the system does (/proc/cpuinfo on Linux), or gives null', () => {
    const { cpu } = blasInfo();
    const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
    const model = /^model name\s*:(.*)$/m.exec(cpuinfo)?.[1].trim();
    if (model) expect(cpu).toBe(model);
    else expect(cpu === null || /\S/.test(cpu)).toBe(true);
  });

  it('reports the local node-gyp build of this checkout', () => {
    const info = blasInfo();
    expect(info.binary).toBe('local');
    expect(info.path).toMatch(/[\\/]build[\\/]Release[\\/]blasprop\.node$/);
    expect(existsSync(info.path as string)).toBe(true);
  });
});

describe('setNumThreads', () => {
  let before: number;
  beforeAll(() => {
    before = getNumThreads();
  });
  afterAll(() => {
    setNumThreads(before);
  });

  it.each([1, 2, 1])('sets %i thread(s), as getNumThreads and blasInfo then report', (n) => {
    expect(setNumThreads(n)).toBe(n);
    expect(getNumThreads()).toBe(n);
    expect(blasInfo().threads).toBe(n);
  });

  it.each([1, 2])('keeps large products correct on %i thread(s)', (n) => {
    setNumThreads(n);
    for (const [transA, transB] of [
      ['N', 'N'],
      ['T', 'N'],
      ['N', 'T'],
    ] as const) {
      const testCase = randomGemmCase(150 + n, { transA, transB, m: 180, n: 160, k: 200 });
      expect(checkDgemm(native, reference, testCase)).toBeUndefined();
    }
  });

  it.each([
    [0, RangeError, '0'],
    [-1, RangeError, '-1'],
    [1.5, RangeError, '1.5'],
    [Number.NaN, RangeError, 'NaN'],
    [Number.POSITIVE_INFINITY, RangeError, 'Infinity'],
    [1025, RangeError, '1025'],
    ['2', TypeError, '"2"'],
    [undefined, TypeError, 'undefined'],
    [null, TypeError, 'null'],
  ])('refuses %s, keeping the current count', (value, type, received) => {
    setNumThreads(2);
    expectArgumentError(() => setNumThreads(value as number), { type, name: 'n', received });
    expect(getNumThreads()).toBe(2);
  });
});

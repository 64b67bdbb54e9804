// The short form of `npm run fuzz`: a few thousand random cases per run of the suite,
// plus proof that the properties catch the faults they are meant to catch.

import { describe, expect, it } from 'vitest';

import { dgemm, dscal, reference } from '../../dist/index.js';
import { blasTargets } from './fuzz/blas-targets.mjs';
import { modelTargets } from './fuzz/model-targets.mjs';
import { runTargets } from './fuzz/run-targets.mjs';

const SEED = Number(process.env.BLASPROP_FUZZ_SEED ?? 20_261_127);

describe('fuzzing (short form of npm run fuzz)', () => {
  it('dgemm, dgemv, daxpy, dscal: valid calls match the reference, invalid ones throw and write nothing', async () => {
    expect(await runTargets(blasTargets(), { runs: 3000, seed: SEED })).toBeGreaterThanOrEqual(2990);
  });

  it('Matrix, Linear, MSELoss, loadStateDict and model files hold up under random input', async () => {
    expect(await runTargets(modelTargets(), { runs: 1200, seed: SEED })).toBeGreaterThanOrEqual(1190);
  });
});

describe('the fuzz properties catch faults', () => {
  const only = (name: string, native: object) =>
    blasTargets({ native, reference }).filter((target) => target.name === name);

  it('a dgemm that ignores transB', async () => {
    const broken = {
      dgemm(...args: Parameters<typeof dgemm>) {
        args[1] = 'N';
        return dgemm(...args);
      },
    };
    await expect(runTargets(only('dgemm valid', broken), { runs: 300, seed: SEED })).rejects.toThrow(/dgemm/);
  });

  it('a dscal that writes one element past its vector', async () => {
    const broken = {
      dscal(n: number, alpha: number, x: Float64Array, incx: number) {
        dscal(n, alpha, x, incx);
        if (n * incx < x.length) x[n * incx] += 1;
        return x;
      },
    };
    await expect(runTargets(only('dscal valid', broken), { runs: 300, seed: SEED })).rejects.toThrow(/outside/);
  });

  it('a dscal that accepts any alpha', async () => {
    const broken = {
      dscal: (n: number, alpha: number, x: Float64Array, incx: number) => dscal(n, Number(alpha) || 0, x, incx),
    };
    await expect(runTargets(only('dscal invalid', broken), { runs: 300, seed: SEED })).rejects.toThrow();
  });
});

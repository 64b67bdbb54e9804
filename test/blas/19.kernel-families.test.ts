// The parity battery (test/helpers/blas-suite.mjs) once more, in a child process per
// OpenBLAS kernel family this CPU can execute, with OPENBLAS_CORETYPE forcing that
// family. Which kernels OpenBLAS runs depends on the CPU, and one family can break a
// BLAS rule the others keep (OpenBLAS 0.3.21's SkylakeX and Cooperlake small-matrix
// dgemm kernels let NaN in A or B reach C with alpha = 0), so every family is checked
// on any machine that can run it, not only where OpenBLAS would choose it. Then the
// battery is shown to fail on routines that break those rules the way kernels do.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import * as blas from '../../dist/blas/index.js';
import * as relu from '../../dist/kernels/relu.js';
import { PARITY_GROUPS, parityGroupsOf, runParityGroup } from '../helpers/blas-suite.mjs';
import { cpuFlags, missingFlags, X86_64_FAMILIES } from '../helpers/kernel-families.js';
import { runNodeAsync } from '../helpers/node-process.js';

type AnyGemm = (
  transA: blas.Transpose,
  transB: blas.Transpose,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array | Float64Array,
  lda: number,
  b: Float32Array | Float64Array,
  ldb: number,
  beta: number,
  c: Float32Array | Float64Array,
  ldc: number,
) => Float32Array | Float64Array;

interface GroupReport {
  name: string;
  cases: number;
  failed: number;
  failures: string[];
}

interface FamilyReport {
  corename: string;
  groups: GroupReport[];
}

const fixture = fileURLToPath(new URL('../fixtures/blas-kernel-family.mjs', import.meta.url));

async function runFamily(name: string): Promise<FamilyReport> {
  const run = await runNodeAsync(`await import(${JSON.stringify(fixture)});`, { OPENBLAS_CORETYPE: name });
  if (run.status !== 0) {
    throw new Error(`the process forcing ${name} ended with ${run.signal ?? `exit code ${run.status}`}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as FamilyReport;
}

/** Starts every task, at most `limit` at a time, in order; returns their results. */
function throttled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T>[] {
  const lanes: Promise<unknown>[] = Array.from({ length: limit }, () => Promise.resolve());
  return tasks.map((task, i) => {
    const result = lanes[i % limit].then(task);
    lanes[i % limit] = result.catch(() => undefined);
    return result;
  });
}

const flags = cpuFlags();
const families = X86_64_FAMILIES.map((family) => ({ ...family, missing: missingFlags(family, flags) }));
const runnable = families.filter((family) => family.missing.length === 0);
const notExecutable = families.filter((family) => family.missing.length > 0);
const tested: string[] = [];

describe('the parity battery on every OpenBLAS kernel family this CPU can execute', () => {
  // The first test starts every child, to run side by side while the tests wait for them in turn.
  let reports: Map<string, Promise<FamilyReport>> | undefined;
  const reportOf = (name: string) => {
    if (reports === undefined) {
      const names = runnable.map((family) => family.name);
      const started = throttled(
        names.map((family) => () => runFamily(family)),
        availableParallelism(),
      );
      reports = new Map(names.map((family, i) => [family, started[i]]));
    }
    return reports.get(name)!;
  };

  afterAll(() => {
    const { version, cpu } = blas.blasInfo();
    console.log(
      `OpenBLAS ${version} on ${cpu ?? 'an unknown CPU'}: kernel families tested: ${tested.join(', ') || 'none'}` +
        `; not executable here: ${notExecutable.map((family) => family.name).join(', ') || 'none'}`,
    );
  });

  it.skip.each(notExecutable.map((family) => [family.name, family.missing.join(', ')]))(
    '%s: not executable here, this CPU lacks %s',
    () => {},
  );

  it.for(runnable.map((family) => family.name))(
    `%s: matches the reference in all ${PARITY_GROUPS.length} parity groups when forced`,
    async (name, ctx) => {
      const report = await reportOf(name);
      if (report.corename !== name) ctx.skip(`this OpenBLAS does not offer it: forcing it runs ${report.corename}`);
      tested.push(name);
      const failures = Object.fromEntries(
        report.groups.filter((group) => group.failed > 0).map((group) => [group.name, group]),
      );
      expect(failures).toEqual({});
      expect(report.groups.map((group) => [group.name, group.cases > 0])).toEqual(
        PARITY_GROUPS.map((group) => [group.name, true]),
      );
    },
  );
});

describe('the parity battery catches routines that break BLAS semantics', () => {
  /** Whether some group of `routine`'s fails with `routines` standing in for the native ones. */
  const reference = { ...blas.reference, reluForward: relu.reluForward.reference };
  const caught = (routine: string, routines: object) =>
    parityGroupsOf(routine).some((group) => runParityGroup(group, routines, reference).failures.length > 0);

  it.each([
    ['dgemm', blas.dgemm as AnyGemm, Float64Array],
    ['sgemm', blas.sgemm as AnyGemm, Float32Array],
  ] as const)(
    'a %s that multiplies A·B by alpha = 0 (as OpenBLAS 0.3.21 does on SkylakeX and Cooperlake)',
    (name, native, F) => {
      const gemm: AnyGemm = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
        if (alpha !== 0 || k === 0) return native(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        const ab = native(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, new F(m * n), Math.max(1, n));
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) c[i * ldc + j] = (beta === 0 ? 0 : beta * c[i * ldc + j]) + 0 * ab[i * n + j];
        }
        return c;
      };
      expect(caught(name, { [name]: gemm })).toBe(true);
    },
  );

  it('a dgemv that scales y by beta = 0 instead of overwriting it', () => {
    const dgemv: typeof blas.dgemv = (trans, m, n, alpha, a, lda, x, incx, beta, y, incy) => {
      if (beta === 0) blas.dscal(trans === 'N' ? m : n, 0, y, incy);
      return blas.dgemv(trans, m, n, alpha, a, lda, x, incx, beta === 0 ? 1 : beta, y, incy);
    };
    expect(caught('dgemv', { dgemv })).toBe(true);
  });

  it('a daxpy that adds 0·x when alpha = 0', () => {
    const daxpy: typeof blas.daxpy = (n, alpha, x, incx, y, incy) => {
      if (alpha !== 0) return blas.daxpy(n, alpha, x, incx, y, incy);
      for (let i = 0; i < n; i++) y[i * incy] += 0 * x[i * incx];
      return y;
    };
    expect(caught('daxpy', { daxpy })).toBe(true);
  });

  it('a dscal that writes zeros for alpha = 0 (as OpenBLAS before 0.3.28 does)', () => {
    const dscal: typeof blas.dscal = (n, alpha, x, incx) => {
      if (alpha !== 0) return blas.dscal(n, alpha, x, incx);
      for (let i = 0; i < n; i++) x[i * incx] = 0;
      return x;
    };
    expect(caught('dscal', { dscal })).toBe(true);
  });

  it('a reluForward that keeps -0', () => {
    const reluForward: typeof relu.reluForward.spec.reference = (n, x, y) => {
      for (let i = 0; i < n; i++) y[i] = x[i] >= 0 || Number.isNaN(x[i]) ? x[i] : 0;
      return y;
    };
    expect(caught('reluForward', { reluForward })).toBe(true);
  });
});

// The parity battery: named groups of seeded calls that the routines under test must
// answer as the reference does (parity.mjs: within the rounding-error bound, NaN and
// ±Infinity exactly, nothing written outside the output). Random groups draw shapes,
// scalars, strides, offsets and poison; special-value groups go through alpha, beta ∈
// {0, 1, other} with NaN or ±Infinity in each operand in turn, at sizes from 0 to a
// few hundred. Every BLAS group runs in both precisions: the s-routines take the same
// cases as the d-routines, converted to float32 (cases.mjs: inFloat32). test/blas/10,
// 13 and 17 run it in-process; test/blas/19 runs it again in a child process for each
// OpenBLAS kernel family, which is why it is plain ESM.

import {
  inFloat32,
  poisoned,
  poisonedAtRandom,
  randomAxpyCase,
  randomGemmCase,
  randomGemvCase,
  randomReluCase,
  randomScalCase,
} from './cases.mjs';
import {
  checkDaxpy,
  checkDgemm,
  checkDgemv,
  checkDscal,
  checkReluBackward,
  checkReluForward,
  checkSaxpy,
  checkSgemm,
  checkSgemv,
  checkSscal,
} from './parity.mjs';

const TRANSPOSES = [
  ['N', 'N'],
  ['N', 'T'],
  ['T', 'N'],
  ['T', 'T'],
];
/** The values BLAS treats specially, and an ordinary one. */
const ALPHAS = [0, 1, -0.75];
const BETAS = [0, 1, 2.5];

/** Every combination of the given arrays, as tuples. */
function* product(...lists) {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = lists;
  for (const head of first) for (const tail of product(...rest)) yield [head, ...tail];
}

/**
 * One call for each combination of alpha, beta, poisoned operand and size, with the
 * poison values, strides and layout drawn from the call's seed.
 */
function* specialValueCases(convert, { seed0, operands, sizes, make }) {
  let seed = seed0;
  for (const [alpha, beta, target, size] of product(ALPHAS, BETAS, operands, sizes)) {
    yield convert(poisoned(make(seed, { alpha, beta, ...size }), [target], seed));
    seed++;
  }
}

function* seeds(seed0, count) {
  for (let seed = seed0; seed < seed0 + count; seed++) yield seed;
}

/** Sizes from 0 to a few hundred: empty, tiny, odd, about a vector register, long and thin. */
const GEMM_SIZES = [
  { m: 3, n: 5, k: 0 },
  { m: 0, n: 4, k: 2 },
  { m: 1, n: 1, k: 1 },
  { m: 2, n: 3, k: 4 },
  { m: 7, n: 9, k: 5 },
  { m: 16, n: 16, k: 16 },
  { m: 33, n: 17, k: 40 },
  { m: 1, n: 65, k: 130 },
  { m: 100, n: 3, k: 120 },
  { m: 300, n: 4, k: 3 },
  { m: 2, n: 1, k: 300 },
];
const GEMV_SIZES = [
  { m: 4, n: 0 },
  { m: 0, n: 3 },
  { m: 1, n: 1 },
  { m: 3, n: 5 },
  { m: 17, n: 40 },
  { m: 130, n: 70 },
  { m: 2, n: 400 },
];
const VECTOR_SIZES = [{ n: 0 }, { n: 1 }, { n: 3 }, { n: 16 }, { n: 33 }, { n: 100 }, { n: 1000 }];

/**
 * @typedef {object} ParityGroup
 * @property {string} name
 * @property {string} routine the routine it calls
 * @property {boolean} [random] whether its cases are random draws (which a run may sample) rather than a grid
 * @property {(routines: object, reference: object, testCase: object) => string | undefined} check
 * @property {() => Iterable<object>} cases
 */

const PRECISIONS = {
  float64: {
    p: 'd',
    convert: (testCase) => testCase,
    checks: { gemm: checkDgemm, gemv: checkDgemv, axpy: checkDaxpy, scal: checkDscal },
  },
  float32: {
    p: 's',
    convert: inFloat32,
    checks: { gemm: checkSgemm, gemv: checkSgemv, axpy: checkSaxpy, scal: checkSscal },
  },
};

/**
 * The BLAS groups in one precision: 'd' routines on the cases as drawn, 's' routines on
 * the same cases in float32.
 * @param {'float32' | 'float64'} dtype
 * @returns {ParityGroup[]}
 */
function blasGroups(dtype) {
  const { p, convert, checks } = PRECISIONS[dtype];
  return [
    ...TRANSPOSES.map(([transA, transB]) => ({
      name: `${p}gemm ${transA}${transB}: random shapes, scalars, strides, offsets and poison`,
      routine: `${p}gemm`,
      random: true,
      check: checks.gemm,
      *cases() {
        const seed0 = 1000 * (transA.charCodeAt(0) + 2 * transB.charCodeAt(0));
        for (const seed of seeds(seed0, 150)) {
          yield convert(poisonedAtRandom(randomGemmCase(seed, { transA, transB }), ['a', 'b', 'c'], seed));
        }
      },
    })),
    // Past OpenBLAS's small-matrix limit (m·n·k > 100³) and its cache blocking: n
    // (OpenBLAS's M, as it computes a row-major C transposed) beyond the P of the AVX
    // families (512), and k beyond the Q of every x86-64 family (at most 384), so the
    // product is summed over several k-panels; and vector-shaped products with long
    // inner dimensions.
    ...TRANSPOSES.map(([transA, transB]) => ({
      name: `${p}gemm ${transA}${transB}: shapes spanning several cache blocks`,
      routine: `${p}gemm`,
      check: checks.gemm,
      *cases() {
        const shapes = [
          [40, 600, 50],
          [40, 50, 700],
          [1, 300, 520],
          [300, 1, 299],
        ];
        for (const [index, [m, n, k]] of shapes.entries())
          yield convert(randomGemmCase(77 + index, { transA, transB, m, n, k }));
      },
    })),
    ...TRANSPOSES.map(([transA, transB]) => ({
      name: `${p}gemm ${transA}${transB}: alpha, beta ∈ {0, 1, other} with NaN or ±Infinity in a, b or c`,
      routine: `${p}gemm`,
      check: checks.gemm,
      cases: () =>
        specialValueCases(convert, {
          seed0: 20_000 + 1000 * (transA.charCodeAt(0) + 2 * transB.charCodeAt(0)),
          operands: ['a', 'b', 'c'],
          sizes: GEMM_SIZES,
          make: (seed, fixed) => randomGemmCase(seed, { transA, transB, ...fixed }),
        }),
    })),
    ...['N', 'T'].map((trans) => ({
      name: `${p}gemv ${trans}: random shapes, scalars, strides, offsets and poison`,
      routine: `${p}gemv`,
      random: true,
      check: checks.gemv,
      *cases() {
        for (const seed of seeds(trans === 'N' ? 5000 : 6000, 250)) {
          yield convert(poisonedAtRandom(randomGemvCase(seed, { trans }), ['a', 'x', 'y'], seed));
        }
      },
    })),
    ...['N', 'T'].map((trans) => ({
      name: `${p}gemv ${trans}: alpha, beta ∈ {0, 1, other} with NaN or ±Infinity in a, x or y`,
      routine: `${p}gemv`,
      check: checks.gemv,
      cases: () =>
        specialValueCases(convert, {
          seed0: trans === 'N' ? 400_000 : 410_000,
          operands: ['a', 'x', 'y'],
          sizes: GEMV_SIZES,
          make: (seed, fixed) => randomGemvCase(seed, { trans, ...fixed }),
        }),
    })),
    {
      name: `${p}axpy: random lengths, scalars, strides, offsets and poison`,
      routine: `${p}axpy`,
      random: true,
      check: checks.axpy,
      *cases() {
        for (const seed of seeds(7000, 300)) yield convert(poisonedAtRandom(randomAxpyCase(seed), ['x', 'y'], seed));
      },
    },
    {
      name: `${p}axpy: alpha ∈ {0, 1, other} with NaN or ±Infinity in x or y`,
      routine: `${p}axpy`,
      check: checks.axpy,
      *cases() {
        let seed = 420_000;
        for (const [alpha, target, size] of product(ALPHAS, ['x', 'y'], VECTOR_SIZES)) {
          yield convert(poisoned(randomAxpyCase(seed, { alpha, ...size }), [target], seed++));
        }
      },
    },
    {
      name: `${p}scal: random lengths, scalars, strides, offsets and poison, bit for bit`,
      routine: `${p}scal`,
      random: true,
      check: checks.scal,
      *cases() {
        for (const seed of seeds(8000, 300)) yield convert(poisonedAtRandom(randomScalCase(seed), ['x'], seed));
      },
    },
    {
      name: `${p}scal: alpha ∈ {0, 1, other} on NaN and ±Infinity, bit for bit`,
      routine: `${p}scal`,
      check: checks.scal,
      *cases() {
        let seed = 430_000;
        for (const [alpha, size] of product(ALPHAS, VECTOR_SIZES)) {
          yield convert(poisoned(randomScalCase(seed, { alpha, ...size }), ['x'], seed++));
        }
      },
    },
  ];
}

/** @type {ParityGroup[]} */
export const PARITY_GROUPS = [
  ...blasGroups('float64'),
  ...blasGroups('float32'),
  {
    name: 'reluForward: random and edge values, odd lengths and offsets, bit for bit',
    routine: 'reluForward',
    random: true,
    check: checkReluForward,
    cases: () => Array.from(seeds(9000, 200), (seed) => randomReluCase(seed)),
  },
  {
    name: 'reluBackward: random and edge values, odd lengths and offsets, bit for bit',
    routine: 'reluBackward',
    random: true,
    check: checkReluBackward,
    cases: () => Array.from(seeds(9500, 200), (seed) => randomReluCase(seed)),
  },
  {
    name: 'reluForward in float32: the same cases on Float32Arrays, bit for bit',
    routine: 'reluForward',
    random: true,
    check: checkReluForward,
    cases: () => Array.from(seeds(9000, 200), (seed) => inFloat32(randomReluCase(seed))),
  },
  {
    name: 'reluBackward in float32: the same cases on Float32Arrays, bit for bit',
    routine: 'reluBackward',
    random: true,
    check: checkReluBackward,
    cases: () => Array.from(seeds(9500, 200), (seed) => inFloat32(randomReluCase(seed))),
  },
];

/** @returns {ParityGroup[]} the groups that call `routine` */
export function parityGroupsOf(routine) {
  return PARITY_GROUPS.filter((group) => group.routine === routine);
}

/**
 * Runs a group's calls on `routines` (each implementing the routine the group checks)
 * and on `reference`.
 * @param {{ sample?: number }} [options] of a random group, run only every `sample`-th case
 * @returns {{ cases: number, failures: string[] }}
 */
export function runParityGroup(group, routines, reference, { sample = 1 } = {}) {
  const step = group.random ? sample : 1;
  let index = 0;
  let cases = 0;
  const failures = [];
  for (const testCase of group.cases()) {
    if (index++ % step !== 0) continue;
    cases++;
    const problem = group.check(routines, reference, testCase);
    if (problem !== undefined) failures.push(problem);
  }
  return { cases, failures };
}

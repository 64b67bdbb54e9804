// Runs inside the project that installed the packed tarball (see run.mjs), once per
// OpenBLAS kernel family: checks that OpenBLAS runs the family expected (forced with
// OPENBLAS_CORETYPE, or detected) and that the eight routines blasprop calls (four in
// each precision) agree with the reference kernels within the error bound of test/helpers/tolerance.mjs,
// on random shapes, scalars, strides and offsets, and on shapes past the cache
// blocking on one and two threads. Prints one JSON line per check, { name, ok, detail }.
//
//   node kernel-family.mjs <expected corename> <test/helpers URL>

import { blasInfo, daxpy, dgemm, dgemv, dscal, reference, saxpy, setNumThreads, sgemm, sgemv, sscal } from 'blasprop';

const [expectedCore, helpersUrl] = process.argv.slice(2);
const parity = await import(`${helpersUrl}/parity.mjs`);
const { inFloat32, randomAxpyCase, randomGemmCase, randomGemvCase, randomScalCase } = await import(
  `${helpersUrl}/cases.mjs`
);

const native = { sgemm, sgemv, saxpy, sscal, dgemm, dgemv, daxpy, dscal };
const PRECISIONS = [
  {
    p: 'd',
    convert: (testCase) => testCase,
    checks: [parity.checkDgemm, parity.checkDgemv, parity.checkDaxpy, parity.checkDscal],
  },
  { p: 's', convert: inFloat32, checks: [parity.checkSgemm, parity.checkSgemv, parity.checkSaxpy, parity.checkSscal] },
];
const report = (name, ok, detail = '') => console.log(JSON.stringify({ name, ok: Boolean(ok), detail }));

const info = blasInfo();
const forced = process.env.OPENBLAS_CORETYPE ? 'forced' : 'detected';
report(`${expectedCore} (${forced}): OpenBLAS runs it`, info.corename === expectedCore, `corename ${info.corename}`);

/** Runs `count` seeded cases through `check` and reports the first disagreement. */
function agree(label, count, seed0, check) {
  const failures = [];
  for (let seed = seed0; seed < seed0 + count; seed++) {
    const problem = check(seed);
    if (problem !== undefined) failures.push(problem);
  }
  report(`${expectedCore}: ${label}`, failures.length === 0, failures.slice(0, 2).join('\n'));
}

const TRANSPOSES = [
  ['N', 'N'],
  ['N', 'T'],
  ['T', 'N'],
  ['T', 'T'],
];
for (const { p, convert, checks } of PRECISIONS) {
  const [gemm, gemv, axpy, scal] = checks;
  setNumThreads(1);
  for (const [index, [transA, transB]] of TRANSPOSES.entries()) {
    agree(`${p}gemm ${transA}${transB}, 15 random cases`, 15, 5000 + 100 * index, (seed) =>
      gemm(native, reference, convert(randomGemmCase(seed, { transA, transB }))),
    );
  }
  // Past OpenBLAS's blocking in every dimension, and large enough for its thread pool.
  for (const [threads, [m, n, k]] of [
    [1, [257, 263, 300]],
    [2, [96, 130, 700]],
  ]) {
    setNumThreads(threads);
    agree(`${p}gemm ${m}×${k}·${k}×${n}, every transpose, ${threads} thread(s)`, TRANSPOSES.length, 0, (index) => {
      const [transA, transB] = TRANSPOSES[index];
      return gemm(native, reference, convert(randomGemmCase(77 + index, { transA, transB, m, n, k })));
    });
  }
  setNumThreads(1);
  agree(`${p}gemv, 30 random cases`, 30, 6000, (seed) => gemv(native, reference, convert(randomGemvCase(seed))));
  agree(`${p}axpy, 20 random cases`, 20, 7000, (seed) => axpy(native, reference, convert(randomAxpyCase(seed))));
  agree(`${p}scal, 20 random cases`, 20, 8000, (seed) => scal(native, reference, convert(randomScalCase(seed))));
}

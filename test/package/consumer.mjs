// Runs inside a fresh project that installed the packed tarball (see run.mjs): uses
// blasprop the way an application would and prints one JSON line per check,
// { name, ok, detail }, for run.mjs to count.
//
//   node consumer.mjs <OpenBLAS version the prebuild links>

import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

import { blasInfo, dgemm, getNumThreads, setNumThreads } from 'blasprop';

/** A deterministic m×k by k×n problem and its product by the textbook triple loop. */
function problem(m, k, n, seed) {
  const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.7 + seed));
  const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.3 - seed));
  const expected = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
      expected[i * n + j] = sum;
    }
  }
  return { a, b, expected };
}

function maxDifference(x, y) {
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

function multiplyAndCompare(m, k, n, seed) {
  const { a, b, expected } = problem(m, k, n, seed);
  const c = dgemm('N', 'N', m, n, k, 1, a, k, b, n, 0, new Float64Array(m * n), n);
  return maxDifference(c, expected);
}

if (!isMainThread) {
  const difference = multiplyAndCompare(40, 30, 20, 3);
  parentPort.postMessage({ difference, path: blasInfo().path, threads: getNumThreads() });
} else {
  const report = (name, ok, detail = '') => console.log(JSON.stringify({ name, ok: Boolean(ok), detail }));

  // By hand: [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154]; with alpha = 2 and
  // beta = -1 on a C of ones that is [115 127; 277 307].
  const small = dgemm(
    'N',
    'N',
    2,
    2,
    3,
    2,
    new Float64Array([1, 2, 3, 4, 5, 6]),
    3,
    new Float64Array([7, 8, 9, 10, 11, 12]),
    2,
    -1,
    new Float64Array([1, 1, 1, 1]),
    2,
  );
  report('dgemm gives the hand-computed 2×3·3×2 product', small.join() === '115,127,277,307', small.join());
  const difference = multiplyAndCompare(64, 48, 80, 1);
  report('dgemm matches a triple loop on 64×48·48×80', difference < 1e-12, `max difference ${difference}`);

  const info = blasInfo();
  const expectedVersion = process.argv[2];
  report(`blasInfo().version is ${expectedVersion}`, info.version === expectedVersion, info.version);
  report('blasInfo().binary is "prebuild"', info.binary === 'prebuild', info.binary);
  report('blasInfo().linkage is "static"', info.linkage === 'static', info.linkage);
  const expectedDir = `/node_modules/blasprop/prebuilds/linux-${process.arch}/`;
  report('the addon is loaded from the installed prebuilds/', info.path?.includes(expectedDir), info.path);

  const maps = readFileSync('/proc/self/maps', 'utf8');
  const mapped = [...new Set(maps.split('\n').map((line) => line.split(/\s+/)[5] ?? ''))].filter(Boolean);
  report('/proc/self/maps lists the prebuilt addon', mapped.includes(info.path), info.path);
  const foreign = mapped.filter((file) => /libopenblas|libgfortran|libblas|liblapack/.test(file));
  report('no shared OpenBLAS, BLAS or gfortran library is mapped', foreign.length === 0, foreign.join(', '));

  report('OpenBLAS starts on one thread by default', getNumThreads() === 1, `getNumThreads() = ${getNumThreads()}`);
  const wanted = Math.min(2, info.processors);
  setNumThreads(wanted);
  report(
    `setNumThreads(${wanted}) changes getNumThreads() (${info.processors} processors)`,
    getNumThreads() === wanted,
    `getNumThreads() = ${getNumThreads()}`,
  );

  // Two workers load the addon at the same time; each must compute correctly, share
  // the process's one copy, and leave the thread count set above alone.
  const runWorker = () =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url));
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    const results = await Promise.all([runWorker(), runWorker()]);
    for (const [i, result] of results.entries()) {
      report(`worker ${i + 1} multiplies correctly`, result.difference < 1e-12, `max difference ${result.difference}`);
      report(`worker ${i + 1} loads the same prebuilt addon`, result.path === info.path, result.path);
      report(`worker ${i + 1} sees the process-wide thread count`, result.threads === wanted, `${result.threads}`);
    }
    report('loading in workers kept the thread count', getNumThreads() === wanted, `${getNumThreads()}`);
  } catch (error) {
    report('two workers load the addon at once', false, error instanceof Error ? error.stack : String(error));
  }
}

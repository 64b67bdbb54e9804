#!/usr/bin/env node
// Times dgemm through the addon on 1 thread and on every thread OpenBLAS may use,
// for the shapes a small network sees (batch × features × hidden) and for large
// square ones. It is the measurement behind the default of one OpenBLAS thread
// (src/blas/threads.ts); rerun it on the target machine before changing that.
//
//   npm run build && node bench/threads/measure-threads.mjs
//   PREBUILDS_ONLY=1 node bench/threads/measure-threads.mjs   # the prebuilt binary

import { blasInfo, dgemm, setNumThreads } from '../../dist/index.js';

/** [m, k, n]: C (m×n) = A (m×k) · B (k×n). */
const SHAPES = [
  [32, 100, 200],
  [64, 64, 64],
  [128, 128, 128],
  [512, 512, 512],
  [1024, 1024, 1024],
];
const ROUNDS = 7;
const ROUND_SECONDS = 0.15;

function filled(length, seed) {
  return Float64Array.from({ length }, (_, i) => Math.sin(i * 0.37 + seed));
}

/** Calls per timed batch so that one batch takes about ROUND_SECONDS / 4. */
function batchSize(call) {
  call();
  for (let calls = 1; ; calls *= 2) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) call();
    if (Number(process.hrtime.bigint() - start) / 1e9 >= ROUND_SECONDS / 4) return calls * 4;
  }
}

/**
 * Median time of one call, in microseconds, for each thread count. Rounds alternate
 * between the counts so that a change in machine load hits both alike.
 */
function timeCalls(call, threadCounts) {
  setNumThreads(threadCounts[0]);
  const calls = batchSize(call);
  const samples = threadCounts.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    threadCounts.forEach((threads, t) => {
      setNumThreads(threads);
      call();
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) call();
      samples[t].push(Number(process.hrtime.bigint() - start) / 1e3 / calls);
    });
  }
  return samples.map((times) => times.sort((x, y) => x - y)[ROUNDS >> 1]);
}

const info = blasInfo();
const maxThreads = info.processors;
console.log(`OpenBLAS ${info.version} (${info.corename}, ${info.linkage}, ${info.binary}), ${maxThreads} processors`);
console.log('shape m×k×n        1 thread µs   %d threads µs   speed-up', maxThreads);
for (const [m, k, n] of SHAPES) {
  const a = filled(m * k, 1);
  const b = filled(k * n, 2);
  const c = new Float64Array(m * n);
  const call = () => dgemm('N', 'N', m, n, k, 1, a, k, b, n, 0, c, n);
  const [single, multi] = timeCalls(call, [1, maxThreads]);
  const label = `${m}×${k}×${n}`.padEnd(18);
  console.log(
    `${label} ${single.toFixed(1).padStart(12)} ${multi.toFixed(1).padStart(15)} ${(single / multi).toFixed(2).padStart(10)}`,
  );
}

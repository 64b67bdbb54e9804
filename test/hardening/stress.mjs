#!/usr/bin/env node
// npm run stress [-- --short] [--seconds S] [--workers W]
//
// Concurrency stress of the addon, each scenario in a fresh process bounded by a
// timeout (a deadlock fails the run instead of hanging it):
//   - dgemm in every transpose combination from several worker threads at once,
//     results checked, with OpenBLAS at 1 and at 2 threads (BLASPROP_NUM_THREADS).
//     Different transposes overlapping is what broke OpenBLAS's level-3 locking in
//     the past (OpenMathLib/OpenBLAS#5836).
//   - the same while the main thread runs spawnSync('true') and child_process.fork()
//     in a loop: fork() while OpenBLAS's pool is mid-call must not deadlock.
//   - the same while one worker flips OpenBLAS between 1 and 2 threads, with and
//     without the main thread forking.

import { parseArgs } from 'node:util';

import { runScenario, SCENARIOS } from './concurrency/run-scenario.mjs';

const { values: options } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    workers: { type: 'string' },
  },
});
const seconds = Number(options.seconds ?? (options.short ? 1 : 30));
const workers = Number(options.workers ?? (options.short ? 3 : 4));

let failed = 0;
for (const scenario of SCENARIOS) {
  const verdict = await runScenario(scenario, { seconds, workers });
  if (!verdict.ok) failed++;
  console.log(JSON.stringify(verdict));
}
console.log(`stress: ${SCENARIOS.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

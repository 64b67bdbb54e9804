// One stress scenario, in its own process (the OpenBLAS thread pool is per process):
// `--workers` worker threads run checked dgemm calls for `--seconds` after all of
// them have started (and, with --spawn, until a fork has completed too, however slow
// the machine), while the main thread, depending on the flags,
//   --spawn     runs spawnSync('true') and child_process.fork() back to back, each
//               bounded by a timeout: fork() while OpenBLAS threads are mid-call
//               must neither deadlock the parent nor the child;
//   --toggle    has one of the workers switch OpenBLAS between 1 and 2 threads every
//               8 calls, while the others compute (and the main thread forks).
// Prints one JSON line: what ran and how many results were wrong.

import { fork, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { getNumThreads } from '../../../dist/index.js';
import { RUNNING, SLOTS, STOP } from './control.mjs';

const { values: options } = parseArgs({
  options: {
    workers: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '3' },
    spawn: { type: 'boolean', default: false },
    toggle: { type: 'boolean', default: false },
  },
});
const workerCount = Number(options.workers);
const seconds = Number(options.seconds);
const CHILD_TIMEOUT_MS = 20_000;

const threads = getNumThreads();
const control = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
const flags = new Int32Array(control);
const results = Array.from({ length: workerCount }, (_, id) => {
  const workerData = { id, control, toggle: options.toggle && id === 0 };
  const worker = new Worker(new URL('./gemm-worker.mjs', import.meta.url), { workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
});

const finished = Promise.all(results);

function forkOnce() {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./fork-child.mjs', import.meta.url), { timeout: CHILD_TIMEOUT_MS, stdio: 'ignore' });
    let ok = false;
    child.once('message', (m) => {
      ok = m.ok === true;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0 && ok) resolve();
      else reject(new Error(`forked child ended with code ${code}, signal ${signal}`));
    });
  });
}

let spawns = 0;
let forks = 0;
// Every worker is in its loop before anything disturbs them (a worker that fails
// first ends the scenario with its error).
for (let running = Atomics.load(flags, RUNNING); running < workerCount; running = Atomics.load(flags, RUNNING)) {
  await Promise.race([Atomics.waitAsync(flags, RUNNING, running).value, finished]);
}
const deadline = performance.now() + seconds * 1000;
while (performance.now() < deadline || (options.spawn && forks === 0)) {
  if (options.spawn) {
    const result = spawnSync('true', { timeout: CHILD_TIMEOUT_MS });
    if (result.status !== 0) throw new Error(`spawnSync('true') gave ${result.status} / ${result.signal}`);
    spawns++;
    if (spawns % 4 === 0) {
      await forkOnce();
      forks++;
    }
  }
  await sleep(options.spawn ? 0 : 20);
}
Atomics.store(flags, STOP, 1);

const perWorker = await finished;
const calls = perWorker.reduce((sum, r) => sum + r.calls, 0);
const wrong = perWorker.reduce((sum, r) => sum + r.wrong, 0);
const firstWrong = perWorker.find((r) => r.firstWrong)?.firstWrong;
const toggles = perWorker.reduce((sum, r) => sum + r.toggles, 0);
console.log(
  JSON.stringify({ threads, workers: workerCount, seconds, calls, wrong, firstWrong, spawns, forks, toggles }),
);

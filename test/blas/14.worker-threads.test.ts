// The addon in worker threads: several workers calling it at the same time (each
// checking its results against the reference), workers writing disjoint rows of one
// shared C, and workers that load the addon and exit, or are terminated mid-call,
// again and again.

import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dgemm, getNumThreads, reference, setNumThreads } from '../../dist/index.js';
import { Random } from '../helpers/random.mjs';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);

function onMessage<T>(worker: Worker, accept: (message: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (message: T) => {
      if (!accept(message)) return;
      worker.off('message', listener);
      resolve(message);
    };
    worker.on('message', listener);
    worker.once('error', reject);
  });
}

/** Call before the worker can exit: a listener added after its exit never fires. */
function exitCode(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}

/** Rounds of five calls (two gemm, gemv, axpy, scal) in each precision per worker. */
const ROUNDS = 15;

interface Report {
  type: 'done';
  calls: number;
  failures: string[];
  /** How many workers had finished their first round when this one went on. */
  arrivedWhenPassed: number;
}

describe('native routines in worker threads', () => {
  let threadsBefore: number;
  beforeAll(() => {
    threadsBefore = getNumThreads();
  });
  afterAll(() => {
    setNumThreads(threadsBefore);
  });

  it.each([
    [2, 1],
    [2, 2],
    [4, 2],
  ])('%i workers calling at once (OpenBLAS on %i threads) all match the reference', async (workers, threads) => {
    setNumThreads(threads);
    const sync = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    const pool = Array.from(
      { length: workers },
      (_, i) =>
        new Worker(fixture('blas-parity-worker.mjs'), {
          workerData: { seed: 100_000 * (i + 1), rounds: ROUNDS, workers, sync },
        }),
    );
    const ready = pool.map((worker) => onMessage(worker, (m: { type: string }) => m.type === 'ready'));
    const reports = pool.map((worker) => onMessage<Report>(worker, (m) => m.type === 'done'));
    const exits = pool.map(exitCode);
    await Promise.all(ready);
    Atomics.store(new Int32Array(sync), 0, 1);
    Atomics.notify(new Int32Array(sync), 0);
    const done = await Promise.all(reports);
    expect(await Promise.all(exits)).toEqual(pool.map(() => 0));

    expect(done.flatMap((report) => report.failures)).toEqual([]);
    expect(done.map((report) => report.calls)).toEqual(pool.map(() => 10 * ROUNDS));
    // No worker went past its first round before all had done one: the rest of their
    // calls were in flight together.
    expect(done.map((report) => report.arrivedWhenPassed)).toEqual(pool.map(() => workers));
  });

  it.each([
    ['float64', Float64Array, reference.dgemm],
    ['float32', Float32Array, reference.sgemm],
  ] as const)('workers fill disjoint rows of one C on a SharedArrayBuffer (%s)', async (dtype, F, oracle) => {
    const [m, n, k] = [96, 40, 50];
    const rng = new Random(14);
    // Small integers keep every sum exact, so the result must equal the reference bit for bit.
    const sharedOf = (length: number) => {
      const array = new F(new SharedArrayBuffer(F.BYTES_PER_ELEMENT * length));
      for (let i = 0; i < length; i++) array[i] = rng.int(-8, 8);
      return array;
    };
    const [A, B, C] = [sharedOf(m * k), sharedOf(k * n), sharedOf(m * n)];
    const bounds = [0, 20, 21, 60, m];
    const workers = bounds.slice(1).map(
      (rowEnd, i) =>
        new Worker(fixture('shared-rows-worker.mjs'), {
          workerData: { a: A.buffer, b: B.buffer, c: C.buffer, n, k, rowStart: bounds[i], rowEnd, dtype },
        }),
    );
    const exits = workers.map(exitCode);
    await Promise.all(workers.map((worker) => onMessage(worker)));
    expect(await Promise.all(exits)).toEqual(workers.map(() => 0));
    const gemm = oracle as (...args: unknown[]) => Float32Array | Float64Array;
    const expected = gemm('N', 'N', m, n, k, 1, A.slice(), k, B.slice(), n, 0, new F(m * n), n);
    expect(Array.from(C)).toEqual(Array.from(expected));
  });

  it('loads the addon in workers that exit, over and over, without crashing', async () => {
    for (let round = 0; round < 5; round++) {
      const pair = [0, 1].map(() => new Worker(fixture('load-worker.mjs')));
      const exits = pair.map(exitCode);
      const messages = await Promise.all(pair.map((worker) => onMessage(worker)));
      expect(await Promise.all(exits)).toEqual([0, 0]);
      expect(messages).toEqual(pair.map(() => ({ backend: 'native', product: [19, 22, 43, 50] })));
    }
    // The main thread's copy of the addon is unaffected.
    const c = dgemm(
      'N',
      'N',
      1,
      1,
      1,
      1,
      new Float64Array([3]),
      1,
      new Float64Array([4]),
      1,
      0,
      new Float64Array(1),
      1,
    );
    expect(c[0]).toBe(12);
  });

  it('survives workers terminated while they call sgemm and dgemm in a loop', async () => {
    for (let round = 0; round < 4; round++) {
      const worker = new Worker(fixture('busy-worker.mjs'));
      await onMessage(worker);
      const exited = exitCode(worker);
      await worker.terminate();
      expect(await exited).toBe(1);
    }
    const c = dgemm(
      'T',
      'T',
      1,
      1,
      2,
      1,
      new Float64Array([1, 2]),
      1,
      new Float64Array([3, 4]),
      2,
      0,
      new Float64Array(1),
      1,
    );
    expect(c[0]).toBe(11);
  });
});

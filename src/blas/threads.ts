// How many threads OpenBLAS uses for one call unless the application says otherwise.
//
// OpenBLAS's own default is one thread per processor. blasprop defaults to one: the
// products a small network computes (batch × features × hidden, a few hundred
// thousand multiply-adds) showed no consistent gain from a second thread
// (bench/threads/measure-threads.mjs; docs/installation.md), two
// threads were slower whenever the other core was busy, and a server that runs
// several Node.js processes or worker threads would otherwise oversubscribe its
// cores. Large products can gain when cores are free, so the choice stays with the
// user:
//   BLASPROP_NUM_THREADS=n     used as is;
//   OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS or OMP_NUM_THREADS   left to OpenBLAS,
//                              which reads them itself when it starts;
//   setNumThreads(n)           at run time.

import type { NativeBinding } from '../native/binding.js';
import { rangeError } from '../util/check.js';

/** The largest thread count setNumThreads and BLASPROP_NUM_THREADS accept. */
export const MAX_THREADS = 1024;
export const DEFAULT_THREADS = 1;

/** The variables through which OpenBLAS takes its thread count from the environment. */
const OPENBLAS_VARIABLES = ['OPENBLAS_NUM_THREADS', 'GOTO_NUM_THREADS', 'OMP_NUM_THREADS'] as const;

/**
 * The thread count to apply when the addon loads, or undefined to keep what
 * OpenBLAS chose from its own environment variables.
 */
export function defaultThreadCount(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const requested = env.BLASPROP_NUM_THREADS;
  if (requested !== undefined && requested.trim() !== '') return parseThreadCount(requested);
  if (OPENBLAS_VARIABLES.some((name) => (env[name] ?? '').trim() !== '')) return undefined;
  return DEFAULT_THREADS;
}

function parseThreadCount(text: string): number {
  const count = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(count >= 1 && count <= MAX_THREADS)) {
    throw rangeError('BLASPROP_NUM_THREADS', `an integer in [1, ${MAX_THREADS}]`, text);
  }
  return count;
}

/**
 * Applies the default once per process, when the first JavaScript environment loads
 * the addon: the thread pool is process-wide, and a worker thread that loads
 * blasprop later must not undo the application's own setNumThreads.
 */
export function applyDefaultThreads(binding: NativeBinding, env: NodeJS.ProcessEnv = process.env): void {
  const count = defaultThreadCount(env);
  if (binding.claimProcessDefaults() && count !== undefined) binding.setNumThreads(count);
}

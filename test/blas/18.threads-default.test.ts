import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { DEFAULT_THREADS, defaultThreadCount } from '../../dist/blas/threads.js';

describe('defaultThreadCount', () => {
  it('is one thread when nothing is set', () => {
    expect(DEFAULT_THREADS).toBe(1);
    expect(defaultThreadCount({})).toBe(1);
    expect(defaultThreadCount({ BLASPROP_NUM_THREADS: '', OPENBLAS_NUM_THREADS: ' ' })).toBe(1);
  });

  it('takes BLASPROP_NUM_THREADS, before any OpenBLAS variable', () => {
    expect(defaultThreadCount({ BLASPROP_NUM_THREADS: '3' })).toBe(3);
    expect(defaultThreadCount({ BLASPROP_NUM_THREADS: ' 2 ', OPENBLAS_NUM_THREADS: '4' })).toBe(2);
  });

  it('leaves the count to OpenBLAS when one of its own variables is set', () => {
    for (const name of ['OPENBLAS_NUM_THREADS', 'GOTO_NUM_THREADS', 'OMP_NUM_THREADS']) {
      expect(defaultThreadCount({ [name]: '2' })).toBeUndefined();
    }
  });

  it('rejects a BLASPROP_NUM_THREADS that is not an integer in [1, 1024]', () => {
    for (const bad of ['0', '-1', '2.5', 'two', '1025', '1e2']) {
      expect(() => defaultThreadCount({ BLASPROP_NUM_THREADS: bad })).toThrow(
        new RangeError(`Expected an integer in [1, 1024] for BLASPROP_NUM_THREADS but received "${bad}"`),
      );
    }
  });
});

// The default is applied when the addon loads, once per process: check it in fresh
// processes, with the environment each case needs and nothing inherited.
const index = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function threadsInFreshProcess(env: Record<string, string>, script: string): { threads: number; processors: number } {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(BLASPROP_|OPENBLAS_|GOTO_|OMP_)/.test(key)),
  );
  const prelude = `import { blasInfo, getNumThreads, setNumThreads } from ${JSON.stringify(index)};`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', `${prelude}\n${script}`], {
    env: { ...inherited, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

const report = 'console.log(JSON.stringify({ threads: getNumThreads(), processors: blasInfo().processors }));';

describe('OpenBLAS thread count at load', () => {
  it('starts at one thread', () => {
    expect(threadsInFreshProcess({}, report).threads).toBe(1);
  });

  it('follows BLASPROP_NUM_THREADS and OPENBLAS_NUM_THREADS', () => {
    const viaBlasprop = threadsInFreshProcess({ BLASPROP_NUM_THREADS: '2' }, report);
    expect(viaBlasprop.threads).toBe(Math.min(2, viaBlasprop.processors));
    const viaOpenblas = threadsInFreshProcess({ OPENBLAS_NUM_THREADS: '2' }, report);
    expect(viaOpenblas.threads).toBe(Math.min(2, viaOpenblas.processors));
  });

  it('is not reset by a worker thread that loads the package later', () => {
    const script = `
      import { Worker } from 'node:worker_threads';
      setNumThreads(2);
      // getNumThreads() loads the backend in the worker, as any first call does.
      const worker = new Worker(
        \`Promise.all([import(${JSON.stringify(index)}), import('node:worker_threads')]).then(([blasprop, threads]) => {
          blasprop.getNumThreads();
          threads.parentPort.postMessage('loaded');
        });\`,
        { eval: true },
      );
      await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
      await worker.terminate();
      ${report}`;
    const result = threadsInFreshProcess({}, script);
    expect(result.threads).toBe(Math.min(2, result.processors));
  });
});

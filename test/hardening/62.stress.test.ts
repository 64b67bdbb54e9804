// The short form of `npm run stress`: worker threads running dgemm in every
// transpose combination, with OpenBLAS's pool in use, while the main thread forks
// child processes. Each scenario runs in its own process under a timeout, so a
// deadlock fails the test instead of hanging the suite.

import { describe, expect, it } from 'vitest';

import { runScenario, SCENARIOS } from './concurrency/run-scenario.mjs';

const CHECKED = [
  'workers, 2 OpenBLAS threads',
  'workers + spawnSync/fork, 1 OpenBLAS thread',
  'workers + spawnSync/fork, 2 OpenBLAS threads',
];

describe('concurrency stress (short form of npm run stress)', () => {
  for (const scenario of SCENARIOS.filter((s) => CHECKED.includes(s.name))) {
    it(`${scenario.name}: correct results, no deadlock`, async () => {
      const verdict = await runScenario(scenario, { seconds: 1, workers: 3 });
      expect(verdict.problems).toEqual([]);
      expect(verdict.ok).toBe(true);
    });
  }
});

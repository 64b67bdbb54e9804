// Runs one concurrency scenario (scenario.mjs) in a fresh process, bounded by a
// timeout so that a deadlock fails instead of hanging, and judges its result.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scenarioScript = new URL('./scenario.mjs', import.meta.url).pathname;

export const SCENARIOS = [
  { name: 'workers, 1 OpenBLAS thread', threads: 1, flags: [] },
  { name: 'workers, 2 OpenBLAS threads', threads: 2, flags: [] },
  { name: 'workers + spawnSync/fork, 1 OpenBLAS thread', threads: 1, flags: ['--spawn'] },
  { name: 'workers + spawnSync/fork, 2 OpenBLAS threads', threads: 2, flags: ['--spawn'] },
  { name: 'workers + thread count flipping', threads: 2, flags: ['--toggle'] },
  { name: 'workers + thread count flipping + spawnSync/fork', threads: 2, flags: ['--toggle', '--spawn'] },
];

/**
 * @param {{ name: string, threads: number, flags: string[] }} scenario
 * @param {{ seconds: number, workers: number }} options
 * @returns {Promise<{ scenario: string, ok: boolean, problems: string[] }>} plus the scenario's counts
 */
export async function runScenario(scenario, { seconds, workers }) {
  const args = [scenarioScript, '--workers', String(workers), '--seconds', String(seconds), ...scenario.flags];
  const env = { ...process.env, BLASPROP_NUM_THREADS: String(scenario.threads) };
  const timeout = (seconds * 4 + 30) * 1000;
  try {
    const { stdout } = await run(process.execPath, args, { env, timeout });
    const result = JSON.parse(stdout.trim().split('\n').at(-1));
    const problems = [];
    if (result.threads !== scenario.threads) problems.push(`ran with ${result.threads} OpenBLAS threads`);
    if (result.wrong > 0) problems.push(`${result.wrong} wrong results, first: ${result.firstWrong}`);
    if (result.calls === 0) problems.push('no dgemm call completed');
    if (scenario.flags.includes('--spawn') && result.forks === 0) problems.push('no child process completed');
    return { scenario: scenario.name, ...result, ok: problems.length === 0, problems };
  } catch (error) {
    const why = error.killed ? `no result within ${timeout / 1000} s: deadlock` : error.message;
    return { scenario: scenario.name, ok: false, problems: [why, error.stderr?.trim()].filter(Boolean) };
  }
}

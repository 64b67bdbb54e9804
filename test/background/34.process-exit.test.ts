import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/fit-then-exit.mjs', import.meta.url));

/** Runs the fixture; resolves with its report, its exit code, and how long it lived after reporting. */
function run(scenario: string): Promise<{ report: unknown; code: number | null; lingerMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
    // A process that does not exit on its own is killed, and the test fails on its code.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let output = '';
    let reportedAt = Number.NaN;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('\n') && Number.isNaN(reportedAt)) reportedAt = performance.now();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lingerMs = performance.now() - reportedAt;
      try {
        resolve({ report: JSON.parse(output), code, lingerMs });
      } catch {
        reject(new Error(`unexpected output ${JSON.stringify(output)} (exit code ${code})`));
      }
    });
  });
}

describe('the process exits on its own once a background fit has settled', () => {
  const cases: [string, object][] = [
    ['resolve', { settled: 'resolved', epochs: 2 }],
    ['reject', { settled: 'rejected', name: 'TrainingDivergedError' }],
    ['abort', { settled: 'rejected', name: 'AbortError' }],
  ];
  for (const [scenario, report] of cases) {
    it(`after the fit ${scenario}s`, async () => {
      const result = await run(scenario);
      expect(result.report).toEqual(report);
      expect(result.code).toBe(0);
      // Well before the idle timeout (5 s): idle workers do not hold the process.
      expect(result.lingerMs).toBeLessThan(2500);
    });
  }
});

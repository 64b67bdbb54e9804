import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/fit-then-exit.mjs', import.meta.url));

/**
 * Runs the fixture; resolves with its report and how it ended. One that does not exit
 * on its own is killed after 30 s, and the test fails on its signal.
 */
function run(scenario: string): Promise<{ report: unknown; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve({ report: JSON.parse(output), code, signal });
      } catch {
        reject(new Error(`unexpected output ${JSON.stringify(output)} (exit code ${code}, signal ${signal})`));
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
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    });
  }
});

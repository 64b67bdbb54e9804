// The short form of `npm run soak`, in a fresh process so that its memory readings
// are its own: 150,000 small BLAS calls and 4,000 training steps must not grow the
// resident set after warm-up. And the check itself must trip on a real leak.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const soak = fileURLToPath(new URL('./soak.mjs', import.meta.url));

interface PhaseReport {
  phase: string;
  iterations: number;
  growthMB: number;
  ok: boolean;
}

async function soakReports(args: string[]): Promise<{ code: number; reports: PhaseReport[] }> {
  const result = await run(process.execPath, [soak, ...args], { timeout: 60_000 }).catch(
    (error: { code: number; stdout: string }) => error,
  );
  const lines = result.stdout.trim().split('\n');
  const reports = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as PhaseReport);
  return { code: 'code' in result ? result.code : 0, reports };
}

// Under AddressSanitizer (npm run test:sanitize) freed memory sits in quarantine, so
// resident memory says nothing about leaks there.
const sanitized = /libasan/.test(process.env.LD_PRELOAD ?? '');

describe.skipIf(sanitized)('soak (short form of npm run soak)', () => {
  it('BLAS calls and training steps run without resident memory growth', async () => {
    const { code, reports } = await soakReports(['--short']);
    expect(reports.map((r) => [r.phase, r.ok])).toEqual([
      ['blas', true],
      ['training', true],
    ]);
    expect(code).toBe(0);
  });

  it('reports a leak of 64 bytes per call', async () => {
    const { code, reports } = await soakReports([
      '--short',
      '--calls',
      '60000',
      '--steps',
      '20',
      '--inject-leak-bytes',
      '64',
    ]);
    expect(reports[0]).toMatchObject({ phase: 'blas', ok: false });
    expect(reports[0].growthMB).toBeGreaterThan(2);
    expect(code).toBe(1);
  });
});

// The server example of docs/background-training.md, run as written (only smaller, on a free port and with
// the built package), must end cleanly on SIGTERM: no unhandled AbortError, exit 0.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { cleanup, tempDir } from './run-cli.js';

afterAll(cleanup);

const GUIDE = fileURLToPath(new URL('../../docs/background-training.md', import.meta.url));
const DIST = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;

/** The first js block after the heading, with each substitution required to apply. */
function example(heading: string, substitutions: [string, string][]): string {
  const guide = readFileSync(GUIDE, 'utf8');
  const section = guide.slice(guide.indexOf(heading));
  let code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, `a js block after ${heading}`).toBeDefined();
  for (const [from, to] of substitutions) {
    expect(code, `the example to contain ${from}`).toContain(from);
    code = code!.replaceAll(from, to);
  }
  return code!;
}

describe('the guide’s example of training in the background behind a server', () => {
  it('stops on SIGTERM after the first epoch, exit code 0, nothing on stderr', async () => {
    const dir = await tempDir();
    const script = join(dir, 'server.mjs');
    writeFileSync(
      script,
      example('# Training in the background', [
        ["from 'blasprop'", `from '${DIST}'`],
        ['60_000', '512'],
        ['784', '16'],
        ['.listen(8080)', '.listen(0)'],
      ]),
    );
    const child = spawn(process.execPath, [script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // "0 <loss>" once the first epoch has ended: SIGTERM in the middle of training.
      if (!signalled && /^0 /m.test(stdout)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    expect(signalled).toBe(true);
    expect(stderr).toBe('');
    expect([code, signal]).toEqual([0, null]);
    // Stopped before the 20th epoch, with the checkpoint of the first.
    expect(stdout.trim().split('\n').length).toBeLessThan(20);
    expect(existsSync(join(dir, 'model.ckpt'))).toBe(true);
  });
});

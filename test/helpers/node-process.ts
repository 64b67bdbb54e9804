import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built library, for scripts run outside vitest. */
export const distIndex = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface NodeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an ES module `script` in a fresh Node.js process, with this process's
 * environment minus every BLASPROP_ variable, plus `env`: each run starts from a
 * clean library state (backend, loaded addon, thread defaults).
 */
export function runNode(script: string, env: Record<string, string> = {}): NodeRun {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BLASPROP_')));
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

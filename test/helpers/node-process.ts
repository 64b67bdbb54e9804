import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built library, for scripts run outside vitest. */
export const distIndex = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface NodeRun {
  status: number | null;
  /** The signal that ended the process, if one did (a crash, or the timeout). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const TIMEOUT_MS = 30_000;

/** This process's environment minus every BLASPROP_ variable, plus `env`. */
function childEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BLASPROP_')));
  return { ...inherited, ...env };
}

const nodeArgs = (script: string) => ['--input-type=module', '-e', script];

/**
 * Runs an ES module `script` in a fresh Node.js process, with this process's
 * environment minus every BLASPROP_ variable, plus `env`: each run starts from a
 * clean library state (backend, loaded addon, thread defaults).
 */
export function runNode(script: string, env: Record<string, string> = {}): NodeRun {
  const result = spawnSync(process.execPath, nodeArgs(script), {
    env: childEnvironment(env),
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** runNode without blocking this thread, so that several runs can proceed at once. */
export function runNodeAsync(script: string, env: Record<string, string> = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(script), { env: childEnvironment(env), timeout: TIMEOUT_MS });
    const output = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output.stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, ...output }));
  });
}

// Runs the built command line (dist/cli/main.js) in a child process, as a user would.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const FIXTURE_CSV = fileURLToPath(new URL('../fixtures/regression.csv', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Called with all of stderr so far, whenever more arrives. */
  onStderr?: (stderr: string, child: ChildProcess) => void;
  /** Changes to this process's environment for the child: a value, or undefined to remove the variable. */
  env?: Record<string, string | undefined>;
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const env = { ...process.env, ...options.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    options.onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A fresh temporary folder; `cleanup` removes every one made. */
const made: string[] = [];
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'blasprop-cli-'));
  made.push(dir);
  return dir;
}

export async function cleanup(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The names in a folder, or [] when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** R² of predictions against truth for one column, computed independently of the code under test. */
export function r2(pred: number[], truth: number[]): number {
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  const sse = pred.reduce((s, p, i) => s + (p - truth[i]) ** 2, 0);
  const sst = truth.reduce((s, t) => s + (t - mean) ** 2, 0);
  return 1 - sse / sst;
}

/** Parses simple numeric CSV text (no quoting) into a header and columns. */
export function parseCsv(text: string): { header: string[]; columns: number[][] } {
  const [head, ...lines] = text.trim().split('\n');
  const header = head.split(',');
  const columns = header.map(() => [] as number[]);
  for (const line of lines) {
    line.split(',').forEach((cell, c) => {
      columns[c].push(Number(cell));
    });
  }
  return { header, columns };
}

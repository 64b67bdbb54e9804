// Runs one peer in a process of its own and reads back its BENCH_RESULT line.
// A fresh process per measurement keeps peers from sharing a heap, a JIT state or a
// BLAS thread pool, and makes peak RSS a per-peer figure.

import { spawn } from 'node:child_process';

const MARKER = 'BENCH_RESULT ';

export class PeerError extends Error {}

/**
 * Spawns `command args`, waits for it, and returns the parsed result object.
 * Rejects with a PeerError carrying the tail of stderr when the peer fails, prints no
 * result, or runs past `timeoutMs`.
 */
export function runPeer(command, args, { env = {}, timeoutMs = 300_000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new PeerError(`could not start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
      if (code === 0 && line !== undefined) {
        resolve({ ...JSON.parse(line.slice(MARKER.length)), log: stdout + stderr });
        return;
      }
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${signal ?? code}`;
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      reject(new PeerError(`${command} ${args.join(' ')} ${why}${tail ? `:\n${tail}` : ''}`));
    });
  });
}

// A real redis-server on 127.0.0.1, a free port and a temporary folder, for the queue
// tests and benchmark; append-only persistence, so that a restart keeps the queue as
// BullMQ asks of a production Redis. Debian's package is redis-server (.ci/run
// installs it).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const READY_TIMEOUT_MS = 10_000;

/**
 * Starts a server and resolves once it answers PING.
 * @returns {Promise<{ url: string, port: number, dir: string,
 *   restart(downMs?: number): Promise<void>, stop(): Promise<void> }>}
 *   `restart` stops it (SIGTERM: it flushes its append-only file first) and starts it
 *   again on the same port and data; `stop` also removes its folder.
 */
export async function startRedis() {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server');
  }
  const dir = await mkdtemp(join(tmpdir(), 'blasprop-redis-'));
  const port = await freePort();
  let child = await launch(dir, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart(downMs = 300) {
      await terminate(child);
      await sleep(downMs);
      child = await launch(dir, port);
    },
    async stop() {
      await terminate(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(dir, port) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
  args.push('--appendfsync', 'everysec', '--save', '', '--logfile', join(dir, 'redis.log'), '--daemonize', 'no');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} (see ${dir}/redis.log)`))),
  );
  await Promise.race([untilReady(port), exited]);
  return child;
}

/** Polls PING until the server answers PONG (it refuses connections, then answers LOADING while it reads its file). */
async function untilReady(port) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await pong(port)) return;
    await sleep(50);
  }
  throw new Error(`redis-server on port ${port} did not answer within ${READY_TIMEOUT_MS} ms`);
}

function pong(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
    socket.on('error', () => {});
  });
}

function terminate(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// One HTTP measurement: start the server peer, wait until it listens (and trains),
// load it from the load peer, then close the server's input so that it stops
// training, reports, and exits. Every process involved ends on its own or is killed
// at a time limit.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { RESULT_MARKER } from '../lib/measure.mjs';
import { runPeer } from '../lib/spawn.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const SERVER_LIMIT_MS = 120_000;

/** Returns { load, served, output }: the load peer's result, the server's, and all the server printed. */
export async function httpRun(training, load) {
  const server = spawn(process.execPath, [here('./http-server-peer.js'), '--training', training, '--size', 'M'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const killer = setTimeout(() => server.kill('SIGKILL'), SERVER_LIMIT_MS);
  const closed = once(server, 'close');
  let output = '';
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.setEncoding('utf8').on('data', (chunk) => {
        output += chunk;
        const ready = /READY (\d+)/.exec(output);
        if (ready) resolve(Number(ready[1]));
      });
      server.once('exit', (code) => reject(new Error(`the HTTP server peer exited with ${code} before it was ready`)));
    });
    const args = [
      '--port',
      port,
      '--requests',
      load.requests,
      '--rate',
      load.rate,
      '--time-limit-ms',
      load.timeLimitMs,
    ];
    const { log, ...loadResult } = await runPeer(process.execPath, [here('./http-load.js'), ...args.map(String)], {
      timeoutMs: load.timeLimitMs + 30_000,
    });
    server.stdin.end();
    await closed;
    const line = output.split('\n').find((l) => l.startsWith(RESULT_MARKER));
    if (line === undefined) throw new Error(`the HTTP server peer reported nothing:\n${output}`);
    return { load: loadResult, served: JSON.parse(line.slice(RESULT_MARKER.length)), output: `${log}\n${output}` };
  } finally {
    clearTimeout(killer);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
}

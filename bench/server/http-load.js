#!/usr/bin/env node
// A bounded load generator for http-server-peer.js: sends a fixed number of GET
// requests to 127.0.0.1 at a fixed rate (open loop: a slow answer does not delay the
// next request, as with independent clients), over keep-alive connections, and stops
// early at a time limit. Reports latency percentiles.
//
//   node bench/server/http-load.js --port 8080 --requests 1000 --rate 200 --time-limit-ms 20000

import { Agent, get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { emitResult } from '../lib/measure.mjs';
import { quantile } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    requests: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    'time-limit-ms': { type: 'string', default: '20000' },
  },
});
const port = Number(values.port);
const total = Number(values.requests);
const intervalMs = 1000 / Number(values.rate);
const timeLimitMs = Number(values['time-limit-ms']);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function request(path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(performance.now() - started));
    }).on('error', reject);
  });
}

const latencies = [];
const pending = [];
let failed = 0;
const started = performance.now();
for (let i = 0; i < total; i++) {
  const due = started + i * intervalMs;
  if (due - started > timeLimitMs) break;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  pending.push(
    request(`/r${i}`).then(
      (ms) => latencies.push(ms),
      () => failed++,
    ),
  );
}
// Requests still unanswered at the time limit count as unanswered, not as latencies.
const timeLimit = new AbortController();
const deadline = sleep(Math.max(0, started + timeLimitMs - performance.now()), undefined, {
  signal: timeLimit.signal,
}).catch(() => {});
await Promise.race([Promise.all(pending), deadline]);
timeLimit.abort();
const seconds = (performance.now() - started) / 1000;
agent.destroy();

emitResult({
  sent: pending.length,
  answered: latencies.length,
  failed,
  timedOut: latencies.length + failed < total,
  seconds,
  latencyMs: {
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
  },
});

#!/usr/bin/env node
// A tiny HTTP server on 127.0.0.1 that answers every request with a small JSON body,
// optionally while a model trains — in the background or on the event loop's own
// thread — or while a worker thread only spins (`busy-core`: a core taken away from
// the server without blasprop involved, to tell the cost of a busy core from that of
// training). It prints `READY <port>` once it is listening and the work has started,
// goes on until its standard input closes (or a time limit passes), then reports how
// fast the model trained and exits.
//
//   node bench/server/http-server-peer.js --training none|busy-core|background|in-thread --size M

import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { emitResult } from '../lib/measure.mjs';
import { SIZES } from '../train-step/sizes.js';
import { LR, problem, regressor } from './problem.js';

const { values } = parseArgs({
  options: {
    training: { type: 'string', default: 'none' },
    size: { type: 'string', default: 'M' },
    'max-seconds': { type: 'string', default: '120' },
  },
});
const size = SIZES[values.size];
const training = values.training;

const server = createServer((request, response) => {
  const body = JSON.stringify({ ok: true, path: request.url });
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const stop = new AbortController();
let trained = Promise.resolve({ samples: 0, seconds: 0 });
if (training === 'busy-core') {
  const spinner = new Worker('for (;;);', { eval: true });
  stop.signal.addEventListener('abort', () => spinner.terminate());
} else if (training !== 'none') {
  const rows = size.N * 16;
  const { x, y } = problem(size, rows);
  const model = regressor(size);
  const options = { batchSize: size.N, lr: LR, background: training === 'background' };
  // Warm-up before the first request: worker start, addon load, JIT.
  await model.fit(x.rowRange(0, 2 * size.N), y.rowRange(0, 2 * size.N), { ...options, epochs: 1 });
  let samples = 0;
  const started = performance.now();
  trained = model
    .fit(x, y, {
      ...options,
      epochs: 1_000_000,
      signal: stop.signal,
      callbacks: {
        onBatchEnd: (_batch, logs) => {
          samples += logs.size;
        },
      },
    })
    .catch((error) => {
      if (error.name !== 'AbortError') throw error;
    })
    .then(() => ({ samples, seconds: (performance.now() - started) / 1000 }));
}

// Bounded: the server ends when the runner closes its input, or after max-seconds.
const limit = setTimeout(() => stop.abort(), Number(values['max-seconds']) * 1000);
process.stdin.resume();
process.stdin.on('end', () => stop.abort());
process.stdin.on('close', () => stop.abort());
stop.signal.addEventListener('abort', async () => {
  clearTimeout(limit);
  process.stdin.destroy();
  server.close();
  const { samples, seconds } = await trained;
  emitResult({ training, size: values.size, samplesPerSecond: seconds > 0 ? samples / seconds : 0 });
});
console.log(`READY ${server.address().port}`);

#!/usr/bin/env node
// npm run crash-safety [-- --kills N] [--seed S]
//
// A child process saves a TwoLayerRegressor in a loop and is killed with SIGKILL at
// random moments (default 50 times); after every kill the file must load and hold
// either the previous or the new weights, bit for bit.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { killLoop } from './crash/kill-loop.mjs';

const { values: options } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
  },
});

const folder = mkdtempSync(join(tmpdir(), 'blasprop-crash-'));
try {
  console.log(`crash-safety: ${options.kills} kills, seed ${options.seed}`);
  const result = await killLoop({ folder, kills: Number(options.kills), seed: Number(options.seed) });
  console.log(JSON.stringify(result));
  console.log(`crash-safety: ${result.kills} passed, 0 failed`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}

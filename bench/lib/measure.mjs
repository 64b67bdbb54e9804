// The measuring half of the harness, run inside each JavaScript peer process:
// warm up, then time several blocks of calls, then report one JSON line to the
// parent. The C and Python peers do exactly the same in c/bench_harness.h and
// python/bench_harness.py, so every implementation is timed the same way.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Marks the one stdout line the parent reads, so libraries may print what they like. */
export const RESULT_MARKER = 'BENCH_RESULT ';

/** Options every peer understands, plus its own. Numbers arrive as strings and are converted. */
export function peerOptions(extra = {}) {
  const { values } = parseArgs({
    options: {
      'warmup-ms': { type: 'string', default: '200' },
      'block-ms': { type: 'string', default: '100' },
      blocks: { type: 'string', default: '5' },
      threads: { type: 'string', default: '1' },
      ...extra,
    },
  });
  return {
    ...values,
    warmupMs: Number(values['warmup-ms']),
    blockMs: Number(values['block-ms']),
    blocks: Number(values.blocks),
    threads: Number(values.threads),
  };
}

/**
 * Runs `step` for `warmupMs` (not at all for 0), sizes the blocks from the warm-up's
 * pace so that each lasts about `blockMs` (one call per block when there was no
 * warm-up), then times `blocks` of them. Returns microseconds per call for each block.
 */
export function timeBlocks(step, { warmupMs, blockMs, blocks }) {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < warmupMs) {
    step();
    calls++;
  }
  const itersPerBlock = callsPerBlock(calls, performance.now() - start, blockMs);
  const blockUs = [];
  for (let b = 0; b < blocks; b++) {
    const t0 = performance.now();
    for (let i = 0; i < itersPerBlock; i++) step();
    blockUs.push(((performance.now() - t0) * 1000) / itersPerBlock);
  }
  return { blockUs, itersPerBlock };
}

/**
 * timeBlocks for a `step` that returns a promise (a whole fit, say): each call is
 * awaited before the next starts. Kept apart from timeBlocks so that the synchronous
 * steps, a few microseconds each, are not charged for an await.
 */
export async function timeBlocksAsync(step, { warmupMs, blockMs, blocks }) {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < warmupMs) {
    await step();
    calls++;
  }
  const itersPerBlock = callsPerBlock(calls, performance.now() - start, blockMs);
  const blockUs = [];
  for (let b = 0; b < blocks; b++) {
    const t0 = performance.now();
    for (let i = 0; i < itersPerBlock; i++) await step();
    blockUs.push(((performance.now() - t0) * 1000) / itersPerBlock);
  }
  return { blockUs, itersPerBlock };
}

/** Calls per block for blocks of about `blockMs`, at the pace of `calls` calls in `elapsedMs` (1 without a warm-up). */
export function callsPerBlock(calls, elapsedMs, blockMs) {
  if (calls === 0) return 1;
  return Math.max(1, Math.round(blockMs / (elapsedMs / calls)));
}

/**
 * Peak resident set size of this process so far, in KiB: VmHWM from /proc. Not
 * getrusage's maxrss, which on Linux carries over the high-water mark of the process
 * image before exec, i.e. of the forked parent runner.
 */
export function peakRssKb() {
  try {
    const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall back to getrusage below.
  }
  return process.resourceUsage().maxRSS;
}

export function emitResult(result) {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ peakRssKb: peakRssKb(), ...result })}\n`);
}

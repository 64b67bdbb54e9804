// Bookkeeping shared by the benchmark runners: their common command-line flags, the
// check that the package is built, the collection of per-round results, and the loop
// that runs every peer of every round.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { peerName } from './markdown.mjs';
import { rawDir, repoDir } from './paths.mjs';
import { PeerError, runPeer } from './spawn.mjs';

/**
 * Parses the runner's flags: the shared ones (rounds, quick, and threads unless
 * `threads: false`, for a benchmark that runs at one thread only and so rejects the
 * flag rather than ignore it) plus `extra`.
 */
export function runnerOptions(extra = {}, { threads = true } = {}) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      ...(threads ? { threads: { type: 'string', default: '1,2' } } : {}),
      ...extra,
    },
  });
  return threads ? { ...values, threads: values.threads.split(',').map(Number) } : values;
}

export function requireBuiltPackage() {
  if (!existsSync(join(repoDir, 'dist/index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` (and `npm run build:native` if needed) first.');
  }
}

/** Results of every peer at every configuration, kept per round so ratios can be paired. */
export class Results {
  #byKey = new Map();

  add(key, round, result) {
    if (!this.#byKey.has(key)) this.#byKey.set(key, { rounds: [], runs: [] });
    const entry = this.#byKey.get(key);
    entry.rounds[round] = result.blockUs;
    entry.runs.push(result);
  }

  /** Block timings per round (an empty list for a round that failed). */
  rounds(key) {
    const entry = this.#byKey.get(key);
    return entry ? Array.from(entry.rounds, (r) => r ?? []) : [];
  }

  all(key) {
    return this.rounds(key).flat();
  }

  /** The first complete result object, for what a peer reported about itself. */
  first(key) {
    return this.#byKey.get(key)?.runs[0];
  }

  runs(key) {
    return this.#byKey.get(key)?.runs ?? [];
  }
}

/** Appends the peers' own output to a log under results/raw/, which is not committed. */
export function rawLogWriter(name) {
  const path = join(rawDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const lines = [];
  return {
    path,
    add(header, text) {
      lines.push(`### ${header}`, text.trimEnd(), '');
    },
    save() {
      writeFileSync(path, `${lines.join('\n')}\n`);
    },
  };
}

export function progress(message) {
  process.stderr.write(`${message}\n`);
}

/** `{ name: value }` as `['--name', 'value', …]`, the form every peer's options take. */
export function commandLine(values) {
  return Object.entries(values).flatMap(([k, v]) => [`--${k}`, String(v)]);
}

/**
 * The environment of a peer asked to run `threads` BLAS threads: OpenBLAS and OpenMP
 * read these once, at load, whichever library the peer brings.
 * PYTHONDONTWRITEBYTECODE keeps __pycache__ folders out of the source tree.
 */
export function peerEnv(threads) {
  return { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), PYTHONDONTWRITEBYTECODE: '1' };
}

/**
 * The peers that can run here, and a Markdown line for each that cannot, saying what
 * to install. `located[id]` is { command, args } or { skip: reason }.
 */
export function availablePeers(peers, located) {
  return {
    runnable: peers.filter((p) => !located[p.id].skip),
    skipped: peers.filter((p) => located[p.id].skip).map((p) => `- ${p.label}: not run (${located[p.id].skip})`),
  };
}

/**
 * Runs every measurement of `schedule` ({ round, config, peer }, see schedule.mjs),
 * each in a process of its own with `threadsOf(config)` BLAS threads, and adds its
 * result to `results` under `keyOf(config, peer.id)`. `flagsOf(config, peer, round)`
 * gives the peer's options, or undefined to leave that measurement out;
 * `describe(config)` names the configuration in progress lines and the log;
 * `format(result, config)` sums a result up for the progress line. Returns one line
 * per failed run: a failure is reported, and the other peers still run.
 */
export async function runSchedule(
  schedule,
  { located, rounds, flagsOf, threadsOf, keyOf, describe, format, results, log },
) {
  const failures = [];
  for (const { round, config, peer } of schedule) {
    const flags = flagsOf(config, peer, round);
    if (flags === undefined) continue;
    const { command, args } = located[peer.id];
    const name = peerName(peer, { bold: false });
    try {
      const result = await runPeer(command, [...args, ...commandLine(flags)], {
        env: peerEnv(threadsOf(config)),
        timeoutMs: 600_000,
      });
      results.add(keyOf(config, peer.id), round, result);
      log.add(`round ${round} ${describe(config)} ${peer.id}`, result.log);
      progress(`[${round + 1}/${rounds}] ${describe(config)}, ${name}: ${format(result, config)}`);
    } catch (error) {
      if (!(error instanceof PeerError)) throw error;
      failures.push(`${name} at ${describe(config)}: ${error.message}`);
      progress(error.message);
    }
  }
  return failures;
}

// Bookkeeping shared by the benchmark runners: command-line flags common to both,
// the check that the package is built, and the collection of per-round results.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { rawDir, repoDir } from './paths.mjs';

/** Parses the runner's flags: the shared ones (rounds, threads, quick) plus `extra`. */
export function runnerOptions(extra = {}) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      threads: { type: 'string', default: '1,2' },
      ...extra,
    },
  });
  return {
    ...values,
    threads: values.threads.split(',').map(Number),
  };
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

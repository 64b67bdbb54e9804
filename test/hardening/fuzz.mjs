#!/usr/bin/env node
// npm run fuzz [-- --runs N] [--seed S] [--only TEXT]
//
// Property-based fuzzing of the public surface with fast-check (default 120,000
// cases): dgemm, dgemv, daxpy and dscal with valid calls in every memory layout
// (compared with the reference kernels), invalid calls (each must throw the right
// TypeError or RangeError and leave memory untouched), junk arguments and raw-addon
// calls; then Matrix, the layers, loadStateDict and model files with truncations and
// byte flips. A failure prints the shrunk counterexample and the seed to replay it:
//   npm run fuzz -- --seed <seed> --only "<target name>"

import { parseArgs } from 'node:util';

import { blasTargets } from './fuzz/blas-targets.mjs';
import { modelTargets } from './fuzz/model-targets.mjs';
import { runTargets } from './fuzz/run-targets.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '120000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    only: { type: 'string' },
  },
});
const seed = Number(options.seed);
const targets = [...blasTargets(), ...modelTargets()].filter((t) => !options.only || t.name.includes(options.only));
if (targets.length === 0) throw new Error(`no fuzz target matches "${options.only}"`);

console.log(`fuzz: ${options.runs} cases over ${targets.length} targets, seed ${seed}`);
const total = await runTargets(targets, {
  runs: Number(options.runs),
  seed,
  onTarget: (name, runs, ms) =>
    console.log(`  ${name.padEnd(32)} ${String(runs).padStart(7)} cases ${Math.round(ms)} ms`),
});
console.log(`fuzz: ${total} passed, 0 failed`);

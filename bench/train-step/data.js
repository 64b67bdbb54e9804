// The shared problem every implementation trains on: inputs, targets and initial
// weights generated once here and written to one little-endian binary file, which
// the JavaScript, Python and C peers all read, so that all of them start from the
// same numbers and their losses can be compared.
//
// Layout: "BPTSTEP1" (8 bytes); N, D, H, O as uint32; lr as float64; then as float64,
// row-major: X (N×D), Y (N×O), W1 (D×H), b1 (H), W2 (H×O), b2 (O).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Random } from '../../dist/index.js';
import { buildDir, ensureDirs } from '../lib/paths.mjs';

const MAGIC = 'BPTSTEP1';
const HEADER_BYTES = 32;
const SEED = 20240611;

/**
 * A learning rate small enough that plain SGD on the summed loss does not diverge
 * over thousands of timed steps. With reduction 'sum' the gradient grows with the
 * batch, and the curvature along W2 grows with N·H (the ReLU outputs have a non-zero
 * mean), so the step shrinks with both.
 */
export function learningRate({ N, H }) {
  return 0.05 / (N * H);
}

function arrays({ N, D, H, O }) {
  return { X: N * D, Y: N * O, W1: D * H, b1: H, W2: H * O, b2: O };
}

/**
 * Inputs are standard normal; targets a smooth function of them, tanh(X·T/√D) for a
 * fixed random T, so the loss has somewhere to go; W1 and W2 are He-initialised
 * (normal, variance 2/fan-in) and the biases start at zero.
 */
export function generate(size) {
  const { N, D, H, O } = size;
  const random = new Random(SEED);
  const X = random.fillNormal(new Float64Array(N * D));
  const T = random.fillNormal(new Float64Array(D * O));
  const Y = new Float64Array(N * O);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < O; j++) {
      let s = 0;
      for (let p = 0; p < D; p++) s += X[i * D + p] * T[p * O + j];
      Y[i * O + j] = Math.tanh(s / Math.sqrt(D));
    }
  }
  return { N, D, H, O, lr: learningRate(size), X, Y, ...initialWeights(random, size) };
}

/** He-initialised weights (normal, variance 2/fan-in) drawn from `random`, and zero biases. */
export function initialWeights(random, { D, H, O }) {
  const W1 = random.fillNormal(new Float64Array(D * H), Math.sqrt(2 / D));
  const W2 = random.fillNormal(new Float64Array(H * O), Math.sqrt(2 / H));
  return { W1, b1: new Float64Array(H), W2, b2: new Float64Array(O) };
}

/** Writes the problem for `size` into `dir` (bench/.build by default) and returns the file's path. */
export function writeProblem(size, dir = buildDir) {
  ensureDirs();
  const problem = generate(size);
  const parts = Object.keys(arrays(size)).map((name) => problem[name]);
  const bytes = Buffer.alloc(HEADER_BYTES + parts.reduce((n, a) => n + a.byteLength, 0));
  bytes.write(MAGIC, 0, 'latin1');
  for (const [i, v] of [size.N, size.D, size.H, size.O].entries()) bytes.writeUInt32LE(v, 8 + 4 * i);
  bytes.writeDoubleLE(problem.lr, 24);
  let offset = HEADER_BYTES;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) bytes.writeDoubleLE(part[i], offset + 8 * i);
    offset += part.byteLength;
  }
  const path = join(dir, `train-step-${size.name}.bin`);
  writeFileSync(path, bytes);
  return path;
}

/** Reads a problem file back into Float64Arrays (fresh copies, aligned, owned by the caller). */
export function readProblem(path) {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path} is not a train-step problem file`);
  const [N, D, H, O] = [0, 1, 2, 3].map((i) => bytes.readUInt32LE(8 + 4 * i));
  const problem = { N, D, H, O, lr: bytes.readDoubleLE(24) };
  let offset = HEADER_BYTES;
  for (const [name, length] of Object.entries(arrays({ N, D, H, O }))) {
    const values = new Float64Array(length);
    for (let i = 0; i < length; i++) values[i] = bytes.readDoubleLE(offset + 8 * i);
    problem[name] = values;
    offset += 8 * length;
  }
  return problem;
}

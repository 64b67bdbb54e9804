// The shared fit problem, generated once and written to one little-endian binary file
// that the JavaScript, Python and C peers all read: the data set, the initial weights,
// the training settings, and the row order of the check epochs, which is the order
// blasprop's fit uses (src/model/fit.ts, epochOrder), so that every peer can train the
// same batches and their epoch losses can be compared.
//
// Layout: "BPFIT001" (8 bytes); rows, D, H, O, batchSize, epochsPerCall, checkEpochs,
// seed as uint32; lr as float64; then as float64, row-major: X (rows×D), Y (rows×O),
// W1 (D×H), b1 (H), W2 (H×O), b2 (O); then as uint32: the row order of each check
// epoch (checkEpochs×rows). The loss is the mean squared error.

import { readFileSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';

import { friedman1 } from '../../dist/data/friedman.js';
import { fitStandardisation, standardise } from '../../dist/data/standardise.js';
import { Random } from '../../dist/index.js';
import { epochOrder } from '../../dist/model/fit/epoch-order.js';
import { buildDir, ensureDirs } from '../lib/paths.mjs';
import { generate, initialWeights } from '../train-step/data.js';
import { TRAINING } from './configs.js';

const MAGIC = 'BPFIT001';
const HEADER_BYTES = 48;
const HEADER_FIELDS = ['rows', 'D', 'H', 'O', 'batchSize', 'epochsPerCall', 'checkEpochs', 'seed'];
/** The seed of the CLI's generated data sets (src/cli/presets.ts, DATA_SEED). */
const CLI_DATA_SEED = 1991;
const WEIGHT_SEED = 20240611;

function arrays({ rows, D, H, O }) {
  return { X: rows * D, Y: rows * O, W1: D * H, b1: H, W2: H * O, b2: O };
}

/** The data set, initial weights and settings of `config` (see configs.js). */
export function generateFit(config, training = TRAINING) {
  const { rows, D, H, O } = config;
  let data;
  if (config.data === 'friedman1') {
    if (D !== 10 || O !== 1) throw new Error('Friedman #1 has 10 features and 1 target');
    // As `blasprop train` prepares it: features and target standardised.
    const { x, y } = friedman1(rows, CLI_DATA_SEED);
    standardise(x, fitStandardisation(x));
    standardise(y, fitStandardisation(y));
    data = { X: x.data, Y: y.data, ...initialWeights(new Random(WEIGHT_SEED), config) };
  } else {
    data = generate({ N: rows, D, H, O });
  }
  const orders = [];
  for (let epoch = 0; epoch < training.checkEpochs; epoch++) {
    const order = new Uint32Array(rows);
    epochOrder(order, training.seed, epoch, true);
    orders.push(order);
  }
  return {
    rows,
    D,
    H,
    O,
    ...training,
    X: data.X,
    Y: data.Y,
    W1: data.W1,
    b1: data.b1,
    W2: data.W2,
    b2: data.b2,
    orders,
  };
}

function requireLittleEndian() {
  // The typed arrays below are read and written in the machine's byte order.
  if (endianness() !== 'LE') throw new Error('the fit problem file is written on little-endian machines only');
}

/** Writes the problem of `config` into `dir` (bench/.build by default) and returns the file's path. */
export function writeFitProblem(config, dir = buildDir, training = TRAINING) {
  requireLittleEndian();
  ensureDirs();
  const problem = generateFit(config, training);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  HEADER_FIELDS.forEach((field, i) => {
    header.writeUInt32LE(problem[field], 8 + 4 * i);
  });
  header.writeDoubleLE(problem.lr, 40);
  const parts = [header, ...Object.keys(arrays(problem)).map((name) => problem[name]), ...problem.orders];
  const path = join(dir, `fit-${config.name}.bin`);
  writeFileSync(
    path,
    Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength)))),
  );
  return path;
}

/** Reads a fit problem file back: header fields, Float64Arrays and the check epochs' orders (fresh, aligned copies). */
export function readFitProblem(path) {
  requireLittleEndian();
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path} is not a fit problem file`);
  const problem = Object.fromEntries(HEADER_FIELDS.map((field, i) => [field, bytes.readUInt32LE(8 + 4 * i)]));
  problem.lr = bytes.readDoubleLE(40);
  // slice() copies into a new ArrayBuffer, so every array starts aligned whatever the Buffer's offset.
  const take = (Type, length) => {
    const start = bytes.byteOffset + offset;
    offset += length * Type.BYTES_PER_ELEMENT;
    return new Type(bytes.buffer.slice(start, start + length * Type.BYTES_PER_ELEMENT));
  };
  let offset = HEADER_BYTES;
  for (const [name, length] of Object.entries(arrays(problem))) problem[name] = take(Float64Array, length);
  problem.orders = Array.from({ length: problem.checkEpochs }, () => take(Uint32Array, problem.rows));
  if (offset !== bytes.length) throw new Error(`${path} is ${bytes.length} bytes where its header describes ${offset}`);
  return problem;
}

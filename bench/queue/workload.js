// The jobs the queue benchmark trains, and their data: Friedman #1 rows in a CSV file
// (the shared storage of a fleet is a local folder here), and the specs of J models of
// the command line's shape, each with its own seed — a model per customer, say.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { formatCsv } from '../../dist/data/csv.js';
import { friedman1 } from '../../dist/data/friedman.js';
import { Matrix, TwoLayerRegressor } from '../../dist/index.js';
import { writeTableFile } from '../../dist/queue/index.js';

/** A job of the throughput runs: 8,000 training rows, 10 epochs, about half a second on one core. */
export const JOB = { rows: 10_000, hidden: 32, epochs: 10, batchSize: 32, validationSplit: 0.2 };
/** The smallest job worth the name, for the per-job overhead: one epoch of one batch. */
export const TINY_JOB = { rows: 32, hidden: 8, epochs: 1, batchSize: 32, validationSplit: 0 };

/** Writes `shape.rows` rows of Friedman #1 to `dir`, as CSV and as a table file; returns their paths and the target column. */
export async function writeData(dir, shape) {
  const { x, y } = friedman1(shape.rows, 1991);
  const table = new Matrix(x.rows, x.cols + 1);
  for (let r = 0; r < x.rows; r++) {
    table.data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), r * table.cols);
    table.data[r * table.cols + x.cols] = y.data[r];
  }
  const header = [...Array.from({ length: x.cols }, (_, i) => `x${i + 1}`), 'y'];
  const path = join(dir, `friedman-${shape.rows}.csv`);
  await writeFile(path, formatCsv(header, table));
  const tablePath = join(dir, `friedman-${shape.rows}.table`);
  await writeTableFile(tablePath, header, table);
  return { path, tablePath, features: x.cols, targets: ['y'] };
}

/** `count` job specs of `shape` on `data` (its CSV file, or its table file), seeds `firstSeed`, `firstSeed + 1`, … */
export function jobSpecs(data, shape, count, firstSeed = 1, source = 'csv') {
  return Array.from({ length: count }, (_, i) => {
    const seed = firstSeed + i;
    const model = new TwoLayerRegressor({ inputSize: data.features, hiddenSize: shape.hidden, outputSize: 1, seed });
    return {
      model: model.toConfig(),
      data: { [source]: source === 'csv' ? data.path : data.tablePath, targets: data.targets, standardise: true },
      fit: { epochs: shape.epochs, batchSize: shape.batchSize, lr: 0.02, validationSplit: shape.validationSplit },
    };
  });
}

/** Training rows seen by one job of `shape`. */
export function samplesPerJob(shape) {
  return (shape.rows - Math.floor(shape.rows * shape.validationSplit)) * shape.epochs;
}

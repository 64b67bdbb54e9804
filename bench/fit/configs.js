// The fits measured: a network of D inputs, H hidden ReLU units and O outputs, trained
// by mini-batch SGD on the mean squared error over a fixed data set of `rows` rows,
// shuffled every epoch. Every peer runs the same epochs of the same batches.

/** What every configuration shares: the CLI's default batch size and learning rate. */
export const TRAINING = {
  batchSize: 32,
  lr: 0.02,
  /** Epochs in one timed call: a whole fit of several epochs, as a user makes it. */
  epochsPerCall: 5,
  /** Epochs run from the shared initial weights, in the shared row order, whose losses are compared. */
  checkEpochs: 2,
  /** Seed of the epochs' row order. */
  seed: 7,
};

/**
 * data: 'friedman1' is the CLI's default data set (Friedman #1, 40,000 rows,
 * standardised), 'tanh' the train-step benchmark's (normal inputs, targets a smooth
 * function of them).
 */
export const FIT_CONFIGS = {
  XS: { name: 'XS', D: 8, H: 16, O: 1, rows: 40_000, data: 'tanh' },
  CLI: { name: 'CLI', D: 10, H: 64, O: 1, rows: 40_000, data: 'friedman1' },
  S: { name: 'S', D: 100, H: 200, O: 10, rows: 40_000, data: 'tanh' },
};

export function describeConfig({ name, D, H, O, rows, data }) {
  const what = name === 'CLI' ? 'the CLI default' : name;
  return `${what} (${D}→${H}→${O}, ${rows.toLocaleString('en-US')} rows of ${data === 'friedman1' ? 'Friedman #1' : 'synthetic data'})`;
}

/** Rows trained on in one timed call. */
export function samplesPerCall({ rows }) {
  return rows * TRAINING.epochsPerCall;
}

/** Batches in one epoch, the short last one included. */
export function batchesPerEpoch({ rows }) {
  return Math.ceil(rows / TRAINING.batchSize);
}

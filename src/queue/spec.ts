// A training job as it travels through Redis: plain JSON that any worker of the fleet
// can act on — the model's configuration, the fit's options, and where the data is.
// Specs are checked in full when they are submitted, so that a bad one is refused at
// once, by the caller, rather than failing on a worker after its retries; a worker
// checks what it reads from Redis again before it trusts it.

import type { FitOptions } from '../model/fit/options.js';
import { Model } from '../model/model.js';
import type { ModelConfig } from '../model/model-config.js';
import { checkFiniteMatrix } from '../nn/check-matrix.js';
import { Matrix } from '../nn/matrix.js';
import { checkFinite, checkInteger, checkPositive, isPlainObject, rangeError, typeError } from '../util/check.js';

/**
 * What to train. `model` is `Model.toConfig()` output: the worker builds the network
 * from it, initial weights drawn from `model.seed`, exactly as `Model.fromConfig`
 * does locally, so a job's result is bit-identical to a local fit with the same
 * options on a machine with the same OpenBLAS thread count.
 */
export interface TrainingJobSpec {
  /** The model to train, as `Model.toConfig()` returns it. */
  model: ModelConfig;
  /** The rows to train on: a CSV file every worker can read, or a small matrix carried in the job. */
  data: JobData;
  /** The options of the fit (those that mean the same on any machine). */
  fit: JobFitOptions;
  /** JSON saved with the trained model (its `metadata`), beside what the worker adds (column names, scaling). */
  metadata?: Record<string, unknown>;
}

/** Where a job's rows are: a CSV file, a table file, or matrices in the job itself. */
export type JobData = CsvJobData | TableJobData | InlineJobData;

/** How the rows are prepared before fit sees them; both default to off. */
export interface DataPreparation {
  /**
   * Put the rows in a seeded random order first (as `blasprop train` does), so that
   * `validationSplit`, which holds out the last rows, holds out a random sample.
   */
  shuffleRows?: number;
  /**
   * Standardise features and targets with the statistics of the training rows only;
   * the scaling is saved in the model's metadata (`standardisation`), where
   * `blasprop predict` finds it.
   */
  standardise?: boolean;
}

/** A CSV file with a header row, at a path every worker can read (shared storage). */
export interface CsvJobData extends DataPreparation {
  /** The CSV file's path, the same on every worker. */
  csv: string;
  /** The target columns; every other column is a feature. */
  targets: string[];
}

/**
 * A table file (`writeTableFile`) at a path every worker can read: the same rows as a
 * CSV file, read in a fraction of the time.
 */
export interface TableJobData extends DataPreparation {
  /** The table file's path, the same on every worker. */
  table: string;
  /** The target columns; every other column is a feature. */
  targets: string[];
}

/** Rows carried in the job itself: at most MAX_INLINE_VALUES values in x and y together. */
export interface InlineJobData extends DataPreparation {
  /** The inputs, one row per sample (see {@link inlineMatrix}). */
  x: InlineMatrix;
  /** The targets, one row per sample. */
  y: InlineMatrix;
}

/** A matrix as JSON: its values as little-endian float64 bytes in base64 (exact, -0 and all). */
export interface InlineMatrix {
  /** The number of rows. */
  rows: number;
  /** The number of columns. */
  cols: number;
  /** rows × cols float64 values, row-major, little-endian, in base64. */
  float64: string;
}

/**
 * The options of `Model.fit` that mean the same on any machine. Callbacks, signals,
 * checkpoints and resuming stay behind: a job reports progress through BullMQ, stops
 * through `TrainingQueue.cancel`, and the worker keeps its checkpoint with the job.
 */
export interface JobFitOptions
  extends Pick<FitOptions, 'epochs' | 'batchSize' | 'lr' | 'shuffle' | 'seed' | 'validationSplit'> {
  /** Commit a checkpoint with the job after every this many epochs (default 1) and after the last. */
  checkpointEvery?: number;
}

/**
 * The most values (x and y together) a job may carry inline: 1 MiB of float64. A job's
 * data is stored in its BullMQ hash and read every time the job is fetched (by a
 * worker, by `status`, by `blasprop jobs`), so it must stay small; larger data belongs
 * in a file on shared storage.
 */
export const MAX_INLINE_VALUES = 131_072;

const SEED_RANGE = [-(2 ** 31), 2 ** 32 - 1] as const;
const SPEC_KEYS = ['model', 'data', 'fit', 'metadata'];
const PREPARATION_KEYS = ['shuffleRows', 'standardise'];
const FILE_SOURCES = [
  ['csv', 'a CSV file'],
  ['table', 'a table file'],
] as const;
const DATA_SOURCES = 'a data source { csv, targets }, { table, targets } or { x, y } (inline matrices)';
const FIT_KEYS = ['epochs', 'batchSize', 'lr', 'shuffle', 'seed', 'validationSplit', 'checkpointEvery'];
/** fit options that cannot travel in a job, with what to do instead. */
const LOCAL_ONLY_FIT_OPTIONS: Record<string, string> = {
  callbacks: 'a job reports its progress through BullMQ instead (TrainingQueue.status)',
  signal: 'stop a job with TrainingQueue.cancel instead',
  checkpoint: 'the worker keeps the job’s checkpoint itself (see checkpointEvery)',
  resume: 'a job resumes from its own checkpoint by itself',
  initialEpoch: 'a job resumes from its own checkpoint by itself',
  background: 'a job always trains on the worker’s background pool',
  yieldEvery: 'a job always trains on the worker’s background pool',
  validationData: 'use validationSplit, or put the validation rows last and split them off',
};

/** The inline form of a matrix, for `data: { x: inlineMatrix(x), y: inlineMatrix(y) }`. */
export function inlineMatrix(m: Matrix): InlineMatrix {
  if (!(m instanceof Matrix)) throw typeError('m', 'a Matrix', m);
  const bytes = Buffer.alloc(m.data.length * Float64Array.BYTES_PER_ELEMENT);
  for (let i = 0; i < m.data.length; i++) bytes.writeDoubleLE(m.data[i], i * Float64Array.BYTES_PER_ELEMENT);
  return { rows: m.rows, cols: m.cols, float64: bytes.toString('base64') };
}

/** The Matrix an InlineMatrix holds, checked: shape, canonical base64 of the right length, finite values. */
export function decodeInlineMatrix(name: string, value: unknown): Matrix {
  if (!isPlainObject(value)) throw typeError(name, 'an inline matrix { rows, cols, float64 }', value);
  checkKeys(name, value, ['rows', 'cols', 'float64']);
  const rows = checkInteger(`${name}.rows`, value.rows, 1, MAX_INLINE_VALUES);
  const cols = checkInteger(`${name}.cols`, value.cols, 1, MAX_INLINE_VALUES);
  if (rows * cols > MAX_INLINE_VALUES) {
    throw rangeError(name, `at most ${MAX_INLINE_VALUES} values inline`, value, `${rows} × ${cols}`);
  }
  const text = value.float64;
  if (typeof text !== 'string') throw typeError(`${name}.float64`, 'a base64 string', text);
  const bytes = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64; only a canonical string round-trips.
  if (bytes.toString('base64') !== text || bytes.length !== rows * cols * Float64Array.BYTES_PER_ELEMENT) {
    throw rangeError(
      `${name}.float64`,
      `the base64 of ${rows} × ${cols} little-endian float64 values (${rows * cols * 8} bytes)`,
      text,
    );
  }
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = bytes.readDoubleLE(i * Float64Array.BYTES_PER_ELEMENT);
  checkFiniteMatrix(name, m);
  return m;
}

/**
 * Checks a spec as a whole and returns the model it describes (built from its
 * configuration, initial weights and all). Every problem is a TypeError or RangeError
 * naming the field (`spec.fit.epochs`, `spec.data.targets[1]`, …) and the value.
 */
export function checkJobSpec(spec: unknown): { spec: TrainingJobSpec; model: Model } {
  if (!isPlainObject(spec)) throw typeError('spec', 'a training job spec { model, data, fit }', spec);
  checkKeys('spec', spec, SPEC_KEYS);
  if (!isPlainObject(spec.model)) throw typeError('spec.model', 'a model configuration (Model.toConfig())', spec.model);
  checkJson('spec.model', spec.model);
  const model = Model.fromConfig(spec.model as unknown as ModelConfig);
  if (spec.metadata !== undefined) {
    if (!isPlainObject(spec.metadata)) throw typeError('spec.metadata', 'a JSON object', spec.metadata);
    checkJson('spec.metadata', spec.metadata);
  }
  checkFitOptions(spec.fit);
  checkData(spec.data, model);
  return { spec: spec as unknown as TrainingJobSpec, model };
}

/** The spec's fit options as `Model.fit` takes them (the checkpoint cadence aside). */
export function fitOptionsOf(fit: JobFitOptions): FitOptions {
  const { checkpointEvery: _, ...options } = fit;
  return options;
}

function checkFitOptions(fit: unknown): void {
  if (!isPlainObject(fit)) throw typeError('spec.fit', 'an object of fit options { epochs, … }', fit);
  for (const key of Object.keys(fit)) {
    if (Object.hasOwn(LOCAL_ONLY_FIT_OPTIONS, key)) {
      throw rangeError(
        'spec.fit',
        `fit options a job can carry (${FIT_KEYS.join(', ')})`,
        fit,
        `${key}: ${LOCAL_ONLY_FIT_OPTIONS[key]}`,
      );
    }
  }
  checkKeys('spec.fit', fit, FIT_KEYS);
  checkInteger('spec.fit.epochs', fit.epochs, 1);
  if (fit.batchSize !== undefined) checkInteger('spec.fit.batchSize', fit.batchSize, 1);
  if (fit.lr !== undefined) checkPositive('spec.fit.lr', fit.lr);
  if (fit.shuffle !== undefined && typeof fit.shuffle !== 'boolean') {
    throw typeError('spec.fit.shuffle', 'a boolean', fit.shuffle);
  }
  if (fit.seed !== undefined) checkInteger('spec.fit.seed', fit.seed, ...SEED_RANGE);
  if (fit.validationSplit !== undefined) {
    const split = checkFinite('spec.fit.validationSplit', fit.validationSplit);
    if (split < 0 || split >= 1) throw rangeError('spec.fit.validationSplit', 'a number in [0, 1)', split);
  }
  if (fit.checkpointEvery !== undefined) checkInteger('spec.fit.checkpointEvery', fit.checkpointEvery, 1);
}

function checkData(data: unknown, model: Model): void {
  if (!isPlainObject(data)) {
    throw typeError('spec.data', DATA_SOURCES, data);
  }
  if (data.shuffleRows !== undefined) checkInteger('spec.data.shuffleRows', data.shuffleRows, ...SEED_RANGE);
  if (data.standardise !== undefined && typeof data.standardise !== 'boolean') {
    throw typeError('spec.data.standardise', 'a boolean', data.standardise);
  }
  for (const [key, what] of FILE_SOURCES) {
    if (data[key] === undefined) continue;
    checkKeys('spec.data', data, [key, 'targets', ...PREPARATION_KEYS]);
    const path = data[key];
    if (typeof path !== 'string' || path === '') {
      throw typeError(`spec.data.${key}`, `the path of ${what} every worker can read`, path);
    }
    checkTargets(data.targets, model);
    return;
  }
  if (data.x === undefined && data.y === undefined) {
    throw rangeError('spec.data', DATA_SOURCES, data);
  }
  checkKeys('spec.data', data, ['x', 'y', ...PREPARATION_KEYS]);
  const x = decodeInlineMatrix('spec.data.x', data.x);
  const y = decodeInlineMatrix('spec.data.y', data.y);
  if (x.cols !== model.inputSize) {
    throw rangeError(
      'spec.data.x',
      `a matrix of ${model.inputSize} columns (the model's inputs)`,
      data.x,
      `it has ${x.cols}`,
    );
  }
  if (y.rows !== x.rows || y.cols !== model.targetSize) {
    throw rangeError(
      'spec.data.y',
      `a ${x.rows} × ${model.targetSize} matrix (a target row per row of x)`,
      data.y,
      `it is ${y.rows} × ${y.cols}`,
    );
  }
  if (x.data.length + y.data.length > MAX_INLINE_VALUES) {
    throw rangeError(
      'spec.data',
      `at most ${MAX_INLINE_VALUES} values inline in x and y together (put larger data in a CSV file on shared storage)`,
      data,
      `it holds ${x.data.length + y.data.length}`,
    );
  }
}

function checkTargets(targets: unknown, model: Model): void {
  if (!Array.isArray(targets)) throw typeError('spec.data.targets', 'an array of column names', targets);
  if (targets.length !== model.targetSize) {
    throw rangeError('spec.data.targets', `${model.targetSize} column name(s) (the model's targets)`, targets);
  }
  targets.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') throw typeError(`spec.data.targets[${i}]`, 'a column name', name);
    if (targets.indexOf(name) !== i) throw rangeError(`spec.data.targets[${i}]`, 'a column not named before', name);
  });
}

/** Refuses keys outside `allowed`: a misspelt option must not be dropped silently. */
function checkKeys(name: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const stray = Object.keys(value).find((key) => !allowed.includes(key));
  if (stray !== undefined) {
    throw rangeError(name, `an object with only ${allowed.join(', ')}`, value, `"${stray}" is not one of them`);
  }
}

/** A value that survives JSON unchanged: what Redis will hand the worker is what was checked. */
function checkJson(name: string, value: unknown): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw rangeError(name, 'a number JSON keeps exactly', value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkJson(`${name}[${i}]`, item);
    });
    return;
  }
  const prototype = isPlainObject(value) ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    for (const [key, item] of Object.entries(value as object)) checkJson(`${name}.${key}`, item);
    return;
  }
  throw typeError(name, 'a JSON value (null, boolean, number, string, array or plain object)', value);
}

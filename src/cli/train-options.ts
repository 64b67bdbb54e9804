import { MAX_THREADS } from '../blas/threads.js';
import { DTYPES, type DType } from '../util/dtype.js';
import { fractionOption, integerListOption, integerOption, parseOptions, positiveOption } from './args.js';
import { UsageError } from './errors.js';
import { POST_PRESET, STANDARD_PRESET, type TrainingPreset } from './presets.js';

export type DataSource = { kind: 'friedman1' } | { kind: 'post' } | { kind: 'csv'; path: string; targets: string[] };

export interface TrainOptions {
  source: DataSource;
  preset: TrainingPreset;
  /** Units of each hidden layer. */
  layers: number[];
  momentum: number;
  epochs: number;
  /** undefined: the whole training set in one batch. */
  batchSize: number | undefined;
  lr: number;
  seed: number;
  /** The element type the network trains in. */
  dtype: DType;
  /** Fraction of the rows held out for validation; undefined: the preset's, when there are enough rows. */
  validationSplit: number | undefined;
  /** A CSV file of rows to validate on instead (the same columns as --data). */
  validationData: string | undefined;
  threads: number | undefined;
  outDir: string;
  json: boolean;
}

export const DEFAULT_OUT_DIR = 'blasprop-out';
const PRESETS = { post: POST_PRESET } as const;

const TRAIN_OPTIONS = {
  data: { type: 'string' },
  target: { type: 'string' },
  layers: { type: 'string' },
  hidden: { type: 'string' },
  momentum: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  dtype: { type: 'string' },
  'validation-split': { type: 'string' },
  'validation-data': { type: 'string' },
  threads: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  preset: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The largest hidden layer the command line builds. */
const MAX_UNITS = 100_000;

/** The options of `blasprop train`, checked; undefined when --help was asked for. */
export function parseTrainOptions(args: readonly string[]): TrainOptions | undefined {
  const values = parseOptions('train', args, TRAIN_OPTIONS);
  if (values.help) return undefined;
  const source = dataSource(values.data, values.target, values.preset);
  const preset = source.kind === 'post' ? PRESETS.post : STANDARD_PRESET;
  if (values.layers !== undefined && values.hidden !== undefined) {
    throw new UsageError('--hidden N is short for --layers N: give one of them');
  }
  const validationData = values['validation-data'];
  if (validationData !== undefined) {
    if (source.kind !== 'csv') throw new UsageError('--validation-data needs --data FILE.csv (the same columns)');
    if (validationData === '') throw new UsageError('--validation-data needs a file name');
    if (values['validation-split'] !== undefined) {
      throw new UsageError(
        '--validation-data and --validation-split both choose the validation rows: give one of them',
      );
    }
  }
  return {
    source,
    preset,
    layers:
      values.hidden === undefined
        ? integerListOption('layers', values.layers, preset.layers, 1, MAX_UNITS)
        : [integerOption('hidden', values.hidden, 0, 1, MAX_UNITS)],
    momentum: fractionOption('momentum', values.momentum, preset.momentum, 0, 1),
    epochs: integerOption('epochs', values.epochs, preset.epochs, 1, 1_000_000),
    batchSize:
      values['batch-size'] === undefined
        ? preset.batchSize
        : integerOption('batch-size', values['batch-size'], 0, 1, 100_000_000),
    lr: positiveOption('lr', values.lr, preset.lr),
    seed: integerOption('seed', values.seed, 0, 0, 2 ** 32 - 1),
    dtype: dtypeOption(values.dtype),
    validationSplit:
      values['validation-split'] === undefined
        ? undefined
        : fractionOption('validation-split', values['validation-split'], 0, 0, 1),
    validationData,
    threads: values.threads === undefined ? undefined : integerOption('threads', values.threads, 0, 1, MAX_THREADS),
    outDir: values.out === undefined || values.out === '' ? DEFAULT_OUT_DIR : values.out,
    json: values.json ?? false,
  };
}

function dtypeOption(text: string | undefined): DType {
  if (text === undefined) return 'float64';
  if (!(DTYPES as readonly string[]).includes(text)) {
    throw new UsageError(`--dtype must be ${DTYPES.join(' or ')}, not "${text}"`);
  }
  return text as DType;
}

function dataSource(data: string | undefined, target: string | undefined, preset: string | undefined): DataSource {
  if (preset !== undefined) {
    if (!Object.hasOwn(PRESETS, preset)) {
      throw new UsageError(`unknown preset "${preset}" (available: ${Object.keys(PRESETS).join(', ')})`);
    }
    if (data !== undefined || target !== undefined) {
      throw new UsageError(`--preset ${preset} brings its own data; leave out --data and --target`);
    }
    return { kind: 'post' };
  }
  if (data === undefined) {
    if (target !== undefined) throw new UsageError('--target needs --data FILE.csv');
    return { kind: 'friedman1' };
  }
  if (data === '') throw new UsageError('--data needs a file name');
  if (target === undefined) throw new UsageError('--data needs --target COLUMN[,COLUMN…] naming the target column(s)');
  const targets = target.split(',').map((name) => name.trim());
  if (targets.some((name) => name === '')) throw new UsageError(`--target has an empty column name: "${target}"`);
  const duplicate = targets.find((name, i) => targets.indexOf(name) !== i);
  if (duplicate !== undefined) throw new UsageError(`--target names column "${duplicate}" twice`);
  return { kind: 'csv', path: data, targets };
}

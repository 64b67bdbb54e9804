import { MAX_THREADS } from '../blas/threads.js';
import { MISSING_MODES, type MissingMode } from '../data/missing.js';
import { TASKS, type Task } from '../data/training-table.js';
import { DTYPES, type DType } from '../util/dtype.js';
import {
  fractionOption,
  integerListOption,
  integerOption,
  nonNegativeOption,
  parseOptions,
  positiveOption,
} from './args.js';
import { UsageError } from './errors.js';
import {
  ACTIVATIONS,
  type ActivationName,
  choiceOption,
  columnListOption,
  LOSSES,
  type LossName,
  OPTIMIZERS,
  type OptimizerName,
  type ScheduleSpec,
  scheduleOption,
} from './network-options.js';
import { DEFAULT_LR, IRIS_PRESET, POST_PRESET, STANDARD_PRESET, type TrainingPreset } from './presets.js';

export type DataSource =
  | { kind: 'friedman1' }
  | { kind: 'iris' }
  | { kind: 'post' }
  | { kind: 'csv'; path: string; targets: string[]; ignore: string[]; task: Task; missing: MissingMode };

/** The data sets --demo trains on: Friedman #1 (regression, the default) and Fisher's iris (classification). */
export const DEMOS = ['friedman1', 'iris'] as const;

export interface TrainOptions {
  source: DataSource;
  preset: TrainingPreset;
  /** Units of each hidden layer. */
  layers: number[];
  activation: ActivationName;
  /** Dropout probability after each hidden activation (0: none). */
  dropout: number;
  /** undefined: MSE for regression, cross-entropy for classification. */
  loss: LossName | undefined;
  optimizer: OptimizerName;
  momentum: number;
  /** undefined: the optimizer's own default (0, or 0.01 for AdamW). */
  weightDecay: number | undefined;
  schedule: ScheduleSpec | undefined;
  clipNorm: number | undefined;
  /** Patience of early stopping, which restores the best epoch's weights; undefined: none. */
  earlyStopping: number | undefined;
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
  ignore: { type: 'string' },
  task: { type: 'string' },
  missing: { type: 'string' },
  demo: { type: 'string' },
  activation: { type: 'string' },
  dropout: { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  'clip-norm': { type: 'string' },
  'early-stopping': { type: 'string' },
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
  const source = dataSource(values);
  const preset = source.kind === 'post' ? PRESETS.post : source.kind === 'iris' ? IRIS_PRESET : STANDARD_PRESET;
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
  const optimizer = choiceOption('optimizer', values.optimizer, OPTIMIZERS, preset.optimizer);
  const momentum = fractionOption('momentum', values.momentum, preset.momentum, 0, 1);
  if (values.momentum !== undefined && (optimizer === 'adam' || optimizer === 'adamw')) {
    throw new UsageError(`--momentum is for --optimizer sgd or rmsprop; ${optimizer} takes none`);
  }
  return {
    source,
    preset,
    activation: choiceOption('activation', values.activation, ACTIVATIONS, 'relu'),
    dropout: fractionOption('dropout', values.dropout, 0, 0, 1),
    loss: values.loss === undefined ? undefined : choiceOption('loss', values.loss, LOSSES, 'mse'),
    optimizer,
    weightDecay:
      values['weight-decay'] === undefined ? undefined : nonNegativeOption('weight-decay', values['weight-decay'], 0),
    schedule: scheduleOption(values.schedule),
    clipNorm: values['clip-norm'] === undefined ? preset.clipNorm : positiveOption('clip-norm', values['clip-norm'], 0),
    earlyStopping:
      values['early-stopping'] === undefined
        ? undefined
        : integerOption('early-stopping', values['early-stopping'], 0, 0, 1_000_000),
    layers:
      values.hidden === undefined
        ? integerListOption('layers', values.layers, preset.layers, 1, MAX_UNITS)
        : [integerOption('hidden', values.hidden, 0, 1, MAX_UNITS)],
    momentum,
    epochs: integerOption('epochs', values.epochs, preset.epochs, 1, 1_000_000),
    batchSize:
      values['batch-size'] === undefined
        ? preset.batchSize
        : integerOption('batch-size', values['batch-size'], 0, 1, 100_000_000),
    lr: positiveOption('lr', values.lr, preset.lr ?? DEFAULT_LR[optimizer]),
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

function dataSource(values: {
  data?: string;
  target?: string;
  preset?: string;
  demo?: string;
  ignore?: string;
  task?: string;
  missing?: string;
}): DataSource {
  const { data, target, preset, demo } = values;
  const tableOptions = (['ignore', 'task', 'missing'] as const).find((name) => values[name] !== undefined);
  if (data === undefined && tableOptions !== undefined) throw new UsageError(`--${tableOptions} needs --data FILE.csv`);
  if (preset !== undefined) {
    if (!Object.hasOwn(PRESETS, preset)) {
      throw new UsageError(`unknown preset "${preset}" (available: ${Object.keys(PRESETS).join(', ')})`);
    }
    if (data !== undefined || target !== undefined || demo !== undefined) {
      throw new UsageError(`--preset ${preset} brings its own data; leave out --data, --target and --demo`);
    }
    return { kind: 'post' };
  }
  if (demo !== undefined) {
    if (data !== undefined || target !== undefined) {
      throw new UsageError(`--demo ${demo} brings its own data; leave out --data and --target`);
    }
    return { kind: choiceOption('demo', demo, DEMOS, 'friedman1') };
  }
  if (data === undefined) {
    if (target !== undefined) throw new UsageError('--target needs --data FILE.csv');
    return { kind: 'friedman1' };
  }
  if (data === '') throw new UsageError('--data needs a file name');
  if (target === undefined) throw new UsageError('--data needs --target COLUMN[,COLUMN…] naming the target column(s)');
  const targets = columnListOption('target', target);
  const ignore = columnListOption('ignore', values.ignore);
  const both = ignore.find((name) => targets.includes(name));
  if (both !== undefined) throw new UsageError(`column "${both}" is given to both --target and --ignore`);
  return {
    kind: 'csv',
    path: data,
    targets,
    ignore,
    task: choiceOption('task', values.task, TASKS, 'auto'),
    missing: choiceOption('missing', values.missing, MISSING_MODES, 'error'),
  };
}

import { MAX_THREADS } from '../blas/threads.js';
import { integerOption, parseOptions, positiveOption } from './args.js';
import { UsageError } from './errors.js';
import { POST_PRESET, STANDARD_PRESET, type TrainingPreset } from './presets.js';

export type DataSource = { kind: 'friedman1' } | { kind: 'post' } | { kind: 'csv'; path: string; targets: string[] };

export interface TrainOptions {
  source: DataSource;
  preset: TrainingPreset;
  hidden: number;
  epochs: number;
  /** undefined: the whole training set in one batch. */
  batchSize: number | undefined;
  lr: number;
  seed: number;
  threads: number | undefined;
  outDir: string;
  json: boolean;
}

export const DEFAULT_OUT_DIR = 'blasprop-out';
const PRESETS = { post: POST_PRESET } as const;

const TRAIN_OPTIONS = {
  data: { type: 'string' },
  target: { type: 'string' },
  hidden: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  preset: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The options of `blasprop train`, checked; undefined when --help was asked for. */
export function parseTrainOptions(args: readonly string[]): TrainOptions | undefined {
  const values = parseOptions('train', args, TRAIN_OPTIONS);
  if (values.help) return undefined;
  const source = dataSource(values.data, values.target, values.preset);
  const preset = source.kind === 'post' ? PRESETS.post : STANDARD_PRESET;
  return {
    source,
    preset,
    hidden: integerOption('hidden', values.hidden, preset.hidden, 1, 100_000),
    epochs: integerOption('epochs', values.epochs, preset.epochs, 1, 1_000_000),
    batchSize:
      values['batch-size'] === undefined
        ? preset.batchSize
        : integerOption('batch-size', values['batch-size'], 0, 1, 100_000_000),
    lr: positiveOption('lr', values.lr, preset.lr),
    seed: integerOption('seed', values.seed, 0, 0, 2 ** 32 - 1),
    threads: values.threads === undefined ? undefined : integerOption('threads', values.threads, 0, 1, MAX_THREADS),
    outDir: values.out === undefined || values.out === '' ? DEFAULT_OUT_DIR : values.out,
    json: values.json ?? false,
  };
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

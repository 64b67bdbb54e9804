// `blasprop submit`: the training `blasprop train` would run, as a job on the queue.
// The options are train's own (parsed by parseTrainOptions), plus the queue's; the job
// builds the same model and prepares the data the same way (shuffled rows, scaling
// from the training rows), so a worker trains the model train would have trained.

import { resolve } from 'node:path';

import { readTrainingTable, type TableLayout } from '../data/training-table.js';
import type { TrainingJobSpec, TrainingJobStatus } from '../queue/index.js';
import { integerOption } from './args.js';
import { EXIT_INTERRUPTED, UsageError } from './errors.js';
import { trapInterrupt } from './interrupt.js';
import { buildModel, trainingPlan } from './network.js';
import { openQueue, QUEUE_OPTIONS, takeOptions } from './queue-common.js';
import { SUBMIT_HELP } from './queue-help.js';
import { formatStatus, jsonStatus } from './queue-status.js';
import { parseTrainOptions, type TrainOptions } from './train-options.js';

const SUBMIT_OPTIONS = {
  ...QUEUE_OPTIONS,
  attempts: { type: 'string' },
  wait: { type: 'boolean' },
  // Options of train that a job cannot take, refused with what to do instead.
  out: { type: 'string' },
  threads: { type: 'string' },
} as const;

export async function submitCommand(args: readonly string[]): Promise<number> {
  const { values, rest } = takeOptions('submit', args, SUBMIT_OPTIONS);
  const train = trainOptions(rest);
  if (train === undefined) {
    process.stdout.write(SUBMIT_HELP);
    return 0;
  }
  if (values.out !== undefined) {
    throw new UsageError('blasprop submit writes no files: fetch the trained model with blasprop result ID --out DIR');
  }
  if (values.threads !== undefined) {
    throw new UsageError('OpenBLAS threads are the workers’ setting: blasprop worker --threads N');
  }
  const attempts = integerOption('attempts', values.attempts, 3, 1, 1000);
  const spec = await jobSpec(train);

  const queue = await openQueue('submit', values);
  try {
    const id = await queue.submit(spec, { attempts });
    if (!values.wait) {
      process.stdout.write(train.json ? `${JSON.stringify({ id })}\n` : `${id}\n`);
      return 0;
    }
    if (!train.json) process.stdout.write(`${id}\n`);
    const interrupt = trapInterrupt();
    let status: TrainingJobStatus;
    try {
      status = await queue.waitFor(id, { signal: interrupt.signal });
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
      process.stderr.write(`blasprop: stopped waiting; job ${id} goes on (see blasprop jobs)\n`);
      return EXIT_INTERRUPTED;
    } finally {
      interrupt.dispose();
    }
    if (train.json) process.stdout.write(`${JSON.stringify(jsonStatus(status))}\n`);
    if (status.state !== 'completed') throw status.error;
    process.stderr.write(`${formatStatus(status)}\n`);
    return 0;
  } finally {
    await queue.close();
  }
}

/** train's options, with its messages naming this command. */
function trainOptions(args: readonly string[]): TrainOptions | undefined {
  try {
    return parseTrainOptions(args);
  } catch (error) {
    if (error instanceof UsageError)
      throw new UsageError(error.message.replaceAll('blasprop train', 'blasprop submit'));
    throw error;
  }
}

/**
 * What a job cannot carry yet, with the option that asks for it: a job's worker reads
 * every non-target column of its file as numbers and standardises every column
 * (spec.data), and a job's fit options hold no clipping and no training callbacks.
 */
function unsupported(options: TrainOptions, layout: TableLayout): string | undefined {
  const { source } = options;
  if (source.kind !== 'csv') return undefined;
  if (source.ignore.length > 0) return '--ignore (a job trains on every column of its file)';
  if (source.missing !== 'error') return '--missing (a job refuses missing values)';
  if (layout.classes) return `a classifier (column "${layout.classes.target}" holds labels)`;
  const text = layout.features.find((c) => c.type === 'category');
  if (text) return `text columns (column "${text.name}" would be one-hot encoded)`;
  if (options.schedule) return '--schedule';
  if (options.earlyStopping !== undefined) return '--early-stopping';
  if (options.clipNorm !== undefined) return '--clip-norm';
  return undefined;
}

/**
 * The job: train's model for the file's columns, and its data preparation. The file
 * is read here too, so that bad data is refused now rather than by every worker.
 */
async function jobSpec(options: TrainOptions): Promise<TrainingJobSpec> {
  const { source, preset } = options;
  if (source.kind !== 'csv') {
    throw new UsageError('blasprop submit needs --data FILE.csv and --target COLUMN, a file every worker can read');
  }
  if (options.validationData !== undefined) {
    throw new UsageError('a job validates on a split of its own rows: use --validation-split F, not --validation-data');
  }
  const { x, y, layout } = await readTrainingTable(source.path, source);
  const refused = unsupported(options, layout);
  if (refused !== undefined)
    throw new UsageError(`a queued job cannot take ${refused} yet: train it with blasprop train`);
  const plan = trainingPlan(options, { rows: x.rows, inputSize: x.cols, outputSize: y.cols, classes: undefined });
  return {
    model: buildModel(plan.network).toConfig(),
    // Workers run elsewhere: the path must not depend on this shell's folder.
    data: {
      csv: resolve(source.path),
      targets: source.targets,
      shuffleRows: options.seed,
      standardise: preset.standardise,
    },
    fit: plan.fit,
    metadata: { data: source.path },
  };
}

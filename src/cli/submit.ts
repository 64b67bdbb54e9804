// `blasprop submit`: the training `blasprop train` would run, as a job on the queue.
// The options are train's own (parsed by parseTrainOptions), every one of them, plus
// the queue's; the job builds the same model, with the same schedule, early stopping
// and clipping, and prepares the data the same way (the table's layout, missing
// values, shuffled rows, scaling from the training rows), so a worker trains the
// model train would have trained.

import { resolve } from 'node:path';

import type { TrainingJobSpec, TrainingJobStatus } from '../queue/index.js';
import { savedCallbacks } from '../queue/spec.js';
import { integerOption } from './args.js';
import { EXIT_INTERRUPTED, UsageError } from './errors.js';
import { trapInterrupt } from './interrupt.js';
import { buildModel, trainingCallbacks, trainingPlan } from './network.js';
import { openQueue, QUEUE_OPTIONS, takeOptions } from './queue-common.js';
import { SUBMIT_HELP } from './queue-help.js';
import { formatStatus, jsonStatus } from './queue-status.js';
import { loadTrainingData } from './train-data.js';
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
 * The job: train's model for the file's columns, and its data preparation. The file
 * is read here too, as train reads it, so that bad data is refused now rather than by
 * every worker, and the job records the layout found — the worker reads the file the
 * same way and refuses it if its columns have changed since.
 */
async function jobSpec(options: TrainOptions): Promise<TrainingJobSpec> {
  const { source, preset } = options;
  if (source.kind !== 'csv') {
    throw new UsageError('blasprop submit needs --data FILE.csv and --target COLUMN, a file every worker can read');
  }
  if (options.validationData !== undefined) {
    throw new UsageError('a job validates on a split of its own rows: use --validation-split F, not --validation-data');
  }
  const { data: loaded, layout } = await loadTrainingData(source);
  const classes = layout!.classes;
  const plan = trainingPlan(options, {
    rows: loaded.x.rows,
    inputSize: loaded.x.cols,
    outputSize: loaded.y.cols,
    classes: classes?.labels.length,
  });
  const model = buildModel(plan.network);
  // Taken before the callbacks are made: a schedule sets the optimizer's rate as it is created.
  const config = model.toConfig();
  const callbacks = trainingCallbacks(model, plan.callbacks);
  const { callbacks: _, ...fit } = plan.fit;
  return {
    model: config,
    // Workers run elsewhere: the path must not depend on this shell's folder.
    data: {
      csv: resolve(source.path),
      targets: source.targets,
      ...(source.ignore.length > 0 ? { ignore: source.ignore } : {}),
      layout: { features: [...layout!.features], ...(classes ? { classes } : {}) },
      ...(source.missing !== 'error' ? { missing: source.missing } : {}),
      shuffleRows: options.seed,
      standardise: preset.standardise,
    },
    fit: { ...fit, ...(callbacks.length > 0 ? { callbacks: savedCallbacks(callbacks) } : {}) },
    metadata: { data: source.path },
  };
}

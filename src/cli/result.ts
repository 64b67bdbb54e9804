// `blasprop result ID`: a completed job's model file and History, written to a folder.

import { join } from 'node:path';

import { writeFileAtomic } from '../io/atomic-write.js';
import { makeDirectory } from '../io/make-directory.js';
import type { Logs } from '../model/fit/logs.js';
import { requiredOption } from './args.js';
import { CommandFailure, UsageError } from './errors.js';
import { HISTORY_FILE, MODEL_FILE } from './output-files.js';
import { openQueue, QUEUE_OPTIONS, takeOptions } from './queue-common.js';
import { RESULT_HELP } from './queue-help.js';

const RESULT_OPTIONS = {
  ...QUEUE_OPTIONS,
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function resultCommand(args: readonly string[]): Promise<number> {
  const { values, rest } = takeOptions('result', args, RESULT_OPTIONS);
  if (values.help) {
    process.stdout.write(RESULT_HELP);
    return 0;
  }
  const id = jobId(rest);
  const out = requiredOption('result', 'out', values.out);
  const queue = await openQueue('result', values);
  try {
    const result = await queue.result(id).catch((error: unknown) => {
      if (error instanceof RangeError) throw new UsageError(`the queue has no job ${id}`);
      if (error instanceof Error && error.name === 'JobStateError') throw new CommandFailure(error.message);
      throw error;
    });
    await makeDirectory(out);
    const modelPath = join(out, MODEL_FILE);
    const historyPath = join(out, HISTORY_FILE);
    await writeFileAtomic(modelPath, result.modelFile);
    await writeFileAtomic(historyPath, Buffer.from(`${JSON.stringify(result.history, null, 2)}\n`));
    const { training, validation } = result.metrics;
    const measured = [measures('', training), validation && measures('validation ', validation)]
      .filter(Boolean)
      .join(', ');
    process.stdout.write(
      `job ${id}: ${result.epochs} epochs, ${measured}\n  model    ${modelPath}\n  history  ${historyPath}\n`,
    );
    return 0;
  } finally {
    await queue.close();
  }
}

/** "loss 0.4012", and a classifier's "loss 0.4012, accuracy 0.9167", each after `prefix`. */
function measures(prefix: string, logs: Logs): string {
  const parts = [`${prefix}loss ${logs.loss.toPrecision(4)}`];
  if (logs.accuracy !== undefined) parts.push(`${prefix}accuracy ${logs.accuracy.toPrecision(4)}`);
  return parts.join(', ');
}

/** The one argument that is not an option. */
function jobId(rest: readonly string[]): string {
  const option = rest.find((arg) => arg.startsWith('-'));
  if (option !== undefined)
    throw new UsageError(`unknown option ${option} for blasprop result (see blasprop result --help)`);
  if (rest.length === 0) throw new UsageError('blasprop result needs the job ID (see blasprop result --help)');
  if (rest.length > 1)
    throw new UsageError(`unexpected argument "${rest[1]}" for blasprop result (see blasprop result --help)`);
  return rest[0];
}

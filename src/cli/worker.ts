// `blasprop worker`: trains a queue's jobs on this machine until stopped, logging one
// line per job event to stderr.

import { MAX_THREADS } from '../blas/threads.js';
import { configureTraining } from '../model/background/pool.js';
import { integerOption, parseOptions } from './args.js';
import { EXIT_INTERRUPTED, UsageError } from './errors.js';
import { checkReachable, loadQueue, QUEUE_OPTIONS, queueTarget } from './queue-common.js';
import { WORKER_HELP } from './queue-help.js';

const WORKER_OPTIONS = {
  ...QUEUE_OPTIONS,
  concurrency: { type: 'string' },
  threads: { type: 'string' },
  storage: { type: 'string' },
  scratch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function workerCommand(args: readonly string[]): Promise<number> {
  const values = parseOptions('worker', args, WORKER_OPTIONS);
  if (values.help) {
    process.stdout.write(WORKER_HELP);
    return 0;
  }
  const { url, name } = queueTarget('worker', values);
  const concurrency =
    values.concurrency === undefined ? undefined : integerOption('concurrency', values.concurrency, 0, 1, 1024);
  const threads =
    values.threads === undefined ? undefined : integerOption('threads', values.threads, 0, 1, MAX_THREADS);
  if (values.storage === '') throw new UsageError('--storage needs a folder');
  if (values.scratch === '') throw new UsageError('--scratch needs a folder');
  const { startTrainingWorker } = await loadQueue('worker');
  if (threads !== undefined) configureTraining({ blasThreads: threads });
  await checkReachable(url);

  const worker = await startTrainingWorker({
    connection: url,
    name,
    concurrency,
    storage: values.storage,
    scratch: values.scratch,
  });
  const log = (line: string) => process.stderr.write(`blasprop worker: ${line}\n`);
  let lastError = '';
  worker.on('started', (id, resumedAt) =>
    log(`job ${id} ${resumedAt > 0 ? `resumes after epoch ${resumedAt}` : 'started'}`),
  );
  worker.on('completed', (id, result) =>
    log(`job ${id} completed (${result.epochs} epoch${result.epochs === 1 ? '' : 's'})`),
  );
  worker.on('failed', (id, error, willRetry) =>
    log(`job ${id} failed${willRetry ? ' (will be retried)' : ''}: ${error.message}`),
  );
  // While Redis is away every reconnection attempt fails the same way: say it once.
  worker.on('error', (error) => {
    if (error.message !== lastError) log(`${error.message} (retrying)`);
    lastError = error.message;
  });
  log(`training jobs of queue "${name ?? 'blasprop'}" at ${url}, ${worker.concurrency} at a time; Ctrl-C stops`);

  let stopping = false;
  await new Promise<void>((resolve) => {
    const stop = () => {
      if (stopping) process.exit(EXIT_INTERRUPTED);
      stopping = true;
      log('stopping: running jobs go back to the queue (Ctrl-C again quits at once)');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await worker.close();
  log('stopped');
  return 0;
}

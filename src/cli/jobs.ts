// `blasprop jobs`: the jobs of a queue, with their state and progress.

import { parseOptions } from './args.js';
import { openQueue, QUEUE_OPTIONS } from './queue-common.js';
import { JOBS_HELP } from './queue-help.js';
import { formatJobTable, jsonStatus } from './queue-status.js';

const JOBS_OPTIONS = {
  ...QUEUE_OPTIONS,
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function jobsCommand(args: readonly string[]): Promise<number> {
  const values = parseOptions('jobs', args, JOBS_OPTIONS);
  if (values.help) {
    process.stdout.write(JOBS_HELP);
    return 0;
  }
  const queue = await openQueue('jobs', values);
  try {
    const jobs = await queue.list();
    process.stdout.write(values.json ? `${JSON.stringify(jobs.map(jsonStatus), null, 2)}\n` : formatJobTable(jobs));
    return 0;
  } finally {
    await queue.close();
  }
}

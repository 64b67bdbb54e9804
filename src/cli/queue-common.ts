// What the queue commands (worker, submit, jobs, result) share: their common options,
// picking a command's own options out of a longer command line, reaching Redis, and
// loading blasprop/queue — whose dependencies, bullmq and ioredis, are optional.

import { parseArgs } from 'node:util';

import type * as QueueModule from '../queue/index.js';
import type { OptionSpecs, OptionValues } from './args.js';
import { requiredOption } from './args.js';
import { CommandFailure, UsageError } from './errors.js';

export const QUEUE_OPTIONS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
} as const satisfies OptionSpecs;

/** Seconds a command waits for Redis to answer before it gives up. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Takes the options of `own` out of `args` and returns their values with the other
 * arguments, in their order, for another parser: a command can so add options to
 * another command's options without copying them.
 */
export function takeOptions<T extends OptionSpecs>(
  command: string,
  args: readonly string[],
  own: T,
): { values: Partial<OptionValues<T>>; rest: string[] } {
  const { tokens } = parseArgs({ args: [...args], options: own, strict: false, allowPositionals: true, tokens: true });
  const taken = new Set<number>();
  const values: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind === 'option-terminator') break;
    if (token.kind !== 'option' || !Object.hasOwn(own, token.name)) continue;
    taken.add(token.index);
    if (own[token.name].type === 'boolean') {
      if (token.value !== undefined)
        throw new UsageError(`--${token.name} takes no value (see blasprop ${command} --help)`);
      values[token.name] = true;
      continue;
    }
    // parseArgs without strict takes the next argument even when it is an option.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(`--${token.name} needs a value (see blasprop ${command} --help)`);
    }
    if (!token.inlineValue) taken.add(token.index + 1);
    values[token.name] = token.value;
  }
  return { values: values as Partial<OptionValues<T>>, rest: args.filter((_, i) => !taken.has(i)) };
}

/** blasprop/queue, or a CommandFailure saying which packages to install. */
export async function loadQueue(command: string): Promise<typeof QueueModule> {
  try {
    return await import('../queue/index.js');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_MODULE_NOT_FOUND' && /'(bullmq|ioredis)'/.test(message)) {
      throw new CommandFailure(
        `blasprop ${command} needs the packages bullmq and ioredis, which blasprop does not install by itself: npm install bullmq@^6.7.0 ioredis@^6.0.0`,
      );
    }
    throw error;
  }
}

/** The --redis URL, checked, and the queue's name. */
export function queueTarget(
  command: string,
  values: { redis?: string; queue?: string },
): { url: string; name?: string } {
  const url = requiredOption(command, 'redis', values.redis);
  if (!/^rediss?:\/\/[^/]/.test(url))
    throw new UsageError(`--redis needs a Redis URL such as redis://host:6379, not "${url}"`);
  if (values.queue === '') throw new UsageError('--queue needs a queue name');
  return { url, name: values.queue };
}

/**
 * Checks that Redis answers at `url` within a few seconds, so that a command fails
 * with one clear line rather than waiting on ioredis's reconnection attempts.
 */
export async function checkReachable(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new CommandFailure(`cannot reach Redis at ${url}: ${(error as Error).message}`);
  } finally {
    probe.disconnect();
  }
}

/** Opens the queue named on the command line, once Redis has answered. */
export async function openQueue(
  command: string,
  values: { redis?: string; queue?: string },
): Promise<QueueModule.TrainingQueue> {
  const { url, name } = queueTarget(command, values);
  const { TrainingQueue } = await loadQueue(command);
  await checkReachable(url);
  try {
    return new TrainingQueue({ connection: url, name });
  } catch (error) {
    // The queue's name is the only part of the location left to check.
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(`--queue: ${error.message}`);
    throw error;
  }
}

// Where the queue lives in Redis, and the connections to it. BullMQ keeps its own keys
// under `<prefix>:<name>:…`; what blasprop adds for a job (its checkpoint, result,
// error and cancellation) lives beside them under `blasprop:<prefix>:<name>:…`, so that
// no job id can collide with a key of BullMQ's.

import { Redis, type RedisOptions } from 'ioredis';

import { isPlainObject, rangeError, typeError } from '../util/check.js';

/**
 * Where Redis is: a URL (`redis://[user:password@]host[:port][/db]`, `rediss://` for
 * TLS) or ioredis options (`{ host, port, password, tls, … }`).
 */
export type RedisConnection = string | RedisOptions;

/** Which queue: its BullMQ name and key prefix. */
export interface QueueLocation {
  /** The BullMQ queue's name (default "blasprop"). Producers and workers must agree on it. */
  name?: string;
  /** BullMQ's key prefix (default "bull"). */
  prefix?: string;
}

/** The queue's name when the options give none: `'blasprop'`, as `blasprop worker` and `submit` use. */
export const DEFAULT_QUEUE_NAME = 'blasprop';
const DEFAULT_PREFIX = 'bull';
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

export function checkConnection(name: string, value: unknown): RedisConnection {
  if (typeof value === 'string') {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // Reported below with the value.
    }
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
      throw rangeError(name, 'a Redis URL (redis://host:port or rediss://host:port)', value);
    }
    return value;
  }
  if (!isPlainObject(value)) throw typeError(name, 'a Redis URL or ioredis options { host, port, … }', value);
  return value as RedisOptions;
}

/** The queue's name and prefix, checked, with their defaults. */
export function queueLocation(options: QueueLocation): Required<QueueLocation> {
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  for (const [key, value] of [
    ['name', name],
    ['prefix', prefix],
  ] as const) {
    if (typeof value !== 'string') throw typeError(key, 'a string of letters, digits, "_", "." or "-"', value);
    if (!NAME_PATTERN.test(value))
      throw rangeError(key, 'a string of 1 to 100 letters, digits, "_", "." or "-"', value);
  }
  return { name, prefix };
}

/** The Redis names of what blasprop keeps for the jobs of one queue. */
export class JobKeys {
  private readonly base: string;

  constructor(location: Required<QueueLocation>) {
    this.base = `blasprop:${location.prefix}:${location.name}`;
  }

  /** The hash holding a job's checkpoint, result, error and cancellation. */
  record(id: string): string {
    return `${this.base}:job:${id}`;
  }

  /** Where cancellations are published, for the worker running the job. */
  get cancelChannel(): string {
    return `${this.base}:cancel`;
  }
}

/**
 * A new ioredis connection. `overrides` win over the caller's options: workers need
 * `maxRetriesPerRequest: null`, so that a command waits for Redis to come back
 * instead of failing after a few reconnection attempts.
 */
export function openRedis(connection: RedisConnection, overrides: RedisOptions = {}): Redis {
  return typeof connection === 'string' ? new Redis(connection, overrides) : new Redis({ ...connection, ...overrides });
}

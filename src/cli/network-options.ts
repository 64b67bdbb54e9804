// The choices of network and training the command line offers, by the names its
// options take (--activation gelu, --optimizer adamw, --schedule step:10), parsed into
// plain values that network.ts builds the model and its callbacks from.

import { parseDecimal } from '../data/decimal.js';
import { UsageError } from './errors.js';

export const ACTIVATIONS = ['relu', 'leaky-relu', 'gelu', 'tanh', 'sigmoid'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Regression losses; a classifier always trains with cross-entropy. */
export const LOSSES = ['mse', 'l1', 'huber', 'cross-entropy'] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A learning-rate schedule, stepped once per epoch. */
export type ScheduleSpec =
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine' }
  | { type: 'plateau'; patience: number }
  | { type: 'warmup'; epochs: number };

export const SCHEDULE_FORMS = 'step:N[:GAMMA], exponential:GAMMA, cosine, plateau[:PATIENCE] or warmup:N';

/** One of `choices`, or `fallback` when absent. */
export function choiceOption<T extends string>(
  name: string,
  text: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} takes one of ${choices.join(', ')} but received "${text}"`);
  }
  return text as T;
}

/** `--schedule`: a name and its arguments, separated by colons. */
export function scheduleOption(text: string | undefined): ScheduleSpec | undefined {
  if (text === undefined) return undefined;
  const [name, ...args] = text.split(':');
  const refuse = (why: string) => new UsageError(`--schedule takes ${SCHEDULE_FORMS}, but "${text}" ${why}`);
  const count = (min: number, max: number) => {
    if (args.length < min || args.length > max)
      throw refuse(`has ${args.length} argument${args.length === 1 ? '' : 's'}`);
  };
  const integer = (at: number, what: string) => {
    const value = parseDecimal(args[at] ?? '');
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > 1_000_000) {
      throw refuse(`needs ${what}, an integer in [1, 1000000]`);
    }
    return value;
  };
  const factor = (at: number) => {
    const value = parseDecimal(args[at] ?? '');
    if (value === undefined || !(value > 0 && value < 1)) throw refuse('needs a factor in (0, 1)');
    return value;
  };
  switch (name) {
    case 'step':
      count(1, 2);
      return { type: 'step', stepSize: integer(0, 'a number of epochs'), gamma: args.length > 1 ? factor(1) : 0.1 };
    case 'exponential':
      count(1, 1);
      return { type: 'exponential', gamma: factor(0) };
    case 'cosine':
      count(0, 0);
      return { type: 'cosine' };
    case 'plateau':
      count(0, 1);
      return { type: 'plateau', patience: args.length > 0 ? integer(0, 'a patience in epochs') : 5 };
    case 'warmup':
      count(1, 1);
      return { type: 'warmup', epochs: integer(0, 'a number of epochs') };
    default:
      throw refuse(`is no schedule`);
  }
}

/** A comma-separated list of column names (none empty, none twice). */
export function columnListOption(name: string, text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = text.split(',').map((part) => part.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--${name} has an empty column name: "${text}"`);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new UsageError(`--${name} names column "${duplicate}" twice`);
  return names;
}

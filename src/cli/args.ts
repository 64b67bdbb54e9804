// Option parsing on top of util.parseArgs: one place that turns its errors, and
// option values that are not what they should be, into UsageErrors worded like the
// library's own argument errors.

import { type ParseArgsConfig, parseArgs } from 'node:util';

import { parseDecimal } from '../data/decimal.js';
import { checkFinite, checkInteger, checkPositive, rangeError, typeError } from '../util/check.js';
import { UsageError } from './errors.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues<T extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>
>['values'];

/** Parses `args` against `options` (no positionals); `command` names the command in messages. */
export function parseOptions<T extends OptionSpecs>(
  command: string,
  args: readonly string[],
  options: T,
): OptionValues<T> {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const see = `(see blasprop ${command} --help)`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unknown option ${option} for blasprop ${command} ${see}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const argument = /'([^']*)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unexpected argument "${argument}" for blasprop ${command} ${see}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(-[^' ]+)/.exec(message)?.[1] ?? 'an option';
      const problem = /does not take an argument/.test(message) ? 'takes no value' : 'needs a value';
      throw new UsageError(`${option} ${problem} ${see}`);
    }
    throw error;
  }
}

/**
 * parseArgs refuses `--lr -1` as ambiguous; `--lr=-1` means the same. Rewriting a
 * negative number after a string option lets the value checks word the real problem.
 */
function joinNegativeValues(args: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/** An integer option in [min, max], or `fallback` when absent. */
export function integerOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  return asUsageError(() => checkInteger(`--${name}`, numeric(name, text, `an integer in [${min}, ${max}]`), min, max));
}

/** A finite number > 0, or `fallback` when absent. */
export function positiveOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  return asUsageError(() => checkPositive(`--${name}`, numeric(name, text, 'a finite number > 0')));
}

/** A finite number >= 0, or `fallback` when absent. */
export function nonNegativeOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const expected = 'a finite number >= 0';
  return asUsageError(() => {
    const value = checkFinite(`--${name}`, numeric(name, text, expected));
    if (value < 0) throw rangeError(`--${name}`, expected, value);
    return value;
  });
}

/** A finite number in [min, max), or `fallback` when absent. */
export function fractionOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const expected = `a number in [${min}, ${max})`;
  return asUsageError(() => {
    const value = checkFinite(`--${name}`, numeric(name, text, expected));
    if (value < min || value >= max) throw rangeError(`--${name}`, expected, value);
    return value;
  });
}

/** A comma-separated list of integers in [min, max], or `fallback` when absent. */
export function integerListOption(
  name: string,
  text: string | undefined,
  fallback: readonly number[],
  min: number,
  max: number,
): number[] {
  if (text === undefined) return [...fallback];
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    throw new UsageError(`--${name} takes integers separated by commas (e.g. 64,32) but received "${text}"`);
  }
  return parts.map((part) => integerOption(name, part, 0, min, max));
}

/** A string option that must be there. */
export function requiredOption(command: string, name: string, text: string | undefined): string {
  if (text === undefined || text === '') {
    throw new UsageError(`blasprop ${command} needs --${name} (see blasprop ${command} --help)`);
  }
  return text;
}

function numeric(name: string, text: string, expected: string): number {
  const value = parseDecimal(text);
  if (value === undefined) throw typeError(`--${name}`, expected, text);
  return value;
}

function asUsageError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

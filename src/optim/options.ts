import { checkFinite, rangeError, typeError } from '../util/check.js';

/** An optimizer's options object, checked to be one. */
export function checkOptimizerOptions<T>(options: T, shape: string): T {
  if (typeof options !== 'object' || options === null) throw typeError('options', `an object ${shape}`, options);
  return options;
}

/** A number in [0, 1) (Adam's betas) or, with `closed`, [0, 1] (RMSprop's alpha, SGD's dampening). */
export function checkFraction(name: string, value: unknown, closed = false): number {
  const x = checkFinite(name, value);
  if (x < 0 || (closed ? x > 1 : x >= 1)) throw rangeError(name, `a number in [0, 1${closed ? ']' : ')'}`, value);
  return x;
}

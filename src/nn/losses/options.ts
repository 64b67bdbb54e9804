import { checkOneOf, rangeError, typeError } from '../../util/check.js';
import { REDUCTIONS, type Reduction } from './loss.js';

/** A loss's options object (or nothing) and its reduction, checked. */
export function checkLossOptions<T extends { reduction?: Reduction }>(
  options: T | undefined,
): T & { reduction: Reduction } {
  if (options === undefined) options = {} as T;
  if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
  return { ...options, reduction: checkOneOf('reduction', options.reduction ?? 'mean', REDUCTIONS) };
}

/**
 * Per-column or per-class weights: null or undefined for none, else an array (or
 * Float64Array) of finite numbers >= 0, copied.
 */
export function checkWeights(name: string, value: unknown): Float64Array | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) && !(value instanceof Float64Array)) {
    throw typeError(name, 'an array of finite numbers >= 0, or null', value);
  }
  const length = value.length;
  if (length === 0) throw rangeError(name, 'at least one weight', value);
  const weights = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const w = value[i];
    if (typeof w !== 'number') throw typeError(`${name}[${i}]`, 'a finite number >= 0', w);
    if (!(w >= 0 && w < Number.POSITIVE_INFINITY)) throw rangeError(`${name}[${i}]`, 'a finite number >= 0', w);
    weights[i] = w;
  }
  return weights;
}

/** Weights given for `what` must number exactly `count`. */
export function checkWeightCount(name: string, weights: Float64Array | null, count: number, what: string): void {
  if (weights !== null && weights.length !== count) {
    throw rangeError(
      name,
      `${count} weights, one per ${what}`,
      weights,
      `the predictions have ${count} column${count === 1 ? '' : 's'}`,
    );
  }
}

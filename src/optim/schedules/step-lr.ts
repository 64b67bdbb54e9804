import { checkFinite, checkInteger, rangeError } from '../../util/check.js';
import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';

/** Options of {@link StepLR}, named as PyTorch's (`step_size` → `stepSize`). */
export interface StepLROptions {
  /** Epochs between two decays, a whole number >= 1. */
  stepSize: number;
  /** The factor of each decay, > 0 (default 0.1). */
  gamma?: number;
}

/**
 * The base rate times gamma^⌊epoch / stepSize⌋, as PyTorch's StepLR.
 *
 * @throws TypeError or RangeError naming the option when `stepSize` is not a whole number >= 1
 *   or `gamma` is not a finite number > 0.
 *
 * @example
 * ```ts
 * // With an optimizer at lr 0.1: 0.1 for epochs 0–29, 0.01 for 30–59, 0.001 from 60 on.
 * const schedule = new StepLR(model.optimizer, { stepSize: 30, gamma: 0.1 });
 * await model.fit(x, y, { epochs: 90, callbacks: [schedule] });
 * ```
 */
export class StepLR extends LRScheduler {
  /** The name under which this schedule is registered in configurations. */
  static readonly type = 'StepLR';
  /** Epochs between two decays, a whole number >= 1. */
  readonly stepSize: number;
  /** The factor of each decay, > 0. */
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    checkOptimizerOptions(options, '{ stepSize, gamma }');
    this.stepSize = checkInteger('stepSize', options.stepSize, 1);
    this.gamma = checkPositiveFactor('gamma', options.gamma ?? 0.1);
    this.apply(0, 'epoch');
  }

  /** The type and options that rebuild this schedule. */
  toConfig() {
    return {
      /** `'StepLR'`. */
      type: StepLR.type,
      /** As {@link StepLR.stepSize}. */
      stepSize: this.stepSize,
      /** As {@link StepLR.gamma}. */
      gamma: this.gamma,
    };
  }

  lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** A multiplicative factor of a schedule: a finite number > 0. */
export function checkPositiveFactor(name: string, value: unknown): number {
  const x = checkFinite(name, value);
  if (x <= 0) throw rangeError(name, 'a finite number > 0', value);
  return x;
}

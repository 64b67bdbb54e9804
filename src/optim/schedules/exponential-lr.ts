import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';
import { checkPositiveFactor } from './step-lr.js';

/** Options of {@link ExponentialLR}, named as PyTorch's. */
export interface ExponentialLROptions {
  /** The factor of every epoch, > 0. */
  gamma: number;
}

/**
 * The base rate times gamma^epoch, as PyTorch's ExponentialLR.
 *
 * @throws RangeError when `gamma` is not a finite number > 0.
 */
export class ExponentialLR extends LRScheduler {
  /** The name under which this schedule is registered in configurations. */
  static readonly type = 'ExponentialLR';
  /** The factor of every epoch, > 0. */
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    checkOptimizerOptions(options, '{ gamma }');
    this.gamma = checkPositiveFactor('gamma', options.gamma);
    this.apply(0, 'epoch');
  }

  /** The type and options that rebuild this schedule. */
  toConfig() {
    return {
      /** `'ExponentialLR'`. */
      type: ExponentialLR.type,
      /** As {@link ExponentialLR.gamma}. */
      gamma: this.gamma,
    };
  }

  lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** epoch;
  }
}

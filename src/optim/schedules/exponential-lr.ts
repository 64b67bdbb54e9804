import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';
import { checkPositiveFactor } from './step-lr.js';

export interface ExponentialLROptions {
  /** The factor of every epoch, > 0. */
  gamma: number;
}

/** The base rate times gamma^epoch, as PyTorch's ExponentialLR. */
export class ExponentialLR extends LRScheduler {
  static readonly type = 'ExponentialLR';
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    checkOptimizerOptions(options, '{ gamma }');
    this.gamma = checkPositiveFactor('gamma', options.gamma);
    this.apply(0, 'epoch');
  }

  toConfig() {
    return { type: ExponentialLR.type, gamma: this.gamma };
  }

  lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** epoch;
  }
}

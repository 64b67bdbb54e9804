import { checkFinite, checkInteger, rangeError } from '../../util/check.js';
import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';

export interface StepLROptions {
  /** Epochs between two decays, a whole number >= 1. */
  stepSize: number;
  /** The factor of each decay, > 0 (default 0.1). */
  gamma?: number;
}

/** The base rate times gamma^⌊epoch / stepSize⌋, as PyTorch's StepLR. */
export class StepLR extends LRScheduler {
  static readonly type = 'StepLR';
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    checkOptimizerOptions(options, '{ stepSize, gamma }');
    this.stepSize = checkInteger('stepSize', options.stepSize, 1);
    this.gamma = checkPositiveFactor('gamma', options.gamma ?? 0.1);
    this.apply(0, 'epoch');
  }

  toConfig() {
    return { type: StepLR.type, stepSize: this.stepSize, gamma: this.gamma };
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

import { checkInteger, checkNonNegative } from '../../util/check.js';
import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';

export interface CosineAnnealingLROptions {
  /** Epochs from the base rate down to etaMin, a whole number >= 1. */
  tMax: number;
  /** The smallest rate, >= 0 (default 0). */
  etaMin?: number;
}

/**
 * etaMin + (base − etaMin)·(1 + cos(π·epoch / tMax)) / 2, as PyTorch's
 * CosineAnnealingLR: down to etaMin at tMax and, past it, back up (period 2·tMax). With
 * etaMin 0, a fit that would train an epoch at an odd multiple of tMax is refused.
 */
export class CosineAnnealingLR extends LRScheduler {
  static readonly type = 'CosineAnnealingLR';
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    checkOptimizerOptions(options, '{ tMax, etaMin }');
    this.tMax = checkInteger('tMax', options.tMax, 1);
    this.etaMin = checkNonNegative('etaMin', options.etaMin ?? 0);
    this.apply(0, 'epoch');
  }

  toConfig() {
    return { type: CosineAnnealingLR.type, tMax: this.tMax, etaMin: this.etaMin };
  }

  lrAt(epoch: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }

  /** The ends, and the first epoch in between where the cosine is −1 (the rate is smallest). */
  protected override extremes(first: number, last: number): number[] {
    const period = 2 * this.tMax;
    const trough = first + ((this.tMax - (first % period) + period) % period);
    return trough <= last ? [first, trough, last] : [first, last];
  }
}

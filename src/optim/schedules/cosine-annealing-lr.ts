import { checkInteger, checkNonNegative } from '../../util/check.js';
import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';

/** Options of {@link CosineAnnealingLR}, named as PyTorch's (`T_max` → `tMax`, `eta_min` → `etaMin`). */
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
 *
 * @throws TypeError or RangeError naming the option when `tMax` is not a whole number >= 1
 *   or `etaMin` is negative.
 *
 * @example
 * ```ts
 * const optimizer = new SGD(network.parameters(), { lr: 0.1 });
 * await model.fit(x, y, { epochs: 50, callbacks: [new CosineAnnealingLR(optimizer, { tMax: 50, etaMin: 1e-4 })] });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** The name under which this schedule is registered in configurations. */
  static readonly type = 'CosineAnnealingLR';
  /** Epochs from the base rate down to etaMin, a whole number >= 1. */
  readonly tMax: number;
  /** The smallest rate, >= 0. */
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    checkOptimizerOptions(options, '{ tMax, etaMin }');
    this.tMax = checkInteger('tMax', options.tMax, 1);
    this.etaMin = checkNonNegative('etaMin', options.etaMin ?? 0);
    this.apply(0, 'epoch');
  }

  /** The type and options that rebuild this schedule. */
  toConfig() {
    return {
      /** `'CosineAnnealingLR'`. */
      type: CosineAnnealingLR.type,
      /** As {@link CosineAnnealingLR.tMax}. */
      tMax: this.tMax,
      /** As {@link CosineAnnealingLR.etaMin}. */
      etaMin: this.etaMin,
    };
  }

  /** The rate of `epoch`: etaMin + (base − etaMin)·(1 + cos(π·epoch / tMax)) / 2. */
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

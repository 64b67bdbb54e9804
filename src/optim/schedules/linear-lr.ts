import { checkFinite, checkInteger, rangeError } from '../../util/check.js';
import type { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';

/** Options of {@link LinearLR}, named as PyTorch's (`start_factor` → `startFactor`, …). */
export interface LinearLROptions {
  /** The factor of epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** The factor from epoch totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor moves, a whole number >= 1 (default 5). */
  totalIters?: number;
}

/**
 * The base rate times a factor moving linearly from startFactor (epoch 0, applied as
 * the schedule is created) to endFactor (epoch totalIters, and after), as PyTorch's
 * LinearLR: with the defaults, a linear warm-up.
 *
 * @throws TypeError or RangeError naming the option when a factor or `totalIters` is out of range.
 *
 * @example
 * ```ts
 * // Warm up from a tenth of the rate to the full rate over the first 5 epochs.
 * const warmUp = new LinearLR(model.optimizer, { startFactor: 0.1, totalIters: 5 });
 * await model.fit(x, y, { epochs: 40, callbacks: [warmUp] });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The name under which this schedule is registered in configurations. */
  static readonly type = 'LinearLR';
  /** The factor of epoch 0, in (0, 1]. */
  readonly startFactor: number;
  /** The factor from epoch totalIters on, in [0, 1]. */
  readonly endFactor: number;
  /** Epochs over which the factor moves, a whole number >= 1. */
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer);
    checkOptimizerOptions(options, '{ startFactor, endFactor, totalIters }');
    const start = checkFinite('startFactor', options.startFactor ?? 1 / 3);
    if (start <= 0 || start > 1) throw rangeError('startFactor', 'a number in (0, 1]', start);
    const end = checkFinite('endFactor', options.endFactor ?? 1);
    if (end < 0 || end > 1) throw rangeError('endFactor', 'a number in [0, 1]', end);
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = checkInteger('totalIters', options.totalIters ?? 5, 1);
    this.apply(0, 'epoch');
  }

  /** The type and options that rebuild this schedule. */
  toConfig() {
    return {
      /** `'LinearLR'`. */
      type: LinearLR.type,
      /** As {@link LinearLR.startFactor}. */
      startFactor: this.startFactor,
      /** As {@link LinearLR.endFactor}. */
      endFactor: this.endFactor,
      /** As {@link LinearLR.totalIters}. */
      totalIters: this.totalIters,
    };
  }

  lrAt(epoch: number): number {
    const progress = (this.endFactor - this.startFactor) * Math.min(epoch, this.totalIters);
    return this.baseLr * (this.startFactor + progress / this.totalIters);
  }
}

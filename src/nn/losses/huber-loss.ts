import { huberLoss } from '../../kernels/losses.js';
import { checkFinite, rangeError } from '../../util/check.js';
import type { AnyMatrix } from '../matrix.js';
import { KernelLoss } from './kernel-loss.js';
import type { LossConfig, Reduction } from './loss.js';
import { checkLossOptions } from './options.js';

/** Options of {@link HuberLoss}. */
export interface HuberLossOptions {
  /** Where the loss turns from quadratic to linear, > 0 (default 1, PyTorch's). */
  delta?: number;
  /** 'mean' (default) divides by the number of elements (N·O); 'sum' does not. */
  reduction?: Reduction;
}

/**
 * Huber's loss, as PyTorch's nn.HuberLoss: ½·d² where |d| < delta, else delta·(|d| − ½·delta),
 * d = pred − target; quadratic near the target and linear beyond, so outliers pull
 * with a force of at most delta.
 *
 * @throws RangeError when `delta` is not a finite number > 0 or `reduction` is neither 'mean' nor 'sum'.
 *
 * @example
 * ```ts
 * const loss = new HuberLoss({ delta: 0.5 });
 * ```
 */
export class HuberLoss extends KernelLoss {
  /** The name of this loss type in configurations: `{ type: 'HuberLoss', … }`. */
  static readonly type = 'HuberLoss';
  readonly task = 'regression';
  /** Where the loss turns from quadratic to linear, > 0. */
  readonly delta: number;

  constructor(options: HuberLossOptions = {}) {
    const checked = checkLossOptions(options);
    super(checked.reduction);
    const delta = checkFinite('delta', checked.delta ?? 1);
    if (delta <= 0) throw rangeError('delta', 'a finite number > 0', delta);
    this.delta = delta;
  }

  /** Rebuilds a HuberLoss from its `toConfig()` output (what the loss registry calls). */
  static fromConfig(config: LossConfig): HuberLoss {
    return new HuberLoss({ delta: config.delta as number | undefined, reduction: config.reduction as Reduction });
  }

  toConfig(): LossConfig {
    return { type: HuberLoss.type, delta: this.delta, reduction: this.reduction };
  }

  targetColumns(outputs: number): number {
    return outputs;
  }

  protected compute(pred: AnyMatrix, target: AnyMatrix, grad: AnyMatrix): void {
    huberLoss(
      pred.data.length,
      this.reduction === 'mean',
      this.delta,
      pred.data,
      target.data,
      grad.data,
      this.lossBuffer,
    );
  }
}

import { mseLoss } from '../../kernels/losses.js';
import type { AnyMatrix } from '../matrix.js';
import { KernelLoss } from './kernel-loss.js';
import type { LossConfig, Reduction } from './loss.js';
import { checkLossOptions } from './options.js';

/** Options of {@link MSELoss}. */
export interface MSELossOptions {
  /** 'mean' (default) divides the summed squared error by the number of elements (N·O); 'sum' is the reference post's. */
  reduction?: Reduction;
}

/**
 * Squared error between a prediction and a target of the same shape, reduced to one
 * number. The gradient is computed in the same pass as the loss, and `backward`
 * returns it: d loss / d pred = 2·(pred − target) / (N·O for 'mean', 1 for 'sum').
 * As PyTorch's nn.MSELoss.
 *
 * @throws RangeError when `reduction` is neither 'mean' nor 'sum'.
 *
 * @example
 * ```ts
 * const loss = new MSELoss();
 * const value = loss.forward(network.forward(x), y); // mean of (pred − y)²
 * network.backward(loss.backward());
 * ```
 */
export class MSELoss extends KernelLoss {
  /** The name of this loss type in configurations: `{ type: 'MSELoss', … }`. */
  static readonly type = 'MSELoss';
  readonly task = 'regression';

  constructor(options: MSELossOptions = {}) {
    super(checkLossOptions(options).reduction);
  }

  /** Rebuilds a MSELoss from its `toConfig()` output (what the loss registry calls). */
  static fromConfig(config: LossConfig): MSELoss {
    return new MSELoss({ reduction: config.reduction as Reduction | undefined });
  }

  toConfig(): LossConfig {
    return { type: MSELoss.type, reduction: this.reduction };
  }

  targetColumns(outputs: number): number {
    return outputs;
  }

  protected compute(pred: AnyMatrix, target: AnyMatrix, grad: AnyMatrix): void {
    mseLoss(pred.data.length, this.reduction === 'mean', pred.data, target.data, grad.data, this.lossBuffer);
  }
}

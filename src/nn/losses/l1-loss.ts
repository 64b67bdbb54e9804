import { l1Loss } from '../../kernels/losses.js';
import type { AnyMatrix } from '../matrix.js';
import { KernelLoss } from './kernel-loss.js';
import type { LossConfig, Reduction } from './loss.js';
import { checkLossOptions } from './options.js';

/** Options of {@link L1Loss}. */
export interface L1LossOptions {
  /** 'mean' (default) divides by the number of elements (N·O); 'sum' does not. */
  reduction?: Reduction;
}

/**
 * Absolute error |pred − target|, reduced; its gradient is the sign of the difference, 0 where it is 0, as PyTorch's nn.L1Loss.
 *
 * @throws RangeError when `reduction` is neither 'mean' nor 'sum'.
 *
 * @example
 * ```ts
 * const model = new Model(network, { loss: new L1Loss(), optimizer: new Adam(network.parameters()) });
 * ```
 */
export class L1Loss extends KernelLoss {
  /** The name of this loss type in configurations: `{ type: 'L1Loss', … }`. */
  static readonly type = 'L1Loss';
  readonly task = 'regression';

  constructor(options: L1LossOptions = {}) {
    super(checkLossOptions(options).reduction);
  }

  /** Rebuilds a L1Loss from its `toConfig()` output (what the loss registry calls). */
  static fromConfig(config: LossConfig): L1Loss {
    return new L1Loss({ reduction: config.reduction as Reduction | undefined });
  }

  toConfig(): LossConfig {
    return { type: L1Loss.type, reduction: this.reduction };
  }

  targetColumns(outputs: number): number {
    return outputs;
  }

  protected compute(pred: AnyMatrix, target: AnyMatrix, grad: AnyMatrix): void {
    l1Loss(pred.data.length, this.reduction === 'mean', pred.data, target.data, grad.data, this.lossBuffer);
  }
}

import { RMSPROP_SLOTS, rmspropUpdate } from '../kernels/optimizers.js';
import type { Parameter } from '../nn/parameter.js';
import { checkBoolean, checkNonNegative } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { noBuffer, Optimizer, type OptimizerConfig } from './optimizer.js';
import { checkFraction, checkOptimizerOptions } from './options.js';

/** Options of {@link RMSprop}, named as torch.optim.RMSprop's (camelCase); every one is optional. */
export interface RMSpropOptions {
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average, in [0, 1] (default 0.99). */
  alpha?: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Divide by the estimated variance of the gradient rather than its second moment (default false). */
  centered?: boolean;
}

/**
 * RMSprop (Hinton), with PyTorch's semantics (torch.optim.RMSprop).
 *
 * @throws TypeError or RangeError naming the option when an option has the wrong type or is out of range.
 *
 * @example
 * ```ts
 * const optimizer = new RMSprop(network.parameters(), { lr: 1e-3, alpha: 0.9 });
 * ```
 */
export class RMSprop extends Optimizer {
  /** The name under which RMSprop is registered in optimizer configurations. */
  static readonly type = 'RMSprop';
  /** Smoothing constant of the squared-gradient average, in [0, 1]. */
  readonly alpha: number;
  /** Added to the denominator for stability, >= 0. */
  readonly eps: number;
  /** L2 penalty added to the gradient, >= 0. */
  readonly weightDecay: number;
  /** Momentum factor, >= 0. */
  readonly momentum: number;
  /** Whether the gradient is normalised by its estimated variance (centered RMSprop). */
  readonly centered: boolean;
  protected readonly bufferNames = ['squareAvg', 'gradAvg', 'momentumBuffer'] as const;

  constructor(parameters: Iterable<Parameter>, options: RMSpropOptions = {}) {
    checkOptimizerOptions(options, '{ lr, alpha, … }');
    super(parameters, options.lr ?? 0.01, RMSPROP_SLOTS.length);
    this.alpha = checkFraction('alpha', options.alpha ?? 0.99, true);
    this.eps = checkNonNegative('eps', options.eps ?? 1e-8);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
    this.momentum = checkNonNegative('momentum', options.momentum ?? 0);
    this.centered = checkBoolean('centered', options.centered ?? false);
    const hyper = this.hyperParameters;
    hyper[RMSPROP_SLOTS.alpha] = this.alpha;
    hyper[RMSPROP_SLOTS.eps] = this.eps;
    hyper[RMSPROP_SLOTS.weightDecay] = this.weightDecay;
    hyper[RMSPROP_SLOTS.momentum] = this.momentum;
    hyper[RMSPROP_SLOTS.centered] = this.centered ? 1 : 0;
  }

  /** Rebuilds an RMSprop from what {@link RMSprop.toConfig} returned, over `parameters`. */
  static fromConfig(config: OptimizerConfig, parameters: Iterable<Parameter>): RMSprop {
    return new RMSprop(parameters, config as unknown as RMSpropOptions);
  }

  toConfig(): OptimizerConfig {
    const { lr, alpha, eps, weightDecay, momentum, centered } = this;
    return { type: RMSprop.type, lr, alpha, eps, weightDecay, momentum, centered };
  }

  /** Nothing changes per step but what the update kernel keeps per parameter. */
  protected beginStep(): void {}

  protected update(index: number, param: FloatArray, grad: FloatArray): void {
    rmspropUpdate(
      param.length,
      this.hyperParameters,
      param,
      grad,
      this.buffer(index, 'squareAvg'),
      this.centered ? this.buffer(index, 'gradAvg') : noBuffer(param),
      this.momentum > 0 ? this.buffer(index, 'momentumBuffer') : noBuffer(param),
    );
  }
}

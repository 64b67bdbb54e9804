import { SGD_SLOTS, sgdBegin, sgdUpdate } from '../kernels/optimizers.js';
import type { Parameter } from '../nn/parameter.js';
import { checkBoolean, checkNonNegative, rangeError } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { checkStepCount, noBuffer, Optimizer, type OptimizerConfig } from './optimizer.js';
import { checkFraction, checkOptimizerOptions } from './options.js';

/** Options of {@link SGD}, named as torch.optim.SGD's (camelCase). */
export interface SGDOptions {
  /** Learning rate, > 0 (required, as in PyTorch). */
  lr: number;
  /** Momentum factor (default 0): buf = momentum·buf + (1 − dampening)·g; p −= lr·buf. */
  momentum?: number;
  /** Dampening of the momentum, in [0, 1] (default 0); the first step is undamped, as in PyTorch. */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0): g + weightDecay·p. */
  weightDecay?: number;
  /** Nesterov momentum (default false): p −= lr·(g + momentum·buf); needs momentum > 0 and no dampening. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with PyTorch's semantics (torch.optim.SGD). Parameters
 * without a gradient since their last `zeroGrad()` are left alone.
 *
 * @throws TypeError or RangeError naming the option when an option is missing, of the wrong
 *   type, negative or out of range, or when `nesterov` is set without momentum or with dampening.
 *
 * @example
 * ```ts
 * const optimizer = new SGD(network.parameters(), { lr: 0.01, momentum: 0.9 });
 * const loss = new MSELoss();
 * loss.forward(network.forward(x), y);
 * optimizer.zeroGrad();
 * network.backward(loss.backward());
 * optimizer.step();
 * ```
 */
export class SGD extends Optimizer {
  /** The name under which SGD is registered in optimizer configurations (`{ type: 'SGD', … }`). */
  static readonly type = 'SGD';
  /** Momentum factor, >= 0 (0: plain SGD). */
  readonly momentum: number;
  /** Dampening of the momentum, in [0, 1]. */
  readonly dampening: number;
  /** L2 penalty added to the gradient, >= 0. */
  readonly weightDecay: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;
  protected readonly bufferNames = ['momentumBuffer'] as const;

  constructor(parameters: Iterable<Parameter>, options: SGDOptions) {
    checkOptimizerOptions(options, '{ lr, … }');
    super(parameters, options.lr, SGD_SLOTS.length);
    this.momentum = checkNonNegative('momentum', options.momentum ?? 0);
    this.dampening = checkFraction('dampening', options.dampening ?? 0, true);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
    this.nesterov = checkBoolean('nesterov', options.nesterov ?? false);
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw rangeError('nesterov', 'false unless momentum > 0 and dampening is 0 (Nesterov needs both)', this.nesterov);
    }
    const hyper = this.hyperParameters;
    hyper[SGD_SLOTS.momentum] = this.momentum;
    hyper[SGD_SLOTS.dampening] = this.dampening;
    hyper[SGD_SLOTS.weightDecay] = this.weightDecay;
    hyper[SGD_SLOTS.nesterov] = this.nesterov ? 1 : 0;
  }

  /** Rebuilds an SGD from what {@link SGD.toConfig} returned, over `parameters`. */
  static fromConfig(config: OptimizerConfig, parameters: Iterable<Parameter>): SGD {
    return new SGD(parameters, config as unknown as SGDOptions);
  }

  /** Dampening and Nesterov appear only when set, so that configurations saved without them compare equal. */
  toConfig(): OptimizerConfig {
    const config: OptimizerConfig = {
      type: SGD.type,
      lr: this.lr,
      momentum: this.momentum,
      weightDecay: this.weightDecay,
    };
    if (this.dampening !== 0) config.dampening = this.dampening;
    if (this.nesterov) config.nesterov = true;
    return config;
  }

  /** Counts the step where the update reads the count: with damped momentum, whose first step is undamped. */
  protected beginStep(): void {
    if (this.momentum !== 0 && this.dampening !== 0) sgdBegin(this.hyperParameters);
  }

  protected update(index: number, param: FloatArray, grad: FloatArray): void {
    const momentumBuffer = this.momentum === 0 ? noBuffer(param) : this.buffer(index, 'momentumBuffer');
    sgdUpdate(param.length, this.hyperParameters, param, grad, momentumBuffer);
  }

  protected override stateScalars(): Record<string, number> {
    return { step: this.hyperParameters[SGD_SLOTS.step] };
  }

  protected override checkStateScalars(scalars: Record<string, number>): () => void {
    return checkStepCount(scalars, this.hyperParameters, SGD_SLOTS.step);
  }
}

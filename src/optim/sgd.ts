import { daxpy, dscal } from '../blas/index.js';
import type { Parameter } from '../nn/parameter.js';
import { checkNonNegative, typeError } from '../util/check.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  /** Heavy-ball momentum factor (default 0): v = momentum·v + g; p −= lr·v. */
  momentum?: number;
  /** L2 penalty added to the gradient (default 0): g + weightDecay·p. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics (no dampening, no Nesterov).
 * Parameters without a gradient since their last `zeroGrad()` are left alone.
 */
export class SGD extends Optimizer {
  static readonly type = 'SGD';
  readonly momentum: number;
  readonly weightDecay: number;
  protected readonly bufferNames = ['momentumBuffer'] as const;

  constructor(parameters: Iterable<Parameter>, options: SGDOptions) {
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object { lr, … }', options);
    super(parameters, options.lr);
    this.momentum = checkNonNegative('momentum', options.momentum ?? 0);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
  }

  static fromConfig(config: OptimizerConfig, parameters: Iterable<Parameter>): SGD {
    return new SGD(parameters, config as unknown as SGDOptions);
  }

  toConfig(): OptimizerConfig {
    return { type: SGD.type, lr: this.lr, momentum: this.momentum, weightDecay: this.weightDecay };
  }

  step(): void {
    const lr = this.lr;
    const { momentum, weightDecay } = this;
    for (let i = 0; i < this.parameters.length; i++) {
      const p = this.parameters[i];
      if (!p.hasGrad) continue;
      const w = p.value.data;
      const g = p.gradient.data;
      const n = w.length;
      if (momentum === 0) {
        // p = (1 − lr·λ)·p − lr·g, the decayed step without a temporary for g + λ·p.
        if (weightDecay !== 0) dscal(n, 1 - lr * weightDecay, w, 1);
        daxpy(n, -lr, g, 1, w, 1);
        continue;
      }
      const v = this.buffer(i, 'momentumBuffer');
      dscal(n, momentum, v, 1);
      daxpy(n, 1, g, 1, v, 1);
      if (weightDecay !== 0) daxpy(n, weightDecay, w, 1, v, 1);
      daxpy(n, -lr, v, 1, w, 1);
    }
  }
}

import { sigmoidBackward, sigmoidForward } from '../../kernels/activations.js';
import type { LayerConfig } from '../module.js';
import { Activation } from './activation.js';

/**
 * The logistic function 1 / (1 + exp(−x)) element-wise; the gradient y·(1 − y) is
 * taken from the output, as in PyTorch, so it is exactly 0 where the output saturates.
 */
export class Sigmoid extends Activation {
  static readonly type = 'Sigmoid';

  static fromConfig(): Sigmoid {
    return new Sigmoid();
  }

  override toConfig(): LayerConfig {
    return { type: Sigmoid.type };
  }

  protected apply(n: number, x: Float64Array, y: Float64Array): void {
    sigmoidForward(n, x, y);
  }

  protected gradient(n: number, _x: Float64Array, y: Float64Array, dy: Float64Array, dx: Float64Array): void {
    sigmoidBackward(n, y, dy, dx);
  }
}

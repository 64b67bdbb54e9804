import { tanhBackward, tanhForward } from '../../kernels/activations.js';
import type { LayerConfig } from '../module.js';
import { Activation } from './activation.js';

/** tanh(x) element-wise; the gradient 1 − tanh² is taken from the output, as in PyTorch. */
export class Tanh extends Activation {
  static readonly type = 'Tanh';

  static fromConfig(): Tanh {
    return new Tanh();
  }

  override toConfig(): LayerConfig {
    return { type: Tanh.type };
  }

  protected apply(n: number, x: Float64Array, y: Float64Array): void {
    tanhForward(n, x, y);
  }

  protected gradient(n: number, _x: Float64Array, y: Float64Array, dy: Float64Array, dx: Float64Array): void {
    tanhBackward(n, y, dy, dx);
  }
}

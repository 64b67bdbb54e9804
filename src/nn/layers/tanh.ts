import { tanhBackward, tanhForward } from '../../kernels/activations.js';
import type { FloatArray } from '../../util/dtype.js';
import type { LayerConfig } from '../module.js';
import { Activation, type ActivationOptions, checkActivationOptions } from './activation.js';
import type { BuildContext } from './build-context.js';

/** tanh(x) element-wise; the gradient 1 − tanh² is taken from the output, as in PyTorch. */
export class Tanh extends Activation {
  /** The name of this layer type in configurations: `{ type: 'Tanh' }`. */
  static readonly type = 'Tanh';

  /** `options.dtype`: the element type of the input and the output (default 'float64'). */
  constructor(options: ActivationOptions = {}) {
    super(checkActivationOptions(options).dtype);
  }

  /** Rebuilds a Tanh from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(_config: LayerConfig, context: BuildContext): Tanh {
    return new Tanh({ dtype: context.dtype });
  }

  override toConfig(): LayerConfig {
    return { type: Tanh.type };
  }

  protected apply(n: number, x: FloatArray, y: FloatArray): void {
    tanhForward(n, x, y);
  }

  protected gradient(n: number, _x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void {
    tanhBackward(n, y, dy, dx);
  }
}

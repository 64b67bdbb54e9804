import { sigmoidBackward, sigmoidForward } from '../../kernels/activations.js';
import type { FloatArray } from '../../util/dtype.js';
import type { LayerConfig } from '../module.js';
import { Activation, type ActivationOptions, checkActivationOptions } from './activation.js';
import type { BuildContext } from './build-context.js';

/**
 * The logistic function 1 / (1 + exp(−x)) element-wise; the gradient y·(1 − y) is
 * taken from the output, as in PyTorch, so it is exactly 0 where the output saturates.
 */
export class Sigmoid extends Activation {
  /** The name of this layer type in configurations: `{ type: 'Sigmoid' }`. */
  static readonly type = 'Sigmoid';

  /** `options.dtype`: the element type of the input and the output (default 'float64'). */
  constructor(options: ActivationOptions = {}) {
    super(checkActivationOptions(options).dtype);
  }

  /** Rebuilds a Sigmoid from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(_config: LayerConfig, context: BuildContext): Sigmoid {
    return new Sigmoid({ dtype: context.dtype });
  }

  override toConfig(): LayerConfig {
    return { type: Sigmoid.type };
  }

  protected apply(n: number, x: FloatArray, y: FloatArray): void {
    sigmoidForward(n, x, y);
  }

  protected gradient(n: number, _x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void {
    sigmoidBackward(n, y, dy, dx);
  }
}

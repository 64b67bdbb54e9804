import { geluBackward, geluForward } from '../../kernels/activations.js';
import { checkOneOf } from '../../util/check.js';
import type { DType, FloatArray } from '../../util/dtype.js';
import type { LayerConfig } from '../module.js';
import { Activation, checkActivationOptions } from './activation.js';
import type { BuildContext } from './build-context.js';

/** GELU's formula: exact through erf ('none'), or PyTorch's tanh approximation ('tanh'). */
export type GELUApproximation = 'none' | 'tanh';

const APPROXIMATIONS: readonly GELUApproximation[] = ['none', 'tanh'];

/** Options of {@link GELU}. */
export interface GELUOptions {
  /** 'none' (default): x·Φ(x) through erf, to double precision; 'tanh': PyTorch's tanh approximation. */
  approximate?: GELUApproximation;
  /** The element type of the input and the output (default 'float64'). */
  dtype?: DType;
}

/** The Gaussian error linear unit x·Φ(x), Φ the standard normal distribution function, as PyTorch's nn.GELU. */
export class GELU extends Activation {
  /** The name of this layer type in configurations: `{ type: 'GELU', … }`. */
  static readonly type = 'GELU';
  /** Which formula runs: 'none' (exact) or 'tanh'. */
  readonly approximate: GELUApproximation;

  constructor(options: GELUOptions = {}) {
    super(checkActivationOptions(options).dtype);
    this.approximate = checkOneOf('approximate', options.approximate ?? 'none', APPROXIMATIONS);
  }

  /** Rebuilds a GELU from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(config: LayerConfig, context: BuildContext): GELU {
    return new GELU({ approximate: config.approximate as GELUApproximation | undefined, dtype: context.dtype });
  }

  override toConfig(): LayerConfig {
    return { type: GELU.type, approximate: this.approximate };
  }

  override describe(): string {
    return this.approximate === 'none' ? 'GELU' : `GELU(${this.approximate})`;
  }

  protected apply(n: number, x: FloatArray, y: FloatArray): void {
    geluForward(n, this.approximate === 'tanh', x, y, this.saved());
  }

  protected gradient(n: number, x: FloatArray, _y: FloatArray, dy: FloatArray, dx: FloatArray): void {
    geluBackward(n, this.approximate === 'tanh', x, this.saved(), dy, dx);
  }
}

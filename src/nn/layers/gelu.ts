import { geluBackward, geluForward } from '../../kernels/activations.js';
import { checkOneOf, typeError } from '../../util/check.js';
import type { LayerConfig } from '../module.js';
import { Activation } from './activation.js';

/** GELU's formula: exact through erf ('none'), or PyTorch's tanh approximation ('tanh'). */
export type GELUApproximation = 'none' | 'tanh';

const APPROXIMATIONS: readonly GELUApproximation[] = ['none', 'tanh'];

/** Options of {@link GELU}. */
export interface GELUOptions {
  /** 'none' (default): x·Φ(x) through erf, to double precision; 'tanh': PyTorch's tanh approximation. */
  approximate?: GELUApproximation;
}

/** The Gaussian error linear unit x·Φ(x), Φ the standard normal distribution function, as PyTorch's nn.GELU. */
export class GELU extends Activation {
  /** The name of this layer type in configurations: `{ type: 'GELU', … }`. */
  static readonly type = 'GELU';
  /** Which formula runs: 'none' (exact) or 'tanh'. */
  readonly approximate: GELUApproximation;

  constructor(options: GELUOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    this.approximate = checkOneOf('approximate', options.approximate ?? 'none', APPROXIMATIONS);
  }

  /** Rebuilds a GELU from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(config: LayerConfig): GELU {
    return new GELU({ approximate: config.approximate as GELUApproximation | undefined });
  }

  override toConfig(): LayerConfig {
    return { type: GELU.type, approximate: this.approximate };
  }

  override describe(): string {
    return this.approximate === 'none' ? 'GELU' : `GELU(${this.approximate})`;
  }

  protected apply(n: number, x: Float64Array, y: Float64Array): void {
    geluForward(n, this.approximate === 'tanh', x, y, this.saved());
  }

  protected gradient(n: number, x: Float64Array, _y: Float64Array, dy: Float64Array, dx: Float64Array): void {
    geluBackward(n, this.approximate === 'tanh', x, this.saved(), dy, dx);
  }
}

import { gemmFor, gemvFor } from '../../blas/index.js';
import type { Gemm, Gemv } from '../../blas/routines.js';
import { repeatRow } from '../../kernels/copy.js';
import { Random } from '../../random/prng.js';
import { checkInteger, typeError } from '../../util/check.js';
import type { DType, FloatArray } from '../../util/dtype.js';
import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import { checkInit, type InitScheme, initWeights } from '../init.js';
import type { AnyMatrix } from '../matrix.js';
import { type BackwardOptions, type LayerConfig, Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { BuildContext, ParameterShape } from './build-context.js';

/** Options of {@link Linear}; every one is optional. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default 'he'); biases start at zero. */
  init?: InitScheme;
  /** Seed for the initialisation (default 0); ignored when `random` is given. */
  seed?: number;
  /** A generator to draw the initial weights from, shared by several layers. */
  random?: Random;
  /** The parameters' element type, and so the input's and the output's (default 'float64'). */
  dtype?: DType;
}

/**
 * y = x·W + b, with the weight stored `inFeatures × outFeatures` as in the reference
 * post (so the forward pass is x·W, not x·Wᵀ as in PyTorch: a PyTorch state dict's
 * `weight` maps to this one transposed).
 *
 * Shape: x is N × inFeatures, y is N × outFeatures.
 *
 * @throws TypeError or RangeError when a size is not a whole number >= 1 or an option
 *   has the wrong type (an unknown `init`, a seed that is not a 32-bit integer).
 *
 * @example
 * ```ts
 * const layer = new Linear(10, 64, { init: 'xavier', seed: 42 });
 * const y = layer.forward(x); // x: N × 10 → y: N × 64
 * ```
 */
export class Linear extends Module {
  /** The name of this layer type in configurations: `{ type: 'Linear', … }`. */
  static readonly type = 'Linear';
  /** Features of each input row, >= 1. */
  readonly inFeatures: number;
  /** Features of each output row, >= 1. */
  readonly outFeatures: number;
  /** The weight, `inFeatures × outFeatures` (PyTorch's transposed). */
  readonly weight: Parameter;
  /** The bias, `1 × outFeatures`, or null without one. */
  readonly bias: Parameter | null;
  /** The initialisation the weights were drawn with. */
  readonly init: InitScheme;
  private readonly outputs: BufferCache;
  private readonly inputGrads: BufferCache;
  private readonly ones: BufferCache;
  private readonly noInputGrad: AnyMatrix;
  private readonly gemm: Gemm<FloatArray>;
  private readonly gemv: Gemv<FloatArray>;
  private input: AnyMatrix | undefined;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    super(options.dtype);
    this.inFeatures = checkInteger('inFeatures', inFeatures, 1);
    this.outFeatures = checkInteger('outFeatures', outFeatures, 1);
    const { bias = true, init = 'he', seed = 0, random } = options;
    if (typeof bias !== 'boolean') throw typeError('bias', 'a boolean', bias);
    if (random !== undefined && !(random instanceof Random)) throw typeError('random', 'a Random', random);
    this.init = checkInit('init', init);
    const { dtype } = this;
    this.weight = new Parameter('weight', inFeatures, outFeatures, dtype);
    this.bias = bias ? new Parameter('bias', 1, outFeatures, dtype) : null;
    this.outputs = new BufferCache(outFeatures, 0, 4, dtype);
    this.inputGrads = new BufferCache(inFeatures, 0, 4, dtype);
    this.ones = new BufferCache(1, 1, 4, dtype);
    this.gemm = gemmFor(dtype);
    this.gemv = gemvFor(dtype);
    this.noInputGrad = this.inputGrads.get(0);
    this.resetParameters(random ?? new Random(checkInteger('seed', seed, -(2 ** 31), 2 ** 32 - 1)), this.init);
  }

  /** Rebuilds a Linear from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(config: LayerConfig, context: BuildContext): Linear {
    const { inFeatures, outFeatures, bias, init } = config as LayerConfig & LinearOptions & Record<string, number>;
    return new Linear(inFeatures, outFeatures, { bias, init, random: context.random, dtype: context.dtype });
  }

  /** The parameters a configuration allocates (`weight`, and `bias` unless `bias: false`), for the layer registry. */
  static parameterShapes(config: LayerConfig): ParameterShape[] {
    const inFeatures = checkInteger('inFeatures', config.inFeatures, 1);
    const outFeatures = checkInteger('outFeatures', config.outFeatures, 1);
    const weight: ParameterShape = ['weight', inFeatures, outFeatures];
    return config.bias === false ? [weight] : [weight, ['bias', 1, outFeatures]];
  }

  override get inputFeatures(): number {
    return this.inFeatures;
  }

  override outputFeatures(): number {
    return this.outFeatures;
  }

  /** Draws new weights and zeroes the bias. */
  resetParameters(random: Random, init: InitScheme = this.init): void {
    initWeights(this.weight.value.data, this.inFeatures, init, random);
    this.bias?.value.data.fill(0);
  }

  protected override ownParameters(): [string, Parameter][] {
    return this.bias
      ? [
          ['weight', this.weight],
          ['bias', this.bias],
        ]
      : [['weight', this.weight]];
  }

  override toConfig(): LayerConfig {
    return {
      type: Linear.type,
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      bias: this.bias !== null,
      init: this.init,
    };
  }

  override describe(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.dtype === 'float32' ? ', float32' : ''})`;
  }

  forward(x: AnyMatrix): AnyMatrix {
    const { inFeatures, outFeatures } = this;
    checkMatrix('x', x, { cols: inFeatures, dtype: this.dtype });
    const n = x.rows;
    const y = this.outputs.get(n);
    // The bias is copied into every row first and the GEMM adds onto it (beta = 1):
    // one pass over y instead of a separate broadcast-add pass after the product.
    let beta = 0;
    if (this.bias) {
      repeatRow(n, outFeatures, this.bias.value.data, y.data);
      beta = 1;
    }
    this.gemm(
      'N',
      'N',
      n,
      outFeatures,
      inFeatures,
      1,
      x.data,
      inFeatures,
      this.weight.value.data,
      outFeatures,
      beta,
      y.data,
      outFeatures,
    );
    this.input = x;
    return y;
  }

  backward(gradOutput: AnyMatrix, options?: BackwardOptions): AnyMatrix {
    const x = this.input;
    if (x === undefined) throw new Error('Linear.backward() called before forward()');
    const { inFeatures, outFeatures } = this;
    checkMatrix('gradOutput', gradOutput, { rows: x.rows, cols: outFeatures, dtype: this.dtype });
    const n = x.rows;
    const dy = gradOutput.data;
    // dW (+)= xᵀ·dy
    const w = this.weight;
    this.gemm(
      'T',
      'N',
      inFeatures,
      outFeatures,
      n,
      1,
      x.data,
      inFeatures,
      dy,
      outFeatures,
      w.accumulateBeta(),
      w.gradient.data,
      outFeatures,
    );
    // db (+)= dyᵀ·1, the column sums of dy
    if (this.bias) {
      const b = this.bias;
      this.gemv(
        'T',
        n,
        outFeatures,
        1,
        dy,
        outFeatures,
        this.ones.get(n).data,
        1,
        b.accumulateBeta(),
        b.gradient.data,
        1,
      );
    }
    if (options?.inputGrad === false) return this.noInputGrad;
    // dx = dy·Wᵀ
    const dx = this.inputGrads.get(n);
    this.gemm(
      'N',
      'T',
      n,
      inFeatures,
      outFeatures,
      1,
      dy,
      outFeatures,
      w.value.data,
      outFeatures,
      0,
      dx.data,
      inFeatures,
    );
    return dx;
  }
}

import { dgemm, dgemv } from '../blas/index.js';
import { Random } from '../random/prng.js';
import { checkInteger } from '../util/check.js';
import { BufferCache } from './buffers.js';
import { checkMatrix } from './check-matrix.js';
import { checkInit, type InitScheme, initWeights } from './init.js';
import type { Matrix } from './matrix.js';
import { type BackwardOptions, Module } from './module.js';
import { Parameter } from './parameter.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default 'he'); biases start at zero. */
  init?: InitScheme;
  /** Seed for the initialisation (default 0); ignored when `random` is given. */
  seed?: number;
  /** A generator to draw the initial weights from, shared by several layers. */
  random?: Random;
}

/**
 * y = x·W + b, with the weight stored `inFeatures × outFeatures` as in the reference
 * post (so the forward pass is x·W, not x·Wᵀ as in PyTorch).
 *
 * Shape: x is N × inFeatures, y is N × outFeatures.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  private readonly params: Parameter[];
  private readonly outputs: BufferCache;
  private readonly inputGrads: BufferCache;
  private readonly ones = new BufferCache(1, 1);
  private readonly noInputGrad: Matrix;
  private input: Matrix | undefined;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = checkInteger('inFeatures', inFeatures, 1);
    this.outFeatures = checkInteger('outFeatures', outFeatures, 1);
    const { bias = true, init = 'he', seed = 0, random } = options;
    this.weight = new Parameter('weight', inFeatures, outFeatures);
    this.bias = bias ? new Parameter('bias', 1, outFeatures) : null;
    this.params = this.bias ? [this.weight, this.bias] : [this.weight];
    this.outputs = new BufferCache(outFeatures);
    this.inputGrads = new BufferCache(inFeatures);
    this.noInputGrad = this.inputGrads.get(0);
    this.resetParameters(
      random ?? new Random(checkInteger('seed', seed, -(2 ** 31), 2 ** 32 - 1)),
      checkInit('init', init),
    );
  }

  /** Draws new weights and zeroes the bias. */
  resetParameters(random: Random, init: InitScheme = 'he'): void {
    initWeights(this.weight.value.data, this.inFeatures, init, random);
    this.bias?.value.data.fill(0);
  }

  override parameters(): Parameter[] {
    return this.params;
  }

  forward(x: Matrix): Matrix {
    checkMatrix('x', x, { cols: this.inFeatures });
    const n = x.rows;
    const y = this.outputs.get(n);
    // The bias is copied into every row first and the GEMM adds onto it (beta = 1):
    // one pass over y instead of a separate broadcast-add pass after the product.
    let beta = 0;
    if (this.bias) {
      const b = this.bias.value.data;
      for (let i = 0; i < n; i++) y.data.set(b, i * this.outFeatures);
      beta = 1;
    }
    dgemm(
      'N',
      'N',
      n,
      this.outFeatures,
      this.inFeatures,
      1,
      x.data,
      this.inFeatures,
      this.weight.value.data,
      this.outFeatures,
      beta,
      y.data,
      this.outFeatures,
    );
    this.input = x;
    return y;
  }

  backward(gradOutput: Matrix, options?: BackwardOptions): Matrix {
    const x = this.input;
    if (x === undefined) throw new Error('Linear.backward() called before forward()');
    checkMatrix('gradOutput', gradOutput, { rows: x.rows, cols: this.outFeatures });
    const n = x.rows;
    const dy = gradOutput.data;
    // dW (+)= xᵀ·dy
    const w = this.weight;
    dgemm(
      'T',
      'N',
      this.inFeatures,
      this.outFeatures,
      n,
      1,
      x.data,
      this.inFeatures,
      dy,
      this.outFeatures,
      w.accumulateBeta(),
      w.gradient.data,
      this.outFeatures,
    );
    // db (+)= dyᵀ·1, the column sums of dy
    if (this.bias) {
      const b = this.bias;
      dgemv(
        'T',
        n,
        this.outFeatures,
        1,
        dy,
        this.outFeatures,
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
    dgemm(
      'N',
      'T',
      n,
      this.inFeatures,
      this.outFeatures,
      1,
      dy,
      this.outFeatures,
      w.value.data,
      this.outFeatures,
      0,
      dx.data,
      this.inFeatures,
    );
    return dx;
  }
}

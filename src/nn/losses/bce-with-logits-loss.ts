import { sigmoidForward } from '../../kernels/activations.js';
import { bceWithLogitsLoss, checkProbabilities, positiveIndicator } from '../../kernels/losses.js';
import { checkMatrix } from '../check-matrix.js';
import type { AnyMatrix } from '../matrix.js';
import { KernelLoss } from './kernel-loss.js';
import type { ClassificationLoss, LossConfig, Reduction } from './loss.js';
import { checkLossOptions, checkWeightCount, checkWeights } from './options.js';

/** Options of {@link BCEWithLogitsLoss}. */
export interface BCEWithLogitsLossOptions {
  /**
   * A weight for the positive examples of each output column (PyTorch's pos_weight),
   * e.g. negatives / positives to balance a rare class; default none (1 for every column).
   */
  posWeight?: readonly number[] | Float64Array | null;
  /** 'mean' (default) divides by the number of elements (N·O); 'sum' does not. */
  reduction?: Reduction;
}

/**
 * Binary cross-entropy of logits against targets of the same shape in [0, 1] (soft
 * labels allowed), one independent binary problem per output column, in the stable
 * form of PyTorch's nn.BCEWithLogitsLoss: −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))]
 * computed as (1 − y)·x + (1 + (p − 1)·y)·log(1 + exp(−x)) without overflow.
 *
 * @throws TypeError or RangeError when a `posWeight` is not a finite number >= 0 or
 *   `reduction` is neither 'mean' nor 'sum'; `fit` refuses targets outside [0, 1].
 *
 * @example
 * ```ts
 * // Two independent yes/no outputs; positives of the second are rare.
 * const network = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 2));
 * const model = new Model(network, {
 *   loss: new BCEWithLogitsLoss({ posWeight: [1, 9] }),
 *   optimizer: new Adam(network.parameters()),
 * });
 * ```
 */
export class BCEWithLogitsLoss extends KernelLoss implements ClassificationLoss {
  /** The name of this loss type in configurations: `{ type: 'BCEWithLogitsLoss', … }`. */
  static readonly type = 'BCEWithLogitsLoss';
  readonly task = 'classification';
  /** The positive weights per column, or null. */
  readonly posWeight: Float64Array | null;
  private weights: Float64Array;

  constructor(options: BCEWithLogitsLossOptions = {}) {
    const checked = checkLossOptions(options);
    super(checked.reduction);
    this.posWeight = checkWeights('posWeight', checked.posWeight);
    this.weights = this.posWeight ?? new Float64Array(0);
  }

  /** Rebuilds a BCEWithLogitsLoss from its `toConfig()` output (what the loss registry calls). */
  static fromConfig(config: LossConfig): BCEWithLogitsLoss {
    return new BCEWithLogitsLoss({
      posWeight: config.posWeight as number[] | null | undefined,
      reduction: config.reduction as Reduction,
    });
  }

  toConfig(): LossConfig {
    return {
      type: BCEWithLogitsLoss.type,
      posWeight: this.posWeight === null ? null : Array.from(this.posWeight),
      reduction: this.reduction,
    };
  }

  targetColumns(outputs: number): number {
    checkWeightCount('posWeight', this.posWeight, outputs, 'output column');
    return outputs;
  }

  checkTarget(name: string, target: AnyMatrix): void {
    checkProbabilities(name, target, target.data, target.data.length, target.cols);
  }

  probabilities(logits: AnyMatrix, out: AnyMatrix): void {
    checkMatrix('out', out, { rows: logits.rows, cols: logits.cols });
    sigmoidForward(logits.data.length, logits.data, out.data);
  }

  classColumns(outputs: number): number {
    return outputs;
  }

  classes(logits: AnyMatrix, out: AnyMatrix): void {
    checkMatrix('out', out, { rows: logits.rows, cols: logits.cols });
    positiveIndicator(logits.data.length, logits.data, out.data);
  }

  protected compute(pred: AnyMatrix, target: AnyMatrix, grad: AnyMatrix): void {
    if (this.weights.length !== pred.cols) this.weights = this.posWeight ?? new Float64Array(pred.cols).fill(1);
    bceWithLogitsLoss(
      pred.rows,
      pred.cols,
      this.reduction === 'mean',
      this.weights,
      pred.data,
      target.data,
      grad.data,
      this.lossBuffer,
    );
  }
}

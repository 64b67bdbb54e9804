import { argmaxRows, checkClassIndices, crossEntropyLoss, softmaxRows } from '../../kernels/losses.js';
import { checkFinite, rangeError } from '../../util/check.js';
import { checkMatrix } from '../check-matrix.js';
import type { AnyMatrix } from '../matrix.js';
import { KernelLoss } from './kernel-loss.js';
import type { ClassificationLoss, LossConfig, Reduction } from './loss.js';
import { checkLossOptions, checkWeightCount, checkWeights } from './options.js';

/** Options of {@link CrossEntropyLoss}. */
export interface CrossEntropyLossOptions {
  /** A weight per class (PyTorch's weight), e.g. to balance rare classes; default none (1 for every class). */
  weight?: readonly number[] | Float64Array | null;
  /** Label smoothing ε in [0, 1] (default 0): the target becomes (1 − ε)·one-hot + ε/C. */
  labelSmoothing?: number;
  /** 'mean' (default) divides by the summed weights of the rows' target classes (N without weights); 'sum' does not. */
  reduction?: Reduction;
}

/**
 * Cross-entropy of logits, one column per class (at least two), against class
 * indices: an N × 1 Matrix of integers in [0, C). A stable log-softmax (the row's
 * largest logit is subtracted before exp), with PyTorch's semantics for class
 * weights and label smoothing (nn.CrossEntropyLoss).
 *
 * @throws TypeError or RangeError when a weight is not a finite number >= 0,
 *   `labelSmoothing` is outside [0, 1] or `reduction` is neither 'mean' nor 'sum'; `fit`
 *   refuses class indices that are out of range, negative, fractional or NaN.
 *
 * @example
 * ```ts
 * // Three classes: y is an N × 1 Matrix of 0, 1 or 2.
 * const network = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 3));
 * const model = new Model(network, {
 *   loss: new CrossEntropyLoss({ labelSmoothing: 0.05 }),
 *   optimizer: new SGD(network.parameters(), { lr: 0.05, momentum: 0.9 }),
 * });
 * ```
 */
export class CrossEntropyLoss extends KernelLoss implements ClassificationLoss {
  /** The name of this loss type in configurations: `{ type: 'CrossEntropyLoss', … }`. */
  static readonly type = 'CrossEntropyLoss';
  readonly task = 'classification';
  /** The weights per class, or null. */
  readonly weight: Float64Array | null;
  /** Label smoothing ε, in [0, 1]. */
  readonly labelSmoothing: number;
  private weights: Float64Array;

  constructor(options: CrossEntropyLossOptions = {}) {
    const checked = checkLossOptions(options);
    super(checked.reduction);
    this.weight = checkWeights('weight', checked.weight);
    const smoothing = checkFinite('labelSmoothing', checked.labelSmoothing ?? 0);
    if (smoothing < 0 || smoothing > 1) throw rangeError('labelSmoothing', 'a number in [0, 1]', smoothing);
    this.labelSmoothing = smoothing;
    this.weights = this.weight ?? new Float64Array(0);
  }

  /** Rebuilds a CrossEntropyLoss from its `toConfig()` output (what the loss registry calls). */
  static fromConfig(config: LossConfig): CrossEntropyLoss {
    return new CrossEntropyLoss({
      weight: config.weight as number[] | null | undefined,
      labelSmoothing: config.labelSmoothing as number | undefined,
      reduction: config.reduction as Reduction,
    });
  }

  toConfig(): LossConfig {
    return {
      type: CrossEntropyLoss.type,
      weight: this.weight === null ? null : Array.from(this.weight),
      labelSmoothing: this.labelSmoothing,
      reduction: this.reduction,
    };
  }

  /** One column of class indices, for at least two logits (with one class there is nothing to learn). */
  targetColumns(outputs: number): number {
    if (outputs < 2) {
      throw rangeError(
        'outputs',
        'at least 2 columns of logits, one per class',
        outputs,
        'CrossEntropyLoss needs two classes or more',
      );
    }
    checkWeightCount('weight', this.weight, outputs, 'class');
    return 1;
  }

  checkTarget(name: string, target: AnyMatrix, outputs: number): void {
    checkClassIndices(name, target, target.data, target.rows, outputs);
  }

  probabilities(logits: AnyMatrix, out: AnyMatrix): void {
    checkMatrix('out', out, { rows: logits.rows, cols: logits.cols });
    softmaxRows(logits.rows, logits.cols, logits.data, out.data);
  }

  classColumns(): number {
    return 1;
  }

  classes(logits: AnyMatrix, out: AnyMatrix): void {
    checkMatrix('out', out, { rows: logits.rows, cols: 1 });
    argmaxRows(logits.rows, logits.cols, logits.data, out.data);
  }

  protected compute(pred: AnyMatrix, target: AnyMatrix, grad: AnyMatrix): void {
    if (this.weights.length !== pred.cols) this.weights = this.weight ?? new Float64Array(pred.cols).fill(1);
    crossEntropyLoss(
      pred.rows,
      pred.cols,
      this.reduction === 'mean',
      this.labelSmoothing,
      this.weights,
      pred.data,
      target.data,
      grad.data,
      this.lossBuffer,
    );
  }
}

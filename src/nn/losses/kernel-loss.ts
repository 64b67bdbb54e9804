import type { RecordableLoss } from '../../plan/capturable.js';
import type { DType } from '../../util/dtype.js';
import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import type { AnyMatrix } from '../matrix.js';
import type { Loss, LossConfig, Reduction, Task } from './loss.js';

/**
 * What every built-in loss shares: the gradient buffer per batch size, the loss value
 * in a Float64Array of length 1 that the loss kernel writes (so that a recorded step
 * finds it there), and the shape checks. A subclass runs its kernel in `compute`.
 *
 * A loss works in its predictions' dtype: the target must have the same (a TypeError
 * naming it otherwise) and the gradient is of that dtype too. Whatever the dtype, the
 * kernels sum the loss in double and return it as a double: in float32 the sum of a
 * large batch's terms keeps its digits (a float32 accumulator would lose about
 * log2(n) bits of a mean over n elements), so the loss logged and compared between
 * epochs is as exact as its float32 terms allow.
 */
export abstract class KernelLoss implements Loss, RecordableLoss {
  /** Regression or classification: sets the default metrics and how predictions are read. */
  abstract readonly task: Task;
  /** 'mean' (PyTorch's default) or 'sum' of the per-element terms. */
  readonly reduction: Reduction;
  /**
   * Where the loss kernel writes the reduced loss (what a recorded step checks: src/plan/capturable.ts).
   * @internal
   */
  readonly lossBuffer = new Float64Array(1);
  private grads: BufferCache | undefined;
  private cols = -1;
  private dtype: DType = 'float64';
  private grad: AnyMatrix | undefined;

  constructor(reduction: Reduction) {
    this.reduction = reduction;
  }

  /** Target columns for predictions of `outputs` columns (the same, or 1 for class indices). */
  abstract targetColumns(outputs: number): number;
  /** The type and options that rebuild this loss. */
  abstract toConfig(): LossConfig;

  /** Runs the loss kernel: the loss into this.lossBuffer[0], d loss / d pred into grad. */
  protected abstract compute(pred: AnyMatrix, target: AnyMatrix, grad: AnyMatrix): void;

  /**
   * The loss of `pred` (N × outputs) against `target` (N × `targetColumns(outputs)`),
   * reduced to one number; d loss / d pred is computed in the same pass, for `backward`.
   * @throws TypeError or RangeError when the shapes do not match.
   */
  forward(pred: AnyMatrix, target: AnyMatrix): number {
    checkMatrix('pred', pred);
    checkMatrix('target', target, { rows: pred.rows, cols: this.targetColumns(pred.cols), dtype: pred.dtype });
    if (pred.cols !== this.cols || pred.dtype !== this.dtype) {
      this.cols = pred.cols;
      this.dtype = pred.dtype;
      this.grads = new BufferCache(pred.cols, 0, 4, pred.dtype);
    }
    const grad = this.grads!.get(pred.rows);
    this.compute(pred, target, grad);
    this.grad = grad;
    return this.lossBuffer[0];
  }

  /**
   * d loss / d pred of the last `forward`, of pred's shape, in a buffer the loss owns
   * (overwritten by its next `forward`).
   * @throws Error when no `forward` came before.
   */
  backward(): AnyMatrix {
    if (this.grad === undefined) throw new Error(`${this.constructor.name}.backward() called before forward()`);
    return this.grad;
  }
}

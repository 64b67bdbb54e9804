import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import type { Matrix } from '../matrix.js';
import type { Loss, LossConfig, Reduction, Task } from './loss.js';

/**
 * What every built-in loss shares: the gradient buffer per batch size, the loss value
 * in a Float64Array of length 1 that the loss kernel writes (so that a recorded step
 * finds it there), and the shape checks. A subclass runs its kernel in `compute`.
 */
export abstract class KernelLoss implements Loss {
  abstract readonly task: Task;
  readonly reduction: Reduction;
  /** Where the loss kernel writes the reduced loss. */
  protected readonly value = new Float64Array(1);
  private grads: BufferCache | undefined;
  private cols = -1;
  private grad: Matrix | undefined;

  constructor(reduction: Reduction) {
    this.reduction = reduction;
  }

  abstract targetColumns(outputs: number): number;
  abstract toConfig(): LossConfig;

  /** Runs the loss kernel: the loss into this.value[0], d loss / d pred into grad. */
  protected abstract compute(pred: Matrix, target: Matrix, grad: Matrix): void;

  forward(pred: Matrix, target: Matrix): number {
    checkMatrix('pred', pred);
    checkMatrix('target', target, { rows: pred.rows, cols: this.targetColumns(pred.cols) });
    if (pred.cols !== this.cols) {
      this.cols = pred.cols;
      this.grads = new BufferCache(pred.cols);
    }
    const grad = this.grads!.get(pred.rows);
    this.compute(pred, target, grad);
    this.grad = grad;
    return this.value[0];
  }

  backward(): Matrix {
    if (this.grad === undefined) throw new Error(`${this.constructor.name}.backward() called before forward()`);
    return this.grad;
  }
}

import { mseLoss } from '../../kernels/loss.js';
import { checkOneOf, typeError } from '../../util/check.js';
import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import type { Matrix } from '../matrix.js';
import { type Loss, type LossConfig, REDUCTIONS, type Reduction } from './loss.js';

export interface MSELossOptions {
  /** 'mean' divides the summed squared error by the number of elements (N·O); 'sum' is the reference post's. */
  reduction?: Reduction;
}

/**
 * Squared error between a prediction and a target of the same shape, reduced to one
 * number. The gradient is computed in the same pass as the loss, and `backward`
 * returns it: d loss / d pred = 2·(pred − target) / (N·O for 'mean', 1 for 'sum').
 */
export class MSELoss implements Loss {
  static readonly type = 'MSELoss';
  readonly task = 'regression';
  readonly reduction: Reduction;
  private grads: BufferCache | undefined;
  private cols = -1;
  private grad: Matrix | undefined;
  readonly lossBuffer = new Float64Array(1);

  constructor(options: MSELossOptions = {}) {
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    this.reduction = checkOneOf('reduction', options.reduction ?? 'mean', REDUCTIONS);
  }

  static fromConfig(config: LossConfig): MSELoss {
    return new MSELoss({ reduction: config.reduction as Reduction | undefined });
  }

  toConfig(): LossConfig {
    return { type: MSELoss.type, reduction: this.reduction };
  }

  targetColumns(outputs: number): number {
    return outputs;
  }

  forward(pred: Matrix, target: Matrix): number {
    checkMatrix('pred', pred);
    checkMatrix('target', target, { rows: pred.rows, cols: pred.cols });
    if (pred.cols !== this.cols) {
      this.cols = pred.cols;
      this.grads = new BufferCache(pred.cols);
    }
    const grad = this.grads!.get(pred.rows);
    const count = pred.data.length;
    const scale = this.reduction === 'mean' && count > 0 ? 1 / count : 1;
    mseLoss(count, scale, pred.data, target.data, grad.data, this.lossBuffer);
    this.grad = grad;
    return this.lossBuffer[0];
  }

  backward(): Matrix {
    if (this.grad === undefined) throw new Error('MSELoss.backward() called before forward()');
    return this.grad;
  }
}

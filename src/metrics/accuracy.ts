import { accuracySums, PAIR_SUMS } from '../kernels/metrics.js';
import type { AnyMatrix } from '../nn/matrix.js';
import type { Metric } from './metric.js';

/**
 * The fraction of right predictions. Against class indices (CrossEntropyLoss), a row
 * is right when its largest logit is at the target class (top-1); against targets of
 * the logits' shape (BCEWithLogitsLoss, one logit or several), each element is a
 * binary prediction, right when (logit > 0) = (target > 0.5).
 */
export const accuracy: Metric = {
  name: 'accuracy',
  tasks: ['classification'],
  higherIsBetter: true,
  sumsLength: () => PAIR_SUMS,
  accumulate(pred: AnyMatrix, target: AnyMatrix, batch: Float64Array, total: Float64Array): void {
    accuracySums(pred.rows, pred.cols, target.cols, pred.data, target.data, batch, total);
  },
  value: (sums) => sums[0] / sums[1],
};

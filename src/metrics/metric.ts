import type { Task } from '../nn/losses/loss.js';
import type { AnyMatrix } from '../nn/matrix.js';

/**
 * A metric reported beside the loss (`mae`, `rmse`, `r2`, `accuracy`). It is computed
 * from sums that merge over batches, so the same code gives a batch's value and an
 * epoch's: `accumulate` (one kernel) writes a batch's sums and merges them into a
 * total, `value` reads the metric off either. Sums are plain Float64Arrays so that
 * they can live beside the other buffers of a training step.
 */
export interface Metric {
  /** The name logs and History use: `mae`, and `valMae` for the validation rows. */
  readonly name: string;
  /** The kinds of loss whose predictions the metric reads. */
  readonly tasks: readonly Task[];
  /** Whether a larger value is better (for EarlyStopping's and ReduceLROnPlateau's 'auto' mode). */
  readonly higherIsBetter: boolean;
  /** How many sums it keeps, for predictions with `outputs` columns. */
  sumsLength(outputs: number): number;
  /** Writes the sums of one batch into `batch` and merges them into `total`. */
  accumulate(pred: AnyMatrix, target: AnyMatrix, batch: Float64Array, total: Float64Array): void;
  /** The metric's value from a batch's or an epoch's sums. */
  value(sums: Float64Array): number;
}

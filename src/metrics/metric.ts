import type { Matrix } from '../nn/matrix.js';

/**
 * A metric reported beside the loss (`mae`, and with classification `accuracy`).
 * It is computed from sums that add up over batches, so the same code gives a
 * batch's value and an epoch's: `accumulate` adds a batch into `sums`, `value` reads
 * the metric off any total of such sums. Sums are plain Float64Arrays so that they
 * can live beside the other buffers of a training step.
 */
export interface Metric {
  /** The name logs and History use: `mae`, and `valMae` for the validation rows. */
  readonly name: string;
  /** How many sums it keeps, for predictions with `outputs` columns. */
  sumsLength(outputs: number): number;
  accumulate(pred: Matrix, target: Matrix, sums: Float64Array): void;
  value(sums: Float64Array): number;
}

import type { Matrix } from '../matrix.js';

/** How a loss reduces its per-element terms to one number. */
export type Reduction = 'mean' | 'sum';

export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum'];

/** A loss as plain JSON: its registered `type` and options (`{ type: 'MSELoss', reduction: 'mean' }`). */
export interface LossConfig {
  type: string;
  [option: string]: unknown;
}

/**
 * What the model predicts: numbers (regression), or classes from logits
 * (classification). It decides the default metrics and how predictions are read.
 */
export type Task = 'regression' | 'classification';

/**
 * A loss: `forward` reduces a batch of predictions against its targets to one
 * number and keeps what `backward` needs; `backward` returns d loss / d pred, in a
 * buffer the loss owns (overwritten by its next `forward`).
 */
export interface Loss {
  readonly task: Task;
  readonly reduction: Reduction;
  forward(pred: Matrix, target: Matrix): number;
  backward(): Matrix;
  /** Target columns for predictions of `outputs` columns (the same, or 1 for class indices). */
  targetColumns(outputs: number): number;
  toConfig(): LossConfig;
}

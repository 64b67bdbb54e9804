import type { AnyMatrix } from '../matrix.js';

/** How a loss reduces its per-element terms to one number. */
export type Reduction = 'mean' | 'sum';

export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum'];

/** A loss as plain JSON: its registered `type` and options (`{ type: 'MSELoss', reduction: 'mean' }`). */
export interface LossConfig {
  /** The registered loss type, e.g. `'MSELoss'`, `'CrossEntropyLoss'`. */
  type: string;
  /** The loss's options, as its `toConfig()` writes them. */
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
  /** Regression or classification: sets the default metrics and how predictions are read. */
  readonly task: Task;
  /** 'mean' (PyTorch's default) or 'sum' of the per-element terms. */
  readonly reduction: Reduction;
  /**
   * The loss of `pred` (N × outputs) against `target` (N × `targetColumns(outputs)`),
   * reduced to one number; keeps d loss / d pred for `backward`.
   * @throws TypeError or RangeError when the shapes do not match.
   */
  forward(pred: AnyMatrix, target: AnyMatrix): number;
  /**
   * d loss / d pred of the last `forward`, of pred's shape, in a buffer the loss owns.
   * @throws Error when no `forward` came before.
   */
  backward(): AnyMatrix;
  /**
   * Target columns for predictions of `outputs` columns (the same, or 1 for class
   * indices); a RangeError when the loss cannot work with that many outputs.
   */
  targetColumns(outputs: number): number;
  /**
   * Checks the values of a target matrix, for predictions of `outputs` columns
   * (class indices, probabilities), with errors naming `name`. Regression losses
   * take any finite target, and need not implement it.
   */
  checkTarget?(name: string, target: AnyMatrix, outputs: number): void;
  /** The type and options that rebuild this loss. */
  toConfig(): LossConfig;
}

/** A loss over logits, which also turns them into probabilities and classes (Model.predictProba, predictClasses). */
export interface ClassificationLoss extends Loss {
  /** Always 'classification'. */
  readonly task: 'classification';
  /** Probabilities of the same shape as the logits: a softmax per row, or a sigmoid per element. */
  probabilities(logits: AnyMatrix, out: AnyMatrix): void;
  /** Columns of the classes for `outputs` logits: 1 class index per row, or one 0/1 per output. */
  classColumns(outputs: number): number;
  /** The predicted classes: the index of each row's largest logit, or 1 where a logit is > 0 and 0 elsewhere. */
  classes(logits: AnyMatrix, out: AnyMatrix): void;
}

export function isClassificationLoss(loss: Loss): loss is ClassificationLoss {
  const l = loss as Partial<ClassificationLoss>;
  return loss.task === 'classification' && typeof l.probabilities === 'function' && typeof l.classes === 'function';
}

import { findNonFinite } from '../nn/check-matrix.js';
import type { AnyMatrix } from '../nn/matrix.js';

/**
 * Training went numerically wrong on finite data: a batch's loss became NaN or
 * infinite, or an update made a parameter non-finite. The learning rate is too high
 * for the initialisation (or the data's scale). The model keeps the weights it had
 * before that batch: the last finite ones.
 */
export class TrainingDivergedError extends Error {
  /** Always 'TrainingDivergedError'. */
  override name = 'TrainingDivergedError';
  /** The batch's loss: NaN or ±Infinity, or the finite loss of a batch whose update overflowed. */
  readonly loss: number;
  /** Where it happened, when known (0-based). */
  /** The epoch, 0-based, when known. */
  readonly epoch: number | undefined;
  /** The batch of that epoch, 0-based, when known. */
  readonly batch: number | undefined;
  /** The first parameter the update made non-finite (dotted name), when that is what happened. */
  readonly parameter: string | undefined;

  /**
   * @param where.keptBatch When the model could not be taken back to just before the
   *   offending batch, the batch of the same epoch whose starting weights it keeps.
   */
  constructor(loss: number, where: { epoch?: number; batch?: number; parameter?: string; keptBatch?: number } = {}) {
    const at = where.epoch === undefined ? '' : ` at epoch ${where.epoch + 1}, batch ${(where.batch ?? 0) + 1}`;
    const what =
      where.parameter === undefined
        ? `the loss became ${loss}`
        : `an update made parameter ${where.parameter} non-finite${Number.isNaN(loss) ? '' : ` (the batch's loss was ${loss})`}`;
    const kept =
      where.keptBatch === undefined
        ? 'the weights it had before that batch'
        : `the weights it had before batch ${where.keptBatch + 1} of that epoch, the last it knows to be finite`;
    super(
      `Training diverged${at}: ${what}. The model keeps ${kept}; lower the learning rate or use a smaller initialisation.`,
    );
    this.loss = loss;
    this.epoch = where.epoch;
    this.batch = where.batch;
    this.parameter = where.parameter;
  }
}

/** A model file that is not one, is truncated or corrupted, or does not match. */
export class ModelFileError extends Error {
  /** Always 'ModelFileError'. */
  override name = 'ModelFileError';
  /** The file, as it was named. */
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`Cannot load model file ${path}: ${reason}`);
    this.path = path;
  }
}

/**
 * The error of a training step on (x, y) whose loss came out non-finite: a
 * RangeError naming the first non-finite input or target value when there is one
 * (bad data), else a TrainingDivergedError. Scanning the batch only once its loss is
 * bad keeps the hot path free of an extra pass.
 */
export function nonFiniteLossError(x: AnyMatrix, y: AnyMatrix, loss: number): Error {
  return findNonFinite('x', x) ?? findNonFinite('y', y) ?? new TrainingDivergedError(loss);
}

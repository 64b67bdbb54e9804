/**
 * Training produced a non-finite loss from finite data: the learning rate is too
 * high for the initialisation (or the data's scale). The model keeps the weights of
 * its last finite step.
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  /** The offending loss (NaN or ±Infinity). */
  readonly loss: number;
  /** Where it happened, when known (0-based). */
  readonly epoch: number | undefined;
  readonly batch: number | undefined;

  constructor(loss: number, where: { epoch?: number; batch?: number } = {}) {
    const at = where.epoch === undefined ? '' : ` at epoch ${where.epoch + 1}, batch ${(where.batch ?? 0) + 1}`;
    super(
      `Training diverged${at}: the loss became ${loss}. The model keeps its last finite weights; ` +
        'lower the learning rate or use a smaller initialisation.',
    );
    this.loss = loss;
    this.epoch = where.epoch;
    this.batch = where.batch;
  }
}

/** A model file that is not one, is truncated or corrupted, or does not match. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`Cannot load model file ${path}: ${reason}`);
    this.path = path;
  }
}

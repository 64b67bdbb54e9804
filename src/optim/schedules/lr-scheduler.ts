import {
  type CallbackModel,
  checkStateScalars,
  type FitSetting,
  TrainingCallback,
  type TrainingCallbackState,
} from '../../model/fit/training-callback.js';
import { checkInteger, rangeError, typeError } from '../../util/check.js';
import { Optimizer } from '../optimizer.js';

/**
 * A learning-rate schedule with a closed form, as PyTorch's LRScheduler: the rate
 * of epoch e is a function of e and of the base rate (the optimizer's when the
 * schedule was created). Created, it applies epoch 0's rate at once, as PyTorch's do;
 * `step()` moves to the next epoch, as in a PyTorch loop. In `fit`'s callbacks, it sets
 * each epoch's rate as the epoch begins, so that a resumed or continued fit finds the
 * same rates; a fit is refused before it starts when a rate on its way would not be a
 * finite number > 0.
 *
 * @throws TypeError when the optimizer is not an {@link Optimizer}.
 */
export abstract class LRScheduler extends TrainingCallback {
  override readonly setsLearningRate = true;
  /** The optimizer whose learning rate the schedule sets. */
  readonly optimizer: Optimizer;
  private base: number;
  private epoch = 0;

  constructor(optimizer: Optimizer) {
    super();
    if (!(optimizer instanceof Optimizer)) throw typeError('optimizer', 'an Optimizer (SGD, Adam, …)', optimizer);
    this.optimizer = optimizer;
    this.base = optimizer.lr;
  }

  /** The learning rate the schedule scales: the optimizer's when the schedule was created. */
  get baseLr(): number {
    return this.base;
  }

  /** The epoch whose rate was set last (PyTorch's last_epoch). */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** The rate of `epoch` (a whole number >= 0), from the closed form. */
  abstract lrAt(epoch: number): number;

  /**
   * Epochs at which the rate is smallest or largest over [first, last] (the ends of
   * that range for a monotone schedule): checking those checks them all.
   */
  protected extremes(first: number, last: number): number[] {
    return [first, last];
  }

  /** Moves to the next epoch and applies its rate; a rate that is not a finite number > 0 is refused, changing nothing. */
  step(): void {
    this.apply(this.epoch + 1, 'step()');
  }

  /** In fit: applies the rate of `epoch` as the epoch begins. */
  override epochBegin(epoch: number): void {
    this.apply(epoch, 'epoch');
  }

  override checkFit(model: CallbackModel, fit: FitSetting, name: string): void {
    if (model.optimizer !== this.optimizer) {
      throw rangeError(name, 'a schedule of this model’s optimizer', this, 'it was created with another optimizer');
    }
    if (fit.initialEpoch >= fit.epochs) return;
    for (const epoch of this.extremes(fit.initialEpoch, fit.epochs - 1)) {
      const lr = this.lrAt(epoch);
      if (!(lr > 0 && lr < Number.POSITIVE_INFINITY)) {
        throw rangeError(
          name,
          'a schedule whose learning rate stays a finite number > 0 over the epochs of this fit',
          this,
          `epoch ${epoch} would train at lr ${lr}`,
        );
      }
    }
  }

  state(): TrainingCallbackState {
    return { scalars: { baseLr: this.base, lastEpoch: this.epoch }, tensors: {} };
  }

  checkState(state: TrainingCallbackState): () => void {
    const { baseLr, lastEpoch } = checkStateScalars(state, ['baseLr', 'lastEpoch']);
    if (!((baseLr as number) > 0)) throw rangeError('state.scalars.baseLr', 'a finite number > 0', baseLr);
    const epoch = checkInteger('state.scalars.lastEpoch', lastEpoch, 0, Number.MAX_SAFE_INTEGER);
    return () => {
      this.base = baseLr as number;
      this.epoch = epoch;
    };
  }

  /** Applies the rate of `epoch` (for a constructor: epoch 0). */
  protected apply(epoch: number, what: string): void {
    const lr = this.lrAt(epoch);
    if (!(lr > 0 && lr < Number.POSITIVE_INFINITY)) {
      throw rangeError(
        what,
        'an epoch whose learning rate is a finite number > 0',
        epoch,
        `${this.constructor.name} gives ${lr}`,
      );
    }
    this.optimizer.lr = lr;
    this.epoch = epoch;
  }
}

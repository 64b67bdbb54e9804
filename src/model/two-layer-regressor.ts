import { checkFiniteMatrix, checkMatrix, findNonFinite } from '../nn/check-matrix.js';
import { checkInit, type InitScheme } from '../nn/init.js';
import { Linear } from '../nn/linear.js';
import type { Matrix } from '../nn/matrix.js';
import { MSELoss, type Reduction } from '../nn/mse-loss.js';
import { ReLU } from '../nn/relu.js';
import { Sequential } from '../nn/sequential.js';
import { SGD } from '../nn/sgd.js';
import { Random } from '../random/prng.js';
import { checkFloat64Array, checkInteger, checkPositive, rangeError, typeError } from '../util/check.js';
import { fitInBackground } from './background/fit-in-background.js';
import { checkpointMetadata, isCheckpointDue, resumeEpoch } from './checkpoint.js';
import { ModelFileError, TrainingDivergedError } from './errors.js';
import { type FitOptions, fitModel, type History, planFit } from './fit.js';
import { loadModelFile, saveModelFile } from './model-file.js';

export interface TwoLayerRegressorOptions {
  /** D: features per row. */
  inputSize: number;
  /** H: hidden ReLU units. */
  hiddenSize: number;
  /** O: targets per row. */
  outputSize: number;
  /** Loss reduction (default 'mean'); 'sum' is the reference post's Σ(pred − y)². */
  reduction?: Reduction;
  /** Seed of the initial weights and of fit's shuffling (default 0). */
  seed?: number;
  /** 'he' (default): Kaiming-normal; 'post': the reference post's plain randn. */
  init?: InitScheme;
}

/** The model's weights, in the reference post's shapes: W1 D×H, b1 H, W2 H×O, b2 O (row-major). */
export interface StateDict {
  W1: Float64Array;
  b1: Float64Array;
  W2: Float64Array;
  b2: Float64Array;
}

const STATE_KEYS = ['W1', 'b1', 'W2', 'b2'] as const;

/** The lengths of the state dict's arrays for a configuration (whose sizes are checked). */
function stateLengths(config: TwoLayerRegressorOptions): Record<keyof StateDict, number> {
  const inputSize = checkInteger('inputSize', config.inputSize, 1);
  const hiddenSize = checkInteger('hiddenSize', config.hiddenSize, 1);
  const outputSize = checkInteger('outputSize', config.outputSize, 1);
  return { W1: inputSize * hiddenSize, b1: hiddenSize, W2: hiddenSize * outputSize, b2: outputSize };
}
const FILE_KIND = 'TwoLayerRegressor';

/**
 * The two-layer regression network of the reference post:
 *
 *   h = X·W1 + b1,  r = relu(h),  pred = r·W2 + b2,  loss = Σ(pred − y)² (or its mean)
 *
 * trained by plain SGD with the gradients of the chain rule. Composed of the generic
 * Linear, ReLU, MSELoss and SGD, so it is exactly as fast as they are.
 */
export class TwoLayerRegressor {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  readonly reduction: Reduction;
  readonly seed: number;
  readonly init: InitScheme;
  readonly hidden: Linear;
  readonly output: Linear;
  readonly network: Sequential;
  readonly loss: MSELoss;
  private readonly optimizer: SGD;
  /** Free-form JSON saved with the model (feature scaling, column names, …). */
  metadata: Record<string, unknown> = {};

  constructor(options: TwoLayerRegressorOptions) {
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    this.inputSize = checkInteger('inputSize', options.inputSize, 1);
    this.hiddenSize = checkInteger('hiddenSize', options.hiddenSize, 1);
    this.outputSize = checkInteger('outputSize', options.outputSize, 1);
    this.seed = checkInteger('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    this.init = checkInit('init', options.init ?? 'he');
    this.loss = new MSELoss({ reduction: options.reduction ?? 'mean' });
    this.reduction = this.loss.reduction;
    const random = new Random(this.seed);
    this.hidden = new Linear(this.inputSize, this.hiddenSize, { init: this.init, random });
    this.output = new Linear(this.hiddenSize, this.outputSize, { init: this.init, random });
    this.network = new Sequential(this.hidden, new ReLU(), this.output);
    // The learning rate is set by each trainStep; this one is never used.
    this.optimizer = new SGD(this.network.parameters(), { lr: 1 });
  }

  /** The configuration the constructor takes, to rebuild this model. */
  get config(): Required<TwoLayerRegressorOptions> {
    const { inputSize, hiddenSize, outputSize, reduction, seed, init } = this;
    return { inputSize, hiddenSize, outputSize, reduction, seed, init };
  }

  /**
   * One SGD step on this batch — the body of the reference post's training loop, with
   * its gradients corrected. Returns the loss of the forward pass, before the update.
   * Allocates nothing after the first call at a given batch size.
   */
  trainStep(x: Matrix, y: Matrix, lr: number): number {
    checkMatrix('x', x, { cols: this.inputSize });
    checkMatrix('y', y, { rows: x.rows, cols: this.outputSize });
    if (x.rows === 0) throw rangeError('x', 'at least one row', x);
    this.optimizer.lr = checkPositive('lr', lr);
    const loss = this.loss.forward(this.network.forward(x), y);
    if (!Number.isFinite(loss)) {
      // Scanning the inputs only when the loss is bad keeps the hot path free of an
      // extra pass, and still tells bad data apart from divergence.
      throw findNonFinite('x', x) ?? findNonFinite('y', y) ?? new TrainingDivergedError(loss);
    }
    this.network.zeroGrad();
    this.network.backwardParameters(this.loss.backward());
    this.optimizer.step();
    return loss;
  }

  /** Predictions for every row of x, in a new matrix. */
  predict(x: Matrix): Matrix {
    checkMatrix('x', x, { cols: this.inputSize });
    checkFiniteMatrix('x', x);
    return this.network.forward(x).clone();
  }

  /** The loss on (x, y) under the model's reduction, without updating anything. */
  evaluate(x: Matrix, y: Matrix): number {
    checkMatrix('x', x, { cols: this.inputSize });
    checkMatrix('y', y, { rows: x.rows, cols: this.outputSize });
    checkFiniteMatrix('x', x);
    checkFiniteMatrix('y', y);
    return this.loss.forward(this.network.forward(x), y);
  }

  /** Copies of the weights. */
  stateDict(): StateDict {
    return {
      W1: this.hidden.weight.value.data.slice(),
      b1: this.hidden.bias!.value.data.slice(),
      W2: this.output.weight.value.data.slice(),
      b2: this.output.bias!.value.data.slice(),
    };
  }

  /** Copies weights in. Every entry is checked before any is copied, so a bad one changes nothing. */
  loadStateDict(state: StateDict): void {
    if (typeof state !== 'object' || state === null) throw typeError('state', 'an object with W1, b1, W2, b2', state);
    const targets = this.stateTargets();
    for (const key of STATE_KEYS) {
      const target = targets[key];
      const source = checkFloat64Array(`state.${key}`, state[key]);
      if (source.length !== target.length) {
        throw rangeError(`state.${key}`, `a Float64Array of length ${target.length}`, source);
      }
      for (let i = 0; i < source.length; i++) {
        if (!Number.isFinite(source[i])) {
          throw rangeError(`state.${key}`, 'finite values', source, `${source[i]} at index ${i}`);
        }
      }
    }
    for (const key of STATE_KEYS) targets[key].set(state[key]);
  }

  /**
   * Mini-batch training over the whole data set; see FitOptions. Runs on a worker
   * thread unless `background: false`; either way the weights are this model's when
   * the promise settles.
   */
  fit(x: Matrix, y: Matrix, options: FitOptions): Promise<History> {
    return options?.background === false ? this.fitInThread(x, y, options) : fitInBackground(this, x, y, options);
  }

  /** Training on the calling thread, with checkpoints. A background fit's worker runs this too. */
  private async fitInThread(x: Matrix, y: Matrix, options: FitOptions): Promise<History> {
    const plan = planFit(this, x, y, options);
    let initialEpoch = plan.initialEpoch;
    if (plan.resume !== undefined) {
      const saved = await TwoLayerRegressor.load(plan.resume);
      initialEpoch = resumeEpoch(plan.resume, saved, this.config, plan);
      this.loadStateDict(saved.stateDict());
    }
    const { checkpoint } = plan;
    const afterEpoch = async (epoch: number) => {
      if (checkpoint && isCheckpointDue(checkpoint, epoch, plan.epochs)) {
        await this.writeFile(checkpoint.path, checkpointMetadata(this.metadata, plan, epoch));
      }
    };
    return fitModel(this, x, y, options, { initialEpoch, afterEpoch });
  }

  /** Writes the configuration, metadata and weights (bit-exact) to `path`, atomically. */
  async save(path: string): Promise<void> {
    if (typeof path !== 'string' || path === '') throw typeError('path', 'a non-empty string', path);
    await this.writeFile(path, this.metadata);
  }

  private writeFile(path: string, metadata: Record<string, unknown>): Promise<void> {
    return saveModelFile(path, {
      kind: FILE_KIND,
      config: { ...this.config },
      metadata,
      tensors: { ...this.stateTargets() },
    });
  }

  static async load(path: string): Promise<TwoLayerRegressor> {
    if (typeof path !== 'string' || path === '') throw typeError('path', 'a non-empty string', path);
    const file = await loadModelFile(path);
    if (file.kind !== FILE_KIND) throw new ModelFileError(path, `it holds a ${file.kind}, not a ${FILE_KIND}`);
    try {
      // Sizes are checked against the stored tensors before the model is built, so a
      // small file cannot make load allocate a huge network only to reject it.
      const expected = stateLengths(file.config as unknown as TwoLayerRegressorOptions);
      for (const key of STATE_KEYS) {
        const stored = file.tensors[key]?.length;
        if (stored !== expected[key]) {
          throw new RangeError(
            `tensor ${key} holds ${stored ?? 'no'} values where the configuration needs ${expected[key]}`,
          );
        }
      }
      const model = new TwoLayerRegressor(file.config as unknown as TwoLayerRegressorOptions);
      model.loadStateDict(file.tensors as unknown as StateDict);
      model.metadata = file.metadata;
      return model;
    } catch (error) {
      throw new ModelFileError(path, `inconsistent contents: ${(error as Error).message}`);
    }
  }

  private stateTargets(): StateDict {
    return {
      W1: this.hidden.weight.value.data,
      b1: this.hidden.bias!.value.data,
      W2: this.output.weight.value.data,
      b2: this.output.bias!.value.data,
    };
  }
}

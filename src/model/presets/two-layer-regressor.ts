import { checkInit, type InitScheme } from '../../nn/init.js';
import { Linear } from '../../nn/layers/linear.js';
import { ReLU } from '../../nn/layers/relu.js';
import { Sequential } from '../../nn/layers/sequential.js';
import type { Reduction } from '../../nn/losses/loss.js';
import { MSELoss } from '../../nn/losses/mse-loss.js';
import type { AnyMatrix } from '../../nn/matrix.js';
import { loadTensors } from '../../nn/state-dict.js';
import { SGD } from '../../optim/sgd.js';
import { Random } from '../../random/prng.js';
import { checkDType, checkInteger, checkPositive, typeError } from '../../util/check.js';
import type { DType, FloatArray } from '../../util/dtype.js';
import { ModelFileError } from '../errors.js';
import { loadModel } from '../file/index.js';
import { Model } from '../model.js';
import type { ModelConfig } from '../model-config.js';

/** What TwoLayerRegressor is built from. */
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
  /** The SGD learning rate used when neither trainStep nor fit is given one (default 0.01). */
  lr?: number;
  /** The element type of the weights and of the data trained on (default 'float64'). */
  dtype?: DType;
}

/** The model's weights, in the reference post's shapes: W1 D×H, b1 H, W2 H×O, b2 O (row-major). */
export type TwoLayerStateDict = {
  /** The hidden layer's weight, D×H. */
  W1: FloatArray;
  /** The hidden layer's bias, H. */
  b1: FloatArray;
  /** The output layer's weight, H×O. */
  W2: FloatArray;
  /** The output layer's bias, O. */
  b2: FloatArray;
};

/** The post's names for the network's parameters. */
const POST_NAMES = { W1: '0.weight', b1: '0.bias', W2: '2.weight', b2: '2.bias' } as const;
const DEFAULT_LR = 0.01;

/**
 * The two-layer regression network of the reference post, as a preset of Model:
 *
 *   h = X·W1 + b1,  r = relu(h),  pred = r·W2 + b2,  loss = Σ(pred − y)² (or its mean)
 *
 * Linear, ReLU, Linear with MSELoss and plain SGD; a Model built by hand from the same
 * pieces and seed trains bit-identically. It keeps the post's names for its weights
 * (`stateDict()` gives W1, b1, W2, b2) and takes the learning rate per step.
 */
export class TwoLayerRegressor extends Model {
  /** H: hidden ReLU units. */
  readonly hiddenSize: number;
  /** The initialisation the weights were drawn with. */
  readonly init: InitScheme;
  /** The hidden layer, x·W1 + b1. */
  readonly hidden: Linear;
  /** The output layer, r·W2 + b2. */
  readonly output: Linear;
  /** The network: `Sequential(hidden, ReLU, output)`. */
  declare readonly network: Sequential;
  /** The loss: MSELoss with the preset's reduction. */
  declare readonly loss: MSELoss;
  declare readonly optimizer: SGD;

  constructor(options: TwoLayerRegressorOptions) {
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    const inputSize = checkInteger('inputSize', options.inputSize, 1);
    const hiddenSize = checkInteger('hiddenSize', options.hiddenSize, 1);
    const outputSize = checkInteger('outputSize', options.outputSize, 1);
    const seed = checkInteger('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    const init = checkInit('init', options.init ?? 'he');
    const loss = new MSELoss({ reduction: options.reduction ?? 'mean' });
    const random = new Random(seed);
    const dtype = checkDType('dtype', options.dtype ?? 'float64');
    const hidden = new Linear(inputSize, hiddenSize, { init, random, dtype });
    const output = new Linear(hiddenSize, outputSize, { init, random, dtype });
    const network = new Sequential(hidden, new ReLU({ dtype }), output);
    const optimizer = new SGD(network.parameters(), { lr: options.lr ?? DEFAULT_LR });
    super(network, { loss, optimizer, seed });
    this.hiddenSize = hiddenSize;
    this.init = init;
    this.hidden = hidden;
    this.output = output;
  }

  /** The options the constructor takes, to rebuild this model. */
  get config(): Required<Omit<TwoLayerRegressorOptions, 'lr'>> {
    const { inputSize, hiddenSize, outputSize, reduction, seed, init, dtype } = this;
    return { inputSize, hiddenSize, outputSize, reduction, seed, init, dtype };
  }

  /**
   * One SGD step on this batch — the body of the reference post's training loop, with
   * its gradients corrected. Returns the loss of the forward pass, before the update.
   * `lr`, when given, becomes the optimizer's learning rate. Allocates nothing after
   * the first call at a given batch size.
   */
  override trainStep(x: AnyMatrix, y: AnyMatrix, lr?: number): number {
    if (lr !== undefined) this.optimizer.lr = checkPositive('lr', lr);
    return super.trainStep(x, y);
  }

  /** Copies of the weights under the post's names. */
  override stateDict(): TwoLayerStateDict & Record<string, FloatArray> {
    const state = super.stateDict();
    return { W1: state[POST_NAMES.W1], b1: state[POST_NAMES.b1], W2: state[POST_NAMES.W2], b2: state[POST_NAMES.b2] };
  }

  /**
   * Copies weights in, under the post's names. Each entry is read once and every one
   * is checked before any is copied, so a bad one changes nothing.
   */
  override loadStateDict(state: TwoLayerStateDict): void {
    loadTensors('state', state, [
      ['W1', this.hidden.weight.value.data],
      ['b1', this.hidden.bias!.value.data],
      ['W2', this.output.weight.value.data],
      ['b2', this.output.bias!.value.data],
    ]);
  }

  /** Reads a model file holding this network (format 1 or 2) into a TwoLayerRegressor. */
  static override async load(path: string): Promise<TwoLayerRegressor> {
    const file = await loadModel(path);
    const options = twoLayerOptions(file.model);
    if (options === undefined)
      throw new ModelFileError(path, 'it holds a network other than Linear, ReLU, Linear with MSELoss and SGD');
    const model = new TwoLayerRegressor(options);
    try {
      model.network.loadStateDict(file.parameters);
    } catch (error) {
      throw new ModelFileError(path, `inconsistent contents: ${(error as Error).message}`);
    }
    model.metadata = file.metadata;
    return model;
  }
}

/** The preset's options when a model configuration is its network, loss and optimizer; else undefined. */
function twoLayerOptions(config: ModelConfig): TwoLayerRegressorOptions | undefined {
  const { network, loss, optimizer, seed, dtype } = config;
  const layers = network.layers as Record<string, unknown>[] | undefined;
  if (network.type !== 'Sequential' || !Array.isArray(layers) || layers.length !== 3) return undefined;
  const [first, relu, second] = layers;
  const isLinear = (l: Record<string, unknown>) => l?.type === 'Linear' && l.bias !== false;
  if (!isLinear(first) || relu?.type !== 'ReLU' || !isLinear(second) || first.init !== second.init) return undefined;
  if (first.outFeatures !== second.inFeatures || loss.type !== 'MSELoss' || optimizer.type !== 'SGD') return undefined;
  if ((optimizer.momentum ?? 0) !== 0 || (optimizer.weightDecay ?? 0) !== 0) return undefined;
  return {
    inputSize: first.inFeatures as number,
    hiddenSize: first.outFeatures as number,
    outputSize: second.outFeatures as number,
    reduction: loss.reduction as Reduction,
    init: (first.init ?? 'he') as InitScheme,
    seed,
    lr: optimizer.lr,
    dtype: dtype ?? 'float64',
  };
}

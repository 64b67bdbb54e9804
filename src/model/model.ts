import type { Metric } from '../metrics/metric.js';
import { metricsByName } from '../metrics/registry.js';
import { checkFiniteMatrix, checkMatrix } from '../nn/check-matrix.js';
import { type Dropout, dropoutLayersOf } from '../nn/layers/dropout.js';
import { layerFromConfig } from '../nn/layers/registry.js';
import { type ClassificationLoss, isClassificationLoss, type Loss } from '../nn/losses/loss.js';
import { lossFromConfig } from '../nn/losses/registry.js';
import { type AnyMatrix, Matrix } from '../nn/matrix.js';
import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { readTensors, type StateDict } from '../nn/state-dict.js';
import { GradientClipper } from '../optim/clip-grad-norm.js';
import { Optimizer, type OptimizerState } from '../optim/optimizer.js';
import { optimizerFromConfig } from '../optim/registry.js';
import { checkDType, checkInteger, rangeError, typeError } from '../util/check.js';
import type { DType, FloatArray } from '../util/dtype.js';
import { fitInBackground } from './background/fit-in-background.js';
import { ModelFileError, nonFiniteLossError } from './errors.js';
import { decodeModelData, encodeModelData, loadModel, type ModelFileData, saveModel } from './file/index.js';
import type { NativeBatches } from './fit/batches.js';
import { fitInThread } from './fit/in-thread.js';
import type { History, Logs, MetricSums } from './fit/logs.js';
import type { FitTarget, TrainingSnapshot } from './fit/loop.js';
import { checkMatrixBuffer, type FitOptions } from './fit/options.js';
import type { ModelConfig, TrainingState } from './model-config.js';
import { ModelPlans, recordLossCheck } from './plans.js';
import { summarize } from './summary.js';

/** What a {@link Model} trains with, besides its network. */
export interface ModelOptions {
  /** The loss to minimise, e.g. `new MSELoss()` or `new CrossEntropyLoss()`; its task sets the default metrics. */
  loss: Loss;
  /** The optimizer, created over exactly the network's parameters (`network.parameters()`). */
  optimizer: Optimizer;
  /**
   * Metrics logged beside the loss, by name: in every batch's and epoch's logs, in
   * `evaluate`, and with validation data as `val…`: `mae`, `rmse`, `r2` for a
   * regression loss (default `['mae']`), `accuracy` for a classification loss (the
   * default).
   */
  metrics?: readonly string[];
  /** Seed of fit's shuffling when fit is not given one (default 0). */
  seed?: number;
  /**
   * The model's element type. A model computes in its network's dtype, which the
   * network's layers fix (`new Linear(…, { dtype: 'float32' })`): the parameters are
   * allocated there, and converting them here would copy them behind the layers'
   * backs. So this option only states it: given, it must be the network's (a
   * TypeError otherwise), which catches a float64 layer left in a float32 design.
   */
  dtype?: DType;
}

const DEFAULT_METRICS = { regression: ['mae'], classification: ['accuracy'] } as const;
/** Rows evaluated or predicted at once, so that a large data set does not make every layer allocate its size. */
const EVALUATION_ROWS = 4096;

/**
 * A network with its loss and optimizer: it trains (`trainStep`, `fit`, in the
 * background by default), evaluates, predicts, and saves and loads itself. Any
 * network built from the registered layers works, and `Model.fromConfig` rebuilds it.
 *
 * @throws TypeError or RangeError naming the argument when the network is not a
 *   {@link Module} with parameters and a fixed input width, the loss or optimizer is of
 *   the wrong type, the optimizer does not update exactly the network's parameters, a
 *   metric is unknown or does not fit the loss's task, or the seed is not a 32-bit integer.
 *
 * @example
 * ```ts
 * const network = new Sequential(new Linear(10, 64), new ReLU(), new Linear(64, 1));
 * const model = new Model(network, {
 *   loss: new MSELoss(),
 *   optimizer: new SGD(network.parameters(), { lr: 0.02, momentum: 0.9 }),
 * });
 * const history = await model.fit(x, y, { epochs: 30, batchSize: 32, validationSplit: 0.2 });
 * ```
 */
export class Model implements FitTarget {
  /** The network that trains (a {@link Sequential}, usually). */
  readonly network: Module;
  /**
   * The element type of the parameters and of every matrix the model takes and returns
   * (the network's). trainStep, evaluate, predict and fit take x and y in this dtype:
   * a matrix of the other one is a TypeError (convert it once with `astype`).
   */
  readonly dtype: DType;
  /** The loss it minimises. */
  readonly loss: Loss;
  /** The optimizer that updates the network's parameters. */
  readonly optimizer: Optimizer;
  /** The metrics logged beside the loss, in the order given. */
  readonly metrics: readonly Metric[];
  /** Seed of fit's shuffling (and of Dropout's masks) when fit is not given one. */
  readonly seed: number;
  /** Features per input row. */
  readonly inputSize: number;
  /** Columns the network puts out per row. */
  readonly outputSize: number;
  /** Columns of a target row (the outputs, or 1 for class indices). */
  readonly targetSize: number;
  /** Free-form JSON saved with the model (feature scaling, column names, …). */
  metadata: Record<string, unknown> = {};
  /** Set by a callback during fit to end training after the current batch, without an error. */
  stopTraining = false;
  private readonly parameterNames: ReadonlyMap<Parameter, string>;
  /** Recorded training steps, replayed natively (src/plan/, ./plans.ts). */
  private readonly plans: ModelPlans;
  /** The network's Dropout layers, reseeded by fit at every epoch. */
  private readonly dropouts: readonly Dropout[];
  private clipper: GradientClipper | undefined;

  constructor(network: Module, options: ModelOptions) {
    if (!(network instanceof Module)) throw typeError('network', 'a Module', network);
    if (typeof options !== 'object' || options === null)
      throw typeError('options', 'an object { loss, optimizer }', options);
    const { loss, optimizer } = options;
    checkLoss(loss);
    if (!(optimizer instanceof Optimizer)) throw typeError('optimizer', 'an Optimizer (SGD, …)', optimizer);
    const inputSize = network.inputFeatures;
    if (inputSize === undefined) {
      throw rangeError('network', 'a network whose input width a layer fixes (a Linear layer, say)', network);
    }
    const named = network.namedParameters();
    if (named.length === 0) throw rangeError('network', 'a network with parameters to train', network);
    this.parameterNames = new Map(named.map(([name, p]) => [p, name]));
    checkOptimizerCoversNetwork(optimizer, this.parameterNames);
    if (options.dtype !== undefined && checkDType('dtype', options.dtype) !== network.dtype) {
      throw typeError('dtype', `the network's dtype, ${network.dtype}`, options.dtype);
    }
    this.dtype = network.dtype;
    this.network = network;
    this.loss = loss;
    this.optimizer = optimizer;
    this.inputSize = inputSize;
    this.outputSize = network.outputFeatures(inputSize);
    this.targetSize = loss.targetColumns(this.outputSize);
    this.metrics = metricsByName('metrics', options.metrics ?? DEFAULT_METRICS[loss.task], loss.task);
    this.dropouts = dropoutLayersOf(network);
    this.seed = checkInteger('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    this.plans = new ModelPlans({
      network,
      loss,
      optimizer,
      metrics: this.metrics,
      parameterNames: this.parameterNames,
    });
  }

  /** Builds a model from `toConfig()` output (initial weights drawn from `config.seed`). */
  static fromConfig(config: ModelConfig): Model {
    if (typeof config !== 'object' || config === null) throw typeError('config', 'a model configuration', config);
    const seed = checkInteger('config.seed', config.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    const dtype = checkDType('config.dtype', config.dtype ?? 'float64');
    const network = layerFromConfig(config.network, { seed, path: 'config.network', dtype });
    return new Model(network, {
      loss: lossFromConfig(config.loss, 'config.loss'),
      optimizer: optimizerFromConfig(config.optimizer, network.parameters(), 'config.optimizer'),
      metrics: config.metrics,
      seed,
    });
  }

  /** The network, loss, optimizer, metrics and seed as plain JSON, which {@link Model.fromConfig} rebuilds (weights not included). */
  toConfig(): ModelConfig {
    return {
      network: this.network.toConfig(),
      loss: this.loss.toConfig(),
      optimizer: this.optimizer.toConfig(),
      metrics: this.metrics.map((m) => m.name),
      seed: this.seed,
      // Only when it is not the default, so that a float64 configuration reads as before.
      ...(this.dtype === 'float32' ? { dtype: this.dtype } : {}),
    };
  }

  /**
   * The loss's reduction, for fit's epoch loss.
   * @internal
   */
  get reduction(): 'mean' | 'sum' {
    return this.loss.reduction;
  }

  /**
   * One optimisation step on a batch: forward, loss, backward, update. Returns the
   * loss of the forward pass, before the update. A loss that is not finite stops
   * before anything changes: a RangeError naming the first non-finite input or
   * target value when there is one, else a TrainingDivergedError. (fit also checks
   * that the updates leave the parameters finite; see FitOptions.)
   *
   * After the first step at a batch size, a model made of built-in parts replays
   * that step natively (docs/recorded-steps.md), with the same result to
   * the last bit.
   */
  trainStep(x: AnyMatrix, y: AnyMatrix): number {
    checkMatrix('x', x, { cols: this.inputSize, dtype: this.dtype });
    checkMatrix('y', y, { rows: x.rows, cols: this.targetSize, dtype: this.dtype });
    if (x.rows === 0) throw rangeError('x', 'at least one row', x);
    checkMatrixBuffer('x', x);
    checkMatrixBuffer('y', y);
    this.checkTargets('y', y);
    return this.trainBatch(x, y, undefined);
  }

  /**
   * The values of a target matrix that the loss refuses, as a TypeError or RangeError
   * naming `name`: class indices out of range, negative, fractional or NaN; BCE targets
   * outside [0, 1]. (Its shape and finiteness are the caller's to check.)
   */
  checkTargets(name: string, y: AnyMatrix): void {
    this.loss.checkTarget?.(name, y, this.outputSize);
  }

  /**
   * trainStep without the argument checks (fit checks once), adding the batch's
   * metrics to `sums` and clipping the gradients to a total norm of `clipNorm` when given.
   * @internal
   */
  trainBatch(x: AnyMatrix, y: AnyMatrix, sums: MetricSums | undefined, clipNorm?: number): number {
    if (!this.network.training) this.network.train();
    const clipper = clipNorm === undefined ? undefined : this.gradientClipper(clipNorm);
    const replayed = this.plans.replay(x, y, sums, clipper);
    if (replayed !== undefined) {
      if (!Number.isFinite(replayed)) throw nonFiniteLossError(x, y, replayed);
      return replayed;
    }
    if (!this.plans.wouldRecord(x.rows, sums, clipper)) return this.stepEagerly(x, y, sums, clipper);
    return this.plans.record(x, y, sums, clipper, () => this.stepEagerly(x, y, sums, clipper));
  }

  /**
   * For fit: batches of `rows` rows in (x, y) trained natively, when a recorded step allows it.
   * @internal
   */
  nativeBatches(
    rows: number,
    sums: MetricSums | undefined,
    clipNorm: number | undefined,
    x: AnyMatrix,
    y: AnyMatrix,
  ): NativeBatches | undefined {
    if (!this.network.training) this.network.train();
    const clipper = clipNorm === undefined ? undefined : this.gradientClipper(clipNorm);
    const entry = this.plans.planFor(rows, sums, clipper, x, y);
    if (entry === undefined) return undefined;
    return {
      train: (layout, start, count, records, stop, budgetMs) => {
        const run = entry.plan.trainBatches(layout, start, count, records, stop, budgetMs);
        this.plans.replayedSteps(entry, run.trained);
        return run;
      },
    };
  }

  /** The step itself, in TypeScript over the kernels: what a recorded step replays. */
  private stepEagerly(
    x: AnyMatrix,
    y: AnyMatrix,
    sums: MetricSums | undefined,
    clipper: GradientClipper | undefined,
  ): number {
    const pred = this.network.forward(x);
    const loss = this.loss.forward(pred, y);
    recordLossCheck(this.loss);
    if (!Number.isFinite(loss)) throw nonFiniteLossError(x, y, loss);
    sums?.addBatch(pred, y);
    this.optimizer.zeroGrad();
    this.network.backward(this.loss.backward(), SKIP_INPUT_GRAD);
    clipper?.clip();
    this.optimizer.step();
    return loss;
  }

  /**
   * Restarts the Dropout layers' generators from (seed, epoch) and their places in the network: fit does, every epoch.
   * @internal
   */
  beginEpoch(seed: number, epoch: number): void {
    this.dropouts.forEach((layer, position) => {
      layer.reseed(seed, epoch, position);
    });
  }

  /** The loss and metrics on (x, y), in evaluation mode, without changing anything. */
  evaluate(x: AnyMatrix, y: AnyMatrix): Logs {
    checkMatrix('x', x, { cols: this.inputSize, dtype: this.dtype });
    checkMatrix('y', y, { rows: x.rows, cols: this.targetSize, dtype: this.dtype });
    if (x.rows === 0) throw rangeError('x', 'at least one row', x);
    checkFiniteMatrix('x', x);
    checkFiniteMatrix('y', y);
    this.checkTargets('y', y);
    const sums = this.metrics.map((m) => new Float64Array(m.sumsLength(this.outputSize)));
    const batch = this.metrics.map((m) => new Float64Array(m.sumsLength(this.outputSize)));
    let loss = 0;
    this.inEvaluationMode(() => {
      for (let start = 0; start < x.rows; start += EVALUATION_ROWS) {
        const end = Math.min(start + EVALUATION_ROWS, x.rows);
        const pred = this.network.forward(x.rowRange(start, end));
        const target = y.rowRange(start, end);
        const batchLoss = this.loss.forward(pred, target);
        loss += this.reduction === 'mean' ? batchLoss * (end - start) : batchLoss;
        this.metrics.forEach((m, i) => {
          m.accumulate(pred, target, batch[i], sums[i]);
        });
      }
    });
    const logs: Logs = { loss: this.reduction === 'mean' ? loss / x.rows : loss };
    this.metrics.forEach((m, i) => {
      logs[m.name] = m.value(sums[i]);
    });
    return logs;
  }

  /** The network's outputs for every row of x, in evaluation mode, in a new matrix. */
  predict(x: AnyMatrix): AnyMatrix {
    checkMatrix('x', x, { cols: this.inputSize, dtype: this.dtype });
    checkFiniteMatrix('x', x);
    const out = new Matrix<FloatArray>(x.rows, this.outputSize, { dtype: this.dtype });
    this.inEvaluationMode(() => {
      for (let start = 0; start < x.rows; start += EVALUATION_ROWS) {
        const end = Math.min(start + EVALUATION_ROWS, x.rows);
        out.data.set(this.network.forward(x.rowRange(start, end)).data, start * this.outputSize);
      }
    });
    return out;
  }

  /**
   * The probabilities a classification model's logits stand for, for every row of x
   * (in evaluation mode, in a new matrix of the outputs' shape): the softmax of each
   * row for CrossEntropyLoss, the sigmoid of each logit for BCEWithLogitsLoss.
   */
  predictProba(x: AnyMatrix): AnyMatrix {
    const loss = this.classificationLoss('predictProba');
    const logits = this.predict(x);
    const out = new Matrix<FloatArray>(logits.rows, logits.cols, { dtype: this.dtype });
    loss.probabilities(logits, out);
    return out;
  }

  /**
   * The classes a classification model predicts for every row of x, in a new matrix:
   * for CrossEntropyLoss one column, the index of the row's largest logit (the first,
   * on a tie); for BCEWithLogitsLoss one column per output, 1 where the logit is > 0
   * (the probability above ½), else 0.
   */
  predictClasses(x: AnyMatrix): AnyMatrix {
    const loss = this.classificationLoss('predictClasses');
    const logits = this.predict(x);
    const out = new Matrix<FloatArray>(logits.rows, loss.classColumns(this.outputSize), { dtype: this.dtype });
    loss.classes(logits, out);
    return out;
  }

  /**
   * Mini-batch training over the whole data set; see {@link FitOptions}. Runs on a worker
   * thread unless `background: false`; either way the weights and optimizer state
   * are this model's when the promise settles.
   *
   * @param x - Inputs, one row per sample (rows × inputSize), finite.
   * @param y - Targets, one row per sample: the outputs' width, or one column of class indices.
   * @returns The loss and metrics of every epoch, as Keras's `History`.
   * @throws The promise rejects, before anything trains, with a TypeError or RangeError
   *   naming a bad argument or option; with a {@link TrainingDivergedError} when the loss
   *   or a parameter becomes non-finite (the weights from before that batch kept); and
   *   with an `AbortError` when `options.signal` aborts.
   *
   * @example
   * ```ts
   * const history = await model.fit(x, y, {
   *   epochs: 30,
   *   batchSize: 32,
   *   validationSplit: 0.2,
   *   callbacks: { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss, logs.valLoss) },
   * });
   * console.log(history.history.valLoss.at(-1));
   * ```
   */
  fit(x: AnyMatrix, y: AnyMatrix, options: FitOptions): Promise<History> {
    return options?.background === false ? fitInThread(this, x, y, options) : fitInBackground(this, x, y, options);
  }

  /** Training mode (the default): layers such as dropout are active. */
  train(): this {
    this.network.train(true);
    return this;
  }

  /** Evaluation mode. evaluate and predict always run in it, and put back the mode they found. */
  eval(): this {
    this.network.train(false);
    return this;
  }

  /** A table of the layers, their output shapes and parameter counts, with the total, as Keras prints it. */
  summary(): string {
    return summarize(this);
  }

  /** Copies of the network's parameters, by dotted name (`"0.weight"`: see Module.stateDict). */
  stateDict(): StateDict {
    return this.network.stateDict();
  }

  /** Copies parameters in by dotted name; every entry is checked before any is copied. */
  loadStateDict(state: StateDict): void {
    this.network.loadStateDict(state);
  }

  /** Copies of the parameters and of the optimizer's state, by parameter name. */
  trainingState(): TrainingState {
    const { scalars, buffers } = this.optimizer.state();
    const byName: Record<string, StateDict> = {};
    this.optimizer.parameters.forEach((p, i) => {
      if (Object.keys(buffers[i]).length > 0) byName[this.parameterNames.get(p)!] = buffers[i];
    });
    return { parameters: this.network.stateDict(), optimizer: { scalars, buffers: byName } };
  }

  /** Restores what `trainingState()` returned; everything is checked before anything changes. */
  loadTrainingState(state: TrainingState): void {
    if (typeof state !== 'object' || state === null) throw typeError('state', 'a training state', state);
    const named = this.network.namedParameters();
    const parameters = readTensors(
      'state.parameters',
      state.parameters,
      named.map(([name, p]) => [name, p.value.data.length, p.dtype] as const),
    );
    // loadState checks the whole optimizer state before it changes anything; the
    // parameters, already checked, are copied only once it has succeeded.
    this.optimizer.loadState(this.optimizerStateByIndex(state.optimizer));
    // A buffer the state brings that the optimizer did not have yet is a new array,
    // which no recorded step knows.
    this.plans.invalidate();
    named.forEach(([, p], i) => {
      p.value.data.set(parameters[i]);
    });
  }

  /**
   * A copy of the parameters and optimizer state that fit's divergence guard can put back.
   * @internal
   */
  createSnapshot(): TrainingSnapshot {
    const named = this.network.namedParameters();
    const copies = named.map(([, p]) => p.value.data.slice());
    // Dropout's generators too, so that steps replayed from the snapshot draw the same masks.
    const randomStates = this.dropouts.map((layer) => layer.randomState.slice());
    let optimizerState: OptimizerState | undefined;
    return {
      save: () => {
        named.forEach(([, p], i) => {
          copies[i].set(p.value.data);
        });
        this.dropouts.forEach((layer, i) => {
          randomStates[i].set(layer.randomState);
        });
        optimizerState = this.optimizer.state();
      },
      restore: () => {
        named.forEach(([, p], i) => {
          p.value.data.set(copies[i]);
        });
        this.dropouts.forEach((layer, i) => {
          layer.randomState.set(randomStates[i]);
        });
        if (optimizerState) this.optimizer.loadState(optimizerState);
        this.plans.invalidate();
      },
      findNonFinite: () => named.find(([, p]) => !allFinite(p.value.data))?.[0],
    };
  }

  /** Writes the configuration, metadata and weights (bit-exact) to `path`, atomically. */
  async save(path: string): Promise<void> {
    if (typeof path !== 'string' || path === '') throw typeError('path', 'a non-empty string', path);
    await saveModel(path, this.fileData());
  }

  /** The model file `save` writes, as bytes (to keep a model in a database or send it over a network). */
  toBytes(): Buffer {
    return encodeModelData(this.fileData());
  }

  /** Reads a model file (format 2, or a format 1 file of TwoLayerRegressor) into a new Model. */
  static async load(path: string): Promise<Model> {
    return Model.fromFileData(await loadModel(path), path);
  }

  /** Reads a model file's bytes as `load` reads a file; `name` stands for the path in a ModelFileError. */
  static fromBytes(bytes: Uint8Array, name = 'model bytes'): Model {
    if (!(bytes instanceof Uint8Array)) throw typeError('bytes', 'a Buffer or Uint8Array', bytes);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Model.fromFileData(decodeModelData(buffer, name), name);
  }

  private fileData(): ModelFileData {
    return { model: this.toConfig(), metadata: this.metadata, parameters: this.network.stateDict() };
  }

  private static fromFileData(file: ModelFileData, path: string): Model {
    try {
      const model = Model.fromConfig(file.model);
      model.network.loadStateDict(file.parameters);
      model.metadata = file.metadata;
      return model;
    } catch (error) {
      if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
      throw new ModelFileError(path, `inconsistent contents: ${error.message}`);
    }
  }

  private optimizerStateByIndex(state: TrainingState['optimizer']): OptimizerState {
    if (typeof state !== 'object' || state === null) throw typeError('state.optimizer', 'an optimizer state', state);
    const { scalars, buffers } = state;
    if (typeof buffers !== 'object' || buffers === null) {
      throw typeError('state.optimizer.buffers', 'an object of buffers by parameter name', buffers);
    }
    const known = new Set(this.parameterNames.values());
    const stray = Object.keys(buffers).find((name) => !known.has(name));
    if (stray !== undefined) {
      throw rangeError(
        'state.optimizer.buffers',
        'buffers of this network’s parameters only',
        buffers,
        `${JSON.stringify(stray)} is not one`,
      );
    }
    const byIndex = this.optimizer.parameters.map((p) => {
      const name = this.parameterNames.get(p)!;
      return Object.hasOwn(buffers, name) ? buffers[name] : {};
    });
    return { scalars, buffers: byIndex };
  }

  private classificationLoss(method: string): ClassificationLoss {
    if (!isClassificationLoss(this.loss)) {
      throw typeError(
        'loss',
        `a classification loss (CrossEntropyLoss or BCEWithLogitsLoss) for ${method}`,
        this.loss,
        'a regression model has no classes',
      );
    }
    return this.loss;
  }

  private gradientClipper(maxNorm: number): GradientClipper {
    this.clipper ??= new GradientClipper(this.network.parameters(), maxNorm);
    if (this.clipper.maxNorm !== maxNorm) this.clipper.maxNorm = maxNorm;
    return this.clipper;
  }

  private inEvaluationMode(run: () => void): void {
    const wasTraining = this.network.training;
    if (wasTraining) this.network.train(false);
    try {
      run();
    } finally {
      if (wasTraining) this.network.train(true);
    }
  }
}

const SKIP_INPUT_GRAD = { inputGrad: false } as const;

function checkLoss(loss: unknown): asserts loss is Loss {
  const l = loss as Partial<Loss> | null | undefined;
  if (
    typeof l !== 'object' ||
    l === null ||
    typeof l.forward !== 'function' ||
    typeof l.backward !== 'function' ||
    typeof l.targetColumns !== 'function'
  ) {
    throw typeError('loss', 'a Loss (MSELoss, …)', loss);
  }
}

/** The optimizer must update this network's parameters, all of them, and nothing else. */
function checkOptimizerCoversNetwork(optimizer: Optimizer, names: ReadonlyMap<Parameter, string>): void {
  const covered = new Set<Parameter>();
  optimizer.parameters.forEach((p, i) => {
    if (!names.has(p)) {
      throw rangeError(
        'optimizer',
        'an optimizer over this network’s parameters',
        optimizer,
        `its parameters[${i}] (${p.name}) belongs to another network`,
      );
    }
    covered.add(p);
  });
  for (const [p, name] of names) {
    if (!covered.has(p)) {
      throw rangeError(
        'optimizer',
        'an optimizer over every parameter of the network',
        optimizer,
        `it does not update ${name}`,
      );
    }
  }
}

/** Whether every value is finite: a non-finite one turns the sum of value·0 into NaN, with no branch per value. */
function allFinite(values: FloatArray): boolean {
  let probe = 0;
  for (let i = 0; i < values.length; i++) probe += values[i] * 0;
  return probe === 0;
}

// Loads the PyTorch fixtures written by test/fixtures/torch/generate.py (format in
// test/fixtures/torch/README.md) into typed arrays of the set's dtype, and converts
// PyTorch's parameter layout to the library's.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Dtype = 'float64' | 'float32';
export type FloatArray = Float64Array | Float32Array;
export type Reduction = 'mean' | 'sum';

/** A PyTorch tensor: its shape, and its values flat in row-major order. */
export interface Tensor {
  shape: number[];
  data: FloatArray;
}

/** A state_dict: "0.weight", "0.bias", "2.weight", … in PyTorch's shapes. */
export type StateDict = Record<string, Tensor>;

export interface LinearConfig {
  type: 'Linear';
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
}

export type LayerConfig =
  | LinearConfig
  | { type: 'ReLU' | 'Tanh' | 'Sigmoid' }
  | { type: 'LeakyReLU'; negativeSlope: number }
  | { type: 'GELU'; approximate: 'none' | 'tanh' };

export type LossConfig =
  | { type: 'MSELoss' | 'L1Loss'; reduction: Reduction }
  | { type: 'HuberLoss'; delta: number; reduction: Reduction }
  | { type: 'BCEWithLogitsLoss'; posWeight: number[] | null; reduction: Reduction }
  | { type: 'CrossEntropyLoss'; weight: number[] | null; labelSmoothing: number; reduction: Reduction };

export type OptimizerConfig =
  | { type: 'SGD'; lr: number; momentum: number; dampening: number; nesterov: boolean; weightDecay: number }
  | {
      type: 'Adam' | 'AdamW';
      lr: number;
      betas: [number, number];
      eps: number;
      weightDecay: number;
      amsgrad: boolean;
    }
  | {
      type: 'RMSprop';
      lr: number;
      alpha: number;
      eps: number;
      weightDecay: number;
      momentum: number;
      centered: boolean;
    };

export type ScheduleConfig =
  | { type: 'StepLR'; stepSize: number; gamma: number }
  | { type: 'ExponentialLR'; gamma: number }
  | { type: 'CosineAnnealingLR'; tMax: number; etaMin: number }
  | { type: 'LinearLR'; startFactor: number; endFactor: number; totalIters: number }
  | {
      type: 'ReduceLROnPlateau';
      mode: 'min';
      factor: number;
      patience: number;
      threshold: number;
      thresholdMode: 'rel';
      cooldown: number;
      minLr: number;
      eps: number;
    };

interface Header {
  format: 1;
  dtype: Dtype;
  torch: string;
  numpy: string;
}

export interface LayerCase {
  name: string;
  layer: LayerConfig;
  input: Tensor;
  gradOutput: Tensor;
  output: Tensor;
  gradInput: Tensor;
  /** Linear only: "weight" (out × in) and "bias" (when it has one), and their gradients. */
  parameters?: StateDict;
  gradParameters?: StateDict;
}

export interface LossCase {
  name: string;
  loss: LossConfig;
  input: Tensor;
  /** Same shape as the input, or for CrossEntropyLoss an N × 1 column of class indices. */
  target: Tensor;
  value: number;
  gradInput: Tensor;
}

export interface RunEpoch {
  /** The learning rate used throughout the epoch. */
  lr: number;
  /** The epoch's batches in order, as row indices of x and y. */
  batches: number[][];
  /** The loss of every step, before its update. */
  losses: FloatArray;
  /** Clipped runs: the total gradient norm of every step, before clipping. */
  gradNorms?: FloatArray;
  /** The training loss as fit reports it (ReduceLROnPlateau is stepped with it). */
  loss: number;
}

export interface TorchRun extends Header {
  kind: 'run';
  name: string;
  network: LayerConfig[];
  loss: LossConfig;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig | null;
  clipNorm: number | null;
  batchSize: number;
  x: Tensor;
  y: Tensor;
  initial: StateDict;
  epochs: RunEpoch[];
  /** The learning rate after the last schedule step. */
  finalLr: number;
  final: StateDict;
}

export interface TorchLayers extends Header {
  kind: 'layers';
  cases: LayerCase[];
}

export interface TorchLosses extends Header {
  kind: 'losses';
  cases: LossCase[];
}

export type TorchFixture = TorchLayers | TorchLosses | TorchRun;

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'torch');

function folder(dtype: Dtype): string {
  return dtype === 'float64' ? ROOT : join(ROOT, dtype);
}

/** The fixture names of a set ("layers", "losses", "run-…"), sorted. */
export function torchFixtureNames(dtype: Dtype = 'float64'): string[] {
  return readdirSync(folder(dtype))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

function isRawTensor(value: unknown): value is { shape: number[]; data: number[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && 'shape' in value && 'data' in value;
}

/**
 * One fixture file, every tensor's values (and the step losses and gradient norms)
 * read into a Float64Array or, for the float32 set, a Float32Array: the float32
 * set's decimals are chosen to round to the intended float32 values exactly.
 */
export function loadTorchFixture(name: string, dtype: Dtype = 'float64'): TorchFixture {
  const path = join(folder(dtype), `${name}.json`);
  const Typed = dtype === 'float64' ? Float64Array : Float32Array;
  const fixture = JSON.parse(readFileSync(path, 'utf8'), (key, value) => {
    if (isRawTensor(value)) {
      const size = value.shape.reduce((a, b) => a * b, 1);
      if (value.data.length !== size) {
        throw new Error(`${path}: ${key} has shape [${value.shape}] but ${value.data.length} values`);
      }
      return { shape: value.shape, data: Typed.from(value.data) };
    }
    return key === 'losses' || key === 'gradNorms' ? Typed.from(value) : value;
  }) as TorchFixture;
  if (fixture.format !== 1 || fixture.dtype !== dtype) {
    throw new Error(`${path}: expected format 1 and dtype ${dtype}, found ${fixture.format} and ${fixture.dtype}`);
  }
  return fixture;
}

function loadKind<K extends TorchFixture['kind']>(name: string, kind: K, dtype: Dtype) {
  const fixture = loadTorchFixture(name, dtype);
  if (fixture.kind !== kind) throw new Error(`fixture ${name} is a ${fixture.kind} fixture, not ${kind}`);
  return fixture as Extract<TorchFixture, { kind: K }>;
}

export function torchLayerCases(dtype: Dtype = 'float64'): LayerCase[] {
  return loadKind('layers', 'layers', dtype).cases;
}

export function torchLossCases(dtype: Dtype = 'float64'): LossCase[] {
  return loadKind('losses', 'losses', dtype).cases;
}

export function torchRun(name: string, dtype: Dtype = 'float64'): TorchRun {
  return loadKind(name, 'run', dtype);
}

export function torchRuns(dtype: Dtype = 'float64'): TorchRun[] {
  return torchFixtureNames(dtype)
    .filter((name) => name.startsWith('run-'))
    .map((name) => torchRun(name, dtype));
}

/** A parameter in the library's layout: a rows × cols row-major matrix. */
export interface LibraryTensor {
  rows: number;
  cols: number;
  data: FloatArray;
}

/**
 * A Linear layer's "weight" (PyTorch out × in) or "bias" ([out]) as the library
 * stores it: the weight transposed to in × out, the bias as a 1 × out row. Always a
 * copy, of the same array type.
 */
export function linearToLibraryLayout(layer: LinearConfig, param: string, tensor: Tensor): LibraryTensor {
  const { inFeatures, outFeatures } = layer;
  const shape = `[${tensor.shape}]`;
  if (param === 'weight') {
    if (shape !== `[${outFeatures},${inFeatures}]`) {
      throw new Error(`Linear(${inFeatures}, ${outFeatures}) weight has shape ${shape}, not [out, in]`);
    }
    const data = new (tensor.data.constructor as new (n: number) => FloatArray)(tensor.data.length);
    for (let o = 0; o < outFeatures; o++) {
      for (let i = 0; i < inFeatures; i++) data[i * outFeatures + o] = tensor.data[o * inFeatures + i];
    }
    return { rows: inFeatures, cols: outFeatures, data };
  }
  if (param === 'bias' && layer.bias) {
    if (shape !== `[${outFeatures}]`) throw new Error(`Linear(${inFeatures}, ${outFeatures}) bias has shape ${shape}`);
    return { rows: 1, cols: outFeatures, data: tensor.data.slice() };
  }
  throw new Error(`Linear(${inFeatures}, ${outFeatures}, bias: ${layer.bias}) has no parameter ${param}`);
}

/** A state_dict entry of a Sequential network ("2.weight", …) in the library's layout. */
export function toLibraryLayout(network: readonly LayerConfig[], key: string, tensor: Tensor): LibraryTensor {
  const match = /^(\d+)\.(\w+)$/.exec(key);
  const layer = match ? network[Number(match[1])] : undefined;
  if (!match || layer?.type !== 'Linear') {
    throw new Error(`state_dict key ${key} names no Linear layer of the network`);
  }
  return linearToLibraryLayout(layer, match[2], tensor);
}

/**
 * Every parameter of the network in the library's layout and in the order of its
 * `parameters()` (each Linear's weight, then its bias). The state_dict must hold
 * exactly those entries.
 */
export function libraryParameters(network: readonly LayerConfig[], state: StateDict): LibraryTensor[] {
  const keys = network.flatMap((layer, i) => {
    if (layer.type !== 'Linear') return [];
    return layer.bias ? [`${i}.weight`, `${i}.bias`] : [`${i}.weight`];
  });
  const present = Object.keys(state).sort();
  if (present.join() !== [...keys].sort().join()) {
    throw new Error(`state_dict holds ${present.join(', ')}; the network has ${keys.join(', ')}`);
  }
  return keys.map((key) => toLibraryLayout(network, key, state[key]));
}

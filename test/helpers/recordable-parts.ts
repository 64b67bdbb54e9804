// Models whose training steps can be recorded and replayed (src/plan/), and their
// eager twins, for the tests that replay must match eager to the last bit.
//
// The loss is the squared error written over existing kernels only (repeatRow to
// copy, daxpy, dgemv for the sum of squares, dscal), declared capturable the way a
// built-in is (src/plan/coverage.ts). Its eager twin is a subclass declaring
// nothing: a model with it trains every step eagerly, through the very same code.

import {
  daxpy,
  dgemv,
  dscal,
  Linear,
  type Loss,
  Matrix,
  Model,
  type Module,
  Random,
  type Reduction,
  ReLU,
  Sequential,
  SGD,
  type SGDOptions,
} from '../../dist/index.js';
import { repeatRow } from '../../dist/kernels/copy.js';
import { BufferCache } from '../../dist/nn/buffers.js';
import { declareCapturable } from '../../dist/plan/capturable.js';

export class KernelSquaredError implements Loss {
  readonly task = 'regression';
  readonly lossBuffer = new Float64Array(1);
  private differences: BufferCache | undefined;
  private gradients: BufferCache | undefined;
  private grad: Matrix | undefined;

  constructor(readonly reduction: Reduction = 'mean') {}

  targetColumns(outputs: number): number {
    return outputs;
  }

  toConfig() {
    return { type: 'KernelSquaredError', reduction: this.reduction };
  }

  forward(pred: Matrix, target: Matrix): number {
    const n = pred.data.length;
    this.differences ??= new BufferCache(pred.cols);
    this.gradients ??= new BufferCache(pred.cols);
    const difference = this.differences.get(pred.rows).data;
    const grad = this.gradients.get(pred.rows);
    const scale = this.reduction === 'mean' ? 1 / n : 1;
    repeatRow(1, n, pred.data, difference);
    daxpy(n, -1, target.data, 1, difference, 1);
    dgemv('N', 1, n, scale, difference, n, difference, 1, 0, this.lossBuffer, 1);
    repeatRow(1, n, difference, grad.data);
    dscal(n, 2 * scale, grad.data, 1);
    this.grad = grad;
    return this.lossBuffer[0];
  }

  backward(): Matrix {
    return this.grad!;
  }
}
declareCapturable(KernelSquaredError);

/** The same loss, undeclared: its models train eagerly. */
export class EagerSquaredError extends KernelSquaredError {}

export interface NetworkSpec {
  /** Widths from input to output: [8, 16, 1] is Linear(8, 16), ReLU, Linear(16, 1). */
  widths: readonly number[];
  bias?: boolean;
  seed?: number;
}

export function network({ widths, bias = true, seed = 1 }: NetworkSpec): Sequential {
  const random = new Random(seed);
  const layers: Module[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    if (i > 0) layers.push(new ReLU());
    layers.push(new Linear(widths[i], widths[i + 1], { bias, random }));
  }
  return new Sequential(...layers);
}

export interface ModelSpec extends NetworkSpec {
  sgd?: Omit<SGDOptions, 'lr'> & { lr?: number };
  reduction?: Reduction;
  metrics?: string[];
}

/** A recordable model, or with `eager` its twin that trains every step eagerly. */
export function model(spec: ModelSpec, eager = false): Model {
  const net = network(spec);
  const loss = eager ? new EagerSquaredError(spec.reduction) : new KernelSquaredError(spec.reduction);
  const optimizer = new SGD(net.parameters(), { lr: 0.01, ...spec.sgd });
  return new Model(net, { loss, optimizer, metrics: spec.metrics ?? [] });
}

/** Steps the model replayed natively so far (ModelPlans.replayed). */
export function replayed(m: Model): number {
  return (m as unknown as { plans: { replayed: number } }).plans.replayed;
}

export function randomMatrix(random: Random, rows: number, cols: number, scale = 1): Matrix {
  const m = new Matrix(rows, cols, random.fillNormal(new Float64Array(rows * cols)));
  for (let i = 0; i < m.data.length; i++) m.data[i] *= scale;
  return m;
}

/** Every parameter, gradient and optimizer buffer of the two models, bit for bit. */
export function stateBits(m: Model): Record<string, number[]> {
  const bits: Record<string, number[]> = {};
  const { parameters, optimizer } = m.trainingState();
  for (const [name, values] of Object.entries(parameters)) bits[name] = [...values];
  for (const [name, buffers] of Object.entries(optimizer.buffers)) {
    for (const [buffer, values] of Object.entries(buffers)) bits[`${name}.${buffer}`] = [...values];
  }
  for (const [name, p] of m.network.namedParameters()) bits[`${name}.grad`] = [...p.grad.data];
  return bits;
}

// The kernels of the new layers, losses, optimizers, clipping and metrics: native
// against reference on random operands laced with edge values (±0, ±Infinity, NaN,
// the largest and smallest doubles, saturating logits), at odd lengths that leave
// remainders after the vectorised loops, as views at random offsets into larger
// buffers (a kernel that ignores byteOffset or writes past its length shows up as a
// difference outside the view). Kernels whose arithmetic is the same on both sides —
// all but the classification losses', the activations' exp, tanh and erf included
// (the library's own) — must agree bit for bit; the losses' exp and log (libm
// natively, Math in the reference) agree to a few units in the last place, and the
// comparison allows 1e-13 of the larger of the value and 1 for them. Every kernel runs
// in both precisions: on Float32Array tensors it computes in double as on Float64Arrays
// and rounds each stored result once to float32, as the reference's stores into a
// Float32Array do, so the bit-for-bit kernels stay bit for bit; the losses' 1e-13
// becomes one float32 ulp (2^-23) of the scale, as two doubles that close may round to
// neighbouring floats. Then every kernel's validation, on both backends.

import { describe, expect, it } from 'vitest';

import * as activations from '../../dist/kernels/activations.js';
import * as dropout from '../../dist/kernels/dropout.js';
import { CLIP_SLOTS, clipGradNorm } from '../../dist/kernels/gradient-norm.js';
import * as losses from '../../dist/kernels/losses.js';
import * as metrics from '../../dist/kernels/metrics.js';
import * as optimizers from '../../dist/kernels/optimizers.js';
import { loadBinding } from '../../dist/native/binding.js';
import { expectArgumentError } from '../helpers/errors.js';
import { Random } from '../helpers/random.mjs';

type AnyKernel = ((...args: never[]) => unknown) & { reference: (...args: never[]) => unknown };

const EDGES = [
  0,
  -0,
  1,
  -1,
  0.5,
  -3,
  40,
  -40,
  800,
  -800,
  1e-8,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  1e308,
  -1e308,
  Number.MAX_VALUE,
];
const FINITE_EDGES = EDGES.filter(Number.isFinite);

/** An operand: `view` is `count` values at a random offset into `backing`, which has random values around it. */
interface Operand {
  backing: Float32Array | Float64Array;
  view: Float32Array | Float64Array;
}

/** The tensors' array type in the test running now; a loss's value, metric sums and class weights stay float64. */
let Tensor: typeof Float32Array | typeof Float64Array = Float64Array;

type Fill = (rng: Random) => number;

const normal: Fill = (rng) => (rng.next() - 0.5) * 6;
const withEdges: Fill = (rng) => (rng.chance(0.25) ? rng.pick(EDGES) : normal(rng));
const withFiniteEdges: Fill = (rng) => (rng.chance(0.25) ? rng.pick(FINITE_EDGES) : normal(rng));
/** Magnitudes from 1e-12 to 1e3, for exp and tanh across their ranges, edges among them. */
const wide: Fill = (rng) => (rng.chance(0.1) ? rng.pick(EDGES) : (rng.next() - 0.5) * 2 * 10 ** rng.int(-12, 3));

function operand(rng: Random, count: number, fill: Fill = withEdges, F = Tensor): Operand {
  const before = rng.int(0, 3);
  const backing = new F(before + count + rng.int(0, 3));
  for (let i = 0; i < backing.length; i++) backing[i] = normal(rng);
  for (let i = 0; i < count; i++) backing[before + i] = fill(rng);
  return { backing, view: backing.subarray(before, before + count) };
}

/** What a case builder returns: the call's arguments and the arrays it may write (compared whole). */
interface Built {
  args: unknown[];
  outputs: (Float32Array | Float64Array | Uint32Array)[];
}

interface KernelCase {
  kernel: AnyKernel;
  build(rng: Random): Built;
  /** Allowed error relative to each output array's largest finite magnitude; 0 for bit for bit. */
  tolerance: number;
}

const sizes = (rng: Random) => (rng.chance(0.1) ? 0 : rng.int(1, 70));

function elementwise(kernel: AnyKernel, inputs: number, tolerance: number, fills: Fill[] = [], extra: unknown[] = []) {
  return {
    kernel,
    tolerance,
    build(rng: Random): Built {
      const n = sizes(rng);
      const ins = Array.from({ length: inputs }, (_, i) => operand(rng, n, fills[i] ?? withEdges));
      const out = operand(rng, n);
      return { args: [n, ...extra, ...ins.map((o) => o.view), out.view], outputs: [out.backing] };
    },
  };
}

function lossCase(kernel: AnyKernel, tolerance: number, delta?: number): KernelCase {
  return {
    kernel,
    tolerance,
    build(rng) {
      const n = sizes(rng);
      const pred = operand(rng, n);
      const target = operand(rng, n);
      // Differences of exactly ±delta, to meet Huber's kink.
      if (delta !== undefined)
        for (let i = 0; i < n; i += 3) target.view[i] = pred.view[i] - (rng.chance(0.5) ? delta : -delta);
      const grad = operand(rng, n);
      const out = operand(rng, 1, withEdges, Float64Array);
      const args =
        delta === undefined
          ? [n, rng.chance(0.5), pred.view, target.view, grad.view, out.view]
          : [n, rng.chance(0.5), delta, pred.view, target.view, grad.view, out.view];
      return { args, outputs: [grad.backing, out.backing] };
    },
  };
}

const LOGITS: Fill = (rng) => (rng.chance(0.3) ? rng.pick([1000, -1000, 40, -40, 0, 1e-8, 745, -745]) : normal(rng));

const CASES: Record<string, KernelCase> = {
  tanhForward: elementwise(activations.tanhForward, 1, 0, [wide]),
  tanhBackward: elementwise(activations.tanhBackward, 2, 0),
  sigmoidForward: elementwise(activations.sigmoidForward, 1, 0, [wide]),
  sigmoidBackward: elementwise(activations.sigmoidBackward, 2, 0),
  leakyReluForward: {
    ...elementwise(activations.leakyReluForward, 1, 0),
    build(rng) {
      const n = sizes(rng);
      const x = operand(rng, n);
      const y = operand(rng, n);
      return { args: [n, rng.pick([0.01, 0.2, -0.5, 0, 1]), x.view, y.view], outputs: [y.backing] };
    },
  },
  leakyReluBackward: {
    ...elementwise(activations.leakyReluBackward, 2, 0),
    build(rng) {
      const n = sizes(rng);
      const [x, dy, dx] = [operand(rng, n), operand(rng, n), operand(rng, n)];
      return { args: [n, rng.pick([0.01, 0.2, -0.5, 0, 1]), x.view, dy.view, dx.view], outputs: [dx.backing] };
    },
  },
  'geluForward, tanh': geluForwardCase(true, 0),
  'geluForward, erf': geluForwardCase(false, 0),
  geluBackward: {
    kernel: activations.geluBackward,
    tolerance: 0,
    build(rng) {
      const n = sizes(rng);
      const tanh = rng.chance(0.5);
      const saved = operand(rng, n, (r) => (tanh ? r.next() * 2 - 1 : r.next()));
      const [x, dy, dx] = [operand(rng, n), operand(rng, n), operand(rng, n)];
      return { args: [n, tanh, x.view, saved.view, dy.view, dx.view], outputs: [dx.backing] };
    },
  },
  dropoutForward: {
    kernel: dropout.dropoutForward,
    tolerance: 0,
    build(rng) {
      const n = sizes(rng);
      const state = Uint32Array.from({ length: 4 }, () => rng.int(0, 2 ** 32 - 1));
      const [x, y, mask] = [operand(rng, n), operand(rng, n), operand(rng, n)];
      const p = rng.pick([0, 0.1, 0.5, 0.9, 1 - 2 ** -40]);
      return { args: [n, p, state, x.view, y.view, mask.view], outputs: [y.backing, mask.backing, state] };
    },
  },
  dropoutBackward: elementwise(dropout.dropoutBackward, 2, 0),
  mseLoss: lossCase(losses.mseLoss, 0),
  l1Loss: lossCase(losses.l1Loss, 0),
  huberLoss: lossCase(losses.huberLoss, 0, 0.75),
  bceWithLogitsLoss: {
    kernel: losses.bceWithLogitsLoss,
    tolerance: 1e-13,
    build(rng) {
      const [rows, cols] = [rng.int(0, 9), rng.int(1, 7)];
      const posWeight = operand(rng, cols, (r) => r.pick([0, 0.5, 1, 3.25]), Float64Array);
      const pred = operand(rng, rows * cols, LOGITS);
      const target = operand(rng, rows * cols, (r) => r.pick([0, 1, 0.25, 0.875]));
      const [grad, out] = [operand(rng, rows * cols), operand(rng, 1, withEdges, Float64Array)];
      const args = [rows, cols, rng.chance(0.5), posWeight.view, pred.view, target.view, grad.view, out.view];
      return { args, outputs: [grad.backing, out.backing] };
    },
  },
  crossEntropyLoss: {
    kernel: losses.crossEntropyLoss,
    tolerance: 1e-13,
    build(rng) {
      const [rows, cols] = [rng.int(0, 9), rng.int(1, 7)];
      const weight = operand(rng, cols, (r) => r.pick([0.25, 1, 2]), Float64Array);
      const pred = operand(rng, rows * cols, LOGITS);
      const target = operand(rng, rows, (r) => r.int(0, cols - 1));
      const [grad, out] = [operand(rng, rows * cols), operand(rng, 1, withEdges, Float64Array)];
      const smoothing = rng.pick([0, 0.1, 1]);
      const args = [rows, cols, rng.chance(0.5), smoothing, weight.view, pred.view, target.view, grad.view, out.view];
      return { args, outputs: [grad.backing, out.backing] };
    },
  },
  softmaxRows: {
    kernel: losses.softmaxRows,
    tolerance: 1e-13,
    build(rng) {
      const [rows, cols] = [rng.int(0, 9), rng.int(1, 7)];
      const [x, out] = [operand(rng, rows * cols, LOGITS), operand(rng, rows * cols)];
      return { args: [rows, cols, x.view, out.view], outputs: [out.backing] };
    },
  },
  argmaxRows: {
    kernel: losses.argmaxRows,
    tolerance: 0,
    build(rng) {
      const [rows, cols] = [rng.int(0, 9), rng.int(1, 7)];
      const [x, out] = [
        operand(rng, rows * cols, (r) => (r.chance(0.3) ? r.pick([0, 1, Number.NaN]) : normal(r))),
        operand(rng, rows),
      ];
      return { args: [rows, cols, x.view, out.view], outputs: [out.backing] };
    },
  },
  positiveIndicator: elementwise(losses.positiveIndicator, 1, 0),
  sgd: {
    kernel: optimizers.sgdUpdate,
    tolerance: 0,
    build(rng) {
      const n = sizes(rng);
      const S = optimizers.SGD_SLOTS;
      const hyper = new Float64Array(S.length);
      hyper[S.lr] = rng.pick([0.1, 1e-3]);
      hyper[S.momentum] = rng.pick([0, 0.9]);
      hyper[S.dampening] = rng.pick([0, 0.3]);
      hyper[S.weightDecay] = rng.pick([0, 0.01]);
      hyper[S.nesterov] = rng.pick([0, 1]);
      hyper[S.step] = rng.int(0, 3);
      const [param, grad, buffer] = [operand(rng, n, withFiniteEdges), operand(rng, n), operand(rng, n)];
      return { args: [n, hyper, param.view, grad.view, buffer.view], outputs: [hyper, param.backing, buffer.backing] };
    },
  },
  adam: {
    kernel: optimizers.adamUpdate,
    tolerance: 0,
    build(rng) {
      const n = sizes(rng);
      const S = optimizers.ADAM_SLOTS;
      const hyper = new Float64Array(S.length);
      for (const [slot, values] of [
        [S.lr, [1e-3, 0.05]],
        [S.beta1, [0.9, 0.8, 0]],
        [S.beta2, [0.999, 0.5]],
        [S.eps, [1e-8, 0]],
        [S.weightDecay, [0, 0.01]],
        [S.amsgrad, [0, 1]],
        [S.decoupled, [0, 1]],
      ] as const) {
        hyper[slot] = rng.pick(values);
      }
      hyper[S.step] = rng.int(0, 1000);
      optimizers.adamBegin.reference(hyper);
      const [param, grad, m, v, vmax] = [
        operand(rng, n, withFiniteEdges),
        operand(rng, n),
        operand(rng, n),
        operand(rng, n, (r) => Math.abs(withEdges(r))),
        operand(rng, n, (r) => Math.abs(withEdges(r))),
      ];
      const args = [n, hyper, param.view, grad.view, m.view, v.view, vmax.view];
      return { args, outputs: [param.backing, m.backing, v.backing, vmax.backing] };
    },
  },
  sgdBegin: {
    kernel: optimizers.sgdBegin,
    tolerance: 0,
    build(rng) {
      const hyper = Float64Array.from({ length: optimizers.SGD_SLOTS.length }, () => rng.int(0, 9));
      return { args: [hyper], outputs: [hyper] };
    },
  },
  adamBegin: {
    kernel: optimizers.adamBegin,
    tolerance: 0,
    build(rng) {
      const S = optimizers.ADAM_SLOTS;
      const hyper = Float64Array.from({ length: S.length }, () => rng.next());
      hyper[S.step] = rng.pick([0, 1, 7, 1000, 2 ** 40]);
      return { args: [hyper], outputs: [hyper] };
    },
  },
  rmsprop: {
    kernel: optimizers.rmspropUpdate,
    tolerance: 0,
    build(rng) {
      const n = sizes(rng);
      const S = optimizers.RMSPROP_SLOTS;
      const hyper = new Float64Array(S.length);
      hyper[S.lr] = rng.pick([0.01, 1e-3]);
      hyper[S.alpha] = rng.pick([0.99, 0.5]);
      hyper[S.eps] = rng.pick([1e-8, 0]);
      hyper[S.weightDecay] = rng.pick([0, 0.01]);
      hyper[S.momentum] = rng.pick([0, 0.9]);
      hyper[S.centered] = rng.pick([0, 1]);
      const [param, grad, square, mean, buffer] = [
        operand(rng, n, withFiniteEdges),
        operand(rng, n),
        operand(rng, n, (r) => Math.abs(withEdges(r))),
        operand(rng, n),
        operand(rng, n),
      ];
      const args = [n, hyper, param.view, grad.view, square.view, mean.view, buffer.view];
      return { args, outputs: [param.backing, square.backing, mean.backing, buffer.backing] };
    },
  },
  clipGradNorm: {
    kernel: clipGradNorm,
    tolerance: 0,
    build(rng) {
      const grads = Array.from({ length: rng.int(0, 5) }, () =>
        operand(rng, sizes(rng), rng.chance(0.2) ? withEdges : normal),
      );
      const state = new Float64Array(CLIP_SLOTS.length);
      state[CLIP_SLOTS.maxNorm] = rng.pick([0.5, 1, 1e6]);
      return { args: [grads.map((g) => g.view), state], outputs: [state, ...grads.map((g) => g.backing)] };
    },
  },
  maeSums: pairSums(metrics.maeSums),
  squaredErrorSums: pairSums(metrics.squaredErrorSums),
  accuracySums: {
    kernel: metrics.accuracySums,
    tolerance: 0,
    build(rng) {
      const [rows, predCols] = [rng.int(0, 9), rng.int(1, 6)];
      const targetCols = rng.chance(0.5) ? 1 : predCols;
      const pred = operand(rng, rows * predCols, (r) => (r.chance(0.2) ? r.pick([0, -0, Number.NaN]) : normal(r)));
      const target = operand(rng, rows * targetCols, (r) =>
        targetCols === 1 ? r.int(0, predCols) : r.pick([0, 1, 0.5, 0.25]),
      );
      const [batch, total] = [operand(rng, 2, withEdges, Float64Array), operand(rng, 2, withEdges, Float64Array)];
      const args = [rows, predCols, targetCols, pred.view, target.view, batch.view, total.view];
      return { args, outputs: [batch.backing, total.backing] };
    },
  },
  r2Sums: {
    kernel: metrics.r2Sums,
    tolerance: 0,
    build(rng) {
      const [rows, cols] = [rng.int(0, 9), rng.int(1, 4)];
      const [pred, target] = [operand(rng, rows * cols, withFiniteEdges), operand(rng, rows * cols, withFiniteEdges)];
      const length = metrics.r2SumsLength(cols);
      const batch = operand(rng, length, withEdges, Float64Array);
      const total = operand(rng, length, (r) => r.int(0, 20), Float64Array);
      return {
        args: [rows, cols, pred.view, target.view, batch.view, total.view],
        outputs: [batch.backing, total.backing],
      };
    },
  },
};

function geluForwardCase(tanh: boolean, tolerance: number): KernelCase {
  return {
    kernel: activations.geluForward,
    tolerance,
    build(rng) {
      const n = sizes(rng);
      const [x, y, saved] = [operand(rng, n, wide), operand(rng, n), operand(rng, n)];
      return { args: [n, tanh, x.view, y.view, saved.view], outputs: [y.backing, saved.backing] };
    },
  };
}

function pairSums(kernel: AnyKernel): KernelCase {
  return {
    kernel,
    tolerance: 0,
    build(rng) {
      const n = sizes(rng);
      const [pred, target] = [operand(rng, n), operand(rng, n)];
      const [batch, total] = [operand(rng, 2, withEdges, Float64Array), operand(rng, 2, withEdges, Float64Array)];
      return { args: [n, pred.view, target.view, batch.view, total.view], outputs: [batch.backing, total.backing] };
    },
  };
}

/**
 * Why two outputs differ, or undefined: bit for bit (NaN against NaN), or within
 * `tolerance` relative to the larger of the value and 1 (the floor covers results that
 * cancel, such as GELU's far left, whose rounding error is that of its O(1) operands).
 */
function difference(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const close = tolerance > 0 && Number.isFinite(a) && Number.isFinite(e);
    if (close && Math.abs(a - e) <= tolerance * Math.max(Math.abs(e), 1)) continue;
    return `[${i}]: native ${a}, reference ${e}`;
  }
  return undefined;
}

describe('native and reference kernels agree', () => {
  it('covers every kernel of the modules', () => {
    const nameOf = (k: unknown) => (k as { spec: { name: string } }).spec.name;
    const kernels = [activations, dropout, losses, metrics, optimizers, { clipGradNorm }]
      .flatMap((m) => Object.values(m))
      .filter((value) => typeof value === 'function' && 'spec' in value)
      .map(nameOf);
    const covered = new Set(Object.values(CASES).map((c) => nameOf(c.kernel)));
    expect([...covered].sort()).toEqual(kernels.sort());
  });

  for (const [dtype, F] of [
    ['float64', Float64Array],
    ['float32', Float32Array],
  ] as const) {
    for (const [name, c] of Object.entries(CASES)) {
      const tolerance = dtype === 'float32' && c.tolerance > 0 ? Math.max(c.tolerance, 2 ** -23) : c.tolerance;
      it(`${name} in ${dtype}${tolerance === 0 ? ', bit for bit' : `, within ${tolerance} of the scale`}`, () => {
        Tensor = F;
        for (let seed = 1; seed <= 300; seed++) {
          const native = c.build(new Random(seed));
          const reference = c.build(new Random(seed));
          (c.kernel as (...a: unknown[]) => unknown)(...native.args);
          (c.kernel.reference as (...a: unknown[]) => unknown)(...reference.args);
          native.outputs.forEach((out, k) => {
            const problem = difference(out, reference.outputs[k], tolerance);
            if (problem) expect.fail(`${name}, seed ${seed}, output ${k}${problem}`);
          });
        }
      });
    }
  }
});

describe('kernels on edge values', () => {
  const x = Float64Array.from(EDGES);
  const n = x.length;
  const run = (kernel: AnyKernel, ...args: unknown[]) => (kernel as (...a: unknown[]) => Float64Array)(...args);

  it('LeakyReLU keeps −0 and NaN, and scales the rest below 0 by the slope', () => {
    const y = run(activations.leakyReluForward, n, 0.1, x, new Float64Array(n));
    x.forEach((v, i) => {
      expect(Object.is(y[i], v > 0 ? v : v * 0.1), `${v}`).toBe(true);
    });
    expect(Object.is(y[1], -0)).toBe(true);
    const dx = run(activations.leakyReluBackward, n, 0.1, x, new Float64Array(n).fill(2), new Float64Array(n));
    expect(Array.from(dx)).toEqual(Array.from(x, (v) => (v > 0 ? 2 : 0.2)));
  });

  /** The outputs of a kernel at the given inputs, by input. */
  const at = (y: Float64Array, inputs: readonly number[]) =>
    inputs.map((v) => y[EDGES.findIndex((e) => Object.is(e, v))]);

  it('Sigmoid and Tanh saturate to exactly 0 and ±1, where their gradients are exactly 0', () => {
    const far = [40, 800, -800, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const s = run(activations.sigmoidForward, n, x, new Float64Array(n));
    expect(at(s, far)).toEqual([1, 1, 0, 1, 0]);
    const t = run(activations.tanhForward, n, x, new Float64Array(n));
    expect(at(t, [...far, -40])).toEqual([1, 1, -1, 1, -1, -1]);
    const ones = new Float64Array(n).fill(1);
    const ds = run(activations.sigmoidBackward, n, s, ones, new Float64Array(n));
    const dt = run(activations.tanhBackward, n, t, ones, new Float64Array(n));
    expect(at(ds, far).every((v) => v === 0) && at(dt, far).every((v) => v === 0)).toBe(true);
    expect(Number.isNaN(at(s, [Number.NaN])[0]) && Number.isNaN(at(t, [Number.NaN])[0])).toBe(true);
  });

  it('GELU is x far above 0 and −0 far below, and its gradient is 1 and 0 there', () => {
    for (const tanh of [false, true]) {
      const saved = new Float64Array(n);
      const y = run(activations.geluForward, n, tanh, x, new Float64Array(n), saved);
      expect(at(y, [40, 800, 1e308])).toEqual([40, 800, 1e308]);
      expect(at(y, [-40, -800, -1e308]).every((v) => Object.is(v, -0))).toBe(true);
      const dx = run(activations.geluBackward, n, tanh, x, saved, new Float64Array(n).fill(1), new Float64Array(n));
      expect(at(dx, [40, 800])).toEqual([1, 1]);
      expect(at(dx, [-40, -800]).every((v) => v === 0)).toBe(true);
    }
  });

  it('the losses stay finite for logits of ±1000, and are NaN for NaN logits', () => {
    const pred = Float64Array.from([1000, -1000, 0, 40]);
    const target = Float64Array.from([0, 1, 1, 0.5]);
    const out = new Float64Array(1);
    losses.bceWithLogitsLoss(1, 4, false, new Float64Array(4).fill(1), pred, target, new Float64Array(4), out);
    // (1 − y)·x + softplus(−x) per element: 1000, 1000, log 2, 40·½ + softplus(−40).
    expect(out[0]).toBeCloseTo(2020 + Math.LN2 + Math.log1p(Math.exp(-40)), 10);
    const ce = new Float64Array(1);
    losses.crossEntropyLoss(
      2,
      2,
      true,
      0,
      Float64Array.from([1, 1]),
      pred,
      Float64Array.from([1, 0]),
      new Float64Array(4),
      ce,
    );
    expect(ce[0]).toBeCloseTo((2000 + 40) / 2, 10);
    losses.crossEntropyLoss(
      1,
      2,
      true,
      0,
      Float64Array.from([1, 1]),
      Float64Array.from([Number.NaN, 0]),
      Float64Array.from([1]),
      new Float64Array(2),
      ce,
    );
    expect(Number.isNaN(ce[0])).toBe(true);
  });

  it('natively, a target that is not a class index gives NaN rather than a read out of bounds', () => {
    // The checks refuse one; a recorded step calls the addon without them.
    const binding = loadBinding().binding as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const bad of [5, -1, 0.5, Number.NaN, 1e300]) {
      const grad = new Float64Array(4);
      const out = new Float64Array(1);
      const target = Float64Array.from([1, bad]);
      binding.crossEntropyLoss(2, 2, false, 0, Float64Array.from([1, 1]), new Float64Array(4), target, grad, out);
      expect(Number.isNaN(out[0]) && grad.subarray(2).every(Number.isNaN), `target ${bad}`).toBe(true);
      expect(grad[0] === -grad[1] && grad[0] !== 0).toBe(true);
      const sums = new Float64Array(2);
      binding.accuracySums(2, 2, 1, Float64Array.from([0, 1, 1, 0]), target, new Float64Array(2), sums);
      expect(Array.from(sums)).toEqual([1, 2]);
    }
  });

  it('Dropout keeps about 1 − p of a long vector, scaled by 1/(1 − p), and p = 0 keeps all', () => {
    const count = 100_000;
    const state = Uint32Array.from([1, 2, 3, 4]);
    const y = new Float64Array(count);
    const mask = new Float64Array(count);
    dropout.dropoutForward(count, 0.3, state, new Float64Array(count).fill(1), y, mask);
    const kept = mask.filter((m) => m !== 0);
    expect(new Set(kept)).toEqual(new Set([1 / 0.7]));
    // 3σ of a binomial(100 000, 0.7) is 435.
    expect(Math.abs(kept.length - 70_000)).toBeLessThan(435);
    dropout.dropoutForward(count, 0, state, new Float64Array(count).fill(2), y, mask);
    expect(y.every((v) => v === 2)).toBe(true);
  });

  it('clipping leaves gradients alone below the norm, scales them to it above, and passes NaN on', () => {
    // The coefficient is maxNorm / (norm + 1e-6): a norm of 5 is left alone from a maximum of 5.00001.
    const state = Float64Array.from([5.00001, 0]);
    const a = Float64Array.from([3, 0]);
    const b = Float64Array.from([4]);
    clipGradNorm([a, b], state);
    expect([state[1], ...a, ...b]).toEqual([5, 3, 0, 4]);
    state[0] = 1;
    clipGradNorm([a, b], state);
    expect(Array.from(a)).toEqual([3 * (1 / (5 + 1e-6)), 0]);
    const nan = Float64Array.from([Number.NaN, 1]);
    clipGradNorm([nan, b], state);
    expect(Number.isNaN(state[1]) && Number.isNaN(b[0])).toBe(true);
  });
});

describe('kernel arguments are checked, on both backends', () => {
  const f = (n: number) => new Float64Array(n);
  const backends = [
    ['native', (k: AnyKernel) => k as (...a: unknown[]) => unknown],
    ['reference', (k: AnyKernel) => k.reference as (...a: unknown[]) => unknown],
  ] as const;

  for (const [label, pick] of backends) {
    it(`sizes, array types and lengths, overlaps and detached buffers (${label})`, () => {
      const tanh = pick(activations.tanhForward);
      expectArgumentError(() => tanh(-1, f(2), f(2)), { type: RangeError, name: 'n', received: '-1' });
      expectArgumentError(() => tanh(1.5, f(2), f(2)), { type: RangeError, name: 'n', received: '1.5' });
      expectArgumentError(() => tanh('2', f(2), f(2)), { type: TypeError, name: 'n', received: '"2"' });
      expectArgumentError(() => tanh(3, f(2), f(3)), {
        type: RangeError,
        name: 'x',
        received: 'Float64Array of length 2',
      });
      expectArgumentError(() => tanh(2, [0, 0], f(2)), { type: TypeError, name: 'x', received: 'Array of length 2' });
      expectArgumentError(() => tanh(2, f(2), new Float32Array(2)), {
        type: TypeError,
        name: 'y',
        received: 'Float32Array of length 2',
      });
      const shared = f(6);
      expectArgumentError(() => tanh(4, shared, shared.subarray(2)), {
        type: RangeError,
        name: 'y',
        received: 'Float64Array of length 4',
      });
      const detached = f(2);
      structuredClone(detached.buffer, { transfer: [detached.buffer] });
      expectArgumentError(() => tanh(0, f(0), detached), {
        type: TypeError,
        name: 'y',
        received: 'Float64Array of length 0',
      });
      // Views of one buffer that do not intersect are fine.
      expect(() => tanh(3, shared.subarray(0, 3), shared.subarray(3))).not.toThrow();
    });

    it(`flags, probabilities, slopes, deltas and smoothing (${label})`, () => {
      expectArgumentError(() => pick(activations.geluForward)(1, 'tanh', f(1), f(1)), {
        type: TypeError,
        name: 'tanh',
        received: '"tanh"',
      });
      expectArgumentError(() => pick(activations.leakyReluForward)(1, Number.NaN, f(1), f(1)), {
        type: RangeError,
        name: 'slope',
        received: 'NaN',
      });
      const state = new Uint32Array(4);
      const drop = pick(dropout.dropoutForward);
      expectArgumentError(() => drop(1, 1, state, f(1), f(1), f(1)), { type: RangeError, name: 'p', received: '1' });
      expectArgumentError(() => drop(1, -0.1, state, f(1), f(1), f(1)), {
        type: RangeError,
        name: 'p',
        received: '-0.1',
      });
      expectArgumentError(() => drop(1, 0.5, f(4), f(1), f(1), f(1)), {
        type: TypeError,
        name: 'state',
        received: 'Float64Array of length 4',
      });
      expectArgumentError(() => drop(1, 0.5, new Uint32Array(3), f(1), f(1), f(1)), {
        type: RangeError,
        name: 'state',
        received: 'Uint32Array of length 3',
      });
      const mask = f(2);
      expectArgumentError(() => drop(2, 0.5, state, f(2), mask, mask), {
        type: RangeError,
        name: 'mask',
        received: 'Float64Array of length 2',
      });
      expectArgumentError(() => pick(losses.mseLoss)(1, 1, f(1), f(1), f(1), f(1)), {
        type: TypeError,
        name: 'mean',
        received: '1',
      });
      expectArgumentError(() => pick(losses.mseLoss)(1, true, f(1), f(1), f(1), f(0)), {
        type: RangeError,
        name: 'out',
        received: 'Float64Array of length 0',
      });
      expectArgumentError(() => pick(losses.huberLoss)(1, true, -1, f(1), f(1), f(1), f(1)), {
        type: RangeError,
        name: 'delta',
        received: '-1',
      });
      expectArgumentError(() => pick(losses.huberLoss)(1, true, 0, f(1), f(1), f(1), f(1)), {
        type: RangeError,
        name: 'delta',
        received: '0',
      });
      const ce = pick(losses.crossEntropyLoss);
      expectArgumentError(() => ce(1, 2, true, 1.5, f(2), f(2), f(1), f(2), f(1)), {
        type: RangeError,
        name: 'smoothing',
        received: '1.5',
      });
      expectArgumentError(() => ce(1, 0, true, 0, f(0), f(0), f(1), f(0), f(1)), {
        type: RangeError,
        name: 'cols',
        received: '0',
      });
      expectArgumentError(() => ce(1, 2, true, 0, f(1), f(2), f(1), f(2), f(1)), {
        type: RangeError,
        name: 'weight',
        received: 'Float64Array of length 1',
      });
    });

    it(`class indices and BCE targets (${label})`, () => {
      const ce = pick(losses.crossEntropyLoss);
      const call = (t: number[]) => () =>
        ce(t.length, 3, true, 0, f(3), f(3 * t.length), Float64Array.from(t), f(3 * t.length), f(1));
      for (const [bad, shown] of [
        [3, '3'],
        [-1, '-1'],
        [1.5, '1.5'],
        [Number.NaN, 'NaN'],
      ] as const) {
        const error = expectArgumentError(call([0, bad]), {
          type: RangeError,
          name: 'target',
          received: 'Float64Array of length 2',
        });
        expect(error.message).toContain(`(${shown} at row 1)`);
      }
      const bce = pick(losses.bceWithLogitsLoss);
      for (const bad of [1.5, -0.1, Number.NaN]) {
        expectArgumentError(() => bce(1, 2, true, f(2), f(2), Float64Array.from([0, bad]), f(2), f(1)), {
          type: RangeError,
          name: 'target',
          received: 'Float64Array of length 2',
        });
      }
    });

    it(`hyper-parameter buffers, optimizer buffers, clipping and metric sums (${label})`, () => {
      expectArgumentError(() => pick(optimizers.sgdBegin)(f(5)), {
        type: RangeError,
        name: 'hyper',
        received: 'Float64Array of length 5',
      });
      const hyper = f(optimizers.SGD_SLOTS.length);
      hyper[optimizers.SGD_SLOTS.momentum] = 0.9;
      // With momentum, the momentum buffer must cover the parameter; without, it is not read.
      expectArgumentError(() => pick(optimizers.sgdUpdate)(2, hyper, f(2), f(2), f(0)), {
        type: RangeError,
        name: 'momentumBuffer',
        received: 'Float64Array of length 0',
      });
      hyper[optimizers.SGD_SLOTS.momentum] = 0;
      expect(() => pick(optimizers.sgdUpdate)(2, hyper, f(2), f(2), f(0))).not.toThrow();
      const param = f(2);
      expectArgumentError(() => pick(optimizers.sgdUpdate)(2, hyper, param, param, f(0)), {
        type: RangeError,
        name: 'param',
        received: 'Float64Array of length 2',
      });
      const adam = f(optimizers.ADAM_SLOTS.length);
      expectArgumentError(() => pick(optimizers.adamUpdate)(2, adam, f(2), f(2), f(2), f(1), f(0)), {
        type: RangeError,
        name: 'expAvgSq',
        received: 'Float64Array of length 1',
      });
      expectArgumentError(() => pick(optimizers.rmspropUpdate)(1, f(3), f(1), f(1), f(1), f(0), f(0)), {
        type: RangeError,
        name: 'hyper',
        received: 'Float64Array of length 3',
      });
      const clip = pick(clipGradNorm);
      expectArgumentError(() => clip([f(1)], Float64Array.from([0, 0])), {
        type: RangeError,
        name: 'state',
        received: 'Float64Array of length 2',
      });
      expectArgumentError(() => clip(f(1), Float64Array.from([1, 0])), {
        type: TypeError,
        name: 'grads',
        received: 'Float64Array of length 1',
      });
      expectArgumentError(() => clip([f(1), [1]], Float64Array.from([1, 0])), {
        type: TypeError,
        name: 'grads[1]',
        received: 'Array of length 1',
      });
      const g = f(4);
      expectArgumentError(() => clip([g, g.subarray(2)], Float64Array.from([1, 0])), {
        type: RangeError,
        name: 'grads[1]',
        received: 'Float64Array of length 2',
      });
      expectArgumentError(() => pick(metrics.maeSums)(1, f(1), f(1), f(1), f(2)), {
        type: RangeError,
        name: 'batch',
        received: 'Float64Array of length 1',
      });
      expectArgumentError(() => pick(metrics.accuracySums)(1, 3, 2, f(3), f(2), f(2), f(2)), {
        type: RangeError,
        name: 'targetCols',
        received: '2',
      });
      expectArgumentError(() => pick(metrics.r2Sums)(1, 2, f(2), f(2), f(7), f(6)), {
        type: RangeError,
        name: 'total',
        received: 'Float64Array of length 6',
      });
    });
  }
});

describe.each([
  ['native', false],
  ['reference', true],
])('kernels refuse tensors of mixed dtypes (%s)', (_, useReference) => {
  const call = (kernel: AnyKernel, ...args: unknown[]) =>
    ((useReference ? kernel.reference : kernel) as (...a: unknown[]) => unknown)(...args);

  it('names the first tensor whose dtype differs from the first one', () => {
    expectArgumentError(() => call(activations.tanhForward, 2, new Float32Array(2), new Float64Array(2)), {
      type: TypeError,
      name: 'y',
      received: 'Float64Array of length 2',
    });
    expectArgumentError(
      () => call(activations.tanhBackward, 2, new Float64Array(2), new Float32Array(2), new Float64Array(2)),
      { type: TypeError, name: 'dy', received: 'Float32Array of length 2' },
    );
  });

  it("keeps a loss's value and a metric's sums in float64 whatever the tensors' dtype", () => {
    const [pred, target, grad] = [new Float32Array([1, 2]), new Float32Array([0, 0]), new Float32Array(2)];
    expectArgumentError(() => call(losses.mseLoss, 2, true, pred, target, grad, new Float32Array(1)), {
      type: TypeError,
      name: 'out',
      received: 'Float32Array of length 1',
    });
    const out = new Float64Array(1);
    call(losses.mseLoss, 2, true, pred, target, grad, out);
    expect(out[0]).toBe(2.5);
    expect(Array.from(grad)).toEqual([1, 2]);
  });

  it('refuses gradients of mixed dtypes to clip together', () => {
    const state = new Float64Array(CLIP_SLOTS.length);
    state[CLIP_SLOTS.maxNorm] = 1;
    expectArgumentError(() => call(clipGradNorm, [new Float32Array(2), new Float64Array(2)], state), {
      type: TypeError,
      name: 'grads[1]',
      received: 'Float64Array of length 2',
    });
  });
});

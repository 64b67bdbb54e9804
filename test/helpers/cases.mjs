// Random BLAS calls for parity tests, each fully determined by its seed. Operands are
// subarray views at random offsets into larger buffers, with leading dimensions and
// strides larger than needed, and sometimes all live in one buffer (disjoint), so a
// kernel that ignores a view's byteOffset, a leading dimension or a stride, or that
// writes outside its output, shows up. Sizes are mostly tiny to keep tests fast.
// poisoned() then plants NaN and ±Infinity in chosen operands, where BLAS semantics
// decide whether they reach the output (alpha = 0, beta = 0).

import { Random } from './random.mjs';

/** Elements a row-major rows×cols matrix with leading dimension ld spans. */
export function matrixExtent(rows, cols, ld) {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/** Elements a vector of `length` entries at stride `inc` spans. */
export function vectorExtent(length, inc) {
  return length === 0 ? 0 : (length - 1) * inc + 1;
}

/**
 * @typedef {{ backing: Float64Array | Float32Array, offset: number, view: Float64Array | Float32Array, extent?: number }} Operand
 * `view` is `backing.subarray(offset)`: it runs to the end of the buffer, past the
 * `extent` elements the call may touch.
 */

/**
 * Places operands of the given extents at random offsets, each in its own buffer
 * or, one time in four, one after another in a single buffer, and fills every
 * element, gaps included, with random values.
 * @param {Random} rng
 * @param {number[]} extents
 * @returns {Operand[]}
 */
function layOut(rng, extents) {
  const gap = () => (rng.chance(0.5) ? 0 : rng.int(1, 7));
  if (rng.chance(0.25)) {
    const offsets = [];
    let end = 0;
    for (const extent of extents) {
      const offset = end + gap();
      offsets.push(offset);
      end = offset + extent;
    }
    const backing = rng.values(end + gap());
    return offsets.map((offset, i) => ({ backing, offset, view: backing.subarray(offset), extent: extents[i] }));
  }
  return extents.map((extent) => {
    const offset = gap();
    const backing = rng.values(offset + extent + gap());
    return { backing, offset, view: backing.subarray(offset), extent };
  });
}

/** Mostly tiny (0 included), sometimes up to 64, rarely a few hundred. */
function sizer(rng, largest) {
  const roll = rng.next();
  if (roll < 0.65) return () => (rng.chance(0.1) ? 0 : rng.int(1, 8));
  if (roll < 0.92) return () => rng.int(1, 64);
  return () => (rng.chance(0.5) ? rng.int(65, largest) : rng.int(1, 64));
}

/** 0, 1 and -1 often, as BLAS special-cases them; otherwise any value in [-3, 3). */
function scalar(rng) {
  const roll = rng.next();
  if (roll < 0.15) return 0;
  if (roll < 0.3) return 1;
  if (roll < 0.4) return -1;
  return 6 * rng.next() - 3;
}

function leadingDimension(rng, cols) {
  return Math.max(1, cols) + (rng.chance(0.5) ? 0 : rng.int(1, 5));
}

function stride(rng) {
  return rng.chance(0.6) ? 1 : rng.int(2, 4);
}

/**
 * @typedef {{ alpha?: number, beta?: number }} FixedScalars
 * @param {{ transA?: 'N' | 'T', transB?: 'N' | 'T', m?: number, n?: number, k?: number } & FixedScalars} [fixed]
 *   parts of the case not to draw at random
 */
export function randomGemmCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const transA = fixed.transA ?? rng.pick(['N', 'T']);
  const transB = fixed.transB ?? rng.pick(['N', 'T']);
  const size = sizer(rng, 300);
  const [m, n, k] = [fixed.m ?? size(), fixed.n ?? size(), fixed.k ?? size()];
  const [alpha, beta] = [fixed.alpha ?? scalar(rng), fixed.beta ?? scalar(rng)];
  const [aRows, aCols] = transA === 'N' ? [m, k] : [k, m];
  const [bRows, bCols] = transB === 'N' ? [k, n] : [n, k];
  const [lda, ldb, ldc] = [leadingDimension(rng, aCols), leadingDimension(rng, bCols), leadingDimension(rng, n)];
  const [a, b, c] = layOut(rng, [
    matrixExtent(aRows, aCols, lda),
    matrixExtent(bRows, bCols, ldb),
    matrixExtent(m, n, ldc),
  ]);
  return { seed, transA, transB, m, n, k, alpha, beta, lda, ldb, ldc, a, b, c };
}

/** @param {{ trans?: 'N' | 'T', m?: number, n?: number } & FixedScalars} [fixed] */
export function randomGemvCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const trans = fixed.trans ?? rng.pick(['N', 'T']);
  const size = sizer(rng, 400);
  const [m, n] = [fixed.m ?? size(), fixed.n ?? size()];
  const [alpha, beta] = [fixed.alpha ?? scalar(rng), fixed.beta ?? scalar(rng)];
  const lda = leadingDimension(rng, n);
  const [incx, incy] = [stride(rng), stride(rng)];
  const [xLength, yLength] = trans === 'N' ? [n, m] : [m, n];
  const [a, x, y] = layOut(rng, [matrixExtent(m, n, lda), vectorExtent(xLength, incx), vectorExtent(yLength, incy)]);
  return { seed, trans, m, n, alpha, beta, lda, incx, incy, xLength, yLength, a, x, y };
}

/** @param {{ n?: number, alpha?: number }} [fixed] */
export function randomAxpyCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const n = fixed.n ?? sizer(rng, 5000)();
  const alpha = fixed.alpha ?? scalar(rng);
  const [incx, incy] = [stride(rng), stride(rng)];
  const [x, y] = layOut(rng, [vectorExtent(n, incx), vectorExtent(n, incy)]);
  return { seed, n, alpha, incx, incy, x, y };
}

/** @param {{ n?: number, alpha?: number }} [fixed] */
export function randomScalCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const n = fixed.n ?? sizer(rng, 5000)();
  const alpha = fixed.alpha ?? scalar(rng);
  const incx = stride(rng);
  const [x] = layOut(rng, [vectorExtent(n, incx)]);
  return { seed, n, alpha, incx, x };
}

/** Values where comparisons and signs are delicate, for the ReLU kernels. */
export const EDGE_VALUES = [
  -2,
  -0,
  0,
  3,
  NaN,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
];

/**
 * Operands for reluForward(n, x, y) and reluBackward(n, y, dy, dx): n up to 70 (the
 * vectorised loops' remainders), random values with one in four an edge value.
 * @param {{ n?: number }} [fixed]
 */
export function randomReluCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const n = fixed.n ?? rng.int(0, 70);
  const [x, y, dy, dx] = layOut(rng, [n, n, n, n]);
  for (const operand of [x, y, dy]) {
    for (let i = 0; i < n; i++) if (rng.chance(0.25)) operand.view[i] = rng.pick(EDGE_VALUES);
  }
  return { seed, n, x, y, dy, dx };
}

/**
 * The same case in float32: every operand copied into a Float32Array (its values
 * rounded to float32; operands that shared a buffer still share one), the scalars
 * left as they are, for the routine to round. The case records its dtype.
 * @template {Record<string, unknown>} T
 * @param {T} testCase from one of the generators above
 * @returns {T} a new case
 */
export function inFloat32(testCase) {
  const copies = new Map();
  const converted = { ...testCase, dtype: 'float32' };
  for (const [key, value] of Object.entries(testCase)) {
    if (value === null || typeof value !== 'object' || !(value.backing instanceof Float64Array)) continue;
    if (!copies.has(value.backing)) copies.set(value.backing, Float32Array.from(value.backing));
    const backing = copies.get(value.backing);
    converted[key] = { ...value, backing, view: backing.subarray(value.offset) };
  }
  return converted;
}

/** Values BLAS must propagate where it reads them and must never let through where it does not. */
export const POISON = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/**
 * Writes NaN or ±Infinity into the named operands of a case, in place: at the first
 * element of each (always part of its matrix or vector) and at one more place, drawn
 * from `seed`, in the span the call may touch. The case records which operands it
 * poisoned, for its description.
 * @template {Record<string, unknown>} T
 * @param {T} testCase from one of the generators above
 * @param {string[]} names operands of the case, e.g. ['a', 'c']
 * @returns {T} the same case
 */
export function poisoned(testCase, names, seed) {
  const rng = new Random(seed);
  for (const name of names) {
    const { backing, offset, extent } = /** @type {Operand} */ (testCase[name]);
    if (!extent) continue;
    backing[offset] = rng.pick(POISON);
    backing[offset + rng.int(0, extent - 1)] = rng.pick(POISON);
  }
  return Object.assign(testCase, { poisoned: names.join('+') });
}

/** Poisons each of the named operands with probability 1/4, drawn from `seed`. */
export function poisonedAtRandom(testCase, names, seed) {
  const rng = new Random(~seed);
  const chosen = names.filter(() => rng.chance(0.25));
  return chosen.length > 0 ? poisoned(testCase, chosen, seed) : testCase;
}

/** A one-line summary of a case for failure messages, enough to replay it. */
export function describeCase(name, testCase) {
  const fields = Object.entries(testCase).map(([key, value]) =>
    value !== null && typeof value === 'object' ? `${key}@${value.offset}/${value.backing.length}` : `${key}=${value}`,
  );
  return `${name}(${fields.join(', ')})`;
}

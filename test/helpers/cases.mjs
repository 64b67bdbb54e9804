// Random BLAS calls for parity tests, each fully determined by its seed. Operands are
// subarray views at random offsets into larger buffers, with leading dimensions and
// strides larger than needed, and sometimes all live in one buffer (disjoint), so a
// kernel that ignores a view's byteOffset, a leading dimension or a stride, or that
// writes outside its output, shows up. Sizes are mostly tiny to keep tests fast.

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
 * @typedef {{ backing: Float64Array, offset: number, view: Float64Array }} Operand
 * `view` is `backing.subarray(offset)`: it runs to the end of the buffer, past the
 * elements the call may touch.
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
    return offsets.map((offset) => ({ backing, offset, view: backing.subarray(offset) }));
  }
  return extents.map((extent) => {
    const offset = gap();
    const backing = rng.values(offset + extent + gap());
    return { backing, offset, view: backing.subarray(offset) };
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
 * @param {{ transA?: 'N' | 'T', transB?: 'N' | 'T', m?: number, n?: number, k?: number }} [fixed]
 *   parts of the case not to draw at random
 */
export function randomGemmCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const transA = fixed.transA ?? rng.pick(['N', 'T']);
  const transB = fixed.transB ?? rng.pick(['N', 'T']);
  const size = sizer(rng, 300);
  const [m, n, k] = [fixed.m ?? size(), fixed.n ?? size(), fixed.k ?? size()];
  const [alpha, beta] = [scalar(rng), scalar(rng)];
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

/** @param {{ trans?: 'N' | 'T' }} [fixed] */
export function randomGemvCase(seed, fixed = {}) {
  const rng = new Random(seed);
  const trans = fixed.trans ?? rng.pick(['N', 'T']);
  const size = sizer(rng, 400);
  const [m, n] = [size(), size()];
  const [alpha, beta] = [scalar(rng), scalar(rng)];
  const lda = leadingDimension(rng, n);
  const [incx, incy] = [stride(rng), stride(rng)];
  const [xLength, yLength] = trans === 'N' ? [n, m] : [m, n];
  const [a, x, y] = layOut(rng, [matrixExtent(m, n, lda), vectorExtent(xLength, incx), vectorExtent(yLength, incy)]);
  return { seed, trans, m, n, alpha, beta, lda, incx, incy, xLength, yLength, a, x, y };
}

export function randomAxpyCase(seed) {
  const rng = new Random(seed);
  const n = sizer(rng, 5000)();
  const alpha = scalar(rng);
  const [incx, incy] = [stride(rng), stride(rng)];
  const [x, y] = layOut(rng, [vectorExtent(n, incx), vectorExtent(n, incy)]);
  return { seed, n, alpha, incx, incy, x, y };
}

export function randomScalCase(seed) {
  const rng = new Random(seed);
  const n = sizer(rng, 5000)();
  const alpha = scalar(rng);
  const incx = stride(rng);
  const [x] = layOut(rng, [vectorExtent(n, incx)]);
  return { seed, n, alpha, incx, x };
}

/** A one-line summary of a case for failure messages, enough to replay it. */
export function describeCase(name, testCase) {
  const fields = Object.entries(testCase).map(([key, value]) =>
    value !== null && typeof value === 'object' ? `${key}@${value.offset}/${value.backing.length}` : `${key}=${value}`,
  );
  return `${name}(${fields.join(', ')})`;
}

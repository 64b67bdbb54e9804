// fast-check arbitraries for BLAS argument lists. Every position draws mostly valid
// values and now and then an invalid one (wrong type, out of range, too short,
// detached, overlapping), so that a run of a few thousand calls holds valid calls of
// every shape as well as every kind of mistake. Sizes stay tiny to keep runs fast.
// Arrays are built in the precision of the routine under test (a Float32Array for an
// s-routine, a Float64Array for a d-routine), so both precisions see the same mistakes.

import fc from 'fast-check';

import type { DType } from '../../dist/index.js';
import type { Operand } from './cases.mjs';
import { Random } from './random.mjs';

/** Mostly `good`, rarely `bad`: with a dozen positions, about half the calls stay valid. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 30, arbitrary: good }, { weight: 1, arbitrary: bad });
}

export const transposeArb: fc.Arbitrary<unknown> = mostly<unknown>(
  fc.constantFrom('N', 'T'),
  fc.constantFrom('n', 't', 'C', '', 'NT', 0, true, null, undefined),
);

export const sizeArb: fc.Arbitrary<unknown> = mostly<unknown>(
  fc.integer({ min: 0, max: 7 }),
  fc.constantFrom(-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, 2 ** 31 - 1, 2 ** 16 + 1, '2', 2n, null),
);

/**
 * The smallest double that rounds to Infinity in float32. The largest float32 is
 * (2 − 2⁻²³)·2¹²⁷; halfway from it to 2¹²⁸ is 2¹²⁸ − 2¹⁰³, and that tie rounds to the
 * even neighbour, 2¹²⁸, which is out of range: Infinity.
 */
export const FLOAT32_OVERFLOW = 2 ** 128 - 2 ** 103;

/** The largest float32, (2 − 2⁻²³)·2¹²⁷. */
const FLOAT32_MAX = (2 - 2 ** -23) * 2 ** 127;

/** The double just below FLOAT32_OVERFLOW (one unit of 2⁷⁵ less): it rounds down, to FLOAT32_MAX. */
const BELOW_FLOAT32_OVERFLOW = FLOAT32_OVERFLOW - 2 ** 75;

/**
 * Finite numbers at the ends of float32's range, ordinary numbers in float64: either
 * side of the overflow threshold, and magnitudes that round to a float32 subnormal or
 * to zero (which then counts as zero). Drawn rarely, on the valid side of scalarArb,
 * since in float64 they are valid.
 */
const RANGE_EDGES = [
  FLOAT32_MAX,
  -BELOW_FLOAT32_OVERFLOW,
  FLOAT32_OVERFLOW,
  -FLOAT32_OVERFLOW,
  1e39,
  1e-40,
  -(2 ** -149),
  2 ** -150,
  1e-50,
  Number.MIN_VALUE,
];

export const scalarArb: fc.Arbitrary<unknown> = mostly<unknown>(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(0, 1, -1, -0) },
    { weight: 4, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(...RANGE_EDGES) },
  ),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', 1n, null, undefined, {}),
);

/** A leading dimension or stride: its smallest valid value plus `slack`, or a `raw` value. */
export type SpacingSpec = { slack: number } | { raw: unknown };

export const spacingArb: fc.Arbitrary<SpacingSpec> = mostly<SpacingSpec>(
  fc.record({ slack: fc.integer({ min: 0, max: 3 }) }),
  fc.oneof(
    fc.constant({ slack: -1 }),
    fc.record({ raw: fc.constantFrom(0, -1, 1.5, Number.NaN, 2 ** 31, '4', null, undefined) }),
  ),
);

export function spacing(spec: SpacingSpec, smallest: number): unknown {
  return 'raw' in spec ? spec.raw : smallest + spec.slack;
}

const LIVE_KINDS = ['unshared', 'shared', 'inflated'] as const;
const OTHER_KINDS = ['detached', 'other precision', 'plain', 'dataview', 'number', 'null', 'undefined'] as const;

/**
 * A typed array of the call's precision, of the length needed plus `slack` elements,
 * on an ArrayBuffer, on a SharedArrayBuffer, or as a subclass that lies about its
 * length; or anything else that is not a usable array of that precision, among them
 * a live array of the other precision.
 */
export type ArraySpec =
  | { kind: (typeof LIVE_KINDS)[number]; slack: number }
  | { kind: (typeof OTHER_KINDS)[number]; slack?: undefined };

export const arrayArb: fc.Arbitrary<ArraySpec> = mostly<ArraySpec>(
  fc.record({
    kind: fc.constantFrom('unshared', 'unshared', 'unshared', 'shared', 'shared', 'inflated'),
    slack: fc.integer({ min: 0, max: 3 }),
  }),
  fc.oneof(
    fc.record({ kind: fc.constant('unshared' as const), slack: fc.integer({ min: -2, max: -1 }) }),
    // The other precision twice as often as each other mistake: the likeliest one in practice.
    fc.record({ kind: fc.constantFrom(...OTHER_KINDS, 'other precision') }),
  ),
);

/**
 * Where the arrays live: each in its own buffer; all in one buffer, disjoint; or the
 * output (the last array) starting inside the first input.
 */
export type Placement = 'separate' | 'one buffer' | 'output overlaps';

export const placementArb: fc.Arbitrary<Placement> = fc.constantFrom<Placement>(
  'separate',
  'separate',
  'one buffer',
  'output overlaps',
);

/** Typed arrays that claim to be far longer than they are. */
class InflatedFloat64 extends Float64Array {
  override get length() {
    return 1 << 20;
  }
}
class InflatedFloat32 extends Float32Array {
  override get length() {
    return 1 << 20;
  }
}

/** Each precision's typed array, the other precision, and the lying subclass. */
const PRECISION = {
  float64: { ArrayType: Float64Array, Inflated: InflatedFloat64, other: 'float32' },
  float32: { ArrayType: Float32Array, Inflated: InflatedFloat32, other: 'float64' },
} as const;

type FloatArray = Float32Array | Float64Array;

/** What was built for one array position, with the facts a validity oracle needs. */
export interface BuiltArray {
  value: unknown;
  kind: ArraySpec['kind'];
  /** Set for a live array of the call's precision: its buffer and where the view starts in it. */
  operand?: Operand;
  /** The view's true element count (for a live array of the call's precision). */
  length: number;
}

/** Extents too large to allocate are built small: such calls must fail anyway. */
const ALLOCATABLE = 256;

/**
 * Builds the arrays for one call. `needed` is each position's extent as computed
 * from the (possibly invalid) sizes; `dtype` is the precision of the routine called.
 * The result is fully determined by the arguments.
 */
export function buildArrays(
  specs: ArraySpec[],
  needed: number[],
  placement: Placement,
  seed: number,
  dtype: DType,
): BuiltArray[] {
  const rng = new Random(seed);
  const lengths = specs.map((spec, i) => Math.max(0, Math.min(needed[i], ALLOCATABLE) + (spec.slack ?? 0)));
  const live = specs.map((spec) => (LIVE_KINDS as readonly string[]).includes(spec.kind));
  const starts: number[] = [];
  let end = 0;
  const last = specs.length - 1;
  for (let i = 0; i < specs.length; i++) {
    const overlapFirst = placement === 'output overlaps' && i === last && live[0];
    starts[i] = overlapFirst ? starts[0] + Math.floor(lengths[0] / 2) : end + rng.int(0, 2);
    end = Math.max(end, starts[i] + lengths[i]);
  }
  const single = placement !== 'separate';
  const backing = single ? filled(rng, end + 2, specs[0].kind === 'shared', dtype) : undefined;
  return specs.map((spec, i): BuiltArray => {
    const length = lengths[i];
    const { kind } = spec;
    if (kind === 'unshared' || kind === 'shared' || kind === 'inflated') {
      const own = backing ?? filled(rng, starts[i] + length + 2, kind === 'shared', dtype);
      const view =
        kind === 'inflated'
          ? new PRECISION[dtype].Inflated(own.buffer, own.byteOffset + own.BYTES_PER_ELEMENT * starts[i], length)
          : own.subarray(starts[i], starts[i] + length);
      return { value: view, kind, operand: { backing: own, offset: starts[i], view }, length };
    }
    return { value: other(kind, length, dtype), kind, length };
  });
}

function filled(rng: Random, length: number, shared: boolean, dtype: DType): FloatArray {
  const { ArrayType } = PRECISION[dtype];
  const array = shared
    ? new ArrayType(new SharedArrayBuffer(ArrayType.BYTES_PER_ELEMENT * length))
    : new ArrayType(length);
  array.set(rng.values(length));
  return array;
}

function other(kind: (typeof OTHER_KINDS)[number], length: number, dtype: DType): unknown {
  const { ArrayType } = PRECISION[dtype];
  switch (kind) {
    case 'detached': {
      const array = new ArrayType(length);
      structuredClone(array.buffer, { transfer: [array.buffer] });
      return array;
    }
    case 'other precision':
      return new PRECISION[PRECISION[dtype].other].ArrayType(length).fill(0.5);
    case 'plain':
      return new Array(length).fill(0);
    case 'dataview':
      return new DataView(new ArrayBuffer(ArrayType.BYTES_PER_ELEMENT * length));
    case 'number':
      return 3;
    case 'null':
      return null;
    case 'undefined':
      return undefined;
  }
}

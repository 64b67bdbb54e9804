// fast-check arbitraries for BLAS argument lists. Every position draws mostly valid
// values and now and then an invalid one (wrong type, out of range, too short,
// detached, overlapping), so that a run of a few thousand calls holds valid calls of
// every shape as well as every kind of mistake. Sizes stay tiny to keep runs fast.

import fc from 'fast-check';

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

export const scalarArb: fc.Arbitrary<unknown> = mostly<unknown>(
  fc.oneof(fc.constantFrom(0, 1, -1, -0), fc.double({ min: -4, max: 4, noNaN: true })),
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

const LIVE_KINDS = ['float64', 'shared', 'inflated'] as const;
const OTHER_KINDS = ['detached', 'float32', 'plain', 'dataview', 'number', 'null', 'undefined'] as const;

/**
 * A Float64Array of the length needed plus `slack` elements, on an ArrayBuffer, on a
 * SharedArrayBuffer, or as a subclass that lies about its length; or anything else
 * that is not a usable Float64Array.
 */
export type ArraySpec =
  | { kind: (typeof LIVE_KINDS)[number]; slack: number }
  | { kind: (typeof OTHER_KINDS)[number]; slack?: undefined };

export const arrayArb: fc.Arbitrary<ArraySpec> = mostly<ArraySpec>(
  fc.record({
    kind: fc.constantFrom('float64', 'float64', 'float64', 'shared', 'shared', 'inflated'),
    slack: fc.integer({ min: 0, max: 3 }),
  }),
  fc.oneof(
    fc.record({ kind: fc.constant('float64' as const), slack: fc.integer({ min: -2, max: -1 }) }),
    fc.record({ kind: fc.constantFrom(...OTHER_KINDS) }),
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

/** A Float64Array that claims to be far longer than it is. */
class Inflated extends Float64Array {
  override get length() {
    return 1 << 20;
  }
}

/** What was built for one array position, with the facts a validity oracle needs. */
export interface BuiltArray {
  value: unknown;
  /** Set for a live Float64Array: its buffer and where the view starts in it. */
  operand?: Operand;
  /** The view's true element count (for a live Float64Array). */
  length: number;
}

/** Extents too large to allocate are built small: such calls must fail anyway. */
const ALLOCATABLE = 256;

/**
 * Builds the arrays for one call. `needed` is each position's extent as computed
 * from the (possibly invalid) sizes; the result is fully determined by the arguments.
 */
export function buildArrays(specs: ArraySpec[], needed: number[], placement: Placement, seed: number): BuiltArray[] {
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
  const backing = single ? filled(rng, end + 2, specs[0].kind === 'shared') : undefined;
  return specs.map((spec, i): BuiltArray => {
    const length = lengths[i];
    if (spec.kind === 'float64' || spec.kind === 'shared' || spec.kind === 'inflated') {
      const own = backing ?? filled(rng, starts[i] + length + 2, spec.kind === 'shared');
      const view =
        spec.kind === 'inflated'
          ? new Inflated(own.buffer, own.byteOffset + 8 * starts[i], length)
          : own.subarray(starts[i], starts[i] + length);
      return { value: view, operand: { backing: own, offset: starts[i], view }, length };
    }
    return { value: other(spec.kind, length), length };
  });
}

function filled(rng: Random, length: number, shared: boolean): Float64Array {
  const array = shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
  array.set(rng.values(length));
  return array;
}

function other(kind: (typeof OTHER_KINDS)[number], length: number): unknown {
  switch (kind) {
    case 'detached': {
      const array = new Float64Array(length);
      structuredClone(array.buffer, { transfer: [array.buffer] });
      return array;
    }
    case 'float32':
      return new Float32Array(length);
    case 'plain':
      return new Array(length).fill(0);
    case 'dataview':
      return new DataView(new ArrayBuffer(8 * length));
    case 'number':
      return 3;
    case 'null':
      return null;
    case 'undefined':
      return undefined;
  }
}

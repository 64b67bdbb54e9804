// Every argument sgemm and dgemm reject, run against the native and the reference
// routines alike: the class of the error, a message that names the argument and the
// value received, and c left exactly as it was. The two precisions take the same rows,
// each with its own array type; an array of the other precision is refused like any
// other wrong type.

import { describe, expect, it } from 'vitest';

import { dgemm, reference, sgemm } from '../../dist/index.js';
import { type ArgumentErrorShape, expectArgumentError } from '../helpers/errors.js';
import { Random } from '../helpers/random.mjs';

type Args = {
  transA: unknown;
  transB: unknown;
  m: unknown;
  n: unknown;
  k: unknown;
  alpha: unknown;
  a: unknown;
  lda: unknown;
  b: unknown;
  ldb: unknown;
  beta: unknown;
  c: unknown;
  ldc: unknown;
};

type Gemm = (...args: unknown[]) => Float32Array | Float64Array;
type FloatArrayConstructor = typeof Float32Array | typeof Float64Array;
type FloatArray = Float32Array | Float64Array;

function call(routine: Gemm, args: Args) {
  const { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc } = args;
  return routine(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/** The rows and helpers for one precision's arrays, F, with Other the other precision's. */
function suite(F: FloatArrayConstructor, Other: FloatArrayConstructor) {
  const rng = new Random(11);

  /** Small integers: every product below is exact, so native and reference agree to the bit. */
  function integers(length: number): FloatArray {
    return F.from({ length }, () => rng.int(-9, 9));
  }

  /**
   * A valid call for op(A) 2×4 times op(B) 4×3 with the given transposes, tightly
   * packed: A is 2×4 (lda 4) or 4×2 (lda 2), B is 4×3 (ldb 3) or 3×4 (ldb 4), C is
   * 2×3 (ldc 3). C holds nonzero values, so an unwanted write would show.
   */
  function valid(transA: 'N' | 'T' = 'N', transB: 'N' | 'T' = 'N', overrides: Partial<Args> = {}): Args {
    return {
      transA,
      transB,
      m: 2,
      n: 3,
      k: 4,
      alpha: 1.5,
      a: integers(8),
      lda: transA === 'N' ? 4 : 2,
      b: integers(12),
      ldb: transB === 'N' ? 3 : 4,
      beta: 0,
      c: integers(6).map((v) => v + 100),
      ldc: 3,
      ...overrides,
    };
  }

  function detached(length: number): FloatArray {
    const array = new F(length);
    structuredClone(array.buffer, { transfer: [array.buffer] });
    return array;
  }

  /**
   * An array of `length` elements over a resizable buffer, which then shrinks by one
   * element: a fixed-length view falls out of bounds (its length reads 0), a
   * length-tracking one loses its last element.
   */
  function shrunk(length: number, view: 'fixed' | 'tracking'): FloatArray {
    const bytes = F.BYTES_PER_ELEMENT;
    const buffer = new ArrayBuffer(bytes * length, { maxByteLength: bytes * length });
    const array = view === 'fixed' ? new F(buffer, 0, length) : new F(buffer);
    array.set(integers(length));
    (buffer as ArrayBuffer & { resize(byteLength: number): void }).resize(bytes * (length - 1));
    return array;
  }

  /** One buffer of 32 elements and views into it, for the overlap rules. */
  function views(...ranges: [number, number][]): FloatArray[] {
    const buffer = integers(32);
    return ranges.map(([start, end]) => buffer.subarray(start, end));
  }

  type Row = [label: string, args: () => Args, error: ArgumentErrorShape];

  const wrongArrays = (name: 'a' | 'b' | 'c', length: number): Row[] => [
    [
      `${name} as the other precision's array`,
      () => valid('N', 'N', { [name]: new Other(length) }),
      { type: TypeError, name, received: `${Other.name} of length ${length}` },
    ],
    [
      `${name} as a plain array`,
      () => valid('N', 'N', { [name]: new Array(length).fill(0) }),
      { type: TypeError, name, received: `Array of length ${length}` },
    ],
    [
      `${name} as a DataView`,
      () => valid('N', 'N', { [name]: new DataView(new ArrayBuffer(8 * length)) }),
      { type: TypeError, name, received: 'DataView' },
    ],
    [`${name} as a number`, () => valid('N', 'N', { [name]: 7 }), { type: TypeError, name, received: '7' }],
    [`${name} as null`, () => valid('N', 'N', { [name]: null }), { type: TypeError, name, received: 'null' }],
    [
      `${name} as undefined`,
      () => valid('N', 'N', { [name]: undefined }),
      { type: TypeError, name, received: 'undefined' },
    ],
    [
      `${name} as an array-like object`,
      () => valid('N', 'N', { [name]: { length } }),
      { type: TypeError, name, received: 'object' },
    ],
    [
      `${name} detached`,
      () => valid('N', 'N', { [name]: detached(length) }),
      { type: TypeError, name, received: `${F.name} of length 0` },
    ],
  ];

  const wrongTransposes = (name: 'transA' | 'transB'): Row[] => [
    [`${name} lower case`, () => valid('N', 'N', { [name]: 'n' }), { type: RangeError, name, received: '"n"' }],
    [`${name} "C"`, () => valid('N', 'N', { [name]: 'C' }), { type: RangeError, name, received: '"C"' }],
    [`${name} empty`, () => valid('N', 'N', { [name]: '' }), { type: RangeError, name, received: '""' }],
    [`${name} a boolean`, () => valid('N', 'N', { [name]: true }), { type: TypeError, name, received: 'true' }],
    [`${name} a number`, () => valid('N', 'N', { [name]: 0 }), { type: TypeError, name, received: '0' }],
    [
      `${name} undefined`,
      () => valid('N', 'N', { [name]: undefined }),
      { type: TypeError, name, received: 'undefined' },
    ],
  ];

  const wrongSizes = (name: 'm' | 'n' | 'k'): Row[] => [
    [`${name} non-integer`, () => valid('N', 'N', { [name]: 1.5 }), { type: RangeError, name, received: '1.5' }],
    [`${name} negative`, () => valid('N', 'N', { [name]: -1 }), { type: RangeError, name, received: '-1' }],
    [`${name} NaN`, () => valid('N', 'N', { [name]: Number.NaN }), { type: RangeError, name, received: 'NaN' }],
    [
      `${name} Infinity`,
      () => valid('N', 'N', { [name]: Number.POSITIVE_INFINITY }),
      { type: RangeError, name, received: 'Infinity' },
    ],
    [`${name} 2^31`, () => valid('N', 'N', { [name]: 2 ** 31 }), { type: RangeError, name, received: '2147483648' }],
    [`${name} a string`, () => valid('N', 'N', { [name]: '2' }), { type: TypeError, name, received: '"2"' }],
    [`${name} a bigint`, () => valid('N', 'N', { [name]: 2n }), { type: TypeError, name, received: '2n' }],
    [`${name} null`, () => valid('N', 'N', { [name]: null }), { type: TypeError, name, received: 'null' }],
  ];

  const wrongScalars = (name: 'alpha' | 'beta'): Row[] => [
    [`${name} NaN`, () => valid('N', 'N', { [name]: Number.NaN }), { type: RangeError, name, received: 'NaN' }],
    [
      `${name} Infinity`,
      () => valid('N', 'N', { [name]: Number.POSITIVE_INFINITY }),
      { type: RangeError, name, received: 'Infinity' },
    ],
    [
      `${name} -Infinity`,
      () => valid('N', 'N', { [name]: Number.NEGATIVE_INFINITY }),
      { type: RangeError, name, received: '-Infinity' },
    ],
    [`${name} a string`, () => valid('N', 'N', { [name]: '1' }), { type: TypeError, name, received: '"1"' }],
    [`${name} null`, () => valid('N', 'N', { [name]: null }), { type: TypeError, name, received: 'null' }],
  ];

  const rows: Row[] = [
    ...wrongTransposes('transA'),
    ...wrongTransposes('transB'),
    ...wrongSizes('m'),
    ...wrongSizes('n'),
    ...wrongSizes('k'),
    ...wrongScalars('alpha'),
    ...wrongScalars('beta'),
    ...wrongArrays('a', 8),
    ...wrongArrays('b', 12),
    ...wrongArrays('c', 6),

    // Leading dimensions below the stored row length, for each transpose.
    [
      'lda < k for A not transposed',
      () => valid('N', 'N', { lda: 3 }),
      { type: RangeError, name: 'lda', received: '3' },
    ],
    ['lda < m for A transposed', () => valid('T', 'N', { lda: 1 }), { type: RangeError, name: 'lda', received: '1' }],
    [
      'ldb < n for B not transposed',
      () => valid('N', 'N', { ldb: 2 }),
      { type: RangeError, name: 'ldb', received: '2' },
    ],
    ['ldb < k for B transposed', () => valid('N', 'T', { ldb: 3 }), { type: RangeError, name: 'ldb', received: '3' }],
    ['ldc < n', () => valid('N', 'N', { ldc: 2 }), { type: RangeError, name: 'ldc', received: '2' }],
    ['ldc 0 when n = 0', () => valid('N', 'N', { n: 0, ldc: 0 }), { type: RangeError, name: 'ldc', received: '0' }],
    ['lda non-integer', () => valid('N', 'N', { lda: 4.5 }), { type: RangeError, name: 'lda', received: '4.5' }],
    [
      'lda above 2^31 - 1',
      () => valid('N', 'N', { lda: 2 ** 31 }),
      { type: RangeError, name: 'lda', received: '2147483648' },
    ],
    ['ldb a string', () => valid('N', 'N', { ldb: '3' }), { type: TypeError, name: 'ldb', received: '"3"' }],
    [
      'ldc undefined',
      () => valid('N', 'N', { ldc: undefined }),
      { type: TypeError, name: 'ldc', received: 'undefined' },
    ],

    // Buffers one element short, for each transpose, tight and with padded rows.
    [
      'a short, not transposed',
      () => valid('N', 'N', { a: new F(7) }),
      { type: RangeError, name: 'a', received: `${F.name} of length 7` },
    ],
    [
      'a short, transposed',
      () => valid('T', 'N', { a: new F(7) }),
      { type: RangeError, name: 'a', received: `${F.name} of length 7` },
    ],
    [
      'a short, padded rows',
      () => valid('N', 'N', { lda: 6, a: new F(9) }),
      { type: RangeError, name: 'a', received: `${F.name} of length 9` },
    ],
    [
      'a short, transposed, padded rows',
      () => valid('T', 'N', { lda: 5, a: new F(16) }),
      { type: RangeError, name: 'a', received: `${F.name} of length 16` },
    ],
    [
      'b short, not transposed',
      () => valid('N', 'N', { b: new F(11) }),
      { type: RangeError, name: 'b', received: `${F.name} of length 11` },
    ],
    [
      'b short, transposed',
      () => valid('N', 'T', { b: new F(11) }),
      { type: RangeError, name: 'b', received: `${F.name} of length 11` },
    ],
    [
      'b short, padded rows',
      () => valid('N', 'T', { ldb: 7, b: new F(17) }),
      { type: RangeError, name: 'b', received: `${F.name} of length 17` },
    ],
    [
      'c short',
      () => valid('N', 'N', { c: new F(5) }),
      { type: RangeError, name: 'c', received: `${F.name} of length 5` },
    ],
    [
      'c short, padded rows',
      () => valid('N', 'N', { ldc: 5, c: new F(7) }),
      { type: RangeError, name: 'c', received: `${F.name} of length 7` },
    ],
    [
      'c a subarray that ends too early',
      () => valid('N', 'N', { c: new F(20).subarray(15) }),
      { type: RangeError, name: 'c', received: `${F.name} of length 5` },
    ],

    // Views over a resizable buffer that shrank after they were made.
    [
      'c a fixed-length view whose resizable buffer shrank',
      () => valid('N', 'N', { c: shrunk(6, 'fixed') }),
      { type: RangeError, name: 'c', received: `${F.name} of length 0` },
    ],
    [
      'b a length-tracking view whose resizable buffer shrank',
      () => valid('N', 'N', { b: shrunk(12, 'tracking') }),
      { type: RangeError, name: 'b', received: `${F.name} of length 11` },
    ],

    // Sizes whose products overflow 32-bit integers must not wrap into "long enough".
    [
      'm·lda = 2^32, which a 32-bit product would wrap to 0',
      () => valid('N', 'N', { m: 2 ** 16 + 1, lda: 2 ** 16 }),
      { type: RangeError, name: 'a', received: `${F.name} of length 8` },
    ],
    [
      'k·lda = 2^32 for A transposed',
      () => valid('T', 'N', { k: 2 ** 16 + 1, lda: 2 ** 16 }),
      { type: RangeError, name: 'a', received: `${F.name} of length 8` },
    ],
    [
      'every size 2^31 - 1',
      () =>
        valid('N', 'N', {
          m: 2 ** 31 - 1,
          n: 2 ** 31 - 1,
          k: 2 ** 31 - 1,
          lda: 2 ** 31 - 1,
          ldb: 2 ** 31 - 1,
          ldc: 2 ** 31 - 1,
        }),
      { type: RangeError, name: 'a', received: `${F.name} of length 8` },
    ],
    [
      'n·ldc = 2^33 with small a and b',
      () => valid('N', 'N', { m: 2 ** 17, n: 2 ** 16, k: 0, ldb: 2 ** 16, ldc: 2 ** 16 }),
      { type: RangeError, name: 'c', received: `${F.name} of length 6` },
    ],

    // c must not share bytes with a or b.
    [
      'c overlapping the end of a',
      () => overlapping('a', [0, 8], [7, 13]),
      { type: RangeError, name: 'c', received: `${F.name} of length 6` },
    ],
    [
      'c overlapping the start of b',
      () => overlapping('b', [10, 22], [5, 11]),
      { type: RangeError, name: 'c', received: `${F.name} of length 6` },
    ],
    [
      'c inside the padding of a',
      () => overlapping('a', [0, 14], [4, 10], { lda: 7 }),
      { type: RangeError, name: 'c', received: `${F.name} of length 6` },
    ],
  ];

  /** c at `cRange` and `name` at `range` of one buffer; the other input separate. */
  function overlapping(
    name: 'a' | 'b',
    range: [number, number],
    cRange: [number, number],
    overrides: Partial<Args> = {},
  ) {
    const [input, c] = views(range, cRange);
    return valid('N', 'N', { [name]: input, c, ...overrides });
  }

  /** Everything in the buffer behind c, or undefined when c is not a live array of this precision. */
  function snapshot(c: unknown): FloatArray | undefined {
    if (!(c instanceof F) || c.length === 0) return undefined;
    return new F(c.buffer).slice();
  }
  return { valid, rows, detached, views, overlapping, snapshot, integers };
}

const PRECISIONS = [
  { name: 'sgemm', F: Float32Array, Other: Float64Array, native: sgemm as Gemm, reference: reference.sgemm as Gemm },
  { name: 'dgemm', F: Float64Array, Other: Float32Array, native: dgemm as Gemm, reference: reference.dgemm as Gemm },
];
const BACKENDS = PRECISIONS.flatMap(({ name, F, Other, native, reference }) => [
  { label: `${name}, native`, F, Other, routine: native, oracle: reference },
  { label: `${name}, reference`, F, Other, routine: reference, oracle: reference },
]);

describe.each(BACKENDS)('validation ($label)', ({ F, Other, routine }) => {
  const { valid, rows, detached, overlapping, snapshot } = suite(F, Other);
  it.each(rows)('rejects %s', (_label, makeArgs, error) => {
    const args = makeArgs();
    const before = snapshot(args.c);
    expectArgumentError(() => call(routine, args), error);
    if (before !== undefined) expect(new F((args.c as FloatArray).buffer)).toEqual(before);
  });

  it('says why a detached array is refused', () => {
    const thrown = expectArgumentError(() => call(routine, valid('N', 'N', { b: detached(12) })), {
      type: TypeError,
      name: 'b',
      received: `${F.name} of length 0`,
    });
    expect(thrown.message).toContain('detached');
  });

  it('says how long a buffer must be and why', () => {
    const thrown = expectArgumentError(() => call(routine, valid('T', 'N', { lda: 5, a: new F(16) })), {
      type: RangeError,
      name: 'a',
      received: `${F.name} of length 16`,
    });
    expect(thrown.message).toBe(
      `Expected a ${F.name} of length >= 17 for a but received ${F.name} of length 16 ` +
        '(a 4×2 matrix at leading dimension 5 spans 17 elements)',
    );
  });

  it('names both ranges when c overlaps an input', () => {
    const thrown = expectArgumentError(() => call(routine, overlapping('a', [0, 8], [7, 13])), {
      type: RangeError,
      name: 'c',
      received: `${F.name} of length 6`,
    });
    const bytes = F.BYTES_PER_ELEMENT;
    expect(thrown.message).toContain(`bytes [${7 * bytes}, ${13 * bytes})`);
    expect(thrown.message).toContain(`[0, ${8 * bytes})`);
  });

  it('judges the length by the array itself, not by an overridden length getter', () => {
    class Inflated extends F {
      override get length() {
        return 1 << 20;
      }
    }
    const [a, b] = [new F(512 * 4), new F(4 * 512)];
    const args = valid('N', 'N', { m: 512, n: 512, a, b, ldb: 512, ldc: 512, c: new Inflated(6) });
    expectArgumentError(() => call(routine, args), { type: RangeError, name: 'c', received: 'Inflated of length 6' });
  });

  it.each([
    ['exactly long enough, tight', valid('N', 'N')],
    ['exactly long enough, transposed', valid('T', 'T')],
    ['exactly long enough, padded rows', valid('T', 'N', { lda: 5, a: new F(17), ldc: 4, c: new F(7) })],
    ['longer than needed', valid('N', 'T', { a: new F(100), b: new F(100), c: new F(100) })],
    ['m = n = k = 0 with empty arrays', valid('N', 'N', { m: 0, n: 0, k: 0, a: new F(0), b: new F(0), c: new F(0) })],
    ['zero sizes with ld at its minimum of 1', valid('N', 'N', { m: 0, n: 0, k: 0, lda: 1, ldb: 1, ldc: 1 })],
    ['-0 as a size', valid('N', 'N', { m: -0, c: new F(0) })],
  ])('accepts buffers %s', (_label, args) => {
    expect(call(routine, args)).toBe(args.c);
  });
});

describe.each(BACKENDS)('on shared memory ($label)', ({ F, Other, routine, oracle }) => {
  const { valid, views, integers } = suite(F, Other);
  const expected = (args: Args) => {
    const copy = {
      ...args,
      a: (args.a as FloatArray).slice(),
      b: (args.b as FloatArray).slice(),
      c: (args.c as FloatArray).slice(),
    };
    return Array.from(call(oracle, copy));
  };

  it('accepts a, b and c side by side in one buffer', () => {
    const [a, b, c] = views([0, 8], [8, 20], [20, 26]);
    const args = valid('N', 'N', { a, b, c });
    const want = expected(args);
    expect(Array.from(call(routine, args))).toEqual(want);
  });

  it('accepts views that reach into c as long as the elements used do not', () => {
    const buffer = integers(32);
    const args = valid('N', 'N', { a: buffer.subarray(0), b: buffer.subarray(8), c: buffer.subarray(20, 26) });
    const want = expected(args);
    const aBefore = buffer.slice(0, 20);
    expect(Array.from(call(routine, args))).toEqual(want);
    expect(buffer.slice(0, 20)).toEqual(aBefore);
  });

  it('accepts a and b overlapping each other', () => {
    const [a, b, c] = views([0, 8], [4, 16], [16, 22]);
    const args = valid('N', 'N', { a, b, c });
    expect(Array.from(call(routine, args))).toEqual(expected(args));
  });

  it('works on arrays over a SharedArrayBuffer', () => {
    const shared = (values: FloatArray) => {
      const array = new F(new SharedArrayBuffer(values.byteLength));
      array.set(values);
      return array;
    };
    const args = valid('T', 'T', { beta: -0.5 });
    const want = expected(args);
    const onShared = {
      ...args,
      a: shared(args.a as FloatArray),
      b: shared(args.b as FloatArray),
      c: shared(args.c as FloatArray),
    };
    expect(Array.from(call(routine, onShared))).toEqual(want);
  });
});

describe.each([
  ['native', sgemm as Gemm],
  ['reference', reference.sgemm as Gemm],
])('sgemm in float32 (%s)', (_, routine) => {
  const { valid } = suite(Float32Array, Float64Array);

  it.each(['alpha', 'beta'] as const)('refuses a finite %s that float32 rounds to Infinity', (name) => {
    const args = valid('N', 'N', { [name]: -1e39 });
    const before = (args.c as Float32Array).slice();
    const thrown = expectArgumentError(() => call(routine, args), { type: RangeError, name, received: '-1e+39' });
    expect(thrown.message).toContain('finite in float32');
    expect(args.c).toEqual(before);
  });

  it('accepts the largest float32 as alpha', () => {
    const args = valid('N', 'N', { alpha: 3.4028234663852886e38, beta: 0 });
    expect(call(routine, args)).toBe(args.c);
  });

  it('says that an array of the other precision is not converted', () => {
    const thrown = expectArgumentError(() => call(routine, valid('N', 'N', { b: new Float64Array(12) })), {
      type: TypeError,
      name: 'b',
      received: 'Float64Array of length 12',
    });
    expect(thrown.message).toContain('float64 where float32 is expected');
  });
});

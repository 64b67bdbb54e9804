// fast-check generators for calls of the public BLAS routines: valid calls in every
// memory layout the API allows, the same calls with one argument made invalid (so the
// expected error class and the parameter it must name are known), and calls with
// arbitrary junk spliced in, judged against the reference backend.

import vm from 'node:vm';

import fc from 'fast-check';

import { KIND, matrixExtent, OUTPUT, PARAMS, vectorExtent } from './blas-routines.mjs';

// Matrix entries: mostly dyadic rationals and moderate doubles in [-8, 8] (no
// subnormals, so the rounding-error bound holds), and now and then a value BLAS must
// propagate: NaN, ±Infinity, -0.
const arbEntry = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((v) => v / 2 ** 17) },
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.boolean(), fc.double({ min: 0.125, max: 8, noNaN: true }))
      .map(([negative, v]) => (negative ? -v : v)),
  },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0) },
);

const arbScalar = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, 2),
  fc.double({ min: -4, max: 4, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-3),
);

// Mostly tiny shapes (edge cases live there), sometimes big enough for OpenBLAS's
// blocked and vectorised kernels to take their main paths.
const arbSize = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }) }, fc.integer({ min: 7, max: 40 }));
const arbSlack = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 3 }));
const arbStride = fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, fc.integer({ min: 2, max: 4 }));
const arbTranspose = fc.constantFrom('N', 'T');

/**
 * Where the operands live. All of these are valid: BLAS only forbids the output to
 * overlap an input.
 */
const LAYOUTS = ['separate', 'shared-buffer', 'aliased-inputs', 'other-realm', 'shared-memory', 'resizable'];

/** The shape of a valid call: scalar arguments plus each operand's extent and role. */
function arbShape(routine) {
  switch (routine) {
    case 'dgemm':
      return fc
        .record({
          transA: arbTranspose,
          transB: arbTranspose,
          m: arbSize,
          n: arbSize,
          k: arbSize,
          alpha: arbScalar,
          beta: arbScalar,
          slack: fc.tuple(arbSlack, arbSlack, arbSlack),
        })
        .map(({ transA, transB, m, n, k, alpha, beta, slack }) => {
          const [aRows, aCols] = transA === 'N' ? [m, k] : [k, m];
          const [bRows, bCols] = transB === 'N' ? [k, n] : [n, k];
          const lda = Math.max(1, aCols) + slack[0];
          const ldb = Math.max(1, bCols) + slack[1];
          const ldc = Math.max(1, n) + slack[2];
          return {
            scalars: { transA, transB, m, n, k, alpha, lda, ldb, beta, ldc },
            leading: { lda: Math.max(1, aCols), ldb: Math.max(1, bCols), ldc: Math.max(1, n) },
            operands: [
              { name: 'a', extent: matrixExtent(aRows, aCols, lda) },
              { name: 'b', extent: matrixExtent(bRows, bCols, ldb) },
              { name: 'c', extent: matrixExtent(m, n, ldc) },
            ],
          };
        });
    case 'dgemv':
      return fc
        .record({
          trans: arbTranspose,
          m: arbSize,
          n: arbSize,
          alpha: arbScalar,
          beta: arbScalar,
          slack: arbSlack,
          incx: arbStride,
          incy: arbStride,
        })
        .map(({ trans, m, n, alpha, beta, slack, incx, incy }) => {
          const lda = Math.max(1, n) + slack;
          const [xLength, yLength] = trans === 'N' ? [n, m] : [m, n];
          return {
            scalars: { trans, m, n, alpha, lda, incx, beta, incy },
            leading: { lda: Math.max(1, n) },
            operands: [
              { name: 'a', extent: matrixExtent(m, n, lda) },
              { name: 'x', extent: vectorExtent(xLength, incx) },
              { name: 'y', extent: vectorExtent(yLength, incy) },
            ],
          };
        });
    case 'daxpy':
      return fc
        .record({ n: arbSize, alpha: arbScalar, incx: arbStride, incy: arbStride })
        .map(({ n, alpha, incx, incy }) => ({
          scalars: { n, alpha, incx, incy },
          leading: {},
          operands: [
            { name: 'x', extent: vectorExtent(n, incx) },
            { name: 'y', extent: vectorExtent(n, incy) },
          ],
        }));
    case 'dscal':
      return fc.record({ n: arbSize, alpha: arbScalar, incx: arbStride }).map(({ n, alpha, incx }) => ({
        scalars: { n, alpha, incx },
        leading: {},
        operands: [{ name: 'x', extent: vectorExtent(n, incx) }],
      }));
    default:
      throw new Error(`unknown routine ${routine}`);
  }
}

/** Contents for one operand: `extent` entries plus a few past its end, and a lead-in. */
function arbStorage(extent) {
  return fc.record({
    lead: arbSlack,
    values: fc.array(arbEntry, { minLength: extent + 3, maxLength: extent + 3 }),
    tail: fc.integer({ min: 0, max: 3 }),
  });
}

let otherRealm;
function otherRealmFloat64Array() {
  otherRealm ??= vm.runInNewContext('Float64Array');
  return otherRealm;
}

/** Allocates a buffer of `bytes` bytes of the given kind. */
function allocate(layout, bytes) {
  if (layout === 'shared-memory') return new SharedArrayBuffer(bytes);
  if (layout === 'resizable') return new ArrayBuffer(bytes, { maxByteLength: bytes + 64 });
  return new ArrayBuffer(bytes);
}

/** Builds the operands' Float64Arrays in the given layout; returns them by name. */
function place(layout, operands, storages, output) {
  const arrays = {};
  const inputs = operands.filter((o) => o.name !== output);
  if (layout === 'shared-buffer') {
    // One buffer, operands back to back with gaps, none overlapping.
    const spans = operands.map((o, i) => ({ start: 0, lead: storages[i].lead, length: o.extent + storages[i].tail }));
    let at = 0;
    for (const span of spans) {
      span.start = at + span.lead;
      at = span.start + span.length;
    }
    const buffer = new ArrayBuffer(at * 8);
    operands.forEach((o, i) => {
      arrays[o.name] = new Float64Array(buffer, spans[i].start * 8, spans[i].length);
      arrays[o.name].set(storages[i].values.slice(0, spans[i].length));
    });
    return arrays;
  }
  operands.forEach((o, i) => {
    const { lead, values, tail } = storages[i];
    const length = o.extent + tail;
    let array;
    if (layout === 'other-realm') {
      const Foreign = otherRealmFloat64Array();
      array = new Foreign(length);
    } else if (layout === 'resizable') {
      // A length-tracking view: its length follows the buffer's current size.
      array = new Float64Array(allocate(layout, length * 8));
    } else {
      array = new Float64Array(allocate(layout, (lead + length) * 8), lead * 8, length);
    }
    array.set(values.slice(0, length));
    arrays[o.name] = array;
  });
  if (layout === 'aliased-inputs' && inputs.length === 2) {
    // Both inputs are one array, long enough for either role.
    const [first, second] = inputs;
    if (arrays[second.name].length > arrays[first.name].length) arrays[first.name] = arrays[second.name];
    else arrays[second.name] = arrays[first.name];
  }
  return arrays;
}

/** @typedef {{ routine: string, args: unknown[], leading: Record<string, number>, extents: Record<string, number> }} ValidCall */

/** @returns {fc.Arbitrary<ValidCall>} a valid call of `routine` in a random layout */
export function arbValidCall(routine) {
  return fc
    .tuple(arbShape(routine), fc.constantFrom(...LAYOUTS), fc.integer({ min: 0, max: 2 }))
    .chain(([shape, layout, extra]) =>
      fc.tuple(...shape.operands.map((o) => arbStorage(o.extent))).map((storages) => {
        const arrays = place(layout, shape.operands, storages, OUTPUT[routine]);
        const values = { ...shape.scalars, ...arrays };
        // Arguments past the last parameter are ignored, as for any JavaScript function.
        const args = [...PARAMS[routine].map((name) => values[name]), ...Array(extra).fill('ignored')];
        const extents = Object.fromEntries(shape.operands.map((o) => [o.name, o.extent]));
        return { routine, layout, args, leading: shape.leading, extents };
      }),
    );
}

// ---------------------------------------------------------------------------------
// Invalid values, by the kind of parameter they replace. Each comes with the error
// class validation must throw: TypeError for the wrong type, RangeError for a value
// of the right type that is out of range.

const NOT_NUMBERS = [undefined, null, '2', '', true, 2n, {}, [2], new Number(2), Symbol('two'), () => 2];
const BAD_INTEGERS = [-1, -(2 ** 31), 0.5, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, Number.MAX_VALUE];

class LyingLength extends Float64Array {
  get length() {
    return 2 ** 30;
  }
}

/** Array-like values that are not Float64Arrays, sized so only their type is wrong. */
function wrongTypeArrays(extent) {
  const n = Math.max(extent, 1);
  return [
    () => undefined,
    () => null,
    () => 0,
    () => 'Float64Array',
    () => Array.from({ length: n }, () => 0.5),
    () => ({ length: n }),
    () => new Float32Array(n),
    () => new Int32Array(2 * n),
    () => new BigInt64Array(n),
    () => new Uint8Array(8 * n),
    () => Buffer.alloc(8 * n),
    () => new DataView(new ArrayBuffer(8 * n)),
    () => new ArrayBuffer(8 * n),
    () => {
      const array = new Float64Array(n);
      structuredClone(array.buffer, { transfer: [array.buffer] });
      return array; // detached: its memory is gone
    },
  ];
}

/** Float64Arrays one element too short, however they try to look long enough. */
function shortArrays(extent) {
  if (extent === 0) return [];
  return [
    () => new Float64Array(extent - 1),
    () => new Float64Array(new ArrayBuffer(8 * (extent + 16)), 8, extent - 1),
    () => new LyingLength(extent - 1),
    () => {
      const array = new Float64Array(extent - 1);
      Object.defineProperty(array, 'length', { value: extent + 100 });
      return array;
    },
    () => {
      // A fixed-length view whose resizable buffer shrank under it.
      const buffer = new ArrayBuffer(8 * extent, { maxByteLength: 8 * extent });
      const array = new Float64Array(buffer, 0, extent);
      buffer.resize(8 * (extent - 1));
      return array;
    },
  ];
}

const typeError = (value) => ({ value, error: 'TypeError' });
const rangeError = (value) => ({ value, error: 'RangeError' });

function arbInvalidValue(name, call) {
  switch (KIND[name]) {
    case 'transpose':
      return fc.oneof(
        fc.constantFrom(undefined, null, 0, 1, true, ['N'], new String('N')).map(typeError),
        fc.constantFrom('n', 't', 'C', 'c', '', 'NN', ' N', 'T ', 'Trans', 'N\0').map(rangeError),
      );
    case 'size':
      return fc.oneof(fc.constantFrom(...NOT_NUMBERS).map(typeError), fc.constantFrom(...BAD_INTEGERS).map(rangeError));
    case 'stride':
      return fc.oneof(
        fc.constantFrom(...NOT_NUMBERS).map(typeError),
        fc.constantFrom(0, ...BAD_INTEGERS).map(rangeError),
      );
    case 'leading': {
      const below = Array.from({ length: call.leading[name] }, (_, i) => i); // 0 … minimum-1
      return fc.oneof(
        fc.constantFrom(...NOT_NUMBERS).map(typeError),
        fc.constantFrom(...below, ...BAD_INTEGERS).map(rangeError),
      );
    }
    case 'scalar':
      return fc.oneof(
        fc.constantFrom(...NOT_NUMBERS).map(typeError),
        fc.constantFrom(Number.NaN, Infinity, -Infinity).map(rangeError),
      );
    case 'array': {
      const extent = call.extents[name];
      const short = shortArrays(extent);
      const wrong = fc.constantFrom(...wrongTypeArrays(extent)).map((make) => typeError(make()));
      return short.length === 0
        ? wrong
        : fc.oneof(
            wrong,
            fc.constantFrom(...short).map((make) => rangeError(make())),
          );
    }
    default:
      throw new Error(`no invalid values for ${name}`);
  }
}

/**
 * @typedef {{ routine: string, args: unknown[], error: 'TypeError' | 'RangeError', names: string[], mutation: string }} InvalidCall
 * `names`: the parameters the error message may name.
 */

/** One parameter replaced by an invalid value. */
function arbReplaced(call) {
  const params = PARAMS[call.routine];
  return fc.integer({ min: 0, max: params.length - 1 }).chain((index) =>
    arbInvalidValue(params[index], call).map(({ value, error }) => {
      const args = [...call.args];
      args[index] = value;
      return { routine: call.routine, args, error, names: [params[index]], mutation: `${params[index]} replaced` };
    }),
  );
}

/** Trailing arguments left out: the first missing one is undefined. */
function arbTruncated(call) {
  const params = PARAMS[call.routine];
  return fc.integer({ min: 0, max: params.length - 1 }).map((keep) => ({
    routine: call.routine,
    args: call.args.slice(0, keep),
    error: 'TypeError',
    names: params.slice(keep),
    mutation: `only ${keep} arguments`,
  }));
}

/** The output moved onto memory that overlaps one of the inputs. */
function arbOverlapping(call) {
  const output = OUTPUT[call.routine];
  const params = PARAMS[call.routine];
  const inputs = params.filter((p) => KIND[p] === 'array' && p !== output && call.extents[p] > 0);
  if (call.extents[output] === 0 || inputs.length === 0) return undefined;
  return fc.tuple(fc.constantFrom(...inputs), fc.nat()).map(([input, shiftSeed]) => {
    const inExtent = call.extents[input];
    const outExtent = call.extents[output];
    // The output starts inside the input's span (or the input inside the output's).
    const shift = (shiftSeed % (inExtent + outExtent - 1)) - (outExtent - 1);
    const base = Math.max(0, -shift);
    const buffer = new ArrayBuffer(8 * (base + Math.max(inExtent, shift + outExtent) + 1));
    const inView = new Float64Array(buffer, 8 * base, inExtent);
    const outView = new Float64Array(buffer, 8 * (base + shift), outExtent);
    inView.set(call.args[params.indexOf(input)].subarray(0, inExtent));
    const args = [...call.args];
    args[params.indexOf(input)] = inView;
    args[params.indexOf(output)] = outView;
    return {
      routine: call.routine,
      args,
      error: 'RangeError',
      names: [output],
      mutation: `${output} overlaps ${input}`,
    };
  });
}

/** @returns {fc.Arbitrary<InvalidCall>} a call of `routine` that validation must reject */
export function arbInvalidCall(routine) {
  return arbValidCall(routine).chain((call) => {
    const overlapping = arbOverlapping(call);
    const choices = [
      { weight: 6, arbitrary: arbReplaced(call) },
      { weight: 1, arbitrary: arbTruncated(call) },
    ];
    if (overlapping) choices.push({ weight: 2, arbitrary: overlapping });
    return fc.oneof(...choices);
  });
}

// ---------------------------------------------------------------------------------
// Junk: values of any type spliced into a valid call. Whether the result is valid is
// not known up front; the reference backend decides.

// No subnormal numbers: with alpha that small, OpenBLAS's dgemv scales x by alpha
// first, alpha·x underflows to 0, and 0·Infinity in A gives NaN where the reference,
// which applies alpha last, gives ±Infinity. BLAS leaves that order open.
const arbJunk = fc.oneof(
  fc.constantFrom(undefined, null, true, false, '', 'N', 'T', 'n', 0, -0, 1, -1, 2 ** 31 - 1, 2 ** 31, Number.NaN),
  fc.constantFrom(Infinity, -Infinity, 0.5, Number.MAX_SAFE_INTEGER, 2 ** -500),
  fc.integer({ min: -2, max: 12 }),
  fc.double({ min: -4, max: 4 }).filter((v) => !(Math.abs(v) < 2 ** -500) || v === 0),
  fc.string({ maxLength: 3 }),
  fc.bigInt({ min: -2n, max: 2n }),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.integer({ min: 0, max: 24 }).map((n) => new Float64Array(n).fill(0.5)),
  fc.integer({ min: 0, max: 24 }).map((n) => new Float32Array(n)),
);

/** @returns {fc.Arbitrary<{ routine: string, args: unknown[] }>} a valid call with 1–3 arguments swapped for junk */
export function arbJunkCall(routine) {
  const params = PARAMS[routine];
  return arbValidCall(routine).chain((call) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: params.length - 1 }), arbJunk), { minLength: 1, maxLength: 3 })
      .map((swaps) => {
        const args = [...call.args];
        for (const [index, value] of swaps) args[index] = value;
        return { routine, args };
      }),
  );
}

// ---------------------------------------------------------------------------------
// The raw addon (no validation) takes transposes as booleans, numbers and
// Float64Arrays. Calls with at least one argument of another type must throw.

const RAW_KIND = { transpose: 'boolean', size: 'number', stride: 'number', leading: 'number', scalar: 'number' };

// The raw addon trusts its sizes: a call whose wrong-typed argument goes unread
// (dgemv with an empty inner dimension reads neither alpha nor A nor x) still
// runs. So the well-typed values here always describe memory the arrays have: sizes
// and strides up to 4 never reach past 16 elements.
const arbRawValue = {
  boolean: fc.boolean(),
  number: fc.integer({ min: 1, max: 4 }),
  array: fc.constant(null).map(() => new Float64Array(16)),
};

const arbRawWrong = {
  boolean: fc.constantFrom(0, 1, 'N', undefined, null, {}, 1n),
  number: fc.constantFrom(true, '1', undefined, null, {}, 1n, [1]),
  array: fc.constantFrom(undefined, null, 1, 'a', [0, 0, 0, 0], new Float32Array(4), new DataView(new ArrayBuffer(32))),
};

/** @returns {fc.Arbitrary<{ routine: string, args: unknown[] }>} */
export function arbRawBindingCall(routine) {
  const kinds = PARAMS[routine].map((name) => RAW_KIND[KIND[name]] ?? 'array');
  return fc
    .tuple(
      fc.tuple(...kinds.map((kind) => arbRawValue[kind])),
      fc.uniqueArray(fc.integer({ min: 0, max: kinds.length - 1 }), { minLength: 1, maxLength: 3 }),
    )
    .chain(([args, wrongAt]) =>
      fc.tuple(...wrongAt.map((i) => arbRawWrong[kinds[i]])).map((wrong) => {
        const mixed = [...args];
        wrongAt.forEach((at, i) => {
          mixed[at] = wrong[i];
        });
        return { routine, args: mixed };
      }),
    );
}

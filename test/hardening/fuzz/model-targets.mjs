// Fuzz targets above the BLAS layer: the Matrix constructor, Linear's forward and
// backward passes, MSELoss, TwoLayerRegressor.loadStateDict, and model files with
// random truncations, byte flips and crafted (correctly checksummed) contents.
// Expected results are computed here with plain loops, not with the library.

import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { types } from 'node:util';

import fc from 'fast-check';

import { Linear, Matrix, Model, ModelFileError, MSELoss, TwoLayerRegressor } from '../../../dist/index.js';
import { encodeModel } from '../../../dist/model/model-file.js';
import { encodeFormat1, rawModelFile } from '../../helpers/model-file-bytes.mjs';
import { blasGamma, withinBound } from '../../helpers/tolerance.mjs';

const MAX_INT = 2 ** 31 - 1;
const arbValue = fc.double({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true });
const arbDim = fc.integer({ min: 1, max: 6 });

/** @returns {fc.Arbitrary<Float64Array>} */
function arbArray(length) {
  return fc.array(arbValue, { minLength: length, maxLength: length }).map((v) => Float64Array.from(v));
}

function expectThrows(run, classes, what) {
  try {
    run();
  } catch (error) {
    if (classes.some((c) => error instanceof c)) return error;
    throw new Error(`${what} threw ${error?.constructor?.name}: ${error?.message}`);
  }
  throw new Error(`${what} did not throw`);
}

function sameBits(a, b) {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((v, i) => v === y[i]);
}

// ---------------------------------------------------------------------------------
// Matrix: valid iff rows and cols are integers in [0, 2^31 − 1] and data is absent or
// a Float64Array of exactly rows·cols elements.

const arbJunk = fc.oneof(
  fc.constantFrom(undefined, null, true, '2', 2n, {}, [2], Number.NaN, Infinity, -1, 1.5, 2 ** 31, -0),
  fc.integer({ min: 0, max: 4 }),
);

const arbMatrixArgs = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.boolean())
    .map(([r, c, withData]) => [r, c, withData ? new Float64Array(r * c) : undefined]),
  fc.tuple(
    arbJunk,
    arbJunk,
    fc.oneof(
      fc.constant(undefined),
      arbJunk,
      fc.nat(12).map((n) => new Float64Array(n)),
    ),
  ),
  fc.tuple(
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 5 }),
    fc.nat(30).map((n) => new Float32Array(n)),
  ),
);

function expectedMatrixError([rows, cols, data]) {
  for (const dim of [rows, cols]) {
    if (typeof dim !== 'number') return TypeError;
    if (!Number.isInteger(dim) || dim < 0 || dim > MAX_INT) return RangeError;
  }
  // No data, or an options object ({} is { dtype: 'float64' }): a zeroed matrix.
  if (data === undefined || isOptions(data)) return undefined;
  if (!types.isFloat64Array(data) && !types.isFloat32Array(data)) return TypeError;
  return data.length === rows * cols ? undefined : RangeError;
}

const isOptions = (value) =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function checkMatrixConstructor(args) {
  const expected = expectedMatrixError(args);
  if (expected) {
    expectThrows(() => new Matrix(...args), [expected], `new Matrix(${args.map(String)})`);
    return;
  }
  const [rows, cols, data] = args;
  const m = new Matrix(rows, cols, data);
  if (m.rows !== rows || m.cols !== cols) throw new Error('Matrix shape differs from its arguments');
  const wraps = data !== undefined && !isOptions(data);
  if (wraps && m.data !== data) throw new Error('Matrix copied the data it should wrap');
  if (wraps && m.dtype !== (types.isFloat32Array(data) ? 'float32' : 'float64')) throw new Error('wrong dtype');
  if (!wraps && (m.data.length !== rows * cols || m.data.some((v) => v !== 0))) {
    throw new Error('a new Matrix is not rows·cols zeros');
  }
}

// ---------------------------------------------------------------------------------
// Linear: y = x·W + b (W stored in × out); backward gives dx = dy·Wᵀ, dW = xᵀ·dy,
// db = column sums of dy. Inputs of the wrong shape or type must be refused.

const arbLinearCase = fc
  .record({ inF: arbDim, outF: arbDim, n: fc.integer({ min: 0, max: 5 }), bias: fc.boolean(), seed: fc.nat() })
  .chain((s) =>
    fc.record({
      shape: fc.constant(s),
      x: arbArray(s.n * s.inF),
      dy: arbArray(s.n * s.outF),
      breakage: fc.oneof(
        { weight: 3, arbitrary: fc.constant('none') },
        fc.constantFrom('x columns', 'x type', 'x data shortened', 'dy rows', 'dy type'),
      ),
    }),
  );

function product(a, b, rows, inner, cols, transposeB = false) {
  const out = new Float64Array(rows * cols);
  const bound = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      let mag = 0;
      for (let p = 0; p < inner; p++) {
        const bv = transposeB ? b[j * inner + p] : b[p * cols + j];
        sum += a[i * inner + p] * bv;
        mag += Math.abs(a[i * inner + p] * bv);
      }
      out[i * cols + j] = sum;
      bound[i * cols + j] = mag;
    }
  }
  return { out, bound };
}

function expectClose(actual, expected, bound, inner, what) {
  const gamma = blasGamma(inner + 1);
  for (let i = 0; i < expected.length; i++) {
    if (!withinBound(actual[i], expected[i], bound[i] + Math.abs(expected[i]), gamma)) {
      throw new Error(`${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

function checkLinear({ shape: { inF, outF, n, bias, seed }, x, dy, breakage }) {
  const layer = new Linear(inF, outF, { bias, seed });
  const W = layer.weight.value.data.slice();
  const b = bias ? layer.bias.value.data.slice() : new Float64Array(outF);
  let input = new Matrix(n, inF, x);
  if (breakage === 'x columns') input = new Matrix(n, inF + 1, new Float64Array(n * (inF + 1)));
  if (breakage === 'x type') input = { rows: n, cols: inF, data: x };
  if (breakage === 'x data shortened') {
    // Matrix instances are frozen, so their data cannot be swapped for a shorter
    // array after construction: the attempt itself is refused.
    const shorter = x.subarray(0, Math.max(0, n * inF - 1));
    expectThrows(() => Object.defineProperty(input, 'data', { value: shorter }), [TypeError], 'swapping Matrix data');
    return;
  }
  if (breakage.startsWith('x')) {
    expectThrows(() => layer.forward(input), [TypeError, RangeError], `Linear.forward with ${breakage}`);
    return;
  }
  const y = layer.forward(input);
  const { out, bound } = product(x, W, n, inF, outF);
  for (let i = 0; i < n; i++) for (let j = 0; j < outF; j++) out[i * outF + j] += b[j];
  if (y.rows !== n || y.cols !== outF) throw new Error(`Linear output is ${y.rows}×${y.cols}`);
  expectClose(y.data, out, bound, inF, 'y');

  let grad = new Matrix(n, outF, dy);
  if (breakage === 'dy rows') grad = new Matrix(n + 1, outF);
  if (breakage === 'dy type') grad = dy;
  if (breakage.startsWith('dy')) {
    expectThrows(() => layer.backward(grad), [TypeError, RangeError], `Linear.backward with ${breakage}`);
    return;
  }
  layer.zeroGrad();
  const dx = layer.backward(grad);
  const expectedDx = product(dy, W, n, outF, inF, true);
  expectClose(dx.data, expectedDx.out, expectedDx.bound, outF, 'dx');
  // dW = xᵀ·dy: transpose x first.
  const xT = new Float64Array(inF * n);
  for (let i = 0; i < n; i++) for (let p = 0; p < inF; p++) xT[p * n + i] = x[i * inF + p];
  const expectedDw = product(xT, dy, inF, n, outF);
  expectClose(layer.weight.grad.data, expectedDw.out, expectedDw.bound, n, 'dW');
}

// ---------------------------------------------------------------------------------
// MSELoss: mean or sum of squared differences; shapes must match.

const arbLossCase = fc
  .record({
    rows: fc.integer({ min: 0, max: 5 }),
    cols: arbDim,
    reduction: fc.constantFrom('mean', 'sum'),
    mismatch: fc.constantFrom(null, 'rows', 'cols'),
  })
  .chain((s) => fc.record({ shape: fc.constant(s), p: arbArray(s.rows * s.cols), t: arbArray(s.rows * s.cols) }));

function checkLoss({ shape: { rows, cols, reduction, mismatch }, p, t }) {
  const loss = new MSELoss({ reduction });
  const pred = new Matrix(rows, cols, p);
  if (mismatch) {
    const target = mismatch === 'rows' ? new Matrix(rows + 1, cols) : new Matrix(rows, cols + 1);
    expectThrows(() => loss.forward(pred, target), [RangeError], `MSELoss with mismatched ${mismatch}`);
    return;
  }
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (p[i] - t[i]) ** 2;
  const expected = reduction === 'mean' && p.length > 0 ? sum / p.length : sum;
  const actual = loss.forward(pred, new Matrix(rows, cols, t));
  if (!withinBound(actual, expected, expected, blasGamma(p.length))) {
    throw new Error(`MSELoss ${actual}, expected ${expected}`);
  }
}

// ---------------------------------------------------------------------------------
// loadStateDict: a valid state is copied in bit for bit; anything else throws a
// TypeError or RangeError and changes nothing (all entries are checked first).

const STATE_KEYS = ['W1', 'b1', 'W2', 'b2'];

const arbStateCase = fc.record({ d: arbDim, h: arbDim, o: arbDim }).chain((dims) => {
  const lengths = { W1: dims.d * dims.h, b1: dims.h, W2: dims.h * dims.o, b2: dims.o };
  return fc.record({
    dims: fc.constant(dims),
    state: fc.record(Object.fromEntries(STATE_KEYS.map((k) => [k, arbArray(lengths[k])]))),
    breakage: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      fc.record({
        key: fc.constantFrom(...STATE_KEYS),
        how: fc.constantFrom('missing', 'too long', 'too short', 'NaN', 'Infinity', 'Float32Array', 'Array', 'null'),
      }),
      fc.constantFrom('state is null', 'state is a number'),
    ),
  });
});

function breakState(state, breakage) {
  if (breakage === 'state is null') return [null, TypeError];
  if (breakage === 'state is a number') return [42, TypeError];
  const broken = { ...state };
  const value = state[breakage.key];
  const replacements = {
    missing: [undefined, TypeError],
    'too long': [new Float64Array(value.length + 1), RangeError],
    'too short': [value.subarray(0, value.length - 1), RangeError],
    NaN: [Float64Array.from(value, (v, i) => (i === value.length - 1 ? Number.NaN : v)), RangeError],
    Infinity: [Float64Array.from(value, (v, i) => (i === 0 ? -Infinity : v)), RangeError],
    Float32Array: [Float32Array.from(value), TypeError],
    Array: [Array.from(value), TypeError],
    null: [null, TypeError],
  };
  const [replacement, errorClass] = replacements[breakage.how];
  if (breakage.how === 'missing') delete broken[breakage.key];
  else broken[breakage.key] = replacement;
  return [broken, errorClass];
}

function checkLoadStateDict({ dims, state, breakage }) {
  const model = new TwoLayerRegressor({ inputSize: dims.d, hiddenSize: dims.h, outputSize: dims.o, seed: 3 });
  const before = model.stateDict();
  if (breakage === null) {
    model.loadStateDict(state);
    const after = model.stateDict();
    for (const k of STATE_KEYS) if (!sameBits(after[k], state[k])) throw new Error(`${k} was not loaded exactly`);
    return;
  }
  const [broken, errorClass] = breakState(state, breakage);
  expectThrows(() => model.loadStateDict(broken), [errorClass], `loadStateDict with ${JSON.stringify(breakage)}`);
  const after = model.stateDict();
  for (const k of STATE_KEYS) {
    if (!sameBits(after[k], before[k])) throw new Error(`a rejected state changed ${k}`);
  }
}

// ---------------------------------------------------------------------------------
// Model files. Any change to a saved file's bytes must be caught (ModelFileError),
// never loaded as garbage; the unchanged file must load bit for bit.

const arbByteMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip bits'), bits: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('overwrite'), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('append'), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('random file'), bytes: fc.uint8Array({ maxLength: 512 }) }),
  fc.record({ kind: fc.constant('unchanged') }),
);

function mutate(original, mutation) {
  const bytes = Buffer.from(original);
  switch (mutation.kind) {
    case 'truncate':
      return bytes.subarray(0, mutation.at % bytes.length);
    case 'flip bits':
      for (const bit of mutation.bits) bytes[(bit >> 3) % bytes.length] ^= 1 << (bit & 7);
      return bytes;
    case 'overwrite':
      bytes.set(mutation.bytes.subarray(0, bytes.length - (mutation.at % bytes.length)), mutation.at % bytes.length);
      return bytes;
    case 'insert': {
      const at = mutation.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), mutation.bytes, bytes.subarray(at)]);
    }
    case 'append':
      return Buffer.concat([bytes, mutation.bytes]);
    case 'random file':
      return Buffer.from(mutation.bytes);
    default:
      return bytes;
  }
}

async function expectModelFileError(path, what) {
  let model;
  try {
    model = await TwoLayerRegressor.load(path);
  } catch (error) {
    if (error instanceof ModelFileError) return;
    throw new Error(`${what}: load threw ${error?.constructor?.name}: ${error?.message}`);
  }
  throw new Error(`${what} was loaded as a model (${JSON.stringify(model.config)})`);
}

function modelFileTarget(folder) {
  const path = join(folder, 'fuzzed.model');
  let saved;
  async function original() {
    if (saved === undefined) {
      const model = new TwoLayerRegressor({ inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 11 });
      model.metadata = { note: 'fuzz', scale: [1, 2, 3] };
      await model.save(path);
      saved = { bytes: await readFile(path), state: model.stateDict() };
    }
    return saved;
  }
  return {
    name: 'model file bytes',
    weight: 4,
    async: true,
    arbitrary: arbByteMutation,
    async check(mutation) {
      const { bytes, state } = await original();
      const mutated = mutate(bytes, mutation);
      await writeFile(path, mutated);
      if (!mutated.equals(bytes)) {
        await expectModelFileError(path, `a file with ${mutation.kind}`);
        return;
      }
      const loaded = (await TwoLayerRegressor.load(path)).stateDict();
      for (const k of STATE_KEYS) if (!sameBits(loaded[k], state[k])) throw new Error(`${k} did not round-trip`);
    },
  };
}

// Format 1 files (blasprop 0.1's) with a correct checksum but contents it never
// wrote: another kind, a bad configuration, missing, short or non-finite tensors.

const arbCraftedFile = fc
  .record({
    d: arbDim,
    h: arbDim,
    o: arbDim,
    breakage: fc.constantFrom(
      null,
      'kind',
      'hiddenSize 0',
      'hiddenSize string',
      'inputSize fraction',
      'init unknown',
      'reduction unknown',
      'W1 short',
      'b2 missing',
      'W2 NaN',
      'metadata array',
      'config null',
    ),
  })
  .chain((r) => fc.record({ dims: fc.constant(r), values: arbArray(r.d * r.h + r.h + r.h * r.o + r.o) }));

function craftedContents({ dims: { d, h, o, breakage }, values }) {
  const tensors = {
    W1: values.slice(0, d * h),
    b1: values.slice(d * h, d * h + h),
    W2: values.slice(d * h + h, d * h + h + h * o),
    b2: values.slice(d * h + h + h * o),
  };
  const config = { inputSize: d, hiddenSize: h, outputSize: o, reduction: 'mean', seed: 0, init: 'he' };
  const contents = { kind: 'TwoLayerRegressor', config, metadata: {}, tensors };
  if (breakage === 'kind') contents.kind = 'Sequential';
  if (breakage === 'hiddenSize 0') config.hiddenSize = 0;
  if (breakage === 'hiddenSize string') config.hiddenSize = String(h);
  if (breakage === 'inputSize fraction') config.inputSize = d + 0.5;
  if (breakage === 'init unknown') config.init = 'glorot';
  if (breakage === 'reduction unknown') config.reduction = 'median';
  if (breakage === 'W1 short') tensors.W1 = tensors.W1.subarray(1);
  if (breakage === 'b2 missing') delete tensors.b2;
  if (breakage === 'W2 NaN') tensors.W2[0] = Number.NaN;
  if (breakage === 'metadata array') contents.metadata = [];
  if (breakage === 'config null') contents.config = null;
  return contents;
}

function craftedFileTarget(folder) {
  const path = join(folder, 'crafted.model');
  return {
    name: 'format 1 model file contents',
    weight: 2,
    async: true,
    arbitrary: arbCraftedFile,
    async check(crafted) {
      const contents = craftedContents(crafted);
      await writeFile(path, encodeFormat1(contents));
      if (crafted.dims.breakage !== null) {
        await expectModelFileError(path, `a file with ${crafted.dims.breakage}`);
        return;
      }
      const model = await TwoLayerRegressor.load(path);
      const loaded = model.stateDict();
      for (const k of STATE_KEYS) if (!sameBits(loaded[k], contents.tensors[k])) throw new Error(`${k} differs`);
      const { inputSize, hiddenSize, outputSize } = model.config;
      if (inputSize !== crafted.dims.d || hiddenSize !== crafted.dims.h || outputSize !== crafted.dims.o) {
        throw new Error(`config ${JSON.stringify(model.config)} differs`);
      }
    },
  };
}

// Format 2 files with a correct checksum but contents no model wrote: unknown or
// malformed layer, loss and optimizer configurations, sizes that do not chain or do
// not match the tensors, missing, extra, short or non-finite tensors, bad metadata.

const V2_BREAKAGES = [
  null,
  'layer type unknown',
  'outFeatures 0',
  'inFeatures string',
  'inFeatures fraction',
  'sizes do not chain',
  'init unknown',
  'loss type unknown',
  'reduction unknown',
  'optimizer type unknown',
  'lr negative',
  'weight short',
  'bias missing',
  'extra tensor',
  'weight NaN',
  'metadata array',
  'model null',
  'layers not an array',
  'huge layer, small tensors',
];

const arbCraftedV2File = fc
  .record({ d: arbDim, h: arbDim, o: arbDim, breakage: fc.constantFrom(...V2_BREAKAGES) })
  .chain((r) => fc.record({ dims: fc.constant(r), values: arbArray(r.d * r.h + r.h + r.h * r.o + r.o) }));

function craftedV2Contents({ dims: { d, h, o, breakage }, values }) {
  const layers = [
    { type: 'Linear', inFeatures: d, outFeatures: h, bias: true, init: 'he' },
    { type: 'ReLU' },
    { type: 'Linear', inFeatures: h, outFeatures: o, bias: true, init: 'he' },
  ];
  const model = {
    network: { type: 'Sequential', layers },
    loss: { type: 'MSELoss', reduction: 'mean' },
    optimizer: { type: 'SGD', lr: 0.01, momentum: 0, weightDecay: 0 },
    metrics: ['mae'],
    seed: 0,
  };
  const tensors = [
    { name: '0.weight', shape: [d, h], values: values.slice(0, d * h) },
    { name: '0.bias', shape: [1, h], values: values.slice(d * h, d * h + h) },
    { name: '2.weight', shape: [h, o], values: values.slice(d * h + h, d * h + h + h * o) },
    { name: '2.bias', shape: [1, o], values: values.slice(d * h + h + h * o) },
  ];
  const header = { model, metadata: {} };
  if (breakage === 'layer type unknown') layers[1].type = 'Conv2d';
  if (breakage === 'outFeatures 0') layers[2].outFeatures = 0;
  if (breakage === 'inFeatures string') layers[0].inFeatures = String(d);
  if (breakage === 'inFeatures fraction') layers[0].inFeatures = d + 0.5;
  if (breakage === 'sizes do not chain') layers[2].inFeatures = h + 1;
  if (breakage === 'init unknown') layers[0].init = 'glorot';
  if (breakage === 'loss type unknown') model.loss.type = 'HingeLoss';
  if (breakage === 'reduction unknown') model.loss.reduction = 'median';
  if (breakage === 'optimizer type unknown') model.optimizer.type = 'LBFGS';
  if (breakage === 'lr negative') model.optimizer.lr = -1;
  if (breakage === 'weight short')
    tensors[0] = { ...tensors[0], shape: [d * h - 1], values: tensors[0].values.subarray(1) };
  if (breakage === 'bias missing') tensors.splice(3, 1);
  if (breakage === 'extra tensor') tensors.push({ name: '5.weight', shape: [1], values: new Float64Array(1) });
  if (breakage === 'weight NaN') tensors[2].values[0] = Number.NaN;
  if (breakage === 'metadata array') header.metadata = [];
  if (breakage === 'model null') header.model = null;
  if (breakage === 'layers not an array') model.network.layers = { 0: layers[0] };
  // Allocating this network would take 8·10⁶·10⁶ bytes: load must refuse it from the sizes alone.
  if (breakage === 'huge layer, small tensors') Object.assign(layers[0], { inFeatures: 1e6, outFeatures: 1e6 });
  return { header, tensors };
}

function craftedV2FileTarget(folder) {
  const path = join(folder, 'crafted-v2.model');
  return {
    name: 'format 2 model file contents',
    weight: 2,
    async: true,
    arbitrary: arbCraftedV2File,
    async check(crafted) {
      const contents = craftedV2Contents(crafted);
      if (crafted.dims.breakage === 'weight NaN') {
        // save refuses what load would refuse: the library's writer throws, so write it by hand.
        expectThrows(() => encodeModel(contents), [RangeError], 'encoding a NaN weight');
        const list = contents.tensors.map(({ name, shape }) => ({ name, shape }));
        const header = JSON.stringify({ ...contents.header, tensors: list });
        await writeFile(
          path,
          rawModelFile(
            header,
            contents.tensors.map((t) => t.values),
          ),
        );
      } else {
        await writeFile(path, encodeModel(contents));
      }
      if (crafted.dims.breakage !== null) {
        let model;
        try {
          model = await Model.load(path);
        } catch (error) {
          if (error instanceof ModelFileError) return;
          throw new Error(
            `a file with ${crafted.dims.breakage}: load threw ${error?.constructor?.name}: ${error?.message}`,
          );
        }
        throw new Error(
          `a file with ${crafted.dims.breakage} was loaded as a model (${JSON.stringify(model.toConfig())})`,
        );
      }
      const loaded = (await Model.load(path)).stateDict();
      for (const t of contents.tensors) if (!sameBits(loaded[t.name], t.values)) throw new Error(`${t.name} differs`);
    },
  };
}

/** @returns {import('./run-targets.mjs').FuzzTarget[]} */
export function modelTargets() {
  const folder = mkdtempSync(join(tmpdir(), 'blasprop-fuzz-'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  return [
    { name: 'Matrix constructor', weight: 2, arbitrary: arbMatrixArgs, check: checkMatrixConstructor },
    { name: 'Linear forward/backward', weight: 3, arbitrary: arbLinearCase, check: checkLinear },
    { name: 'MSELoss', weight: 1, arbitrary: arbLossCase, check: checkLoss },
    { name: 'loadStateDict', weight: 3, arbitrary: arbStateCase, check: checkLoadStateDict },
    modelFileTarget(folder),
    craftedFileTarget(folder),
    craftedV2FileTarget(folder),
  ];
}

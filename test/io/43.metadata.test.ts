import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError, TwoLayerRegressor } from '../../dist/index.js';
import { checkMetadata, MAX_METADATA_DEPTH } from '../../dist/io/metadata.js';
import { rawModelFile } from '../helpers/model-file-bytes.mjs';

const dir = mkdtempSync(join(tmpdir(), 'blasprop-metadata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = () => new TwoLayerRegressor({ inputSize: 2, hiddenSize: 2, outputSize: 1, seed: 3 });
let counter = 0;
const freshPath = () => join(dir, `m${counter++}.blasprop`);

/** A format 1 model file written by hand (see model-file-bytes.mjs), for contents that save refuses to write. */
function craft(headerJson: string, tensors: [string, number[]][] = standardTensors()): string {
  const path = freshPath();
  writeFileSync(
    path,
    rawModelFile(
      headerJson,
      tensors.map(([, values]) => values),
      1,
    ),
  );
  return path;
}

function standardTensors(): [string, number[]][] {
  return [
    ['W1', [0.1, 0.2, 0.3, 0.4]],
    ['b1', [0, 0]],
    ['W2', [0.5, 0.6]],
    ['b2', [0]],
  ];
}

const CONFIG = { inputSize: 2, hiddenSize: 2, outputSize: 1, reduction: 'mean', seed: 3, init: 'he' };
function header(metadata: string, tensors = standardTensors()): string {
  const list = tensors.map(([name, v]) => ({ name, length: v.length }));
  return `{"kind":"TwoLayerRegressor","config":${JSON.stringify(CONFIG)},"metadata":${metadata},"tensors":${JSON.stringify(list)}}`;
}

async function loadError(path: string): Promise<string> {
  const error = await TwoLayerRegressor.load(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  return (error as Error).message;
}

describe('save refuses metadata that would not load back equal, and writes nothing', () => {
  const getter = Object.defineProperty({}, 'n', { enumerable: true, get: () => 1 });
  const hidden = Object.defineProperty({}, 'n', { enumerable: false, value: 1 });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  let deep: unknown = 1;
  for (let i = 0; i < MAX_METADATA_DEPTH + 1; i++) deep = [deep];
  const cases: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ['null', null, TypeError, /for metadata but received null$/],
    ['an array', [1, 2], TypeError, /for metadata but received Array of length 2$/],
    ['a string', 'notes', TypeError, /for metadata but received "notes"$/],
    ['undefined', undefined, TypeError, /for metadata but received undefined$/],
    ['a Map', { m: new Map([[1, 2]]) }, TypeError, /for metadata\.m but received Map object$/],
    ['a Date', { when: new Date(0) }, TypeError, /for metadata\.when but received Date object$/],
    ['a class instance', { at: new (class Point {})() }, TypeError, /for metadata\.at but received Point object$/],
    ['toJSON', { v: { toJSON: () => 5 } }, TypeError, /for metadata\.v\.toJSON but received function toJSON$/],
    ['NaN', { scale: [1, Number.NaN] }, RangeError, /for metadata\.scale\[1\] but received NaN/],
    ['Infinity', { x: -Infinity }, RangeError, /for metadata\.x but received -Infinity/],
    ['-0', { x: -0 }, RangeError, /for metadata\.x but received -0 \(JSON writes -0 as 0\)$/],
    ['undefined in an array', { a: [undefined] }, TypeError, /for metadata\.a\[0\] but received undefined$/],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    ['a hole', { a: [1, , 3] }, TypeError, /index 1 is a hole/],
    ['a bigint', { n: 1n }, TypeError, /for metadata\.n but received 1n$/],
    ['a symbol key', { [Symbol('s')]: 1 }, TypeError, /string keys only/],
    ['a getter', { g: getter }, TypeError, /for metadata\.g\.n but received function .*\(it is an accessor\)$/],
    ['a non-enumerable property', hidden, TypeError, /for metadata\.n but received object \(JSON skips the others\)$/],
    ['a cycle', cycle, RangeError, /for metadata\.self but received object \(it contains itself\)$/],
    ['__proto__', JSON.parse('{"__proto__":{"x":1}}'), RangeError, /without a key "__proto__"/],
    ['too deep', { deep }, RangeError, new RegExp(`nested at most ${MAX_METADATA_DEPTH} levels deep`)],
    ['a typed array', { w: new Float64Array(2) }, TypeError, /for metadata\.w but received Float64Array of length 2$/],
  ];

  for (const [what, metadata, type, message] of cases) {
    it(what, async () => {
      const m = model();
      m.metadata = metadata as Record<string, unknown>;
      const path = freshPath();
      const error = await m.save(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
      expect(readdirSync(dir)).not.toContain(path.slice(dir.length + 1));
    });
  }

  it('more than the header can hold (16 MiB)', async () => {
    const m = model();
    m.metadata = { notes: 'x'.repeat(16 * 1024 * 1024) };
    await expect(m.save(freshPath())).rejects.toThrow(
      /fits the model file's 16 MiB header .*the header would take \d+ bytes/,
    );
  });

  it('non-finite weights, which load refuses too', async () => {
    const m = model();
    m.hidden.weight.value.data[1] = Number.NaN;
    await expect(m.save(freshPath())).rejects.toThrow(
      'Expected finite values for tensor 0.weight but received Float64Array of length 4 (NaN at index 1)',
    );
  });
});

/** Whether a JSON value holds -0 (which JSON.stringify writes as 0) or a "__proto__" key, anywhere. */
function holdsNegativeZeroOrProtoKey(value: unknown): boolean {
  if (Object.is(value, -0)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, entry]) => key === '__proto__' || holdsNegativeZeroOrProtoKey(entry));
}

describe('what save accepts loads back equal', () => {
  it('any JSON data (fast-check), with strict equality', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (metadata) => {
        const m = model();
        m.metadata = metadata;
        let saved: boolean;
        try {
          checkMetadata(metadata);
          saved = true;
        } catch {
          saved = false;
        }
        const path = freshPath();
        if (!saved) {
          // Only -0 and "__proto__" keys are JSON that checkMetadata refuses.
          expect(holdsNegativeZeroOrProtoKey(metadata)).toBe(true);
          await expect(m.save(path)).rejects.toThrow();
          return;
        }
        await m.save(path);
        const loaded = (await TwoLayerRegressor.load(path)).metadata;
        // fast-check makes some objects without a prototype; loaded ones have Object's.
        expect(loaded).toEqual(metadata);
        expect(loaded).toStrictEqual(JSON.parse(JSON.stringify(metadata)));
      }),
      { numRuns: 150 },
    );
  });

  it('leaves out properties whose value is undefined, as JSON does', async () => {
    const m = model();
    m.metadata = { kept: 1, gone: undefined, inner: { alsoGone: undefined } };
    const path = freshPath();
    await m.save(path);
    expect((await TwoLayerRegressor.load(path)).metadata).toStrictEqual({ kept: 1, inner: {} });
  });

  it('keeps its own copy: a metadata object changed after save does not matter', () => {
    const metadata = { list: [1, 2] };
    const copy = checkMetadata(metadata);
    metadata.list.push(3);
    expect(copy).toStrictEqual({ list: [1, 2] });
  });
});

describe('load refuses what save refuses, from a file with a correct checksum', () => {
  it('metadata that is null, an array, a string, or missing', async () => {
    expect(await loadError(craft(header('null')))).toMatch(/its metadata cannot be loaded: .*received null$/);
    expect(await loadError(craft(header('[1]')))).toMatch(/received Array of length 1$/);
    expect(await loadError(craft(header('"text"')))).toMatch(/received "text"$/);
    const noMetadata = `{"kind":"TwoLayerRegressor","config":${JSON.stringify(CONFIG)},"tensors":[]}`;
    expect(await loadError(craft(noMetadata, []))).toMatch(
      /its metadata cannot be loaded: Expected a plain object of JSON data for metadata but received undefined/,
    );
  });

  it('metadata holding -0, a "__proto__" key, or nested too deep', async () => {
    expect(await loadError(craft(header('{"x":-0}')))).toMatch(/metadata\.x but received -0/);
    expect(await loadError(craft(header('{"a":{"__proto__":{}}}')))).toMatch(/without a key "__proto__"/);
    const deep = `${'['.repeat(MAX_METADATA_DEPTH + 1)}${']'.repeat(MAX_METADATA_DEPTH + 1)}`;
    expect(await loadError(craft(header(`{"d":${deep}}`)))).toMatch(/levels deep/);
  });

  it('a tensor named "__proto__" or twice, and non-finite weights', async () => {
    const proto = standardTensors();
    proto.push(['__proto__', [1]]);
    expect(await loadError(craft(header('{}', proto), proto))).toMatch(/a tensor is named "__proto__"/);
    const twice = standardTensors();
    twice.push(['W1', [9, 9, 9, 9]]);
    expect(await loadError(craft(header('{}', twice), twice))).toMatch(/two tensors are named "W1"/);
    const nan = standardTensors();
    nan[2] = ['W2', [0.5, Number.NaN]];
    expect(await loadError(craft(header('{}', nan), nan))).toMatch(
      /tensor W2 holds NaN at index 1; weights must be finite/,
    );
  });

  it('and loads a hand-made file whose contents are valid', async () => {
    const loaded = await TwoLayerRegressor.load(craft(header('{"note":"ok","x":[1.5,null,true]}')));
    expect(loaded.metadata).toStrictEqual({ note: 'ok', x: [1.5, null, true] });
    expect(Array.from(loaded.stateDict().W2)).toEqual([0.5, 0.6]);
  });
});

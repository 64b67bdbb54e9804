// A Matrix takes its dtype from its array, converts only through astype, and every
// check that wants a matrix of one dtype refuses the other with a TypeError naming it.

import { describe, expect, it } from 'vitest';

import { Matrix } from '../../dist/index.js';
import { checkMatrix } from '../../dist/nn/check-matrix.js';
import { expectArgumentError } from '../helpers/errors.js';

describe('Matrix dtype', () => {
  it('is float64 for a Float64Array and by default', () => {
    expect(new Matrix(2, 3).dtype).toBe('float64');
    expect(new Matrix(2, 3).data).toBeInstanceOf(Float64Array);
    expect(new Matrix(1, 2, new Float64Array([1, 2])).dtype).toBe('float64');
  });

  it('is float32 for a Float32Array, wrapped without a copy', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const m = new Matrix(2, 3, data);
    expect(m.dtype).toBe('float32');
    expect(m.data).toBe(data);
    m.set(1, 2, 0.1);
    expect(data[5]).toBe(Math.fround(0.1));
  });

  it('makes a zeroed matrix of the dtype asked for', () => {
    const m = new Matrix(3, 2, { dtype: 'float32' });
    expect(m.dtype).toBe('float32');
    expect(m.data).toEqual(new Float32Array(6));
    expect(new Matrix(3, 2, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(new Matrix(3, 2, {}).dtype).toBe('float64');
    expect(Matrix.fromRows([[1, 0.1]], { dtype: 'float32' }).data).toEqual(new Float32Array([1, 0.1]));
  });

  it('keeps its dtype through rowRange and clone', () => {
    const m = new Matrix(
      4,
      2,
      new Float32Array(8).map((_, i) => i),
    );
    expect(m.rowRange(1, 3).dtype).toBe('float32');
    expect(m.rowRange(1, 3).data.buffer).toBe(m.data.buffer);
    expect(m.clone().dtype).toBe('float32');
  });

  it('converts explicitly with astype, always into a new array', () => {
    const m = new Matrix(1, 3, new Float64Array([0.1, -2, 1e300]));
    const single = m.astype('float32');
    expect(single.dtype).toBe('float32');
    expect(Array.from(single.data)).toEqual([Math.fround(0.1), -2, Infinity]);
    const back = single.astype('float64');
    expect(back.dtype).toBe('float64');
    expect(back.data[0]).toBe(Math.fround(0.1));
    const same = m.astype('float64');
    expect(same.data).not.toBe(m.data);
    expect(same.data.buffer).not.toBe(m.data.buffer);
    expect(Array.from(same.data)).toEqual(Array.from(m.data));
  });

  it.each([
    [
      'a dtype it does not know',
      () => new Matrix(1, 1, { dtype: 'float16' as never }),
      RangeError,
      'dtype',
      '"float16"',
    ],
    ['a dtype that is not a string', () => new Matrix(1, 1, { dtype: 32 as never }), TypeError, 'dtype', '32'],
    ['an Int32Array', () => new Matrix(1, 2, new Int32Array(2) as never), TypeError, 'data', 'Int32Array of length 2'],
    ['a plain array', () => new Matrix(1, 2, [1, 2] as never), TypeError, 'data', 'Array of length 2'],
    ['null', () => new Matrix(1, 2, null as never), TypeError, 'data', 'null'],
    [
      'a Float32Array of the wrong length',
      () => new Matrix(2, 2, new Float32Array(3)),
      RangeError,
      'data',
      'Float32Array of length 3',
    ],
    ['astype to an unknown dtype', () => new Matrix(1, 1).astype('int8' as never), RangeError, 'dtype', '"int8"'],
  ] as const)('refuses %s', (_label, make, type, name, received) => {
    expectArgumentError(make, { type, name, received });
  });

  it('refuses a detached Float32Array', () => {
    const data = new Float32Array(2);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    const thrown = expectArgumentError(() => new Matrix(0, 0, data), {
      type: TypeError,
      name: 'data',
      received: 'Float32Array of length 0',
    });
    expect(thrown.message).toContain('detached');
  });

  it('gives a TypeError naming the argument when a check wants the other dtype', () => {
    const thrown = expectArgumentError(() => checkMatrix('x', new Matrix(1, 1), { dtype: 'float32' }), {
      type: TypeError,
      name: 'x',
      received: 'Matrix object',
    });
    expect(thrown.message).toContain("its dtype is float64; convert it with astype('float32')");
    expect(checkMatrix('x', new Matrix(1, 1, { dtype: 'float32' }), { dtype: 'float32' }).dtype).toBe('float32');
  });
});

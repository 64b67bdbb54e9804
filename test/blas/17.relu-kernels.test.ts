// The element-wise ReLU kernels: native and reference must agree bit for bit (there is
// no rounding in a comparison and a select), on every pair of edge values and on the
// parity battery's ReLU groups (test/helpers/blas-suite.mjs: random data with edge
// values, lengths that exercise the vectorised loop's remainder, subarray views); and
// both must reject the same arguments.

import { describe, expect, it } from 'vitest';

import { reluBackward, reluForward } from '../../dist/kernels/relu.js';
import { parityGroupsOf, runParityGroup } from '../helpers/blas-suite.mjs';
import { EDGE_VALUES } from '../helpers/cases.mjs';
import { expectArgumentError } from '../helpers/errors.js';

const native = { reluForward, reluBackward };
const reference = { reluForward: reluForward.reference, reluBackward: reluBackward.reference };
const backends = [
  ['native', native],
  ['reference', reference],
] as const;

describe('reluForward and reluBackward', () => {
  it('follow max(x, 0) and the output mask on every pair of edge values', () => {
    const x = Float64Array.from(EDGE_VALUES.flatMap((v) => EDGE_VALUES.map(() => v)));
    const g = Float64Array.from(EDGE_VALUES.flatMap(() => EDGE_VALUES));
    const y = reluForward(x.length, x, new Float64Array(x.length));
    const dx = reluBackward(x.length, y, g, new Float64Array(x.length));
    x.forEach((v, i) => {
      expect(Object.is(y[i], Math.max(v, 0)), `relu(${v}) = ${y[i]}`).toBe(true);
      expect(Object.is(dx[i], y[i] > 0 ? g[i] : 0), `grad at ${v}, g = ${g[i]}: ${dx[i]}`).toBe(true);
    });
  });

  // Float32 tensors run sixteen lanes at a time, then a scalar remainder: every length
  // up to three vectors and a half, edge values in every lane, against the definition.
  it('follow max(x, 0) and the output mask in float32 at every length around the vector width', () => {
    const edges = EDGE_VALUES.map((v) => Math.fround(v));
    for (let n = 0; n <= 56; n++) {
      const x = Float32Array.from({ length: n }, (_, i) => edges[(i * 7) % edges.length]);
      const g = Float32Array.from({ length: n }, (_, i) => edges[(i * 5 + 3) % edges.length]);
      const y = reluForward(n, x, new Float32Array(n));
      const dx = reluBackward(n, y, g, new Float32Array(n));
      x.forEach((v, i) => {
        const expected = Number.isNaN(v) ? v : Math.max(v, 0);
        expect(Object.is(y[i], expected), `n ${n}: relu(${v}) = ${y[i]}`).toBe(true);
        expect(Object.is(dx[i], y[i] > 0 ? g[i] : 0), `n ${n}: grad at ${v}, g = ${g[i]}: ${dx[i]}`).toBe(true);
      });
    }
  });

  it.each([...parityGroupsOf('reluForward'), ...parityGroupsOf('reluBackward')])('$name', (group) => {
    const { cases, failures } = runParityGroup(group, native, reference);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });

  for (const [label, routines] of backends) {
    it(`reject bad arguments (${label})`, () => {
      const a = new Float64Array(4);
      const b = new Float64Array(4);
      expectArgumentError(() => routines.reluForward(5, a, b), {
        type: RangeError,
        name: 'x',
        received: 'Float64Array of length 4',
      });
      expectArgumentError(() => routines.reluForward(-1, a, b), { type: RangeError, name: 'n', received: '-1' });
      expectArgumentError(() => routines.reluForward(1.5, a, b), { type: RangeError, name: 'n', received: '1.5' });
      expectArgumentError(() => routines.reluForward(4, a, new Float32Array(4) as never), {
        type: TypeError,
        name: 'y',
        received: 'Float32Array of length 4',
      });
      expectArgumentError(() => routines.reluForward(4, a, a.subarray(1) as never), {
        type: RangeError,
        name: 'y',
        received: 'Float64Array of length 3',
      });
      const shared = new Float64Array(8);
      expectArgumentError(() => routines.reluForward(4, shared, shared.subarray(2)), {
        type: RangeError,
        name: 'y',
        received: 'Float64Array of length 6',
      });
      expectArgumentError(() => routines.reluBackward(4, a, b, b), {
        type: RangeError,
        name: 'dx',
        received: 'Float64Array of length 4',
      });
      expectArgumentError(() => routines.reluBackward(4, a, [0, 0, 0, 0] as never, b), {
        type: TypeError,
        name: 'dy',
        received: 'Array of length 4',
      });
      // Views of one buffer that do not intersect are fine.
      expect(Array.from(routines.reluForward(4, shared.subarray(0, 4), shared.subarray(4)))).toEqual([0, 0, 0, 0]);
    });
  }
});

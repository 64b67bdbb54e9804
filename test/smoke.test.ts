import { describe, expect, it } from 'vitest';

import { blasInfo, dgemm } from '../dist/index.js';

describe('smoke', () => {
  it('multiplies through the native addon', () => {
    expect(blasInfo().backend).toBe('native');
    const a = new Float64Array([1, 2, 3, 4]);
    const c = dgemm('N', 'N', 2, 2, 2, 1, a, 2, a, 2, 0, new Float64Array(4), 2);
    expect(Array.from(c)).toEqual([7, 10, 15, 22]);
  });
});

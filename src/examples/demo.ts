// A first look: multiply two matrices through the addon, check the answer against
// the reference kernels, and show which OpenBLAS is doing the work.

import { blasInfo, dgemm, reference } from '../index.js';

const m = 3;
const n = 2;
const k = 4;
const a = Float64Array.from({ length: m * k }, (_, i) => i + 1);
const b = Float64Array.from({ length: k * n }, (_, i) => (i % 3) - 1);
const c = new Float64Array(m * n);

dgemm('N', 'N', m, n, k, 1, a, k, b, n, 0, c, n);
const expected = reference.dgemm('N', 'N', m, n, k, 1, a, k, b, n, 0, new Float64Array(m * n), n);

console.log(`C = A·B with A ${m}×${k}, B ${k}×${n}:`);
for (let i = 0; i < m; i++) console.log(`  [${Array.from(c.subarray(i * n, (i + 1) * n)).join(', ')}]`);
console.log(`matches the reference kernels: ${c.every((v, i) => v === expected[i])}`);
console.log('blasInfo():', blasInfo());

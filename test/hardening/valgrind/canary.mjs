// Deliberately broken: calls the raw addon (which trusts its caller) with an output
// half the size the call writes. valgrind.sh runs this first and requires memcheck to
// report the invalid write, as proof that it sees OpenBLAS's accesses to the
// caller's Float64Arrays; a clean report would mean the real run proves nothing.

import { loadBinding } from '../../../dist/native/binding.js';

const { binding } = loadBinding();
const a = new Float64Array(256).fill(1);
const c = new Float64Array(128);
binding.dgemm(false, false, 16, 16, 16, 1, a, 16, a, 16, 0, c, 16);
console.log('canary ran');

// Child process started with child_process.fork while the parent's BLAS threads are
// busy: it must start, load the addon, compute a correct product and exit.

import { dgemm } from '../../../dist/index.js';

const a = new Float64Array(96 * 96).fill(1);
const c = dgemm('N', 'T', 96, 96, 96, 2, a, 96, a, 96, 0, new Float64Array(96 * 96), 96);
const ok = c.every((v) => v === 2 * 96);
process.send?.({ ok });
process.exitCode = ok ? 0 : 1;

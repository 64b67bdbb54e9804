// One dgemm call timed from Node. --mode api goes through the public `dgemm` (argument
// validation, then the addon); --mode raw calls the addon's function directly, which
// separates the cost of validation from the cost of crossing Node-API.
//
//   node node-peer.js --mode api|raw --m M --n N --k K --transa N|T --transb N|T [--threads T]

import { backend } from '../../dist/blas/backend.js';
import { dgemm, setNumThreads } from '../../dist/index.js';
import { blaspropBlas } from '../lib/blasprop-info.mjs';
import { emitResult, peerOptions, timeBlocks } from '../lib/measure.mjs';

const options = peerOptions({
  mode: { type: 'string', default: 'api' },
  m: { type: 'string', default: '32' },
  n: { type: 'string', default: '32' },
  k: { type: 'string', default: '32' },
  transa: { type: 'string', default: 'N' },
  transb: { type: 'string', default: 'N' },
});
const m = Number(options.m);
const n = Number(options.n);
const k = Number(options.k);
const transA = options.transa;
const transB = options.transb;

// The operand pattern shared with gemm.c: exact in binary, so both fill alike.
function filled(count, salt) {
  const x = new Float64Array(count);
  for (let i = 0; i < count; i++) x[i] = ((i * 7919 + salt) % 1000) / 1000 - 0.5;
  return x;
}

const a = filled(m * k, 1);
const b = filled(k * n, 2);
const c = new Float64Array(m * n);
const lda = transA === 'T' ? m : k;
const ldb = transB === 'T' ? k : n;
setNumThreads(options.threads);

const { binding } = backend().native;
const tA = transA === 'T';
const tB = transB === 'T';
const call =
  options.mode === 'raw'
    ? () => binding.dgemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, n)
    : () => dgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n);

call();
let checksum = 0;
for (const v of c) checksum += v;

const timing = timeBlocks(call, options);
// The price of crossing Node-API at all: a call that does no work in C.
const emptyCall = timeBlocks(() => binding.getNumThreads(), { warmupMs: 20, blockMs: 20, blocks: 3 });
emitResult({
  ...timing,
  checksum,
  blas: blaspropBlas(),
  emptyNapiCallUs: Math.min(...emptyCall.blockUs),
});

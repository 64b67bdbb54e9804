// A worker thread that runs dgemm in a loop, over every transpose combination and a
// range of shapes (below and above OpenBLAS's threshold for using its thread pool),
// and checks each result against the reference kernels, until the scenario says stop
// (control.mjs). workerData: { id, control, toggle }, control being the scenario's
// SharedArrayBuffer; with `toggle`, this worker also flips OpenBLAS between 1 and 2
// threads every 8 calls. Posts { id, calls, wrong, toggles, firstWrong? } at the end.

import { parentPort, workerData } from 'node:worker_threads';

import { dgemm, reference, setNumThreads } from '../../../dist/index.js';
import { Random } from '../../helpers/random.mjs';
import { blasGamma, withinBound } from '../../helpers/tolerance.mjs';
import { RUNNING, STOP } from './control.mjs';

const TRANSPOSES = [
  ['N', 'N'],
  ['N', 'T'],
  ['T', 'N'],
  ['T', 'T'],
];
// m, n, k. OpenBLAS 0.3.21 splits a dgemm across its threads from m·n·k = 64³ on.
const SHAPES = [
  [8, 8, 8],
  [33, 17, 29],
  [64, 64, 65],
  [96, 80, 112],
  [128, 128, 128],
  [200, 8, 180],
];

const { id, control, toggle } = workerData;
const random = new Random(1000 + id);

const cases = TRANSPOSES.flatMap(([transA, transB]) =>
  SHAPES.map(([m, n, k]) => {
    const a = random.values(m * k);
    const b = random.values(k * n);
    const lda = transA === 'N' ? k : m;
    const ldb = transB === 'N' ? n : k;
    const expected = reference.dgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, new Float64Array(m * n), n);
    const bound = reference.dgemm(transA, transB, m, n, k, 1, abs(a), lda, abs(b), ldb, 0, new Float64Array(m * n), n);
    return { transA, transB, m, n, k, a, lda, b, ldb, expected, bound, c: new Float64Array(m * n) };
  }),
);

function abs(values) {
  return values.map(Math.abs);
}

let calls = 0;
let wrong = 0;
let firstWrong;
let toggles = 0;
const flags = new Int32Array(control);
Atomics.add(flags, RUNNING, 1);
Atomics.notify(flags, RUNNING);
// Workers start at different cases, so different transpose combinations overlap in time.
for (let i = id * 7; calls === 0 || Atomics.load(flags, STOP) === 0; i++) {
  const t = cases[i % cases.length];
  t.c.fill(Number.NaN); // beta = 0 must overwrite every element
  dgemm(t.transA, t.transB, t.m, t.n, t.k, 1, t.a, t.lda, t.b, t.ldb, 0, t.c, t.n);
  calls++;
  if (toggle && calls % 8 === 0) setNumThreads(toggles++ % 2 === 0 ? 1 : 2);
  const gamma = blasGamma(t.k);
  for (let j = 0; j < t.c.length; j++) {
    if (!withinBound(t.c[j], t.expected[j], t.bound[j], gamma)) {
      wrong++;
      firstWrong ??= `${t.transA}${t.transB} ${t.m}×${t.n}×${t.k}: c[${j}] = ${t.c[j]}, expected ${t.expected[j]}`;
      break;
    }
  }
}

parentPort.postMessage({ id, calls, wrong, toggles, firstWrong });

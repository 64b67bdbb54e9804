// A JavaScript peer of the train-step benchmark, one implementation per process:
//
//   node peer.js --impl NAME --data FILE [--check-steps K] [--threads T] [--form F]
//                [timing options]
//
// NAME is a module beside this file that exports `create(problem, { threads, form })`,
// resolving to `{ step, versions?, blas? }`, where `step()` runs one training step
// and returns the loss before its update. Runs K steps and reports their losses for
// the cross-check, then keeps training while it times the step.

import { emitResult, peerOptions, timeBlocks } from '../../lib/measure.mjs';
import { readProblem } from '../data.js';

const options = peerOptions({
  impl: { type: 'string' },
  data: { type: 'string' },
  'check-steps': { type: 'string', default: '3' },
  // Which formulation, for a library that is measured in more than one.
  form: { type: 'string' },
});
if (!/^[a-z0-9-]+$/.test(options.impl ?? '')) throw new Error(`unknown --impl ${options.impl}`);

const { create } = await import(`./${options.impl}.js`);
const problem = readProblem(options.data);
const { step, versions = {}, blas } = await create(problem, { threads: options.threads, form: options.form });

const checkLosses = [];
for (let s = 0; s < Number(options['check-steps']); s++) checkLosses.push(step());
const timing = timeBlocks(step, options);
emitResult({ ...timing, checkLosses, versions: { node: process.version, ...versions }, blas });

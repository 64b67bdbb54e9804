// A JavaScript peer of the fit benchmark, one implementation per process:
//
//   node peer.js --impl NAME --data FILE [--mode M] [--threads T] [timing options]
//
// NAME is a module beside this file that exports `create(problem, { threads, mode })`,
// resolving to `{ check, fit, versions?, blas? }`: `check()` trains the problem's check
// epochs from its initial weights in the problem's row order and resolves to their
// epoch losses; `fit()` trains `problem.epochsPerCall` more epochs, one timed call.

import { emitResult, peerOptions, timeBlocksAsync } from '../../lib/measure.mjs';
import { readFitProblem } from '../data.js';

const options = peerOptions({
  impl: { type: 'string' },
  data: { type: 'string' },
  // How the implementation trains, for one that has several ways (see its module).
  mode: { type: 'string' },
});
if (!/^[a-z0-9-]+$/.test(options.impl ?? '')) throw new Error(`unknown --impl ${options.impl}`);

const { create } = await import(`./${options.impl}.js`);
const problem = readFitProblem(options.data);
const { check, fit, versions = {}, blas } = await create(problem, { threads: options.threads, mode: options.mode });

const checkLosses = await check();
const timing = await timeBlocksAsync(fit, options);
emitResult({ ...timing, checkLosses, versions: { node: process.version, ...versions }, blas });

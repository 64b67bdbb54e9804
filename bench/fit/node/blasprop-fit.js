// blasprop's `fit`, for any model that has one: the benchmark's ways of calling it,
// and the check against the problem's row order. A module per model (such as
// blasprop-regressor.js) builds the model and hands it here.
//
// Modes, all with the defaults of fit otherwise (yieldEvery 10 ms):
//   worker          the default: training on a pooled worker thread, no callbacks;
//   worker-batches  the same with an onBatchEnd callback, whose logs the worker
//                   relays to this thread in bundles;
//   thread          background: false, training on this thread, no callbacks.

import { setNumThreads, sharedMatrix } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';

export const MODES = {
  worker: { background: true, batchCallback: false },
  'worker-batches': { background: true, batchCallback: true },
  thread: { background: false, batchCallback: false },
};

/** A Matrix of `dtype` in shared memory holding `values`: a background fit reads it in place, with no copy per fit. */
function sharedCopy(rows, cols, values, dtype) {
  const m = sharedMatrix(rows, cols, { dtype });
  m.data.set(values);
  return m;
}

/**
 * The peer of `create(problem, { threads, mode })` (see peer.js) for `model`, which
 * must already hold the problem's initial weights and train with the mean loss.
 */
export function fitPeer(problem, { threads, mode = 'worker' }, model) {
  const how = MODES[mode];
  if (!how) throw new Error(`unknown --mode ${mode} (expected ${Object.keys(MODES).join(', ')})`);
  // The pool's workers share the process's OpenBLAS thread count.
  setNumThreads(threads);
  const { rows, D, O } = problem;
  const x = sharedCopy(rows, D, problem.X, model.dtype);
  const y = sharedCopy(rows, O, problem.Y, model.dtype);
  let samplesSeen = 0;
  const callbacks = how.batchCallback
    ? {
        onBatchEnd(_batch, logs) {
          samplesSeen += logs.size;
        },
      }
    : undefined;

  async function train(epochs) {
    samplesSeen = 0;
    const history = await model.fit(x, y, {
      epochs,
      batchSize: problem.batchSize,
      lr: problem.lr,
      seed: problem.seed,
      background: how.background,
      callbacks,
    });
    if (how.batchCallback && samplesSeen !== epochs * rows) {
      throw new Error(`onBatchEnd saw ${samplesSeen} rows of the ${epochs * rows} trained`);
    }
    return history.history.loss;
  }

  return {
    // Epoch e of a fit shuffles by (seed, e) alone, so a fit's first epochs are the
    // problem file's check epochs.
    check: () => train(problem.checkEpochs),
    fit: () => train(problem.epochsPerCall),
    versions: { mode },
    blas: blaspropBlas(),
  };
}

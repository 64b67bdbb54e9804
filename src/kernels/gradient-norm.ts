// Gradient clipping by the total norm, as torch.nn.utils.clip_grad_norm_
// (native/src/kernels/gradient_norm.cc): one call for all the gradients, so that the
// norm and the scaling happen natively in a recorded step. Native and reference agree
// bit for bit (squares summed left to right, gradient by gradient).

import { checkNoOverlap } from '../blas/validate.js';
import { checkFloatArray, rangeError, typeError } from '../util/check.js';
import { dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { typedArrayLength } from '../util/typed-array.js';
import { checkBuffer } from './checks.js';
import { defineKernel } from './define.js';

/** The clipping state's slots: the norm to clip to, and the total norm the last call measured. */
export const CLIP_SLOTS = { maxNorm: 0, norm: 1, length: 2 } as const;

/**
 * Writes the 2-norm of all of `grads` together into state[norm], then multiplies every
 * gradient by maxNorm / (norm + 1e-6) when that is below 1 (or NaN, which
 * PyTorch's clamp passes on); returns state.
 */
export const clipGradNorm = defineKernel({
  name: 'clipGradNorm',
  validate(grads: readonly FloatArray[], state: Float64Array): void {
    if (!Array.isArray(grads)) throw typeError('grads', 'an array of Float64Arrays or of Float32Arrays', grads);
    // All of one dtype, the first one's.
    const dtype = dtypeOfArray(grads[0]) ?? 'float64';
    const lengths = grads.map((g, i) => typedArrayLength(checkFloatArray(`grads[${i}]`, g, dtype)));
    const S = checkBuffer('state', state, CLIP_SLOTS.length);
    const maxNorm = S[CLIP_SLOTS.maxNorm];
    if (!(maxNorm > 0 && maxNorm < Number.POSITIVE_INFINITY)) {
      throw rangeError(
        'state',
        `a clipping state whose maximum norm is a finite number > 0`,
        state,
        `it is ${maxNorm}`,
      );
    }
    grads.forEach((g, i) => {
      checkNoOverlap(`grads[${i}]`, g, lengths[i], 'state', state, CLIP_SLOTS.length);
      for (let j = 0; j < i; j++) checkNoOverlap(`grads[${i}]`, g, lengths[i], `grads[${j}]`, grads[j], lengths[j]);
    });
  },
  reference(grads: readonly FloatArray[], state: Float64Array): FloatArray {
    let squares = 0;
    for (const g of grads) for (let i = 0, n = typedArrayLength(g); i < n; i++) squares += g[i] * g[i];
    const norm = Math.sqrt(squares);
    state[CLIP_SLOTS.norm] = norm;
    const coefficient = state[CLIP_SLOTS.maxNorm] / (norm + 1e-6);
    if (!(coefficient < 1) && !Number.isNaN(coefficient)) return state;
    for (const g of grads) for (let i = 0, n = typedArrayLength(g); i < n; i++) g[i] *= coefficient;
    return state;
  },
});

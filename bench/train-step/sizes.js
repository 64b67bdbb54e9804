// The network sizes measured: N rows in the batch, D inputs, H hidden units, O outputs.
// `small`: a step takes milliseconds at most even without a tuned GEMM, so every peer
// is measured there in every round.

export const SIZES = {
  // Small enough that a step is mostly the cost of getting to the kernels.
  XS: { name: 'XS', N: 32, D: 8, H: 16, O: 1, small: true },
  S: { name: 'S', N: 32, D: 100, H: 200, O: 10, small: true },
  M: { name: 'M', N: 256, D: 784, H: 1024, O: 10 },
  L: { name: 'L', N: 1024, D: 1024, H: 4096, O: 10 },
};

/**
 * Floating-point operations of the GEMMs in one training step: X·W1 and Xᵀ·dh
 * (2·N·D·H each), r·W2, rᵀ·dpred and dpred·W2ᵀ (2·N·H·O each). The gradient with
 * respect to X is not needed, so it is neither computed nor counted; element-wise
 * work is left out of the count (it is O(N·H), against O(N·D·H) for the GEMMs).
 */
export function stepFlops({ N, D, H, O }) {
  return 2 * (2 * N * D * H) + 3 * (2 * N * H * O);
}

export function describeSize({ name, N, D, H, O }) {
  return `${name} (N ${N}, D ${D}, H ${H}, O ${O})`;
}

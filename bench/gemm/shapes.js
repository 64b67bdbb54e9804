// The dgemm calls measured: small squares where call overhead dominates, the shapes
// one training step of the small network (N 32, D 100, H 200, O 10) makes, forward
// and backward, and large squares where only the kernel should matter.

export const SHAPES = [
  { name: '8×8×8', m: 8, n: 8, k: 8, transA: 'N', transB: 'N' },
  { name: '32×32×32', m: 32, n: 32, k: 32, transA: 'N', transB: 'N' },
  { name: 'X·W1 (32×100 · 100×200)', m: 32, n: 200, k: 100, transA: 'N', transB: 'N' },
  { name: 'Xᵀ·dh (100×32 · 32×200)', m: 100, n: 200, k: 32, transA: 'T', transB: 'N' },
  { name: 'dpred·W2ᵀ (32×10 · 10×200)', m: 32, n: 200, k: 10, transA: 'N', transB: 'T' },
  { name: 'rᵀ·dpred (200×32 · 32×10)', m: 200, n: 10, k: 32, transA: 'T', transB: 'N' },
  { name: '256×256×256', m: 256, n: 256, k: 256, transA: 'N', transB: 'N' },
  { name: '1024×1024×1024', m: 1024, n: 1024, k: 1024, transA: 'N', transB: 'N' },
];

/** The Node/C ratio each shape is expected to reach, where one is set. */
export function targetRatio(shape) {
  if (shape.m === 32 && shape.n === 32 && shape.k === 32) return 1.2;
  if (Math.min(shape.m, shape.n, shape.k) >= 256) return 1.02;
  return undefined;
}

export function flops(shape) {
  return 2 * shape.m * shape.n * shape.k;
}

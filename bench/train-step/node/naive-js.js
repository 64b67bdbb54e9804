// The training step in plain JavaScript loops over Float64Arrays, buffers allocated
// once: what the work costs without any BLAS. Loop orders keep the innermost loop
// running along rows of the row-major arrays.

/** out (m×n) = a (m×k) · b (k×n) + (beta ? out : 0). */
function matmul(out, a, b, m, k, n, keep) {
  if (!keep) out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const row = p * n;
      const at = i * n;
      for (let j = 0; j < n; j++) out[at + j] += aip * b[row + j];
    }
  }
}

/** out (m×n) = aᵀ · b, with a stored k×m and b k×n. */
function matmulTransA(out, a, b, k, m, n) {
  out.fill(0);
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i];
      const row = p * n;
      const at = i * n;
      for (let j = 0; j < n; j++) out[at + j] += api * b[row + j];
    }
  }
}

/** out (m×n) = a · bᵀ, with a stored m×k and b n×k: dot products of rows. */
function matmulTransB(out, a, b, m, k, n) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      out[i * n + j] = s;
    }
  }
}

function broadcastRows(out, bias, rows, cols) {
  for (let i = 0; i < rows; i++) out.set(bias, i * cols);
}

function columnSums(out, x, rows, cols) {
  out.fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += x[i * cols + j];
}

function sgd(param, grad, lr) {
  for (let i = 0; i < param.length; i++) param[i] -= lr * grad[i];
}

export async function create(problem) {
  const { N, D, H, O, lr, X, Y, W1, b1, W2, b2 } = problem;
  const h = new Float64Array(N * H);
  const r = new Float64Array(N * H);
  const pred = new Float64Array(N * O);
  const dpred = new Float64Array(N * O);
  const dh = new Float64Array(N * H);
  const dW1 = new Float64Array(D * H);
  const db1 = new Float64Array(H);
  const dW2 = new Float64Array(H * O);
  const db2 = new Float64Array(O);
  return {
    step() {
      broadcastRows(h, b1, N, H);
      matmul(h, X, W1, N, D, H, true);
      for (let i = 0; i < h.length; i++) r[i] = Math.max(h[i], 0);
      broadcastRows(pred, b2, N, O);
      matmul(pred, r, W2, N, H, O, true);
      let loss = 0;
      for (let i = 0; i < pred.length; i++) {
        const diff = pred[i] - Y[i];
        loss += diff * diff;
        dpred[i] = 2 * diff;
      }
      columnSums(db2, dpred, N, O);
      matmulTransA(dW2, r, dpred, N, H, O);
      matmulTransB(dh, dpred, W2, N, O, H);
      for (let i = 0; i < dh.length; i++) if (h[i] <= 0) dh[i] = 0;
      columnSums(db1, dh, N, H);
      matmulTransA(dW1, X, dh, N, D, H);
      sgd(W1, dW1, lr);
      sgd(b1, db1, lr);
      sgd(W2, dW2, lr);
      sgd(b2, db2, lr);
      return loss;
    },
  };
}

// The training step with ml-matrix, written as its documentation suggests: Matrix
// objects, mmul, transpose, element-wise methods (float64, pure JavaScript).

import { Matrix } from 'ml-matrix';

import { packageVersion } from '../../lib/packages.mjs';

export async function create(problem) {
  const { N, D, H, O, lr } = problem;
  const from = (data, rows, cols) =>
    new Matrix(rows, cols).apply(function fill(i, j) {
      this.set(i, j, data[i * cols + j]);
    });
  const X = from(problem.X, N, D);
  const Y = from(problem.Y, N, O);
  let W1 = from(problem.W1, D, H);
  let b1 = Matrix.rowVector(Array.from(problem.b1));
  let W2 = from(problem.W2, H, O);
  let b2 = Matrix.rowVector(Array.from(problem.b2));
  const Xt = X.transpose();
  return {
    step() {
      const h = X.mmul(W1).addRowVector(b1);
      const r = h.clone().apply(function relu(i, j) {
        if (this.get(i, j) < 0) this.set(i, j, 0);
      });
      const pred = r.mmul(W2).addRowVector(b2);
      const diff = Matrix.sub(pred, Y);
      const loss = diff.dot(diff);
      const dpred = diff.mul(2);
      const db2 = Matrix.rowVector(dpred.sum('column'));
      const dW2 = r.transpose().mmul(dpred);
      const dh = dpred.mmul(W2.transpose()).apply(function gate(i, j) {
        if (h.get(i, j) <= 0) this.set(i, j, 0);
      });
      const db1 = Matrix.rowVector(dh.sum('column'));
      const dW1 = Xt.mmul(dh);
      W1 = W1.sub(dW1.mul(lr));
      b1 = b1.sub(db1.mul(lr));
      W2 = W2.sub(dW2.mul(lr));
      b2 = b2.sub(db2.mul(lr));
      return loss;
    },
    versions: { 'ml-matrix': packageVersion('ml-matrix') },
  };
}

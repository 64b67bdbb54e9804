// The training step in TensorFlow.js, written out with tensor ops (float32: the only
// floating type TensorFlow.js computes in). The backend is chosen by the module that
// re-exports this one: the pure-JavaScript 'cpu' backend or the WebAssembly one.

import * as tf from '@tensorflow/tfjs';

import { packageVersion } from '../../lib/packages.mjs';

export async function createOn(backendName, problem) {
  await tf.setBackend(backendName);
  await tf.ready();
  const { N, D, H, O, lr } = problem;
  const tensor = (data, shape) => tf.tensor(Float32Array.from(data), shape, 'float32');
  const X = tensor(problem.X, [N, D]);
  const Y = tensor(problem.Y, [N, O]);
  const W1 = tf.variable(tensor(problem.W1, [D, H]));
  const b1 = tf.variable(tensor(problem.b1, [H]));
  const W2 = tf.variable(tensor(problem.W2, [H, O]));
  const b2 = tf.variable(tensor(problem.b2, [O]));

  function step() {
    const loss = tf.tidy(() => {
      const h = tf.add(tf.matMul(X, W1), b1);
      const r = tf.relu(h);
      const pred = tf.add(tf.matMul(r, W2), b2);
      const diff = tf.sub(pred, Y);
      const total = tf.sum(tf.square(diff));
      const dpred = tf.mul(diff, 2);
      const db2 = tf.sum(dpred, 0);
      const dW2 = tf.matMul(r, dpred, true, false);
      const dr = tf.matMul(dpred, W2, false, true);
      const dh = tf.mul(dr, tf.step(h));
      const db1 = tf.sum(dh, 0);
      const dW1 = tf.matMul(X, dh, true, false);
      W1.assign(tf.sub(W1, tf.mul(dW1, lr)));
      b1.assign(tf.sub(b1, tf.mul(db1, lr)));
      W2.assign(tf.sub(W2, tf.mul(dW2, lr)));
      b2.assign(tf.sub(b2, tf.mul(db2, lr)));
      return total;
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  return {
    step,
    versions: { '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs'), backend: tf.getBackend() },
  };
}

// The training step in TensorFlow.js (float32: the only floating type TensorFlow.js
// computes in), in two formulations; the backend is chosen by the module that
// re-exports this one: the pure-JavaScript 'cpu' backend or the WebAssembly one.
//
// 'by-hand', the fastest correct formulation we found: the gradients written out, the
// layers as tf.fused.matMul (bias, and the ReLU, applied in the product's own kernel),
// and every product on operands as stored, transposing first with tf.transpose where
// the chain rule needs a transpose. On the WebAssembly backend only a product whose
// operands are both untransposed reaches XNNPACK: matMul's transposeA / transposeB
// flags send it to a naive loop instead (tfjs 4.22, one thread, at M: 0.70 s per step
// with the flags, 0.04 s with explicit transposes). On the CPU backend the choice makes
// no measurable difference.
//
// 'minimize', as TensorFlow.js teaches training: a loss function handed to
// tf.train.sgd(lr).minimize, which differentiates it (its matMul gradients use the
// transpose flags).

import * as tf from '@tensorflow/tfjs';

import { packageVersion } from '../../lib/packages.mjs';

export const FORMS = ['by-hand', 'minimize'];

export async function createOn(backendName, problem, form = 'by-hand') {
  if (!FORMS.includes(form)) throw new Error(`unknown --form ${form} (expected ${FORMS.join(' or ')})`);
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

  function byHand() {
    return tf.tidy(() => {
      const r = tf.fused.matMul({ a: X, b: W1, bias: b1, activation: 'relu' });
      const pred = tf.fused.matMul({ a: r, b: W2, bias: b2 });
      const diff = tf.sub(pred, Y);
      const total = tf.sum(tf.square(diff));
      const dpred = tf.mul(diff, 2);
      const db2 = tf.sum(dpred, 0);
      const dW2 = tf.matMul(tf.transpose(r), dpred);
      const dr = tf.matMul(dpred, tf.transpose(W2));
      // relu(h) > 0 exactly where h > 0, so the ReLU's output gives the gate.
      const dh = tf.mul(dr, tf.step(r));
      const db1 = tf.sum(dh, 0);
      const dW1 = tf.matMul(tf.transpose(X), dh);
      W1.assign(tf.sub(W1, tf.mul(dW1, lr)));
      b1.assign(tf.sub(b1, tf.mul(db1, lr)));
      W2.assign(tf.sub(W2, tf.mul(dW2, lr)));
      b2.assign(tf.sub(b2, tf.mul(db2, lr)));
      return total;
    });
  }

  const optimizer = tf.train.sgd(lr);
  const lossOf = () => {
    const pred = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(X, W1), b1)), W2), b2);
    return tf.sum(tf.square(tf.sub(pred, Y)));
  };
  const minimize = () => optimizer.minimize(lossOf, true, [W1, b1, W2, b2]);

  const run = form === 'by-hand' ? byHand : minimize;
  function step() {
    const loss = run();
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  return {
    step,
    versions: { '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs'), backend: tf.getBackend(), form },
  };
}

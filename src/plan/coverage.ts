// The built-in parts whose training step is made of the validated BLAS routines and
// kernels only, which a recorded step can therefore stand in for (capturable.ts).
// A part missing here makes every model that uses it train eagerly: correct, only
// slower. What each of these relies on:
//
//   Linear        dgemm and dgemv, and repeatRow for the bias under the product;
//   ReLU, Tanh, Sigmoid, LeakyReLU, GELU
//                 their forward and backward kernels (GELU's Φ(x) kept in an array
//                 between the two); the slope and the approximation never change;
//   Dropout       dropoutForward draws the mask from the layer's generator state, a
//                 Uint32Array it advances in place, which fit reseeds every epoch and
//                 snapshots restore: a replay draws the masks the eager step would;
//   Sequential    nothing of its own: its children decide;
//   the losses    their kernels, each writing the loss into the loss's lossBuffer;
//                 weights and options never change;
//   SGD, Adam, AdamW, RMSprop
//                 a begin kernel and an update kernel per parameter, reading every
//                 number that may change (the learning rate, the step count) from the
//                 optimizer's hyper-parameter array;
//   the metrics   their sums kernels.
//
// Gradient clipping (fit's clipNorm) is the clipGradNorm kernel over the gradients,
// with its norm in the clipper's state array.

import { accuracy } from '../metrics/accuracy.js';
import { meanAbsoluteError } from '../metrics/mae.js';
import { rSquared } from '../metrics/r2.js';
import { rootMeanSquaredError } from '../metrics/rmse.js';
import { Dropout } from '../nn/layers/dropout.js';
import { GELU } from '../nn/layers/gelu.js';
import { LeakyReLU } from '../nn/layers/leaky-relu.js';
import { Linear } from '../nn/layers/linear.js';
import { ReLU } from '../nn/layers/relu.js';
import { Sequential } from '../nn/layers/sequential.js';
import { Sigmoid } from '../nn/layers/sigmoid.js';
import { Tanh } from '../nn/layers/tanh.js';
import { BCEWithLogitsLoss } from '../nn/losses/bce-with-logits-loss.js';
import { CrossEntropyLoss } from '../nn/losses/cross-entropy-loss.js';
import { HuberLoss } from '../nn/losses/huber-loss.js';
import { L1Loss } from '../nn/losses/l1-loss.js';
import { MSELoss } from '../nn/losses/mse-loss.js';
import { Adam, AdamW } from '../optim/adam.js';
import { RMSprop } from '../optim/rmsprop.js';
import { SGD } from '../optim/sgd.js';
import { declareCapturable } from './capturable.js';

declareCapturable(Linear, ReLU, Tanh, Sigmoid, LeakyReLU, GELU, Dropout, Sequential);
declareCapturable(MSELoss, L1Loss, HuberLoss, BCEWithLogitsLoss, CrossEntropyLoss);
declareCapturable(SGD, Adam, AdamW, RMSprop);
declareCapturable(meanAbsoluteError, rootMeanSquaredError, rSquared, accuracy);

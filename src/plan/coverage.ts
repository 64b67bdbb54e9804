// The built-in parts whose training step is made of the validated BLAS routines and
// kernels only, which a recorded step can therefore stand in for (capturable.ts).
// A part missing here makes every model that uses it train eagerly: correct, only
// slower. What each of these relies on:
//
//   Linear      dgemm and dgemv, and repeatRow for the bias under the product;
//   ReLU        reluForward and reluBackward;
//   Sequential  nothing of its own: its children decide;
//   SGD         sgdBegin and sgdUpdate, which read the learning rate and every other
//               number from the optimizer's hyper-parameter array;
//   MSELoss     mseLoss, which writes the loss into its lossBuffer;
//   mae         maeSums.

import { meanAbsoluteError } from '../metrics/mae.js';
import { Linear } from '../nn/layers/linear.js';
import { ReLU } from '../nn/layers/relu.js';
import { Sequential } from '../nn/layers/sequential.js';
import { MSELoss } from '../nn/losses/mse-loss.js';
import { SGD } from '../optim/sgd.js';
import { declareCapturable } from './capturable.js';

declareCapturable(Linear, ReLU, Sequential, SGD, MSELoss, meanAbsoluteError);

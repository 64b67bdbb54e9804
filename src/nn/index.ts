export type { InitScheme } from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export { Matrix } from './matrix.js';
export { type BackwardOptions, Module } from './module.js';
export { MSELoss, type MSELossOptions, type Reduction } from './mse-loss.js';
export { Parameter } from './parameter.js';
export { ReLU } from './relu.js';
export { Sequential } from './sequential.js';
export { SGD, type SGDOptions } from './sgd.js';

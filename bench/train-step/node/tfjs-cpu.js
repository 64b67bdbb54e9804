// TensorFlow.js on its pure-JavaScript CPU backend (float32, one thread).
import { createOn } from './tfjs.js';

export const create = (problem, { form }) => createOn('cpu', problem, form);

// TensorFlow.js on its WebAssembly backend (XNNPACK kernels, float32).
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';

import { packageVersion } from '../../lib/packages.mjs';
import { createOn } from './tfjs.js';

export async function create(problem, { threads, form }) {
  // Honoured only where the threaded WebAssembly build can run; reported either way.
  tfWasm.setThreadsCount?.(threads);
  const peer = await createOn('wasm', problem, form);
  return {
    ...peer,
    versions: {
      ...peer.versions,
      '@tensorflow/tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm'),
      wasmThreads: tfWasm.getThreadsCount?.(),
    },
  };
}

// The slots of the Int32Array, over a SharedArrayBuffer, through which a scenario
// (scenario.mjs) and its dgemm workers (gemm-worker.mjs) coordinate without timing:
// each worker adds 1 to RUNNING as it enters its loop, and leaves the loop, after at
// least one call, once the scenario has set STOP to 1.
export const STOP = 0;
export const RUNNING = 1;
export const SLOTS = 2;

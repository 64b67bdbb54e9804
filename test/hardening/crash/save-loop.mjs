// Child process for the crash-safety check: continues from the model file at argv[2]
// (or starts one), then saves generation after generation in a loop until it is
// killed. Generation g's weights are all `weightFor(g, i)`, so a reader can tell a
// whole generation from a torn one. Prints "saved <g>" after each save resolves.

import { TwoLayerRegressor } from '../../../dist/index.js';
import { CONFIG, weightsFor } from './generations.mjs';

const path = process.argv[2];

let generation = 0;
let model;
try {
  model = await TwoLayerRegressor.load(path);
  generation = model.metadata.generation + 1;
} catch (error) {
  if (error?.name !== 'ModelFileError') throw error;
  model = new TwoLayerRegressor(CONFIG);
}

for (;;) {
  model.loadStateDict(weightsFor(generation, model.stateDict()));
  model.metadata = { generation };
  await model.save(path);
  process.stdout.write(`saved ${generation}\n`);
  generation++;
}

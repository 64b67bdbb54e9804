#!/usr/bin/env node
// The baseline: the benchmark's jobs as local fits in one process, `concurrency` at a
// time on the default background pool, on the same rows — read and prepared once, as
// a program training many models on one machine would, or with --read-each by every
// fit, as every queue job does. With --tiny, the latency of one tiny fit after another
// instead (data in memory).
//
//   node bench/queue/local-peer.js --dir DIR --jobs 16 --concurrency 2 [--read-each] [--tiny 20]

import { parseArgs } from 'node:util';

import { readNumericCsv } from '../../dist/data/csv.js';
import { fitStandardisation, standardise } from '../../dist/data/standardise.js';
import { datasetFromTable } from '../../dist/data/table.js';
import { Model } from '../../dist/index.js';
import { emitResult } from '../lib/measure.mjs';
import { median } from '../lib/stats.mjs';
import { JOB, jobSpecs, samplesPerJob, TINY_JOB, writeData } from './workload.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    jobs: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '2' },
    tiny: { type: 'string' },
    'read-each': { type: 'boolean', default: false },
  },
});
const shape = values.tiny ? TINY_JOB : JOB;
const data = await writeData(values.dir, shape);

/** The rows as a job prepares them: read, then standardised with the training rows' statistics. */
async function prepared() {
  const { x, y } = datasetFromTable(await readNumericCsv(data.path), data.targets);
  const trainRows = x.rows - Math.floor(x.rows * shape.validationSplit);
  standardise(x, fitStandardisation(x, trainRows));
  standardise(y, fitStandardisation(y, trainRows));
  return { x, y };
}

const once = await prepared();
const train = async (spec) => {
  const { x, y } = values['read-each'] ? await prepared() : once;
  return Model.fromConfig(spec.model).fit(x, y, spec.fit);
};

// Warm-up: starts the pool's workers and compiles the hot code.
await Promise.all(jobSpecs(data, TINY_JOB, 2, 1000).map(train));

if (values.tiny) {
  const latencies = [];
  for (const spec of jobSpecs(data, shape, Number(values.tiny))) {
    const started = performance.now();
    await train(spec);
    latencies.push(performance.now() - started);
  }
  emitResult({ latencyMs: median(latencies), latencies });
} else {
  const specs = jobSpecs(data, shape, Number(values.jobs));
  const concurrency = Number(values.concurrency);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < specs.length) await train(specs[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  emitResult({
    seconds,
    jobsPerSecond: specs.length / seconds,
    samplesPerSecond: (specs.length * samplesPerJob(shape)) / seconds,
  });
}

// The metrics a model can report, by name. Adding a metric is one line here.

import type { Task } from '../nn/losses/loss.js';
import { checkOneOf, rangeError, typeError } from '../util/check.js';
import { accuracy } from './accuracy.js';
import { meanAbsoluteError } from './mae.js';
import type { Metric } from './metric.js';
import { rSquared } from './r2.js';
import { rootMeanSquaredError } from './rmse.js';

const METRICS: ReadonlyMap<string, Metric> = new Map(
  [accuracy, meanAbsoluteError, rootMeanSquaredError, rSquared].map((m) => [m.name, m]),
);

export function metricNames(): string[] {
  return [...METRICS.keys()];
}

/** The metric of this name, or undefined. */
export function metricByName(name: string): Metric | undefined {
  return METRICS.get(name);
}

/** The metrics named by `names` (an array of metric names), each once, all meant for a loss of this task. */
export function metricsByName(name: string, names: unknown, task: Task): Metric[] {
  if (!Array.isArray(names)) throw typeError(name, `an array of metric names (${metricNames().join(', ')})`, names);
  const chosen = names.map((entry, i) => {
    const metric = METRICS.get(checkOneOf(`${name}[${i}]`, entry, metricNames()))!;
    if (!metric.tasks.includes(task)) {
      const fitting = [...METRICS.values()].filter((m) => m.tasks.includes(task)).map((m) => m.name);
      throw rangeError(`${name}[${i}]`, `a metric for a ${task} loss (${fitting.join(', ')})`, entry);
    }
    return metric;
  });
  return [...new Set(chosen)];
}

// The metrics a model can report, by name. Adding a metric is one line here.

import { checkOneOf, typeError } from '../util/check.js';
import { meanAbsoluteError } from './mae.js';
import type { Metric } from './metric.js';

const METRICS: ReadonlyMap<string, Metric> = new Map([[meanAbsoluteError.name, meanAbsoluteError]]);

export function metricNames(): string[] {
  return [...METRICS.keys()];
}

/** The metrics named by `names` (an array of metric names), each once. */
export function metricsByName(name: string, names: unknown): Metric[] {
  if (!Array.isArray(names)) throw typeError(name, `an array of metric names (${metricNames().join(', ')})`, names);
  const chosen = names.map((entry, i) => METRICS.get(checkOneOf(`${name}[${i}]`, entry, metricNames()))!);
  return [...new Set(chosen)];
}

// The preparation `blasprop train` gives its rows before training, shared with
// training jobs on a queue so that the same options give the same model either way:
// rows shuffled into a seeded order, then — when asked — features and targets
// standardised with the statistics of the training rows only (the first `trainRows`
// of the shuffled order: fit holds out the last ones for validation).

import type { Matrix } from '../nn/matrix.js';
import { type Dataset, shuffleRows } from './dataset.js';
import { fitStandardisation, type Standardisation, standardise } from './standardise.js';

export interface PreparedDataset extends Dataset {
  /** The targets in their original units (before any scaling), for metrics. */
  targets: Matrix;
  /** The scaling of features and targets; `y` is absent when the targets keep their values (class indices). */
  standardisation: { x: Standardisation; y?: Standardisation } | undefined;
}

export interface Preparation {
  /** Seed of the row order; undefined keeps the rows in file order. */
  shuffleSeed: number | undefined;
  standardise: boolean;
  /** Whether standardising scales the targets too (default true); class indices must stay as they are. */
  standardiseTargets?: boolean;
  /** Rows the scaling is measured on. */
  trainRows: number;
  /** Where the rows came from, for messages. */
  source: string;
}

export function prepareDataset(data: Dataset, preparation: Preparation): PreparedDataset {
  const shuffled = preparation.shuffleSeed === undefined ? data : shuffleRows(data, preparation.shuffleSeed);
  const { x, y, featureNames, targetNames } = shuffled;
  const targets = y.clone();
  if (!preparation.standardise) return { x, y, featureNames, targetNames, targets, standardisation: undefined };
  const standardisation: { x: Standardisation; y?: Standardisation } = {
    x: fitStandardisation(x, preparation.trainRows),
  };
  standardise(x, standardisation.x, featureNames, preparation.source);
  if (preparation.standardiseTargets ?? true) {
    standardisation.y = fitStandardisation(y, preparation.trainRows);
    standardise(y, standardisation.y, targetNames, preparation.source);
  }
  return { x, y, featureNames, targetNames, targets, standardisation };
}

/** Rows from elsewhere (validation data, new data) scaled as the training rows were. */
export function standardiseLike(
  data: { x: Matrix; y: Matrix },
  prepared: Pick<PreparedDataset, 'standardisation' | 'featureNames' | 'targetNames'>,
  source: string,
): void {
  if (prepared.standardisation === undefined) return;
  standardise(data.x, prepared.standardisation.x, prepared.featureNames, source);
  if (prepared.standardisation.y) standardise(data.y, prepared.standardisation.y, prepared.targetNames, source);
}

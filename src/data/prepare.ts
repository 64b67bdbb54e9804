// The preparation `blasprop train` gives its rows before training, shared with
// training jobs on a queue so that the same options give the same model either way:
// rows shuffled into a seeded order, then — when asked — features and targets
// standardised with the statistics of the training rows only (the first `trainRows`
// of the shuffled order: fit holds out the last ones for validation).

import type { Matrix } from '../nn/matrix.js';
import { type Dataset, shuffleRows } from './dataset.js';
import { columnMeans, fillMissing, hasMissing, type MissingMode } from './missing.js';
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

export interface TrainingRowsPreparation {
  /** Seed of the row order; undefined keeps the rows in file order. */
  shuffleSeed: number | undefined;
  /** How missing values (NaN) were dealt with: 'mean' fills them once the training rows are known. */
  missing: MissingMode;
  /** The value each input's gaps are filled with under 'mean'; undefined: its mean over the training rows. */
  fill?: readonly number[];
  standardise: boolean;
  /** False for a classifier, whose targets are class indices. */
  standardiseTargets: boolean;
  /** Where the rows came from, for messages. */
  source: string;
}

export interface PreparedTrainingRows<Plan> extends PreparedDataset {
  /** What `plan` returned for the rows (gaps filled). */
  plan: Plan;
  /** The values gaps were filled with ('mean'), for the model's metadata; undefined otherwise. */
  fill: number[] | undefined;
}

/**
 * The whole preparation of a training table, for `blasprop train` and a queued job
 * alike: rows shuffled, the fit planned on them (`plan`, which gives the training
 * rows — the fit checks every value is finite, so it sees the gaps filled, with zeros
 * when their means are still to be taken), the gaps filled under 'mean', and the rows
 * standardised with the training rows' statistics.
 */
export function prepareTrainingRows<Plan extends { trainRows: number }>(
  data: Dataset,
  preparation: TrainingRowsPreparation,
  plan: (x: Matrix, y: Matrix) => Plan,
): PreparedTrainingRows<Plan> {
  const shuffled = preparation.shuffleSeed === undefined ? data : shuffleRows(data, preparation.shuffleSeed);
  const gaps = hasMissing(shuffled.x);
  const given = preparation.fill;
  const planned = plan(
    gaps ? fillMissing(shuffled.x.clone(), given ?? new Array(shuffled.x.cols).fill(0)) : shuffled.x,
    shuffled.y,
  );
  const fill =
    preparation.missing !== 'mean'
      ? undefined
      : given !== undefined
        ? [...given]
        : columnMeans(shuffled.x, planned.trainRows, shuffled.featureNames, preparation.source);
  if (fill) fillMissing(shuffled.x, fill);
  const prepared = prepareDataset(shuffled, {
    shuffleSeed: undefined,
    standardise: preparation.standardise,
    standardiseTargets: preparation.standardiseTargets,
    trainRows: planned.trainRows,
    source: preparation.source,
  });
  return { ...prepared, plan: planned, fill };
}

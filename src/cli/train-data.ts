import type { Dataset } from '../data/dataset.js';
import { friedman1 } from '../data/friedman.js';
import { IRIS_FEATURES, IRIS_LABELS, IRIS_TARGET, iris } from '../data/iris.js';
import { keepRowsFor, type MissingMode } from '../data/missing.js';
import { randomNormalDataset } from '../data/random-normal.js';
import { readTableLike, readTrainingTable, type TableLayout } from '../data/training-table.js';
import type { Matrix } from '../nn/matrix.js';
import { DATA_SEED, FRIEDMAN_ROWS, POST_DATA } from './presets.js';
import type { DataSource } from './train-options.js';

export interface LoadedData {
  /** Rows with missing values possibly among them (NaN), when --missing mean lets them through. */
  data: Dataset;
  /** A short name for summaries and the chart, e.g. "Friedman #1" or the file name. */
  name: string;
  /** How the rows were read: the feature columns and their categories, the labels of a classifier. */
  layout: TableLayout | undefined;
  missing: MissingMode;
  /** Rows left out for a missing value. */
  dropped: number;
}

export async function loadTrainingData(source: DataSource): Promise<LoadedData> {
  const generated = (data: Dataset, name: string, layout?: TableLayout): LoadedData => ({
    data,
    name,
    layout,
    missing: 'error',
    dropped: 0,
  });
  switch (source.kind) {
    case 'friedman1':
      return generated(friedman1(FRIEDMAN_ROWS, DATA_SEED), 'Friedman #1');
    case 'iris':
      return generated(iris(), "Fisher's iris", {
        features: IRIS_FEATURES.map((name) => ({ name, type: 'number' })),
        targetNames: [IRIS_TARGET],
        classes: { target: IRIS_TARGET, labels: [...IRIS_LABELS] },
      });
    case 'post':
      return generated(
        randomNormalDataset(POST_DATA.rows, POST_DATA.features, POST_DATA.targets, DATA_SEED),
        `random normal data (N=${POST_DATA.rows}, D=${POST_DATA.features}, O=${POST_DATA.targets})`,
      );
    case 'csv': {
      const { layout, ...data } = await readTrainingTable(source.path, source);
      const kept = keepRowsFor(data, source.missing, source.path);
      return { data: kept.data, name: source.path, layout, missing: source.missing, dropped: kept.dropped };
    }
  }
}

/**
 * Rows to validate on from a CSV file of its own: the training data's feature and
 * target columns, by name (in any order; other columns are not read), with missing
 * values dealt with as in the training rows (left as NaN for 'mean' to fill).
 */
export async function loadValidationData(path: string, training: LoadedData): Promise<{ x: Matrix; y: Matrix }> {
  const { layout, data, missing } = training;
  const { x, y } = await readTableLike(
    path,
    layout ?? {
      features: data.featureNames.map((name) => ({ name, type: 'number' })),
      targetNames: data.targetNames,
      classes: undefined,
    },
    { withTargets: true, allowMissing: missing !== 'error' },
  );
  const kept = keepRowsFor({ ...data, x, y: y! }, missing, path);
  return { x: kept.data.x, y: kept.data.y };
}

import { readCsv } from '../data/csv.js';
import type { Dataset } from '../data/dataset.js';
import { friedman1 } from '../data/friedman.js';
import { randomNormalDataset } from '../data/random-normal.js';
import { numberColumns, readTrainingCsv, selectColumns } from '../data/table.js';
import type { Matrix } from '../nn/matrix.js';
import { DATA_SEED, FRIEDMAN_ROWS, POST_DATA } from './presets.js';
import type { DataSource } from './train-options.js';

export interface LoadedData {
  data: Dataset;
  /** A short name for summaries and the chart, e.g. "Friedman #1" or the file name. */
  name: string;
}

export async function loadTrainingData(source: DataSource): Promise<LoadedData> {
  switch (source.kind) {
    case 'friedman1':
      return { data: friedman1(FRIEDMAN_ROWS, DATA_SEED), name: 'Friedman #1' };
    case 'post':
      return {
        data: randomNormalDataset(POST_DATA.rows, POST_DATA.features, POST_DATA.targets, DATA_SEED),
        name: `random normal data (N=${POST_DATA.rows}, D=${POST_DATA.features}, O=${POST_DATA.targets})`,
      };
    case 'csv':
      return { data: await readTrainingCsv(source.path, source.targets), name: source.path };
  }
}

/**
 * Rows to validate on from a CSV file of its own: the training data's feature and
 * target columns, by name (in any order; other columns are not read).
 */
export async function loadValidationData(path: string, training: Dataset): Promise<{ x: Matrix; y: Matrix }> {
  const { featureNames, targetNames } = training;
  const table = await readCsv(path, () => numberColumns([...targetNames, ...featureNames]));
  return { x: selectColumns(table, featureNames), y: selectColumns(table, targetNames) };
}

// The real tables the defaults are measured on, each read from a package installed on
// this machine and written as one CSV file with a header row, as a user would have it.
// Nothing is downloaded, and no copy is committed.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const SKLEARN_DATA = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
// The package exports only its index (build/index.js), whose folder sits beside data/.
const VEGA_DATA = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

/**
 * Each table: where it comes from and under what licence, its target and task, and a
 * loader returning { header, rows } (rows of cells, text or numbers).
 */
export const TABLES = [
  {
    name: 'Auto MPG',
    file: 'cars.csv',
    source: 'vega-datasets 3.2.1 (npm), data/cars.json: the UCI Auto MPG data',
    licence: 'BSD-3-Clause (vega-datasets); the UCI data are public',
    task: 'regression',
    target: 'Miles_per_Gallon',
    // The car's name identifies it: no feature.
    ignore: ['Name'],
    load: () => {
      const cars = JSON.parse(readFileSync(join(VEGA_DATA, 'cars.json'), 'utf8'));
      const header = [
        'Miles_per_Gallon',
        'Cylinders',
        'Displacement',
        'Horsepower',
        'Weight_in_lbs',
        'Acceleration',
        'Year',
        'Origin',
        'Name',
      ];
      // Rows without a target or a horsepower (14 of 406) are left out, for every tool alike.
      const rows = cars
        .filter((car) => car.Miles_per_Gallon !== null && car.Horsepower !== null)
        .map((car) => header.map((h) => (h === 'Year' ? Number(car.Year.slice(0, 4)) : car[h])));
      return { header, rows };
    },
  },
  {
    name: 'diabetes',
    file: 'diabetes.csv',
    source:
      "scikit-learn's bundled diabetes data (Efron et al. 2004), unscaled (diabetes_data_raw.csv.gz), Debian python3-sklearn",
    licence: 'BSD-3-Clause (scikit-learn)',
    task: 'regression',
    target: 'progression',
    ignore: [],
    load: () => {
      const text = (file) =>
        gunzipSync(readFileSync(join(SKLEARN_DATA, file)))
          .toString('utf8')
          .trim()
          .split('\n');
      const features = text('diabetes_data_raw.csv.gz').map((line) => line.trim().split(/\s+/).map(Number));
      const target = text('diabetes_target.csv.gz').map(Number);
      const header = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', 'progression'];
      return { header, rows: features.map((row, i) => [...row, target[i]]) };
    },
  },
  {
    name: 'diamonds',
    file: 'diamonds.csv',
    source: "ggplot2 3.4.1's diamonds data, Debian r-cran-ggplot2 (written out with R's write.csv)",
    licence: 'MIT (ggplot2)',
    task: 'regression',
    target: 'price',
    ignore: [],
    load: () => {
      const csv = execFileSync(
        'Rscript',
        ['-e', 'data(diamonds, package = "ggplot2"); write.csv(diamonds, stdout(), row.names = FALSE)'],
        { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
      );
      const [head, ...lines] = csv.trim().split('\n');
      const unquote = (cell) => (cell.startsWith('"') ? cell.slice(1, -1) : Number(cell));
      return { header: head.split(',').map(unquote), rows: lines.map((line) => line.split(',').map(unquote)) };
    },
  },
  sklearnClassification('iris', 'iris.csv', ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], 'species'),
  sklearnClassification(
    'wine',
    'wine_data.csv',
    [
      'alcohol',
      'malic_acid',
      'ash',
      'alcalinity_of_ash',
      'magnesium',
      'total_phenols',
      'flavanoids',
      'nonflavanoid_phenols',
      'proanthocyanins',
      'color_intensity',
      'hue',
      'od280_od315',
      'proline',
    ],
    'cultivar',
  ),
  sklearnClassification('breast cancer', 'breast_cancer.csv', undefined, 'diagnosis'),
];

/** One of scikit-learn's classification CSV files: "rows,features,label names…", then rows ending in a class index. */
function sklearnClassification(name, file, featureNames, target) {
  return {
    name,
    file: `${name.replace(' ', '-')}.csv`,
    source: `scikit-learn's bundled ${name} data (sklearn/datasets/data/${file}), Debian python3-sklearn`,
    licence: 'BSD-3-Clause (scikit-learn); the UCI data are public',
    task: 'classification',
    target,
    ignore: [],
    load: () => {
      const [head, ...lines] = readFileSync(join(SKLEARN_DATA, file), 'utf8').trim().split('\n');
      const [, features, ...labels] = head.split(',');
      const names = featureNames ?? Array.from({ length: Number(features) }, (_, i) => `f${i + 1}`);
      const rows = lines.map((line) => {
        const cells = line.split(',');
        return [...cells.slice(0, -1).map(Number), labels[Number(cells.at(-1))]];
      });
      return { header: [...names, target], rows };
    },
  };
}

/** CSV text of a header and rows (text quoted when it holds a comma or a quote). */
export function toCsv(header, rows) {
  const cell = (v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

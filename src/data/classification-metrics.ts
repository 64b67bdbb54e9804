// How well predicted classes match true ones: accuracy, each class's precision and
// recall, and the confusion matrix — computed from class indices, for the summaries of
// `blasprop train` and `blasprop evaluate`.

export interface ClassScores {
  label: string;
  /** Rows of this class. */
  support: number;
  /** Of the rows predicted to be this class, the fraction that are; null when none was predicted. */
  precision: number | null;
  /** Of the rows of this class, the fraction predicted so; null when there are none. */
  recall: number | null;
}

export interface ClassificationReport {
  rows: number;
  accuracy: number;
  classes: ClassScores[];
  /** confusion[t][p]: rows of true class t predicted as class p. */
  confusion: number[][];
}

/** The report for predicted and true class indices (integers in [0, labels.length)). */
export function classificationReport(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  labels: readonly string[],
): ClassificationReport {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const classes = labels.map((label, c) => {
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((sum, row) => sum + row[c], 0);
    return {
      label,
      support,
      precision: predictedAs === 0 ? null : confusion[c][c] / predictedAs,
      recall: support === 0 ? null : confusion[c][c] / support,
    };
  });
  return { rows: truth.length, accuracy: truth.length === 0 ? Number.NaN : correct / truth.length, classes, confusion };
}

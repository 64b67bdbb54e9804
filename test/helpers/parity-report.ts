import { afterAll } from 'vitest';

/**
 * The largest error of `actual` against `expected`, each element's relative to the
 * larger of its expected magnitude and the array's largest, as expectClose measures it.
 */
export function worstRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    const relative = error === 0 ? 0 : error / Math.max(Math.abs(expected[i]), scale);
    worst = Math.max(worst, Number.isNaN(relative) ? Number.POSITIVE_INFINITY : relative);
  }
  return worst;
}

/**
 * Collects the worst error per fixture and quantity, and prints them as a table after
 * the file's tests when BLASPROP_PARITY_REPORT is set: the figures behind a parity
 * claim come from the very comparisons that assert it.
 */
export class ParityReport {
  private readonly rows = new Map<string, Map<string, number>>();

  constructor(title: string) {
    afterAll(() => {
      if (!process.env.BLASPROP_PARITY_REPORT) return;
      const columns = [...new Set([...this.rows.values()].flatMap((r) => [...r.keys()]))];
      const cell = (v: number | undefined) => (v === undefined ? '' : v === 0 ? '0' : v.toExponential(1));
      const lines = [
        `${title}: worst relative error (to the array's largest magnitude)`,
        `| fixture | ${columns.join(' | ')} |`,
        `| --- |${columns.map(() => ' ---: |').join('')}`,
        ...[...this.rows].map(([name, r]) => `| ${name} | ${columns.map((c) => cell(r.get(c))).join(' | ')} |`),
      ];
      console.log(lines.join('\n'));
    });
  }

  /** Records the error of one comparison and returns it. */
  record(fixture: string, quantity: string, actual: ArrayLike<number>, expected: ArrayLike<number>): number {
    const error = worstRelativeError(actual, expected);
    const row = this.rows.get(fixture) ?? new Map<string, number>();
    row.set(quantity, Math.max(row.get(quantity) ?? 0, error));
    this.rows.set(fixture, row);
    return error;
  }
}

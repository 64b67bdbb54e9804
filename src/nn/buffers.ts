import type { DType, FloatArray } from '../util/dtype.js';
import { Matrix } from './matrix.js';

/**
 * Matrices keyed by row count, so that alternating batch sizes (full batches and a
 * shorter last one) reuse their memory instead of reallocating every epoch. A few
 * sizes are kept; the oldest is dropped first. New matrices start filled with
 * `initial` (a column of ones sums a matrix's rows through dgemv).
 */
export class BufferCache {
  private readonly entries = new Map<number, Matrix<FloatArray>>();

  constructor(
    private readonly cols: number,
    private readonly initial = 0,
    private readonly capacity = 4,
    private readonly dtype: DType = 'float64',
  ) {}

  get(rows: number): Matrix<FloatArray> {
    let m = this.entries.get(rows);
    if (m === undefined) {
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as number);
      m = new Matrix<FloatArray>(rows, this.cols, { dtype: this.dtype });
      if (this.initial !== 0) m.data.fill(this.initial);
      this.entries.set(rows, m);
    }
    return m;
  }
}

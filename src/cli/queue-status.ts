// How the queue commands show jobs: as JSON, as one line, and as a table.

import type { TrainingJobStatus } from '../queue/index.js';

/** A status as plain JSON: the error as its name and message, times as ISO strings. */
export function jsonStatus(status: TrainingJobStatus): Record<string, unknown> {
  const { error, submittedAt, finishedAt, ...rest } = status;
  return {
    ...rest,
    submittedAt: new Date(submittedAt).toISOString(),
    finishedAt: finishedAt === undefined ? null : new Date(finishedAt).toISOString(),
    error: error === undefined ? null : { name: error.name, message: error.message },
  };
}

/** "job 7 completed: epoch 30/30, loss 0.05123, val loss 0.05342". */
export function formatStatus(status: TrainingJobStatus): string {
  const progress = status.progress;
  const where = progress === undefined ? '' : `: epoch ${epochText(status)}, loss ${number(progress.loss)}`;
  const validation = progress?.valLoss === undefined ? '' : `, val loss ${number(progress.valLoss)}`;
  return `job ${status.id} ${status.state}${where}${validation}`;
}

/** One row per job: id, state, epochs done, losses, attempts, and why it failed. */
export function formatJobTable(statuses: readonly TrainingJobStatus[]): string {
  if (statuses.length === 0) return 'no jobs\n';
  const rows = statuses.map((s) => [
    s.id,
    s.state,
    s.progress === undefined ? '—' : epochText(s),
    s.progress === undefined ? '—' : number(s.progress.loss),
    s.progress?.valLoss === undefined ? '—' : number(s.progress.valLoss),
    `${s.attemptsMade}/${s.attempts}`,
    s.error === undefined ? '' : `${s.error.name}: ${s.error.message}`,
  ]);
  const header = ['ID', 'STATE', 'EPOCH', 'LOSS', 'VAL LOSS', 'ATTEMPTS', ''];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

function epochText(status: TrainingJobStatus): string {
  return `${status.progress!.epoch}/${status.progress!.epochs}`;
}

function number(value: number): string {
  return value.toPrecision(4);
}

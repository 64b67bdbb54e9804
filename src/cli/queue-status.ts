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

/**
 * "job 7 completed: epoch 30/30, loss 0.05123, val loss 0.05342", and for a classifier
 * its accuracy after each loss: "loss 0.4012, accuracy 0.9167, val loss …".
 */
export function formatStatus(status: TrainingJobStatus): string {
  const progress = status.progress;
  if (progress === undefined) return `job ${status.id} ${status.state}`;
  const parts = [`epoch ${epochText(status)}`, `loss ${number(progress.loss)}`];
  if (progress.accuracy !== undefined) parts.push(`accuracy ${number(progress.accuracy)}`);
  if (progress.valLoss !== undefined) parts.push(`val loss ${number(progress.valLoss)}`);
  if (progress.valAccuracy !== undefined) parts.push(`val accuracy ${number(progress.valAccuracy)}`);
  return `job ${status.id} ${status.state}: ${parts.join(', ')}`;
}

/** One row per job: id, state, epochs done, losses (and a classifier's accuracies), attempts, and why it failed. */
export function formatJobTable(statuses: readonly TrainingJobStatus[]): string {
  if (statuses.length === 0) return 'no jobs\n';
  const cell = (value: number | undefined) => (value === undefined ? '—' : number(value));
  const rows = statuses.map((s) => [
    s.id,
    s.state,
    s.progress === undefined ? '—' : epochText(s),
    cell(s.progress?.loss),
    cell(s.progress?.valLoss),
    cell(s.progress?.accuracy),
    cell(s.progress?.valAccuracy),
    `${s.attemptsMade}/${s.attempts}`,
    s.error === undefined ? '' : `${s.error.name}: ${s.error.message}`,
  ]);
  const header = ['ID', 'STATE', 'EPOCH', 'LOSS', 'VAL LOSS', 'ACCURACY', 'VAL ACCURACY', 'ATTEMPTS', ''];
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

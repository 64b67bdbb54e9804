// One attempt at a job, on a worker: build the model from its configuration, read and
// prepare the data, resume from the job's last committed checkpoint if it has one, and
// fit on the local background pool. After every epoch the job's BullMQ progress is
// updated and, when a checkpoint is due, fit's checkpoint file is committed with the
// job (store.ts) together with the History so far. A job that stalls — its worker was
// killed — is given by BullMQ to another worker, which resumes from that checkpoint;
// fit's resume is bit-identical, so the weights are those of an uninterrupted run.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { type Job, UnrecoverableError, WaitingError } from 'bullmq';

import { isCheckpointDue } from '../model/fit/checkpoint.js';
import { type EpochLogs, type History, recordEpoch } from '../model/fit/logs.js';
import { abortError } from '../model/fit/loop.js';
import { type FitOptions, planFit } from '../model/fit/options.js';
import type { Model } from '../model/model.js';
import type { AnyMatrix } from '../nn/matrix.js';
import { prepareJobData } from './data.js';
import { ABORT_REASONS, CANCELLED_MESSAGE, cancelledError, serializeError } from './errors.js';
import { withTemporaryFolder } from './model-bytes.js';
import { checkJobSpec, fitOptionsOf } from './spec.js';
import type { BlobPlacement, JobResultSummary, JobStore } from './store.js';

/** A job's BullMQ progress: where its training is. */
export interface TrainingProgress {
  /** Epochs completed so far (the one just finished, counted from 1). */
  epoch: number;
  /** The epochs the job trains in all. */
  epochs: number;
  /** That epoch's training loss. */
  loss: number;
  /** That epoch's validation loss, when the job validates. */
  valLoss?: number;
  /** A classifier's accuracy over that epoch's training rows (fit's `accuracy` metric), in [0, 1]. */
  accuracy?: number;
  /** A classifier's accuracy on the validation rows, when the job validates. */
  valAccuracy?: number;
}

/** What a worker's `onEpochEnd` is told after each epoch of a job. */
export interface WorkerEpochEvent {
  /** The job's id. */
  id: string;
  /** 0-based, as in fit's onEpochEnd. */
  epoch: number;
  /** The epochs the job trains in all. */
  epochs: number;
  /** The epoch's logs, as fit's onEpochEnd receives them. */
  logs: EpochLogs;
  /** Whether a checkpoint of this epoch was just committed with the job. */
  checkpointed: boolean;
}

/** What BullMQ stores as the job's return value; the result itself is in the job's record. */
export interface JobReturnValue {
  /** Epochs trained. */
  epochs: number;
  /** The size of the trained model file, in bytes. */
  modelBytes: number;
}

export interface JobContext {
  store: JobStore;
  placement: BlobPlacement;
  /** Where the attempt keeps its working files. */
  scratch: string | undefined;
  /** Aborts this job's signal (BullMQ's Worker.cancelJob). */
  abort(reason: string): void;
  /** Told when the attempt starts: at which epoch it resumes (0 for a fresh start). */
  onStart(epoch: number): void;
  onEpochEnd: ((event: WorkerEpochEvent) => void | Promise<void>) | undefined;
}

/** BullMQ's processor, with its lock token and AbortSignal. */
export async function runJob(
  job: Job,
  token: string | undefined,
  signal: AbortSignal,
  context: JobContext,
): Promise<JobReturnValue> {
  const id = job.id!;
  const { store } = context;
  try {
    // A worker killed between committing the result and telling BullMQ leaves a
    // finished job to run again: there is nothing left to train.
    const done = await store.resultSummary(id);
    if (done) return { epochs: done.epochs, modelBytes: done.model.bytes };
    if (await store.isCancelled(id)) context.abort(ABORT_REASONS.cancelled);
    if (signal.aborted) throw abortError(signal);
    return await train(id, job, signal, context);
  } catch (error) {
    throw await settleFailure(job, token, error, signal, store);
  }
}

async function train(id: string, job: Job, signal: AbortSignal, context: JobContext): Promise<JobReturnValue> {
  const { store, placement } = context;
  const { spec, model } = checkJobSpec(job.data);
  const fitOptions = fitOptionsOf(spec.fit, model);
  // The schedule and early stopping, which the progress callback joins.
  const trainingCallbacks = fitOptions.callbacks ?? [];
  const { x, y, metadata } = await prepareJobData(spec.data, model, fitOptions);
  model.metadata = { ...spec.metadata, ...metadata };
  const checkpoint = await store.loadCheckpoint(id);
  if (signal.aborted) throw abortError(signal);

  return withTemporaryFolder(async (folder) => {
    const working = join(folder, 'checkpoint.blasprop');
    const options: FitOptions = {
      ...fitOptions,
      checkpoint: { path: working, everyEpochs: spec.fit.checkpointEvery ?? 1 },
      signal,
    };
    if (checkpoint) {
      options.resume = join(folder, 'resume.blasprop');
      await writeFile(options.resume, checkpoint.file);
    }
    const plan = planFit(model, x, y, options);
    // The History of every epoch the job has run, in this attempt and before it.
    const history: History = checkpoint?.history ?? { epoch: [], history: {} };
    context.onStart(checkpoint?.epochs ?? 0);
    await model.fit(x, y, {
      ...options,
      callbacks: [
        ...trainingCallbacks,
        {
          onEpochEnd: async (epoch, logs) => {
            recordEpoch(history, epoch, logs);
            // EarlyStopping runs on the background pool, out of sight here: an epoch it
            // stops after is committed with the result instead, just after fit returns.
            const checkpointed = isCheckpointDue(plan, epoch, false);
            // Training waits for these, so they go to Redis side by side. Cancellations
            // are also published (worker.ts); looking here catches one published while
            // the worker was not listening (Redis restarting, say).
            const [, , cancelled] = await Promise.all([
              job.updateProgress(progressOf(epoch, plan.epochs, logs)),
              checkpointed &&
                readFile(working).then((file) =>
                  store.commitCheckpoint(id, { epochs: epoch + 1, history, file }, placement),
                ),
              store.isCancelled(id),
            ]);
            if (cancelled) context.abort(ABORT_REASONS.cancelled);
            await context.onEpochEnd?.({ id, epoch, epochs: plan.epochs, logs, checkpointed });
          },
        },
      ],
    });
    const summary: JobResultSummary = {
      epochs: history.epoch.length,
      history,
      metrics: evaluateSplits(model, x, y, plan.trainRows),
      model: { bytes: 0 },
    };
    const file = model.toBytes();
    await store.commitResult(id, summary, file, placement);
    return { epochs: summary.epochs, modelBytes: file.length };
  }, context.scratch);
}

function progressOf(epoch: number, epochs: number, logs: EpochLogs): TrainingProgress {
  const progress: TrainingProgress = { epoch: epoch + 1, epochs, loss: logs.loss };
  if (logs.valLoss !== undefined) progress.valLoss = logs.valLoss;
  if (logs.accuracy !== undefined) progress.accuracy = logs.accuracy;
  if (logs.valAccuracy !== undefined) progress.valAccuracy = logs.valAccuracy;
  return progress;
}

/** The trained model's loss and metrics on its training rows and on its validation rows. */
function evaluateSplits(model: Model, x: AnyMatrix, y: AnyMatrix, trainRows: number): JobResultSummary['metrics'] {
  const metrics: JobResultSummary['metrics'] = {
    training: model.evaluate(x.rowRange(0, trainRows), y.rowRange(0, trainRows)),
  };
  if (trainRows < x.rows)
    metrics.validation = model.evaluate(x.rowRange(trainRows, x.rows), y.rowRange(trainRows, y.rows));
  return metrics;
}

/**
 * The error to hand BullMQ for a failed attempt, after recording it with the job. A
 * cancellation fails the job for good (UnrecoverableError: no retries). A closing
 * worker puts the job back in the queue, where the next worker resumes it from its
 * checkpoint, without counting an attempt. A worker that lost the job's lock records
 * nothing: another worker has the job now.
 */
async function settleFailure(
  job: Job,
  token: string | undefined,
  error: unknown,
  signal: AbortSignal,
  store: JobStore,
): Promise<unknown> {
  const id = job.id!;
  const aborted = error instanceof Error && error.name === 'AbortError';
  if (aborted && signal.reason === ABORT_REASONS.cancelled) {
    await store.recordError(id, serializeError(cancelledError()));
    return new UnrecoverableError(CANCELLED_MESSAGE);
  }
  if (aborted && signal.reason === ABORT_REASONS.shutdown) {
    await job.moveToWait(token);
    return new WaitingError();
  }
  if (aborted && signal.reason === ABORT_REASONS.lockLost) return error;
  await store.recordError(id, serializeError(error));
  return error;
}

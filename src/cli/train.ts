// `blasprop train`: load or generate the data, standardise it, fit a network of
// Linear and ReLU layers with progress, and leave the model, a loss chart and a
// summary behind.

import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { blasInfo, setNumThreads } from '../blas/info.js';
import { classificationReport } from '../data/classification-metrics.js';
import type { ClassLabels } from '../data/encoding.js';
import { rSquared } from '../data/metrics.js';
import { fillMissing } from '../data/missing.js';
import { prepareTrainingRows, standardiseLike } from '../data/prepare.js';
import { type Standardisation, unstandardise } from '../data/standardise.js';
import { categoryFeatures } from '../data/training-table.js';
import { checkWriteTarget, type PendingWrite, prepareFileWrite } from '../io/atomic-write.js';
import { makeDirectory, removeCreatedDirectories } from '../io/make-directory.js';
import { isSameFile } from '../io/read-file.js';
import { TrainingDivergedError } from '../model/errors.js';
import { EarlyStopping } from '../model/fit/early-stopping.js';
import { type FitOptions, planFit } from '../model/fit/options.js';
import type { TrainingCallback } from '../model/fit/training-callback.js';
import type { Model } from '../model/model.js';
import { MSELoss } from '../nn/losses/mse-loss.js';
import type { AnyMatrix, Matrix } from '../nn/matrix.js';
import { renderLossChart } from './chart.js';
import { CommandFailure, EXIT_INTERRUPTED, UsageError } from './errors.js';
import { TRAIN_HELP } from './help.js';
import { type InterruptTrap, isAbortError, trapInterrupt } from './interrupt.js';
import { writeModelMetadata } from './model-metadata.js';
import { buildModel, describeNetwork, hiddenLayers, lossLabels, trainingCallbacks, trainingPlan } from './network.js';
import { CHART_FILE, MODEL_FILE } from './output-files.js';
import { createProgress } from './progress.js';
import { formatJson, formatSummary, type SplitMetrics, type TrainResult } from './report.js';
import { palette, supportsColour } from './terminal.js';
import { type LoadedData, loadTrainingData, loadValidationData } from './train-data.js';
import { parseTrainOptions, type TrainOptions } from './train-options.js';

/** A model ready to fit, on standardised data. */
interface TrainingJob {
  model: Model;
  /** Inputs and targets as the model sees them (standardised when the preset says so). */
  /** In the model's dtype. */
  x: AnyMatrix;
  y: AnyMatrix;
  /** The targets in their original units, for the metrics. */
  targets: Matrix;
  /** Rows to validate on besides x (--validation-data): as the model sees them, and the targets in original units. */
  validation: { x: Matrix; y: Matrix; targets: Matrix } | undefined;
  standardisation: { x: Standardisation; y?: Standardisation } | undefined;
  featureNames: string[];
  targetNames: string[];
  /** A classifier's labels; undefined for regression. */
  classes: ClassLabels | undefined;
  fitOptions: FitOptions;
  /** The schedule and early stopping among fitOptions.callbacks. */
  callbacks: TrainingCallback[];
  /** What the training loss is, for the chart and the progress display. */
  lossLabels: { label: string; name: string };
  /** Rows [0, trainRows) train; the rest validate. */
  trainRows: number;
  batchSize: number;
}

interface FitRun {
  history: { epoch: number[]; loss: number[]; valLoss: number[] };
  samples: number;
  seconds: number;
  /** 0-based epoch of the last batch run. */
  lastEpoch: number;
  interrupted: boolean;
}

export async function trainCommand(args: readonly string[]): Promise<number> {
  const options = parseTrainOptions(args);
  if (options === undefined) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  if (options.threads !== undefined) setNumThreads(options.threads);
  const loaded = await loadTrainingData(options.source);
  const validation =
    options.validationData === undefined ? undefined : await loadValidationData(options.validationData, loaded);
  const job = prepareTraining(loaded, validation, options);
  const outputs = { model: join(options.outDir, MODEL_FILE), chart: join(options.outDir, CHART_FILE) };
  await checkOutputs(options, outputs);
  // Made now, so that an unusable --out fails before training rather than after; and
  // removed again, if still empty, when nothing gets saved there.
  const created = await makeDirectory(options.outDir);

  const interrupt = trapInterrupt();
  let saved = false;
  try {
    const run = await runFit(job, options, interrupt);
    if (run.interrupted && run.samples === 0) {
      process.stderr.write('blasprop: interrupted before the first batch; nothing was saved\n');
      return EXIT_INTERRUPTED;
    }
    const result = await saveResults(job, run, options, loaded.name, loaded.dropped, outputs);
    saved = true;
    process.stdout.write(
      options.json ? formatJson(result) : formatSummary(result, palette(supportsColour(process.stdout))),
    );
    if (run.interrupted) {
      process.stderr.write(
        `blasprop: interrupted during epoch ${run.lastEpoch + 1} of ${options.epochs}; ` +
          `the model trained so far is saved in ${result.files.model}\n`,
      );
      return EXIT_INTERRUPTED;
    }
    return 0;
  } finally {
    interrupt.dispose();
    if (!saved) await removeCreatedDirectories(created);
  }
}

/**
 * Refuses, before any training, outputs that could not be written (a directory or a
 * device where a file goes, a read-only file) and a --data file that training would
 * overwrite with its output.
 */
async function checkOutputs(options: TrainOptions, outputs: { model: string; chart: string }): Promise<void> {
  for (const path of Object.values(outputs)) {
    if (options.source.kind === 'csv' && (await isSameFile(options.source.path, path))) {
      throw new UsageError(`--data ${options.source.path} is ${path}, which training writes: choose another --out`);
    }
    await checkWriteTarget(path);
  }
}

function prepareTraining(
  loaded: LoadedData,
  validationSet: { x: Matrix; y: Matrix } | undefined,
  options: TrainOptions,
): TrainingJob {
  const { data, layout, name } = loaded;
  const classes = layout?.classes;
  const plan = trainingPlan(options, {
    rows: data.x.rows,
    inputSize: data.x.cols,
    outputSize: data.y.cols,
    classes: classes?.labels.length,
  });
  const model = buildModel(plan.network);
  const callbacks = trainingCallbacks(model, plan.callbacks);
  const fitOptions: FitOptions = { ...plan.fit, callbacks };
  const prepared = prepareTrainingRows(
    data,
    {
      shuffleSeed: options.seed,
      missing: loaded.missing,
      standardise: options.preset.standardise,
      standardiseTargets: classes === undefined,
      source: name,
    },
    // Planned on the data as the model will take it: fit checks its dtype first.
    (x, y) =>
      planFit(
        model,
        model.dtype === 'float64' ? x : x.astype(model.dtype),
        model.dtype === 'float64' ? y : y.astype(model.dtype),
        fitOptions,
      ),
  );
  const { fill } = prepared;
  const { trainRows, batchSize: plannedBatchSize } = prepared.plan;
  let validation: TrainingJob['validation'];
  if (validationSet && options.validationData) {
    if (fill) fillMissing(validationSet.x, fill);
    const targets = validationSet.y.clone();
    standardiseLike(validationSet, prepared, options.validationData);
    fitOptions.validationData = [validationSet.x.astype(model.dtype), validationSet.y.astype(model.dtype)];
    validation = { ...validationSet, targets };
  }
  const { targets, standardisation, featureNames, targetNames } = prepared;
  // Data is read and prepared in float64; a float32 model trains on a copy converted
  // once here, so that fit never converts on its hot path.
  const [x, y] =
    model.dtype === 'float64'
      ? [prepared.x, prepared.y]
      : [prepared.x.astype(model.dtype), prepared.y.astype(model.dtype)];
  writeModelMetadata(
    model,
    {
      featureNames,
      features: categoryFeatures(layout),
      targetNames,
      classes,
      missing: loaded.missing === 'error' ? undefined : { mode: loaded.missing, fill },
      standardisation,
    },
    { data: name },
  );
  const batchSize = Math.min(plannedBatchSize, trainRows);
  return {
    model,
    x,
    y,
    targets,
    validation,
    standardisation,
    featureNames,
    targetNames,
    classes,
    fitOptions,
    callbacks,
    lossLabels: lossLabels(plan.network, options.preset),
    trainRows,
    batchSize,
  };
}

async function runFit(job: TrainingJob, options: TrainOptions, interrupt: InterruptTrap): Promise<FitRun> {
  const run: FitRun = {
    history: { epoch: [], loss: [], valLoss: [] },
    samples: 0,
    seconds: 0,
    lastEpoch: 0,
    interrupted: false,
  };
  const progress = createProgress(
    options.json ? 'none' : process.stderr.isTTY ? 'bar' : 'lines',
    {
      epochs: options.epochs,
      batchesPerEpoch: Math.ceil(job.trainRows / job.batchSize),
      lossName: job.lossLabels.name,
    },
    process.stderr,
    palette(supportsColour(process.stderr)),
  );
  const started = performance.now();
  try {
    await job.model.fit(job.x, job.y, {
      ...job.fitOptions,
      signal: interrupt.signal,
      callbacks: [
        ...job.callbacks,
        {
          onBatchEnd(batch, logs) {
            run.samples += logs.size;
            run.lastEpoch = logs.epoch;
            progress.batchEnd(logs, batch);
          },
          onEpochEnd(epoch, logs) {
            run.history.epoch.push(epoch);
            run.history.loss.push(logs.loss);
            if (logs.valLoss !== undefined) run.history.valLoss.push(logs.valLoss);
            progress.epochEnd(epoch, logs);
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof TrainingDivergedError) {
      const where = error.epoch === undefined ? '' : ` in epoch ${error.epoch + 1}, batch ${(error.batch ?? 0) + 1}`;
      throw new CommandFailure(
        `training diverged${where} (the loss became ${error.loss}); try a smaller --lr than ${options.lr}`,
      );
    }
    if (!isAbortError(error)) throw error;
    run.interrupted = true;
  } finally {
    progress.stop();
  }
  run.seconds = (performance.now() - started) / 1000;
  return run;
}

/**
 * Writes the model and the chart, and measures the model. The two files belong together,
 * so the chart is written to its temporary first and renamed only once the model is
 * saved: when either write fails (a full disk, say), the folder keeps the previous
 * model and chart, not a new model beside an old chart.
 */
async function saveResults(
  job: TrainingJob,
  run: FitRun,
  options: TrainOptions,
  name: string,
  dropped: number,
  outputs: { model: string; chart: string },
): Promise<TrainResult> {
  const { model, x, targets, trainRows } = job;
  let chart: PendingWrite | undefined;
  if (run.history.epoch.length > 0) {
    const svg = await renderLossChart({
      title: run.history.valLoss.length > 0 ? 'Training and validation loss' : 'Training loss',
      subtitle: `${name} · ${describeNetwork(model)} · batch ${job.batchSize} · lr ${options.lr} · seed ${options.seed}`,
      lossLabel: job.lossLabels.label,
      epochs: run.history.epoch,
      loss: run.history.loss,
      valLoss: run.history.valLoss,
    });
    chart = await prepareFileWrite(outputs.chart, Buffer.from(svg));
  }
  try {
    await model.save(outputs.model);
  } catch (error) {
    await chart?.abort();
    throw error;
  }
  try {
    await chart?.commit();
  } finally {
    // Without a new chart (none drawn, or its rename failed), an old one would describe another model.
    if (chart === undefined || !chart.committed) await removeRegularFile(outputs.chart);
  }
  const info = blasInfo();
  const stopping = job.callbacks.find((c): c is EarlyStopping => c instanceof EarlyStopping);
  return {
    data: {
      name,
      rows: x.rows,
      features: job.featureNames,
      targets: job.targetNames,
      labels: job.classes ? [...job.classes.labels] : null,
      droppedRows: dropped,
    },
    model: {
      inputSize: model.inputSize,
      layers: hiddenLayers(model),
      outputSize: model.outputSize,
      network: describeNetwork(model),
      parameters: model.network.parameters().reduce((sum, p) => sum + p.value.data.length, 0),
      reduction: options.preset.reduction,
      init: options.preset.init ?? 'by activation',
      seed: options.seed,
      activation: options.activation,
      dropout: options.dropout,
      loss: model.loss.toConfig().type,
      optimizer: model.optimizer.toConfig().type,
      momentum: options.momentum,
      weightDecay: (model.optimizer.toConfig().weightDecay as number | undefined) ?? 0,
      dtype: model.dtype,
    },
    training: {
      epochs: options.epochs,
      epochsCompleted: run.history.epoch.length,
      batchSize: job.batchSize,
      lr: options.lr,
      standardised: job.standardisation !== undefined,
      lossLabel: job.lossLabels.label,
      clipNorm: job.fitOptions.clipNorm ?? null,
      schedule: options.schedule ?? null,
      earlyStopping: stopping
        ? { patience: stopping.patience, stoppedEpoch: stopping.stoppedEpoch, bestEpoch: stopping.bestEpoch }
        : null,
    },
    history: run.history,
    metrics: {
      training: measure(job, x, targets, 0, trainRows),
      validation: job.validation
        ? measure(job, job.validation.x, job.validation.targets, 0, job.validation.x.rows)
        : trainRows < x.rows
          ? measure(job, x, targets, trainRows, x.rows)
          : null,
    },
    seconds: run.seconds,
    samplesPerSecond: run.samples / run.seconds,
    blas: { backend: info.backend, version: info.version, corename: info.corename, threads: info.threads },
    files: { model: outputs.model, chart: chart ? outputs.chart : null },
    interrupted: run.interrupted,
  };
}

async function removeRegularFile(path: string): Promise<void> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isFile()) await unlink(path);
}

/**
 * How the model does on rows [start, end): MSE and R² in the targets' original units,
 * or a classifier's accuracy, per-class precision and recall, and confusion matrix.
 * A float32 model takes the rows converted once; its predictions come back in float64.
 */
function measure(job: TrainingJob, x: AnyMatrix, targets: Matrix, start: number, end: number): SplitMetrics {
  const rows = x.rowRange(start, end).astype(job.model.dtype);
  const truth = targets.rowRange(start, end);
  if (job.classes) {
    const report = classificationReport(job.model.predictClasses(rows).data, truth.data, job.classes.labels);
    return { rows: end - start, accuracy: report.accuracy, classes: report.classes, confusion: report.confusion };
  }
  const pred = job.model.predict(rows).astype('float64');
  if (job.standardisation?.y) unstandardise(pred, job.standardisation.y);
  return { rows: end - start, mse: new MSELoss().forward(pred, truth), r2: rSquared(pred, truth) };
}

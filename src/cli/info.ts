// `blasprop info`: which BLAS does the work, or what a saved model is.

import { blasInfo } from '../blas/info.js';
import { parseOptions } from './args.js';
import { UsageError } from './errors.js';
import { INFO_HELP } from './help.js';
import { loadSavedModel } from './model-input.js';

const INFO_OPTIONS = {
  model: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Why these kernels: OpenBLAS names its kernel families after CPUs, so next to the
 * CPU's own name they can look wrong (an AMD processor running "Cooperlake"). A name
 * OPENBLAS_CORETYPE gives that the build does not offer falls back to its own choice.
 */
function kernelChoice(corename: string): string {
  const forced = process.env.OPENBLAS_CORETYPE;
  if (forced === undefined) return "OpenBLAS's kernel family for this CPU";
  if (forced.toLowerCase() === corename.toLowerCase()) return `OPENBLAS_CORETYPE=${forced}`;
  return `OpenBLAS's own choice: OPENBLAS_CORETYPE=${forced} names no family it offers`;
}

const MISSING_RULES = {
  error: 'refused',
  drop: 'rows with one were left out of training; refused in new rows',
  mean: 'filled with the training mean, also in new rows',
} as const;

export async function infoCommand(args: readonly string[]): Promise<number> {
  const values = parseOptions('info', args, INFO_OPTIONS);
  if (values.help) {
    process.stdout.write(INFO_HELP);
    return 0;
  }
  if (values.model !== undefined) return modelInfo(values.model, values.json ?? false);
  const info = blasInfo();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return 0;
  }
  const rows: [string, string | number | null][] = [
    ['backend', info.backend],
    ['OpenBLAS', info.version],
    ['CPU', info.cpu],
    ['kernel', info.corename && `${info.corename} (${kernelChoice(info.corename)})`],
    ['threads', `${info.threads} (of ${info.processors} processors)`],
    ['threading', info.threading],
    ['linkage', info.linkage],
    ['binary', info.binary],
    ['loaded from', info.path],
    ['config', info.config],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value ?? '–'}\n`);
  return 0;
}

/** A saved model's summary, with the columns it reads and predicts, and how it was trained. */
async function modelInfo(path: string, json: boolean): Promise<number> {
  if (path === '') throw new UsageError('--model needs a file name');
  const { model, metadata } = await loadSavedModel(path);
  if (json) {
    const { featureNames, targetNames, standardisation, classes } = metadata;
    const info = {
      config: model.toConfig(),
      parameters: model.network.parameters().reduce((sum, p) => sum + p.value.data.length, 0),
      featureNames: featureNames ?? null,
      targetNames,
      labels: classes ? classes.labels : null,
      standardised: standardisation !== undefined,
      metadata: model.metadata,
    };
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return 0;
  }
  const columns = [
    `Features: ${metadata.featureNames ? metadata.featureNames.join(', ') : `${model.inputSize}, unnamed`}`,
    `Targets: ${metadata.targetNames.join(', ')}`,
    ...(metadata.classes ? [`Labels: ${metadata.classes.labels.join(', ')}`] : []),
    ...(metadata.missing ? [`Missing values: ${MISSING_RULES[metadata.missing.mode]}`] : []),
    `Standardised: ${
      metadata.standardisation
        ? `${metadata.standardisation.y ? 'features and targets' : 'features'}, with statistics of the training rows`
        : 'no'
    }`,
  ];
  process.stdout.write(`${path}\n\n${model.summary()}${columns.join('\n')}\n`);
  return 0;
}

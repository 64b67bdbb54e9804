import { describe, expect, it } from 'vitest';

import { UsageError } from '../../dist/cli/errors.js';
import { DEFAULT_LR, POST_PRESET, STANDARD_PRESET } from '../../dist/cli/presets.js';
import { parseTrainOptions } from '../../dist/cli/train-options.js';

/** The UsageError message parseTrainOptions throws for these arguments. */
function rejection(args: string[]): string {
  try {
    parseTrainOptions(args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('blasprop train options', () => {
  it('defaults to Friedman #1 with the standard preset', () => {
    const options = parseTrainOptions([]);
    expect(options).toMatchObject({
      source: { kind: 'friedman1' },
      layers: STANDARD_PRESET.layers,
      momentum: 0,
      validationSplit: undefined,
      validationData: undefined,
      epochs: STANDARD_PRESET.epochs,
      batchSize: STANDARD_PRESET.batchSize,
      lr: DEFAULT_LR.adam,
      seed: 0,
      threads: undefined,
      outDir: 'blasprop-out',
      json: false,
    });
  });

  it('lets explicit options override a preset', () => {
    const options = parseTrainOptions(['--preset', 'post', '--lr', '1e-4', '--epochs=50', '--seed', '7']);
    expect(options).toMatchObject({
      source: { kind: 'post' },
      layers: POST_PRESET.layers,
      lr: 1e-4,
      epochs: 50,
      seed: 7,
    });
    expect(options?.batchSize).toBeUndefined();
  });

  it('splits --target into column names', () => {
    const options = parseTrainOptions(['--data', 'rows.csv', '--target', 'y, z']);
    expect(options?.source).toEqual({
      kind: 'csv',
      path: 'rows.csv',
      targets: ['y', 'z'],
      ignore: [],
      task: 'auto',
      missing: 'error',
    });
  });

  it('returns undefined for --help', () => {
    expect(parseTrainOptions(['--epochs', '3', '-h'])).toBeUndefined();
  });

  it('refuses values of the wrong kind, naming the option and the value', () => {
    expect(rejection(['--hidden', '1.5'])).toBe('Expected an integer in [1, 100000] for --hidden but received 1.5');
    expect(rejection(['--threads', '0x2'])).toBe('Expected an integer in [1, 1024] for --threads but received "0x2"');
    expect(rejection(['--seed', ''])).toMatch(/for --seed but received ""$/);
    expect(rejection(['--batch-size', '-1'])).toMatch(/for --batch-size but received -1$/);
    expect(rejection(['--lr', 'Infinity'])).toMatch(/for --lr but received "Infinity"$/);
    expect(rejection(['--lr', '0'])).toBe('Expected a finite number > 0 for --lr but received 0');
  });

  it('refuses stray arguments and values given to flags', () => {
    expect(rejection(['now'])).toMatch(/^unexpected argument "now"/);
    expect(rejection(['--json=yes'])).toMatch(/^--json takes no value/);
  });

  it('refuses options that do not go together', () => {
    expect(rejection(['--data', 'rows.csv'])).toMatch(/--data needs --target/);
    expect(rejection(['--target', 'y'])).toMatch(/--target needs --data/);
    expect(rejection(['--data', 'rows.csv', '--target', 'y,,z'])).toMatch(/empty column name/);
    expect(rejection(['--data', 'rows.csv', '--target', 'y,y'])).toMatch(/names column "y" twice/);
    expect(rejection(['--preset', 'post', '--data', 'rows.csv', '--target', 'y'])).toMatch(/leave out --data/);
    expect(rejection(['--preset', 'huge'])).toMatch(/unknown preset "huge" \(available: post\)/);
  });
});

describe('blasprop train --dtype', () => {
  it('is float64 unless float32 is asked for, and nothing else', () => {
    expect(parseTrainOptions([])?.dtype).toBe('float64');
    expect(parseTrainOptions(['--dtype', 'float32'])?.dtype).toBe('float32');
    expect(rejection(['--dtype', 'float16'])).toBe('--dtype must be float32 or float64, not "float16"');
    expect(rejection(['--dtype', 'Float32'])).toContain('not "Float32"');
  });
});

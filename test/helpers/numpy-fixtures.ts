import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NumpyFixture {
  name: string;
  sizes: { N: number; D: number; H: number; O: number };
  reduction: 'mean' | 'sum';
  lr: number;
  steps: number;
  X: number[];
  y: number[];
  initial: Record<'W1' | 'b1' | 'W2' | 'b2', number[]>;
  losses: number[];
  final: Record<'W1' | 'b1' | 'W2' | 'b2', number[]>;
}

const FOLDER = join(import.meta.dirname, '..', 'fixtures', 'numpy');

/** The fixtures written by test/fixtures/numpy/generate.py. */
export function numpyFixtures(): NumpyFixture[] {
  return readdirSync(FOLDER)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(FOLDER, f), 'utf8')) as NumpyFixture);
}

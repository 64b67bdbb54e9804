// Background training, checkpoints and resume for networks of any shape, with an
// optimizer that keeps state between steps (momentum).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { DEEP_OPTIONS, deepModel, deepProblem, hexState } from './fixtures/deep-fit.mjs';

const folder = mkdtempSync(join(tmpdir(), 'blasprop-deep-'));
const script = fileURLToPath(new URL('./fixtures/deep-fit.mjs', import.meta.url));
const { x, y } = deepProblem();

async function uninterrupted(background: boolean) {
  const model = deepModel();
  const history = await model.fit(x, y, { ...DEEP_OPTIONS, background });
  return { model, history };
}

/** A fit stopped by an abort after the 0-based epoch `stopAfter`, as by a crash, leaving its checkpoint. */
async function stoppedAfter(path: string, background: boolean, stopAfter: number) {
  const controller = new AbortController();
  const error = await deepModel()
    .fit(x, y, {
      ...DEEP_OPTIONS,
      background,
      checkpoint: { path },
      signal: controller.signal,
      callbacks: { onEpochEnd: (epoch) => void (epoch === stopAfter && controller.abort()) },
    })
    .catch((e: unknown) => e);
  expect((error as Error).name).toBe('AbortError');
}

describe('deep models', () => {
  it('train bit-identically in the background and on the calling thread', async () => {
    const inThread = await uninterrupted(false);
    const background = await uninterrupted(true);
    expect(hexState(background.model)).toEqual(hexState(inThread.model));
    expect(background.history).toEqual(inThread.history);
    expect(Object.keys(inThread.history.history)).toEqual(['loss', 'mae', 'valLoss', 'valMae']);
    // The optimizer state comes back too: one more step agrees as well.
    const bx = x.rowRange(0, 16);
    const by = y.rowRange(0, 16);
    expect(background.model.trainStep(bx, by)).toBe(inThread.model.trainStep(bx, by));
    expect(hexState(background.model)).toEqual(hexState(inThread.model));
  });

  const modes: [string, boolean, boolean][] = [
    ['in the background', true, true],
    ['on the calling thread', false, false],
    ['written on the calling thread, resumed in the background', false, true],
  ];
  modes.forEach(([what, writeInBackground, resumeInBackground], i) => {
    it(`resume with momentum bit-identically to an uninterrupted fit: ${what}`, async () => {
      const full = await uninterrupted(resumeInBackground);
      const path = join(folder, `momentum-${i}.blasprop`);
      await stoppedAfter(path, writeInBackground, 2);
      const restarted = deepModel();
      const rest = await restarted.fit(x, y, { ...DEEP_OPTIONS, background: resumeInBackground, resume: path });
      expect(rest.epoch).toEqual([3, 4, 5]);
      expect(rest.history.loss).toEqual(full.history.history.loss.slice(3));
      expect(rest.history.valMae).toEqual(full.history.history.valMae.slice(3));
      expect(hexState(restarted)).toEqual(hexState(full.model));
    });
  });

  it('resume bit-identically after the fitting process is killed with SIGKILL', async () => {
    const full = await uninterrupted(true);
    const checkpoint = join(folder, 'killed.blasprop');
    const result = join(folder, 'killed.json');
    // Kill the process once its second epoch has been checkpointed (the checkpoint is
    // written before onEpochEnd, which prints the line).
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [script, checkpoint, result], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('epoch 1\n')) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`exited with ${code}`))));
    });
    expect(existsSync(result)).toBe(false);
    expect(existsSync(checkpoint)).toBe(true);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [script, checkpoint, result, 'resume'], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`resume exited with ${code}`))));
    });
    expect(JSON.parse(readFileSync(result, 'utf8'))).toEqual(hexState(full.model));
    rmSync(result);
  });
});

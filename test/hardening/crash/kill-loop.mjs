// Kills a saving process with SIGKILL at random moments, again and again, and checks
// after each kill that the model file loads and holds exactly either the last
// generation the child reported saved or the one it was saving: never an error,
// never a torn or mixed file.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

import { TwoLayerRegressor } from '../../../dist/index.js';
import { Random } from '../../helpers/random.mjs';
import { mismatch } from './generations.mjs';

const child = new URL('./save-loop.mjs', import.meta.url).pathname;

/** Starts the save loop; resolves `acked` with each "saved <g>" line. */
function startSaver(path, onSaved) {
  const process_ = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  process_.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: process_.stdout }).on('line', (line) => {
    const match = /^saved (\d+)$/.exec(line);
    if (match) onSaved(Number(match[1]));
  });
  const exited = new Promise((resolve) => process_.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { process: process_, exited };
}

/**
 * @param {{ folder: string, kills: number, seed: number }} options
 * @returns {Promise<{ kills: number, generations: number, savedButUnreported: number, killedBeforeFirstSave: number, leftoverTemporaryFiles: number }>}
 */
export async function killLoop({ folder, kills, seed }) {
  const random = new Random(seed);
  const path = join(folder, 'model.bin');
  let lastSaved = -1; // the highest generation any child has reported saved
  let savedButUnreported = 0;
  let killedBeforeFirstSave = 0;

  for (let kill = 0; kill < kills; kill++) {
    let firstAck;
    let ackedHere = false;
    const acked = new Promise((resolve) => {
      firstAck = resolve;
    });
    const saver = startSaver(path, (generation) => {
      lastSaved = Math.max(lastSaved, generation);
      ackedHere = true;
      firstAck();
    });
    // Mostly mid-loop, a fifth of the time during start-up or the first load/save.
    // The very first child must save once, or there is no file to check.
    if (kill > 0 && random.chance(0.2)) {
      await Promise.race([sleep(random.int(0, 400)), saver.exited]);
      if (!ackedHere) killedBeforeFirstSave++;
    } else {
      await Promise.race([acked, saver.exited]);
      await sleep(random.int(0, 40));
    }
    saver.process.kill('SIGKILL');
    const { signal, stderr } = await saver.exited;
    if (signal !== 'SIGKILL') throw new Error(`the saving process ended on its own before kill ${kill}: ${stderr}`);

    let model;
    try {
      model = await TwoLayerRegressor.load(path);
    } catch (error) {
      throw new Error(`after kill ${kill} the model file does not load: ${error.message}`);
    }
    const generation = model.metadata.generation;
    if (generation !== lastSaved && generation !== lastSaved + 1) {
      throw new Error(`after kill ${kill} the file holds generation ${generation}; last saved was ${lastSaved}`);
    }
    const wrong = mismatch(model.stateDict(), generation);
    if (wrong) throw new Error(`after kill ${kill} the file's weights are torn: ${wrong}`);
    if (generation === lastSaved + 1) savedButUnreported++;
    lastSaved = generation;
  }
  const leftoverTemporaryFiles = readdirSync(folder).filter((name) => name.endsWith('.tmp')).length;
  return { kills, generations: lastSaved + 1, savedButUnreported, killedBeforeFirstSave, leftoverTemporaryFiles };
}

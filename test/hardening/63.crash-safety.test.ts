// The short form of `npm run crash-safety`: a process saving a model in a loop is
// killed with SIGKILL at random moments; the file must always load, holding either
// the previous or the new weights.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { killLoop } from './crash/kill-loop.mjs';

describe('crash safety of save (short form of npm run crash-safety)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'blasprop-crash-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a model file survives SIGKILL mid-save: always loadable, never torn', async () => {
    const result = await killLoop({ folder, kills: 8, seed: 20_261_127 });
    expect(result.kills).toBe(8);
    // Every saving process that reported a save before its kill moved the file on by
    // at least one generation (how many more depends on the machine's speed).
    expect(result.generations).toBeGreaterThanOrEqual(result.kills - result.killedBeforeFirstSave);
  });
});

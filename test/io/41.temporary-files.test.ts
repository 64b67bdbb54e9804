import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';
import { TwoLayerRegressor } from '../../dist/index.js';
import { prepareFileWrite } from '../../dist/io/atomic-write.js';
import { STALE_AFTER_MS } from '../../dist/io/temporary-files.js';

const SAVE_LOOP = fileURLToPath(new URL('./fixtures/save-loop.mjs', import.meta.url));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'blasprop-tmp-'));
  folders.push(made);
  return made;
}

/** This process's writer tag, read off the name of a temporary it makes. */
async function ownTag(): Promise<string> {
  const here = folder();
  const pending = await prepareFileWrite(join(here, 'probe'), Buffer.from('x'));
  const [name] = readdirSync(here);
  await pending.abort();
  const tag = /^\.probe\.([0-9a-f]{8})-\d+-[0-9a-f]{12}\.tmp$/.exec(name)?.[1];
  expect(tag, name).toBeDefined();
  return tag!;
}

/** Whether this process may make pid namespaces (root, with util-linux's unshare). */
const canUnshare = spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

describe('removing temporaries that killed writers left behind', () => {
  it('judges a pid only in the namespace it came from, and anything else by its age', async () => {
    const tag = await ownTag();
    const other = tag === '0badc0de' ? '00000000' : '0badc0de';
    const here = folder();
    // A pid above the kernel's limit (pid_max <= 2^22) belongs to no process.
    const dead = 2 ** 22 + 1;
    const names = {
      deadHere: `.m.blasprop.${tag}-${dead}-0123456789ab.tmp`,
      liveHere: `.m.blasprop.${tag}-${process.pid}-0123456789ab.tmp`,
      // From another pid namespace (a container): its pid means nothing here.
      elsewhere: `.m.blasprop.${other}-${dead}-0123456789ab.tmp`,
      elsewhereStale: `.m.blasprop.${other}-${process.pid}-0123456789ac.tmp`,
      // Written before writers recorded their namespace.
      oldForm: `.m.blasprop.${dead}.0123456789ab.tmp`,
      oldFormStale: `.m.blasprop.${process.pid}.0123456789ac.tmp`,
      otherFile: `.other.blasprop.${tag}-${dead}-0123456789ab.tmp`,
      notTemporary: '.m.blasprop.notes',
    };
    for (const name of Object.values(names)) writeFileSync(join(here, name), 'partial');
    mkdirSync(join(here, `.m.blasprop.${tag}-${dead}-0123456789ad.tmp`));
    const old = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;
    for (const name of [names.elsewhereStale, names.oldFormStale]) utimesSync(join(here, name), old, old);

    await new TwoLayerRegressor({ inputSize: 2, hiddenSize: 3, outputSize: 1 }).save(join(here, 'm.blasprop'));
    const left = readdirSync(here);
    expect(left).toContain('m.blasprop');
    for (const gone of [names.deadHere, names.elsewhereStale, names.oldFormStale]) expect(left).not.toContain(gone);
    for (const kept of [names.liveHere, names.elsewhere, names.oldForm, names.otherFile, names.notTemporary]) {
      expect(left).toContain(kept);
    }
    // A directory is never a temporary file of ours.
    expect(left).toContain(`.m.blasprop.${tag}-${dead}-0123456789ad.tmp`);
  });

  it('cleans up after a long name too, whose temporaries carry a shortened name', async () => {
    const here = folder();
    const path = join(here, `${'x'.repeat(240)}.blasprop`);
    const model = new TwoLayerRegressor({ inputSize: 2, hiddenSize: 3, outputSize: 1 });
    const pending = await prepareFileWrite(path, Buffer.from('partial'));
    const [temporary] = readdirSync(here);
    expect(Buffer.byteLength(temporary)).toBeLessThanOrEqual(255);
    // Make it look abandoned by a dead writer of this namespace.
    const dead = temporary.replace(/-\d+-/, `-${2 ** 22 + 1}-`);
    writeFileSync(join(here, dead), 'partial');
    await model.save(path);
    expect(readdirSync(here).sort()).toEqual([temporary, `${'x'.repeat(240)}.blasprop`].sort());
    await pending.abort();
  });

  it.skipIf(!canUnshare)(
    'lets writers in two pid namespaces save to one path without deleting each other’s files',
    async () => {
      const here = folder();
      const path = join(here, 'shared.blasprop');
      const run = (command: string, args: string[]) =>
        new Promise<{ saved: number; failed: number; errors: string[] }>((resolve, reject) => {
          const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            out += chunk;
          });
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}`))));
        });
      const saves = '150';
      const [host, contained] = await Promise.all([
        run(process.execPath, [SAVE_LOOP, path, saves]),
        run('unshare', ['--pid', '--fork', process.execPath, SAVE_LOOP, path, saves]),
      ]);
      expect(host).toEqual({ saved: 150, failed: 0, errors: [] });
      expect(contained).toEqual({ saved: 150, failed: 0, errors: [] });
      expect(readdirSync(here)).toEqual(['shared.blasprop']);
      await TwoLayerRegressor.load(path);
    },
  );
});

// What the command line does with the paths it writes to: never replaces what is not a
// regular file, never its own input, names the user's path in every error, and leaves
// nothing behind when it fails — including on a full or read-only disk.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Model, TwoLayerRegressor } from '../../dist/index.js';
import { CLI, cleanup, FIXTURE_CSV, filesIn, runCli, tempDir } from './run-cli.js';

let dir: string;
let model: string;
const isRoot = process.getuid?.() === 0;
/** Whether this process may mount a file system in a mount namespace of its own (root). */
const canMount = spawnSync('unshare', ['--mount', 'true']).status === 0;

beforeAll(async () => {
  dir = await tempDir();
  model = join(dir, 'model.blasprop');
  const trained = await runCli(['train', '--data', FIXTURE_CSV, '--target', 'y,z', '--epochs', '2', '--out', dir]);
  expect(trained.code).toBe(0);
});
afterAll(cleanup);

/** The contract for a refused command: exit code, one line on stderr naming the path, nothing on stdout. */
async function expectFailure(args: string[], code: number, message: RegExp): Promise<void> {
  const result = await runCli(args);
  expect(result.stderr).toMatch(/^blasprop: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\.tmp|\n\s+at /);
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
}

const predict = (out: string) => ['predict', '--model', model, '--data', FIXTURE_CSV, '--out', out];

describe.concurrent('blasprop predict --out', () => {
  it.skipIf(!isRoot)('refuses /dev/null, even as root, and the device stays a device', async () => {
    const before = statSync('/dev/null');
    await expectFailure(
      predict('/dev/null'),
      2,
      /Cannot write \/dev\/null: it is a character device, not a regular file/,
    );
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
  });

  it('refuses a directory, a FIFO and a socket', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expectFailure(predict(dir), 2, /it is a directory, not a regular file/);
    await expectFailure(predict(fifo), 2, /it is a FIFO \(named pipe\), not a regular file/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses the model file and the data file, however they are named', async () => {
    await expectFailure(
      predict(model),
      2,
      /--out .*model\.blasprop is the --model file: the predictions would replace it/,
    );
    const link = join(dir, 'model-link');
    symlinkSync(model, link);
    await expectFailure(predict(link), 2, /is the --model file/);
    const data = join(dir, 'data.csv');
    writeFileSync(data, readFileSync(FIXTURE_CSV));
    await expectFailure(['predict', '--model', model, '--data', data, '--out', data], 2, /is the --data file/);
    expect(readFileSync(data)).toEqual(readFileSync(FIXTURE_CSV));
    await Model.load(model);
  });

  it('in a missing folder names that folder, not a temporary file', async () => {
    const out = join(dir, 'missing', 'p.csv');
    await expectFailure(
      predict(out),
      2,
      new RegExp(`Cannot write ${out}: the directory ${join(dir, 'missing')} does not exist`),
    );
  });

  it('writes through a symbolic link and keeps the target’s mode', async () => {
    const target = join(dir, 'kept.csv');
    writeFileSync(target, 'old');
    chmodSync(target, 0o600);
    const link = join(dir, 'kept-link.csv');
    symlinkSync(target, link);
    const result = await runCli(predict(link));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^y,z\n/);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('takes a 249-byte file name', async () => {
    const out = join(dir, `${'p'.repeat(245)}.csv`);
    const result = await runCli(predict(out));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(out, 'utf8')).toMatch(/^y,z\n/);
  });
});

describe.concurrent('blasprop predict --model', () => {
  it('a directory: one line, no raw EISDIR', async () => {
    await expectFailure(
      ['predict', '--model', dir, '--data', FIXTURE_CSV],
      2,
      /Cannot load model file .*: it is a directory, not a regular file$/m,
    );
  });

  it('/dev/zero and a FIFO are refused without reading them', async () => {
    await expectFailure(['predict', '--model', '/dev/zero', '--data', FIXTURE_CSV], 2, /it is a character device/);
    const fifo = join(dir, 'model-fifo');
    execFileSync('mkfifo', [fifo]);
    await expectFailure(['predict', '--model', fifo, '--data', FIXTURE_CSV], 2, /it is a FIFO/);
  });

  it('a model whose scaling is not finite numbers (JSON null, as an overflowing std was once saved)', async () => {
    const broken = new TwoLayerRegressor({ inputSize: 3, hiddenSize: 4, outputSize: 1 });
    broken.metadata = {
      featureNames: ['a', 'b', 'c'],
      targetNames: ['y'],
      standardisation: { x: { mean: [0, 0, 0], std: [1, null, 1] }, y: { mean: [0], std: [1] } },
    };
    const path = join(dir, 'broken.blasprop');
    await broken.save(path);
    await expectFailure(
      ['predict', '--model', path, '--data', FIXTURE_CSV],
      2,
      /broken\.blasprop: its metadata holds a standardisation that is not a finite mean and a positive, finite std per column/,
    );
  });
});

describe.concurrent('blasprop train --out', () => {
  it('/proc/nope: exit 2 at once (Node’s recursive mkdir would loop forever)', async () => {
    await expectFailure(
      ['train', '--epochs', '1', '--out', '/proc/nope'],
      2,
      /Cannot create the directory \/proc\/nope: \/proc does not accept new directories/,
    );
  });

  it('a file in the way, or a directory where the model goes, before any training', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    await expectFailure(['train', '--out', file], 2, /a file is in the way|is not a directory/);
    const out = join(dir, 'occupied');
    mkdirSync(join(out, 'model.blasprop'), { recursive: true });
    await expectFailure(
      ['train', '--out', out],
      2,
      /Cannot write .*occupied\/model\.blasprop: it is a directory, not a regular file/,
    );
  });

  it('the --data file as an output', async () => {
    const out = join(dir, 'self');
    mkdirSync(out);
    const data = join(out, 'loss.svg');
    writeFileSync(data, readFileSync(FIXTURE_CSV));
    await expectFailure(
      ['train', '--data', data, '--target', 'y', '--out', out],
      2,
      /--data .*loss\.svg is .*loss\.svg, which training writes/,
    );
    expect(readFileSync(data)).toEqual(readFileSync(FIXTURE_CSV));
  });

  it('leaves no folder behind when training diverges, and says exit code 1 in its help', async () => {
    const out = join(dir, 'diverged', 'deeper');
    const result = await runCli(['train', '--optimizer', 'sgd', '--lr', '50', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^blasprop: training diverged in epoch 1/);
    expect(existsSync(join(dir, 'diverged'))).toBe(false);
    const help = await runCli(['train', '--help']);
    expect(help.stdout).toMatch(/^ {2}1 {5}a failure while running: training diverged/m);
    expect(help.stdout).toMatch(/^ {2}2 {5}bad usage or input/m);
  });
});

/**
 * Runs the command line with `dir` replaced by a fresh tmpfs of `size` (and optionally
 * read-only), in a mount namespace of its own, after `prepare` (shell) has run there.
 */
function inTmpfs(mountPoint: string, options: string, prepare: string, args: string[]) {
  const script = `mount -t tmpfs -o ${options} tmpfs "$0" && ${prepare} && exec "$@"`;
  return spawnSync('unshare', ['--mount', 'sh', '-c', script, mountPoint, process.execPath, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
}

describe.skipIf(!canMount)('blasprop train on a full or read-only disk', () => {
  it('a full disk: names the path, exit 1, and the previous model and chart stay together', async () => {
    const mountPoint = await tempDir();
    // 200 KiB: room for the old model (about 4 KB), the old chart and the new chart, not for a big new model.
    const prepare = [
      `mkdir "$0/out"`,
      `cp ${JSON.stringify(model)} "$0/out/model.blasprop"`,
      `cp ${JSON.stringify(join(dir, 'loss.svg'))} "$0/out/loss.svg"`,
      `sha256sum "$0/out/model.blasprop" "$0/out/loss.svg" > "$0/before"`,
    ].join(' && ');
    const args = [
      'train',
      '--data',
      FIXTURE_CSV,
      '--target',
      'y,z',
      '--hidden',
      '5000',
      '--epochs',
      '1',
      '--out',
      join(mountPoint, 'out'),
    ];
    const check = `${prepare} && { "$1" "$2" ${args.map((a) => JSON.stringify(a)).join(' ')} 2>"$0/stderr"; echo $? > "$0/code"; } ; cd "$0" && sha256sum -c before > /dev/null && echo same; ls -A out; cat code; tail -n 1 stderr; true`;
    const run = spawnSync(
      'unshare',
      ['--mount', 'sh', '-c', `mount -t tmpfs -o size=200k tmpfs "$0" && ${check}`, mountPoint, process.execPath, CLI],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
    );
    const [same, ...rest] = run.stdout.trim().split('\n');
    expect(run.stderr).toBe('');
    expect(same).toBe('same');
    // Only the old files: no temporary, no new chart beside the old model.
    expect(rest.slice(0, 2).sort()).toEqual(['loss.svg', 'model.blasprop']);
    expect(rest[2]).toBe('1');
    expect(rest[3]).toMatch(
      /^blasprop: Cannot write .*\/out\/(model\.blasprop|loss\.svg): no space left on device \(ENOSPC\)$/,
    );
    expect(rest).toHaveLength(4);
  });

  it('a read-only --out: EROFS and the path, not ENOENT', async () => {
    const mountPoint = await tempDir();
    const out = join(mountPoint, 'out');
    const run = inTmpfs(mountPoint, 'ro', 'true', ['train', '--epochs', '1', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`blasprop: Cannot create the directory ${out}: read-only file system (EROFS)\n`);
    expect(await filesIn(mountPoint)).toEqual([]);
  });
});

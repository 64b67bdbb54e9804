// Creating a folder and its missing parents, one level at a time. Node 20's own
// `mkdir(path, { recursive: true })` loops forever at full CPU on /proc ("/proc/nope":
// the kernel answers ENOENT, which the recursion takes as a missing parent to create
// again) and reports ENOENT instead of EROFS on a read-only file system. Here every
// level is created once, and the first failure is reported as it is.

import { mkdir, rmdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { fileError } from './errors.js';

/**
 * Makes sure `path` is a directory, creating it and any missing parents. Returns the
 * folders it created, outermost first, so that a caller can remove them again
 * (removeCreatedDirectories) if it ends up writing nothing there.
 */
export async function makeDirectory(path: string): Promise<string[]> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const stats = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // Missing, or under a file: the loop goes up until it finds which.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw fileError('create the directory', path, error);
    });
    if (stats?.isDirectory()) break;
    if (stats) {
      const what = current === resolve(path) ? 'a file is in the way' : `${current} is not a directory`;
      throw Object.assign(new Error(`Cannot create the directory ${path}: ${what}`), { code: 'ENOTDIR', path });
    }
    missing.unshift(current);
    const parent = dirname(current);
    // The root always exists; reaching it means stat could not see it.
    if (parent === current) break;
    current = parent;
  }
  const created: string[] = [];
  for (const folder of missing) {
    try {
      await mkdir(folder);
      created.push(folder);
    } catch (error) {
      // Made by someone else in the meantime: fine, if it is a folder.
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EEXIST' && (await stat(folder)).isDirectory()) continue;
      // ENOENT although the parent exists: a file system such as /proc that makes no folders.
      if (code === 'ENOENT') {
        const reason = `${dirname(folder)} does not accept new directories (ENOENT)`;
        throw Object.assign(new Error(`Cannot create the directory ${path}: ${reason}`), { code, path, reason });
      }
      throw fileError('create the directory', path, error);
    }
  }
  return created;
}

/** Removes folders made by makeDirectory, innermost first, as long as they are empty. */
export async function removeCreatedDirectories(created: readonly string[]): Promise<void> {
  for (const folder of [...created].reverse()) {
    // rmdir fails on a folder with anything in it, which is then kept, with its parents.
    const removed = await rmdir(folder).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}

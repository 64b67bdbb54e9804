// Names of the temporary files an atomic write goes through, and the clean-up of those
// that killed writers left behind.
//
// A temporary is `.<name>.<writer>-<pid>-<random>.tmp` beside the target. <writer>
// identifies the pid namespace of the process that wrote it (writerIdentity, below),
// because a pid means something only there: a writer
// in a container that shares the folder has a pid that, seen from the host, names
// another process or none. So a leftover is judged in one of two ways:
//
// - written from this pid namespace: abandoned when its pid no longer runs;
// - written from anywhere else (another container or machine on a network file
//   system, or an older blasprop that did not record the namespace): abandoned only
//   when it has not been modified for STALE_AFTER_MS. A live writer modifies its file
//   with every write, so only one stalled that long (a process stopped mid-save) can
//   lose its file, and then its rename fails with ENOENT: its own save fails, and the
//   target keeps its previous contents. Clocks of machines sharing a network file
//   system rarely differ by minutes; the threshold is an hour.
//
// This is the approach of proper-lockfile and similar tools (a staleness age, since a
// pid does not cross machines); write-file-atomic does not clean up at all.

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A leftover from another pid namespace counts as abandoned once unmodified for this long. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/** The longest file name most file systems allow (ext4, XFS, Btrfs, tmpfs, NTFS, APFS), in bytes. */
export const MAX_NAME_BYTES = 255;

const WRITER = writerIdentity();
const SUFFIX = /^([0-9a-f]{8})-(\d+)-[0-9a-f]{12}\.tmp$/;
/** The form written before the writer identity was recorded: `.<name>.<pid>.<random>.tmp`. */
const OLD_SUFFIX = /^\d+\.[0-9a-f]{12}\.tmp$/;
// What follows the name: "." + writer (8) + "-" + pid (up to 10 digits) + "-" + random (12) + ".tmp".
const SUFFIX_BYTES = 1 + 8 + 1 + 10 + 1 + 12 + 4;
const HASH_MARK_BYTES = 1 + 8;

/** The name of a new temporary file for the file called `name`, never longer than a file name may be. */
export function temporaryName(name: string): string {
  return `${temporaryPrefix(name)}${WRITER}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Deletes the temporaries of `name` in `folder` that their writers abandoned (see the
 * top of this file). Errors are ignored: this is housekeeping after a successful save.
 */
export async function removeAbandonedTemporaries(folder: string, name: string): Promise<void> {
  const prefix = temporaryPrefix(name);
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const suffix = entry.slice(prefix.length);
    const match = SUFFIX.exec(suffix);
    if (!match && !OLD_SUFFIX.test(suffix)) continue;
    const path = join(folder, entry);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats?.isFile()) continue;
    const abandoned =
      match && match[1] === WRITER ? !processIsAlive(Number(match[2])) : Date.now() - stats.mtimeMs > STALE_AFTER_MS;
    if (abandoned) await unlink(path).catch(() => {});
  }
}

/**
 * `.<name>.`, or, when that would leave too little room in a file name for the rest,
 * the name cut short and marked with a hash of the whole: `.<start of name>~<hash>.`.
 */
function temporaryPrefix(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (1 + bytes.length + SUFFIX_BYTES <= MAX_NAME_BYTES) return `.${name}.`;
  const keep = MAX_NAME_BYTES - SUFFIX_BYTES - HASH_MARK_BYTES - 1;
  return `.${truncateUtf8(bytes, keep)}~${shortHash(name)}.`;
}

/** The longest prefix of `bytes` of at most `max` bytes that ends on a character boundary, as text. */
function truncateUtf8(bytes: Buffer, max: number): string {
  let end = Math.min(max, bytes.length);
  // Continuation bytes are 10xxxxxx: back up to the start of a character.
  while (end > 0 && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.toString('utf8', 0, end);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * A short tag for "this pid namespace on this machine since its last boot": two
 * processes with the same tag see the same pids. On Linux that is the namespace's
 * inode with the boot id (where readable) and the host name; a Linux without
 * /proc/self/ns gets a tag of its own per process, so that no pid is trusted. Other
 * systems have no pid namespaces: the host name stands in.
 */
function writerIdentity(): string {
  const read = (get: () => string) => {
    try {
      return get();
    } catch {
      return undefined;
    }
  };
  if (process.platform !== 'linux') return shortHash(`${process.platform} ${hostname()}`);
  const namespace = read(() => readlinkSync('/proc/self/ns/pid'));
  if (namespace === undefined) return randomBytes(4).toString('hex');
  const boot = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()) ?? '';
  return shortHash(`${boot} ${namespace} ${hostname()}`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Atomic file writes (I/O edge): a temporary file in the same directory, fsync, then rename (or link when
 * overwriting is not allowed). An error or an interrupt removes the temporary file, so a reader never sees
 * a partial file at `path`.
 *
 * What is replaced, and how (issue 8 item 11):
 * - a symbolic link is resolved and its target is written (the link stays a link); a dangling or looping
 *   link is refused;
 * - only a regular file is ever replaced: a directory, FIFO, device or socket is refused (`-` writes stdout);
 * - a file without its owner-write bit is refused, even with `overwrite` (chmod u+w first);
 * - the replaced file keeps its permission bits (and, when we may, its owner).
 * Every failure to write is an OutputError naming the output path (exit 73, src/cli/exit.ts).
 * Temporaries are named `.<name>.<8 hex pid><12 hex random>.tmp`; a kill -9 can leave one behind, so each
 * write first removes the stale ones of the same target (their process is gone), see removeStaleTemporaries.
 */
import { open, link, rename, unlink, lstat, stat, realpath, readdir } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { OutputError, UsageError } from '../errors.ts';

export interface AtomicWriteOptions {
  /** File mode of a new file (default 0o644). A replaced file keeps its own mode. */
  mode?: number;
  /** Replace an existing file (default false: refuse with a UsageError). */
  overwrite?: boolean;
  /** Registers a cleanup to run on SIGINT/SIGTERM; returns an unregister function (IO.onInterrupt). */
  onInterrupt?: (cleanup: () => void) => () => void;
}

export interface AtomicWriteResult {
  /** The file actually written: `path`, or the target of the symbolic link at `path`. */
  path: string;
  /** Stale temporaries of an earlier, killed write to the same file that were removed first. */
  removedStale: string[];
}

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'the directory does not exist',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'it is a directory',
  EIO: 'input/output error',
  EFBIG: 'file too large',
};

/** An OutputError for a failed fs call while writing `path`. */
export function outputFailure(path: string, e: unknown): OutputError {
  if (e instanceof OutputError || e instanceof UsageError) return e as OutputError;
  const code = (e as { code?: string }).code ?? '';
  const why = WHY[code] ?? (e as Error).message ?? String(e);
  return new OutputError('OUTPUT_FAILED', path, `cannot write ${path}: ${why}${code && WHY[code] ? ` (${code})` : ''}`, { cause: e });
}

/** What a non-regular file is, for messages. */
export function fileTypeName(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return st.isFile() ? 'a regular file' : 'a special file';
}

/**
 * Where a write to `path` must go and what it replaces: resolves a symbolic link, refuses what must not be
 * replaced. Returns the real target and its stats (undefined when it does not exist yet).
 * @throws OutputError for a dangling/looping link, a non-regular or read-only target
 */
export async function resolveOutputTarget(path: string): Promise<{ target: string; existing: Stats | undefined }> {
  let target = path;
  let st: Stats | undefined;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw outputFailure(path, e);
  }
  if (st?.isSymbolicLink()) {
    try {
      target = await realpath(path);
      st = await stat(target);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'ELOOP' ? 'a symbolic link loop' : code === 'ENOENT' ? 'a dangling symbolic link (its target does not exist)' : `a symbolic link that cannot be resolved (${code ?? String(e)})`;
      throw new OutputError('OUTPUT_NOT_REGULAR', path, `refusing to write ${path}: expected a regular file or a new path, found ${why}`, { cause: e });
    }
  }
  if (st && !st.isFile()) {
    throw new OutputError('OUTPUT_NOT_REGULAR', path, `refusing to write ${path}${target !== path ? ` (-> ${target})` : ''}: expected a regular file or a new path, found ${fileTypeName(st)}${st.isDirectory() ? '' : ' (use - to write to standard output)'}`);
  }
  if (st && (st.mode & 0o200) === 0) {
    throw new OutputError('OUTPUT_READ_ONLY', path, `refusing to replace read-only file ${path}${target !== path ? ` (-> ${target})` : ''} (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); make it writable (chmod u+w) to replace it`);
  }
  return { target, existing: st };
}

/**
 * Writes `bytes` to `path` atomically.
 * @throws UsageError when `path` exists and `overwrite` is not set; OutputError for anything that cannot be
 *   written (naming the path)
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, opts: AtomicWriteOptions = {}): Promise<AtomicWriteResult> {
  const overwrite = opts.overwrite === true;
  const { target, existing } = await resolveOutputTarget(path);
  if (existing && !overwrite) throw new UsageError(`refusing to overwrite existing file ${path}`);
  // The replaced file keeps its permission bits (setuid/setgid/sticky dropped); a new one gets `mode`.
  const mode = existing ? existing.mode & 0o777 : (opts.mode ?? 0o644);
  const dir = dirname(target);
  const removedStale = await removeStaleTemporaries(target);
  const tmp = join(dir, `.${basename(target)}.${tempTag()}.tmp`);
  let done = false;
  const cleanupSync = (): void => {
    if (done) return;
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  };
  const unregister = opts.onInterrupt ? opts.onInterrupt(cleanupSync) : undefined;
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(bytes);
      await fh.chmod(mode); // the umask may have narrowed or widened `mode`
      if (existing && typeof process.getuid === 'function' && process.getuid() === 0 && (existing.uid !== 0 || existing.gid !== 0)) {
        await fh.chown(existing.uid, existing.gid).catch(() => undefined); // root replacing another user's file: keep the owner
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (overwrite) {
      await rename(tmp, target);
    } else {
      // link() fails with EEXIST if `target` appeared meanwhile: never clobber a file we were told to keep.
      try {
        await link(tmp, target);
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') throw new UsageError(`refusing to overwrite existing file ${path}`);
        throw e;
      }
      await unlink(tmp);
    }
    done = true;
    await syncDir(dir);
  } catch (e) {
    cleanupSync();
    done = true;
    throw outputFailure(path, e);
  } finally {
    unregister?.();
  }
  return { path: target, removedStale };
}

/** 8 hex digits of our pid + 12 random hex digits: a later run can tell whether the writer is still alive. */
function tempTag(): string {
  return `${(process.pid >>> 0).toString(16).padStart(8, '0')}${randomBytes(6).toString('hex')}`;
}

/** Temporaries of the naming before the pid was part of it: removed once they are this old. */
const LEGACY_STALE_MS = 60 * 60 * 1000;

/**
 * Removes temporaries of our own naming for `target` (`.<name>.<20 hex>.tmp`) whose writing process is gone,
 * and temporaries of the older naming (`.<name>.<12 hex>.tmp`) older than an hour. Only regular files owned
 * by this user are touched. A process on another host sharing the directory cannot be checked: its live
 * temporary would be removed and its write fail cleanly (it never replaces the target with a partial file).
 * Returns the names removed.
 */
export async function removeStaleTemporaries(target: string, now: number = Date.now()): Promise<string[]> {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const tag = name.slice(prefix.length, -'.tmp'.length);
    let stale: (st: Stats) => boolean;
    if (/^[0-9a-f]{20}$/.test(tag)) {
      const pid = parseInt(tag.slice(0, 8), 16);
      stale = () => pid !== process.pid && !processAlive(pid);
    } else if (/^[0-9a-f]{12}$/.test(tag)) {
      stale = (st) => now - st.mtimeMs > LEGACY_STALE_MS;
    } else continue;
    const full = join(dir, name);
    try {
      const st = await lstat(full);
      if (!st.isFile()) continue;
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) continue;
      if (!stale(st)) continue;
      await unlink(full);
      removed.push(name);
    } catch {
      // raced with its owner or another cleaner: nothing to do
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Where `writeOutput` sends `-`. */
export interface StdoutSink {
  /** Writes bytes to standard output. */
  write: (bytes: Uint8Array) => void;
  /** Whether standard output is a terminal. */
  isTTY: boolean;
}

/**
 * Writes `bytes` to `target`: `-` is standard output (refused for binary data when it is a terminal), anything
 * else an atomic file write (writeFileAtomic).
 * @throws UsageError for `-` without a sink, or binary data to a terminal; what writeFileAtomic throws
 */
export async function writeOutput(target: string, bytes: Uint8Array, opts: AtomicWriteOptions & { stdout?: StdoutSink; binary?: boolean; what?: string } = {}): Promise<AtomicWriteResult | { path: '-'; removedStale: [] }> {
  if (target === '-') {
    if (!opts.stdout) throw new UsageError(`${opts.what ?? 'output'}: writing to standard output (-) is not available here`);
    if (opts.binary && opts.stdout.isTTY) {
      throw new UsageError(`${opts.what ?? 'output'}: refusing to write binary data to a terminal; redirect standard output (> file) or give a file name`);
    }
    opts.stdout.write(bytes);
    return { path: '-', removedStale: [] };
  }
  return writeFileAtomic(target, bytes, opts);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directory fsync is not supported everywhere; the rename is still atomic.
  }
}

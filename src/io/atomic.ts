/**
 * Atomic file writes (I/O edge): a temporary file in the same directory, fsync, then rename (or link when
 * overwriting is not allowed). An error or an interrupt removes the temporary file, so a reader never sees
 * a partial file at `path`.
 */
import { open, link, rename, unlink, stat } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.ts';

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o644). */
  mode?: number;
  /** Replace an existing file (default false: refuse with a UsageError). */
  overwrite?: boolean;
  /** Registers a cleanup to run on SIGINT/SIGTERM; returns an unregister function (IO.onInterrupt). */
  onInterrupt?: (cleanup: () => void) => () => void;
}

/**
 * Writes `bytes` to `path` atomically.
 * @throws UsageError when `path` exists and `overwrite` is not set; Node fs errors otherwise.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const mode = opts.mode ?? 0o644;
  const overwrite = opts.overwrite === true;
  if (!overwrite && (await exists(path))) throw new UsageError(`refusing to overwrite existing file ${path}`);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
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
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (overwrite) {
      await rename(tmp, path);
    } else {
      // link() fails with EEXIST if `path` appeared meanwhile: never clobber a file we were told to keep.
      try {
        await link(tmp, path);
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') throw new UsageError(`refusing to overwrite existing file ${path}`);
        throw e;
      }
      await unlink(tmp);
    }
    done = true;
    await syncDir(dirname(path));
  } catch (e) {
    cleanupSync();
    done = true;
    throw e;
  } finally {
    unregister?.();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
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

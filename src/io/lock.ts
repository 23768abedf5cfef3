/**
 * An exclusive lock on a file that is read, changed and replaced (`gwe sign` in place), I/O edge. Issue 8
 * item 5: two concurrent countersigners both read the bundle, both rename their copy into place, and the
 * first signature is lost. The lock is a file `.<name>.lock` next to the target, created with O_EXCL
 * (`wx`); it holds `<pid> <hostname> <ISO time>`. A lock whose process is gone (same host), or older than
 * `staleMs` (another host, or a pid that was reused), is broken, so a kill -9 never blocks later runs.
 * Waiters retry until `timeoutMs`, then fail with an OutputError naming the lock and its holder.
 */
import { link, open, readFile, stat, unlink, rename } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OutputError } from '../errors.ts';
import { outputFailure } from './atomic.ts';

export interface LockOptions {
  /** Give up waiting after this long (default 30 s). */
  timeoutMs?: number;
  /** A lock file older than this is stale whatever its pid (default 10 min: a sign takes seconds). */
  staleMs?: number;
  /** Registers a cleanup for SIGINT/SIGTERM (IO.onInterrupt): the lock is removed on Ctrl-C. */
  onInterrupt?: (cleanup: () => void) => () => void;
}

/** `.<name>.lock` in the directory of `target`. */
export function lockPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

/**
 * Runs `fn` while holding the lock of `target`; the lock is removed afterwards (also when `fn` throws).
 * @throws OutputError OUTPUT_LOCKED when another process holds the lock for longer than `timeoutMs`;
 *   OutputError OUTPUT_FAILED when the lock cannot be created (read-only directory...)
 */
export async function withFileLock<T>(target: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = lockPath(target);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const staleMs = opts.staleMs ?? 10 * 60_000;
  const me = `${process.pid} ${hostname()} ${new Date().toISOString()} ${randomBytes(4).toString('hex')}\n`;
  const started = Date.now();
  let delay = 10;
  for (;;) {
    try {
      const fh = await open(lock, 'wx', 0o644);
      try {
        await fh.writeFile(me);
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw outputFailure(lock, e);
    }
    const holder = await readHolder(lock);
    if (holder && isStale(holder, staleMs)) {
      await breakLock(lock, holder.text);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new OutputError(
        'OUTPUT_LOCKED',
        target,
        `cannot write ${target}: another gwe process holds its lock ${lock}${holder ? ` (pid ${holder.pid} on ${holder.host} since ${holder.since})` : ''}; try again, or remove the lock file if no gwe process is running`,
      );
    }
    await new Promise((r) => setTimeout(r, delay + Math.floor(Math.random() * delay)));
    delay = Math.min(delay * 2, 200);
  }
  const release = async (): Promise<void> => {
    // Remove the lock only if it is still ours (a stale-lock breaker may have replaced it).
    const h = await readHolder(lock);
    if (h?.text === me) await unlink(lock).catch(() => undefined);
  };
  const unregister = opts.onInterrupt?.(() => {
    try {
      // Synchronous on purpose: the process exits right after this cleanup.
      if (readFileSync(lock, 'utf8') === me) unlinkSync(lock);
    } catch {
      // gone already
    }
  });
  try {
    return await fn();
  } finally {
    unregister?.();
    await release();
  }
}

interface Holder {
  text: string;
  pid: number;
  host: string;
  since: string;
  mtimeMs: number;
}

async function readHolder(lock: string): Promise<Holder | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    const [pid, host, since] = text.trim().split(' ');
    return { text, pid: Number(pid), host: host ?? '?', since: since ?? '?', mtimeMs: st.mtimeMs };
  } catch {
    return undefined; // released meanwhile (or unreadable): the next O_EXCL attempt decides
  }
}

function isStale(h: Holder, staleMs: number): boolean {
  if (Date.now() - h.mtimeMs > staleMs) return true;
  if (h.host !== hostname() || !Number.isSafeInteger(h.pid) || h.pid <= 0) return false;
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as { code?: string }).code !== 'EPERM';
  }
}

/**
 * Breaks a stale lock: renames it aside (atomic; only one breaker wins), then checks that what it moved is
 * the stale lock it judged. If a live holder's fresh lock was moved instead (it was re-created between our
 * read and the rename), it is put back with link(), which never overwrites.
 */
async function breakLock(lock: string, staleText: string): Promise<void> {
  const aside = `${lock}.stale.${randomBytes(6).toString('hex')}`;
  try {
    await rename(lock, aside);
  } catch {
    return; // someone else broke or released it
  }
  let moved = '';
  try {
    moved = await readFile(aside, 'utf8');
  } catch {
    // fall through
  }
  if (moved !== staleText) {
    await link(aside, lock).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

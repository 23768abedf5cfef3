// Issue 8 item 18: output errors (disk full, read-only directory, output is a directory) exited 65, the
// bad-input code, so a script could not tell "your input is broken" from "I could not write". Now they exit 73
// (Exit.OUTPUT, README exit-code table) with a message naming the output path and the reason.
import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { Exit } from '../../src/cli/exit.ts';
import { memoryIO } from '../helpers/io.ts';
import { outputFailure, writeFileAtomic } from '../../src/io/atomic.ts';
import { OutputError } from '../../src/errors.ts';
import { KEYS_DIR } from '../unit/bundle/fixture.ts';

const SAMPLES = join(KEYS_DIR, '..', 'samples', 'cluster');

function setup(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-output-'));
  copyFileSync(`${KEYS_DIR}collector.test-only.key.pem`, join(cwd, 'signer.pem'));
  return cwd;
}

async function collectTo(cwd: string, out: string): Promise<{ code: number; err: string }> {
  const io = memoryIO({ cwd });
  const code = await main(['collect', '--from', SAMPLES, '--out', out, '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z'], io);
  return { code, err: io.err() };
}

/** A tmpfs of `size`, when this machine lets us mount one (root in a privileged container); else undefined. */
function tmpfs(size: string, ro = false): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}
function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

describe('regression: output-error-exit-65', () => {
  it('Exit.OUTPUT is 73, distinct from the input code 65', () => {
    expect(Exit.OUTPUT).toBe(73);
    expect(Exit.OUTPUT).not.toBe(Exit.INPUT);
  });

  it('the output is a directory, or its directory does not exist: exit 73 naming the path', async () => {
    const cwd = setup();
    mkdirSync(join(cwd, 'b.tar.gz'));
    const a = await collectTo(cwd, 'b.tar.gz');
    expect(a.code).toBe(73);
    expect(a.err).toContain(`refusing to write ${join(cwd, 'b.tar.gz')}: expected a regular file or a new path, found a directory`);
    const b = await collectTo(cwd, 'missing/b.tar.gz');
    expect(b.code).toBe(73);
    expect(b.err).toContain(`cannot write ${join(cwd, 'missing/b.tar.gz')}: the directory does not exist (ENOENT)`);
  });

  it('a read-only directory: exit 73 naming the path, no temporary left', async () => {
    const cwd = setup();
    let dir = join(cwd, 'ro');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    let mounted: string | undefined;
    let writable = true;
    try {
      writeFileSync(join(dir, 'probe'), 'x'); // root ignores the mode bits
      rmSync(join(dir, 'probe'));
    } catch {
      writable = false;
    }
    if (writable) {
      mounted = tmpfs('1m', true);
      if (mounted === undefined) return; // cannot make a read-only directory here: covered by the unit mapping below
      dir = mounted;
    }
    try {
      const r = await collectTo(cwd, join(dir, 'b.tar.gz'));
      expect(r.code).toBe(73);
      expect(r.err).toMatch(new RegExp(`cannot write ${join(dir, 'b.tar.gz').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (permission denied \\(EACCES\\)|read-only file system \\(EROFS\\))`));
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (mounted) unmount(mounted);
    }
  });

  it('disk full: exit 73 naming the path, no partial bundle or temporary left', async () => {
    const dir = tmpfs('16k');
    if (dir === undefined) {
      // No mount here: the errno mapping is what decides the exit code.
      const e = outputFailure('/x/b.tar.gz', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      expect(e).toBeInstanceOf(OutputError);
      expect(e.message).toBe('cannot write /x/b.tar.gz: no space left on the device (ENOSPC)');
      return;
    }
    try {
      // Fill the file system, then free nothing: any bundle write hits ENOSPC.
      try {
        writeFileSync(join(dir, 'filler'), new Uint8Array(64 * 1024));
      } catch {
        // ENOSPC: the filler holds what fitted
      }
      const cwd = setup();
      const r = await collectTo(cwd, join(dir, 'b.tar.gz'));
      expect(r.code).toBe(73);
      expect(r.err).toContain(`cannot write ${join(dir, 'b.tar.gz')}: no space left on the device (ENOSPC)`);
      expect(readdirSync(dir)).toEqual(['filler']);
      await expect(writeFileAtomic(join(dir, 'c'), new Uint8Array(64 * 1024))).rejects.toThrow(OutputError);
    } finally {
      unmount(dir);
    }
  });
});

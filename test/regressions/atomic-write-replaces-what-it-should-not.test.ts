// Issue 8 item 11: atomic writes replaced what they should not. Signing through a symlink replaced the link
// with a signed file and left the target unsigned; `--force` onto a FIFO or a device node replaced it (as root,
// `--out /dev/stdout --force` replaced /dev/stdout with a regular file); a read-only bundle was replaced.
// Now: a symlink is resolved and its target written; FIFOs, devices, sockets and directories are refused
// (exit 73 naming the path); a file without its owner-write bit is refused; a replaced file keeps its mode;
// `-` writes standard output (never binary to a terminal).
import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { writeFileAtomic, writeOutput } from '../../src/io/atomic.ts';
import { OutputError, UsageError } from '../../src/errors.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function setup(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-atomic-'));
  writeFileSync(join(cwd, 'real.tar.gz'), buildBundle(sampleCapture(), { signers: [sampleKey('collector')] }).bytes);
  copyFileSync(`${KEYS_DIR}reviewer.test-only.key.pem`, join(cwd, 'reviewer.pem'));
  return cwd;
}

const reviewerSig = `signatures/${sampleKey('reviewer').keyId}.sig`;

describe('regression: atomic-write-replaces-what-it-should-not', () => {
  it('signing through a symlink signs the target and keeps the link', async () => {
    const cwd = setup();
    symlinkSync('real.tar.gz', join(cwd, 'link.tar.gz'));
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'link.tar.gz', '--key', 'reviewer.pem'], io), io.err()).toBe(0);
    expect(lstatSync(join(cwd, 'link.tar.gz')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(cwd, 'link.tar.gz'))).toBe('real.tar.gz');
    expect(readArchive(new Uint8Array(readFileSync(join(cwd, 'real.tar.gz')))).files.has(reviewerSig)).toBe(true);
  });

  it('a dangling symlink is refused, not created through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-atomic-'));
    symlinkSync(join(dir, 'elsewhere', 'x'), join(dir, 'out.tar.gz'));
    await expect(writeFileAtomic(join(dir, 'out.tar.gz'), enc('x'), { overwrite: true })).rejects.toThrow(/refusing to write .*out\.tar\.gz: expected a regular file or a new path, found a dangling symbolic link/);
  });

  it.skipIf(process.platform === 'win32')('a FIFO, a device and a directory are never replaced (exit 73), even with --force', async () => {
    const cwd = setup();
    execFileSync('mkfifo', [join(cwd, 'fifo')]);
    mkdirSync(join(cwd, 'dir.tar.gz'));
    for (const [target, what] of [['fifo', 'a FIFO'], ['/dev/null', 'a character device'], ['dir.tar.gz', 'a directory']] as const) {
      const io = memoryIO({ cwd });
      expect(await main(['collect', '--from', join(KEYS_DIR, '..', 'samples'), '--out', target, '--key', 'reviewer.pem', '--force'], io)).toBe(73);
      expect(io.err()).toContain(`refusing to write ${target.startsWith('/') ? target : join(cwd, target)}`);
      expect(io.err()).toContain(`found ${what}`);
    }
    expect(lstatSync(join(cwd, 'fifo')).isFIFO()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    // /dev/stdout is a link to the process's fd 1 (a pipe or terminal here): refused, never replaced
    if (existsSync('/dev/stdout')) await expect(writeFileAtomic('/dev/stdout', enc('x'), { overwrite: true })).rejects.toThrow(OutputError);
  });

  it('a read-only bundle is not replaced by sign (exit 73); a replaced file keeps its mode', async () => {
    const cwd = setup();
    const before = readFileSync(join(cwd, 'real.tar.gz'));
    chmodSync(join(cwd, 'real.tar.gz'), 0o444);
    const io = memoryIO({ cwd });
    expect(await main(['sign', 'real.tar.gz', '--key', 'reviewer.pem'], io)).toBe(73);
    expect(io.err()).toMatch(/refusing to replace read-only file .*real\.tar\.gz \(mode 0444\); make it writable \(chmod u\+w\)/);
    expect(readFileSync(join(cwd, 'real.tar.gz')).equals(before)).toBe(true);
    chmodSync(join(cwd, 'real.tar.gz'), 0o640);
    expect(await main(['sign', 'real.tar.gz', '--key', 'reviewer.pem'], memoryIO({ cwd }))).toBe(0);
    expect(statSync(join(cwd, 'real.tar.gz')).mode & 0o777).toBe(0o640);
  });

  it('- writes standard output, and refuses binary data to a terminal', async () => {
    const got: Uint8Array[] = [];
    await writeOutput('-', enc('bundle'), { stdout: { write: (b) => got.push(b), isTTY: false }, binary: true });
    expect(new TextDecoder().decode(got[0])).toBe('bundle');
    await expect(writeOutput('-', enc('bundle'), { stdout: { write: (b) => got.push(b), isTTY: true }, binary: true, what: 'collect' })).rejects.toThrow(UsageError);
    await expect(writeOutput('-', enc('x'), {})).rejects.toThrow(/standard output \(-\) is not available/);
  });
});

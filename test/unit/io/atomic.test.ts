import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/io/atomic.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const fresh = () => mkdtempSync(join(tmpdir(), 'gwe-atomic-'));

describe('writeFileAtomic', () => {
  it('writes with the given mode and leaves no temp file', async () => {
    const dir = fresh();
    await writeFileAtomic(join(dir, 'a'), enc('x'), { mode: 0o600 });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('x');
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a']);
  });

  it('refuses to overwrite unless told to, and then replaces the file', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'a'), 'old');
    await expect(writeFileAtomic(join(dir, 'a'), enc('new'))).rejects.toThrow(/refusing to overwrite existing file/);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old');
    await writeFileAtomic(join(dir, 'a'), enc('new'), { overwrite: true });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a']);
  });

  it('removes the temp file when the write fails', async () => {
    const dir = fresh();
    // The target is a directory: rename fails after the temp file was written.
    const target = join(dir, 'sub');
    mkdtempSync(join(dir, 'x'));
    await writeFileAtomic(join(dir, 'placeholder'), enc('p'));
    await import('node:fs/promises').then((fs) => fs.mkdir(target));
    await expect(writeFileAtomic(target, enc('x'), { overwrite: true })).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('registers an interrupt cleanup that removes the temp file, and unregisters afterwards', async () => {
    const dir = fresh();
    let cleanup: (() => void) | undefined;
    let unregistered = false;
    await writeFileAtomic(join(dir, 'a'), enc('x'), {
      onInterrupt: (fn) => {
        cleanup = fn;
        return () => void (unregistered = true);
      },
    });
    expect(unregistered).toBe(true);
    expect(typeof cleanup).toBe('function');
    cleanup!(); // after success this must not remove the real file
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('x');
  });
});

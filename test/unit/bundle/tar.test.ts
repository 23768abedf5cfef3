import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { gzipDeterministic, splitUstarPath, writeTar } from '../../../src/bundle/tar.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import { buildBundle } from '../../../src/bundle/build.ts';
import { sampleCapture, sampleKey } from './fixture.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const long = `root/${'d'.repeat(120)}/${'f'.repeat(90)}.json`;
const entries = [
  { path: 'root/b.txt', bytes: enc('bee\n') },
  { path: 'root/a.txt', bytes: enc('a'.repeat(513)) },
  { path: long, bytes: enc('{}') },
  { path: 'root/empty', bytes: new Uint8Array() },
];
const mtime = 1_793_527_200; // 2026-11-01T10:00:00Z

describe('writeTar', () => {
  const bytes = writeTar(entries, mtime);

  it('writes ustar headers: sorted, mode 0644, uid/gid 0, empty names, fixed mtime, two zero blocks at the end', () => {
    expect(bytes.length % 512).toBe(0);
    expect([...bytes.subarray(bytes.length - 1024)].every((b) => b === 0)).toBe(true);
    const h = bytes.subarray(0, 512);
    const field = (o: number, n: number) => new TextDecoder().decode(h.subarray(o, o + n)).replace(/\0+$/, '');
    expect(field(0, 100)).toBe('root/a.txt');
    expect(field(100, 8)).toBe('0000644');
    expect(field(108, 8)).toBe('0000000');
    expect(field(136, 12)).toBe(mtime.toString(8).padStart(11, '0'));
    expect(field(156, 1)).toBe('0');
    expect(field(257, 6)).toBe('ustar');
    expect(field(263, 2)).toBe('00');
    expect(field(265, 32)).toBe('');
    expect(field(297, 32)).toBe('');
  });

  it('splits long paths into prefix + name and refuses paths ustar cannot hold', () => {
    expect(splitUstarPath(long)).toEqual({ prefix: `root/${'d'.repeat(120)}`, name: `${'f'.repeat(90)}.json` });
    expect(() => splitUstarPath(`root/${'x'.repeat(200)}`)).toThrow(/path too long for a ustar header/);
    expect(() => writeTar([{ path: 'a', bytes: enc('1') }, { path: 'a', bytes: enc('2') }], 0)).toThrow(/duplicate archive path a/);
  });

  it('is read back identically by node-tar (interop)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-tar-'));
    const file = join(dir, 'x.tar.gz');
    writeFileSync(file, gzipDeterministic(bytes));
    const seen: { path: string; size: number; mode: number; uid: number; mtime: number; type: string }[] = [];
    await tar.t({ file, onReadEntry: (e) => seen.push({ path: e.path, size: e.size ?? -1, mode: e.mode ?? -1, uid: e.uid ?? -1, mtime: (e.mtime?.getTime() ?? 0) / 1000, type: e.type }) });
    expect(seen.map((s) => s.path)).toEqual(['root/a.txt', 'root/b.txt', long, 'root/empty'].sort());
    expect(seen.every((s) => s.mode === 0o644 && s.uid === 0 && s.mtime === mtime && s.type === 'File')).toBe(true);
    const out = join(dir, 'out');
    execFileSync('mkdir', [out]);
    await tar.x({ file, cwd: out });
    expect(readFileSync(join(out, 'root/a.txt'), 'utf8')).toBe('a'.repeat(513));
    expect(readFileSync(join(out, long), 'utf8')).toBe('{}');
  });

  it('is listed and extracted by GNU tar (tar -tzvf / tar -xzf)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-gnutar-'));
    const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    writeFileSync(join(dir, 'b.tar.gz'), built.bytes);
    const listing = execFileSync('tar', ['-tzvf', 'b.tar.gz'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    expect(listing).toHaveLength(13);
    for (const line of listing) expect(line).toMatch(new RegExp(`^-rw-r--r-- 0/0 +\\d+ 2026-11-01 \\d\\d:\\d\\d ${built.bundleId}/`));
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
    const manifest = readFileSync(join(dir, built.bundleId, 'manifest-sha256.txt'));
    expect(Buffer.from(readArchive(built.bytes).files.get('manifest-sha256.txt')!).equals(manifest)).toBe(true);
    // GNU tar, fed the same files, agrees with our reader on contents.
    const sum = execFileSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: join(dir, built.bundleId), encoding: 'utf8' });
    expect(sum).not.toMatch(/FAILED/);
  });

  it('is accepted by the strict reader with no findings', () => {
    const r = readArchive(gzipDeterministic(bytes));
    expect(r.fatal).toBe(false);
    expect(r.findings).toEqual([]);
    expect(r.files.get('b.txt')).toEqual(enc('bee\n'));
  });
});

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { gzipDeterministic, splitUstarPath, writeTar, writeTarGzip } from '../../../src/bundle/tar.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import { buildBundle, buildBundleStreaming } from '../../../src/bundle/build.ts';
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

// Issue 13: collect streams the tar into gzip in 1 MiB pieces; the bytes must be exactly the one-shot writer's.
describe('writeTarGzip (streamed tar + gzip)', () => {
  const pseudoRandom = (n: number, seed: number): Uint8Array => {
    const out = new Uint8Array(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  };
  const cases: Record<string, Array<{ path: string; bytes: Uint8Array }>> = {
    'no entries': [],
    'one empty file': [{ path: 'r/a', bytes: new Uint8Array(0) }],
    'entries given unsorted, sizes around the 512-byte block': [511, 512, 513, 0, 1].map((n, i) => ({ path: `r/${'edcba'[i]}.json`, bytes: pseudoRandom(n, i) })),
    'an entry that ends exactly at a 1 MiB piece boundary': [{ path: 'r/a', bytes: pseudoRandom((1 << 20) - 512, 1) }, { path: 'r/b', bytes: enc('{}') }],
    'entries spanning several pieces, compressible and not': [
      { path: 'r/big-random', bytes: pseudoRandom(3 * (1 << 20) + 77, 7) },
      { path: 'r/big-text', bytes: enc('{"a":"b"}'.repeat(400_000)) },
      ...Array.from({ length: 3000 }, (_, i) => ({ path: `r/data/objects/core/service/ns/s-${i}.json`, bytes: enc(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"s-${i}"}}`) })),
    ],
  };
  for (const [name, entries] of Object.entries(cases)) {
    it(`${name}: same bytes as gzipDeterministic(writeTar(...))`, async () => {
      const want = gzipDeterministic(writeTar(entries, 1_700_000_000));
      const got = await writeTarGzip(entries, 1_700_000_000);
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
    });
  }

  it('rejects duplicate paths as writeTar does', async () => {
    await expect(writeTarGzip([{ path: 'r/a', bytes: enc('1') }, { path: 'r/a', bytes: enc('2') }], 0)).rejects.toThrow('duplicate archive path r/a');
  });

  it('buildBundleStreaming gives buildBundle bytes', async () => {
    const a = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    const b = await buildBundleStreaming(sampleCapture(), { signers: [sampleKey('collector')] });
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(b.sha256).toBe(a.sha256);
    expect(b.entries.map((e) => e.path)).toEqual(a.entries.map((e) => e.path));
  });
});

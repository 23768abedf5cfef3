import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPS, readArchive } from '../../../src/bundle/reader.ts';
import { gzipDeterministic, writeTar } from '../../../src/bundle/tar.ts';
import { archive, buildTar, concat, fileEntries, gzip, paxRecord, type TarItem } from '../../helpers/tar.ts';

const ROOT = 'gwe-20261101t000000z-3f9a0c1b2d4e5f60';
const FILES = {
  'bagit.txt': 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
  'data/objects/core/service/ns/a.json': '{"kind":"Service"}',
  'manifest-sha256.txt': '',
};
const base = (): TarItem[] => fileEntries(ROOT, FILES);
const codes = (r: { findings: { code: string }[] }): string[] => r.findings.map((f) => f.code);
const read = (items: TarItem[], opts?: Parameters<typeof buildTar>[1]) => readArchive(gzip(buildTar(items, opts)));

describe('readArchive: well-formed archives', () => {
  it('returns files relative to the single root, with no findings', () => {
    const r = readArchive(archive(ROOT, FILES));
    expect(r.findings).toEqual([]);
    expect(r.fatal).toBe(false);
    expect(r.root).toBe(ROOT);
    expect([...r.files.keys()]).toEqual(['bagit.txt', 'data/objects/core/service/ns/a.json', 'manifest-sha256.txt']);
    expect(new TextDecoder().decode(r.files.get('bagit.txt'))).toBe(FILES['bagit.txt']);
  });

  it('rejects directory entries and zero padding to a 10 KiB record after the end marker: the writer writes neither', () => {
    const items: TarItem[] = [{ name: `${ROOT}/`, type: '5' }, ...base()];
    const r = read(items);
    expect(codes(r)).toEqual(['ARCHIVE_FOREIGN_HEADER']);
    expect(r.findings[0]!.message).toContain('a directory entry');
    expect(r.files.size).toBe(3);
    const tar = buildTar(base());
    const padded = readArchive(gzip(concat([tar, new Uint8Array(10240 - (tar.length % 10240))])));
    expect(codes(padded)).toEqual(['ARCHIVE_TRAILING_DATA']);
    expect(padded.fatal).toBe(true);
  });

  it("rejects the old regular-file typeflag '\\0' (the writer writes '0')", () => {
    const r = read([...base(), { name: `${ROOT}/data/a.json`, type: '\0', data: '{}' }]);
    expect(codes(r)).toEqual(['ARCHIVE_FOREIGN_HEADER']);
    expect(r.files.has('data/a.json')).toBe(false);
  });

  it('reads the bundle writer output (src/bundle/tar.ts) without findings', () => {
    const gz = gzipDeterministic(writeTar(Object.entries(FILES).map(([p, d]) => ({ path: `${ROOT}/${p}`, bytes: new TextEncoder().encode(d) })), 1_793_491_200));
    const r = readArchive(gz);
    expect(r.findings).toEqual([]);
    expect(r.files.size).toBe(3);
  });

  it('splits long names across the ustar prefix field', () => {
    const long = `data/objects/${'a'.repeat(90)}/${'b'.repeat(90)}.json`;
    const r = readArchive(archive(ROOT, { [long]: '{}' }));
    expect(r.findings).toEqual([]);
    expect(r.files.has(long)).toBe(true);
  });

  it('rejects what GNU tar writes in --format=ustar (real mtimes, directory entries), and the helper writes what GNU tar reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-reader-'));
    try {
      mkdirSync(join(dir, ROOT, 'data'), { recursive: true });
      writeFileSync(join(dir, ROOT, 'bagit.txt'), FILES['bagit.txt']);
      writeFileSync(join(dir, ROOT, 'data', 'x.json'), '{"a":1}');
      execFileSync('tar', ['--format=ustar', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-czf', join(dir, 'b.tgz'), '-C', dir, ROOT]);
      const r = readArchive(new Uint8Array(readFileSync(join(dir, 'b.tgz'))));
      expect(r.fatal).toBe(true); // the 10 KiB record padding after the end marker
      expect(codes(r)).toContain('ARCHIVE_TRAILING_DATA');
      execFileSync('tar', ['--format=ustar', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--record-size=512', '-czf', join(dir, 'c.tgz'), '-C', dir, ROOT]);
      const c = readArchive(new Uint8Array(readFileSync(join(dir, 'c.tgz'))));
      expect(c.fatal).toBe(false);
      expect(new Set(codes(c))).toEqual(new Set(['ARCHIVE_FOREIGN_HEADER']));
      expect(c.findings.every((f) => f.message.includes('a directory entry'))).toBe(true);
      expect(c.files.size).toBe(2); // GNU tar's file headers match ours but for mtime, which checkBag compares with Captured-At
      expect(c.mtime).toBeGreaterThan(1_700_000_000);
      execFileSync('tar', ['--format=ustar', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mode=u+s', '--record-size=512', '-czf', join(dir, 'd.tgz'), '-C', dir, ROOT]);
      const d = readArchive(new Uint8Array(readFileSync(join(dir, 'd.tgz'))));
      expect(d.files.size).toBe(0);
      expect(d.findings.some((f) => f.message.includes('mode "0004644\\x00"'))).toBe(true);

      writeFileSync(join(dir, 'mine.tgz'), archive(ROOT, FILES));
      const listed = execFileSync('tar', ['-tzf', join(dir, 'mine.tgz')], { encoding: 'utf8' });
      expect(listed.trim().split('\n')).toEqual(Object.keys(FILES).map((p) => `${ROOT}/${p}`).sort());

      // GNU tar's default format uses 'ustar  \0' magic (old GNU): we never write it, so it is rejected.
      execFileSync('tar', ['--format=gnu', '-czf', join(dir, 'gnu.tgz'), '-C', dir, ROOT]);
      const g = readArchive(new Uint8Array(readFileSync(join(dir, 'gnu.tgz'))));
      expect(g.fatal).toBe(true);
      expect(codes(g)).toEqual(['ARCHIVE_GNU_EXTENSION']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns (not errors) when entries are not in byte order: the archive was repacked', () => {
    const r = read(base().reverse());
    expect(r.fatal).toBe(false);
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([['ARCHIVE_UNSORTED', 'warning']]);
    expect(r.files.size).toBe(3);
  });

  it('returns zero-copy views into one inflated buffer', () => {
    const r = readArchive(archive(ROOT, FILES));
    const bufs = new Set([...r.files.values()].map((v) => v.buffer));
    expect(bufs.size).toBe(1);
  });
});

describe('readArchive: gzip layer', () => {
  it('rejects bytes that are not gzip', () => {
    const r = readArchive(buildTar(base()));
    expect(r).toMatchObject({ fatal: true, files: new Map(), root: '' });
    expect(codes(r)).toEqual(['ARCHIVE_NOT_GZIP']);
  });

  it('rejects reserved gzip flag bits', () => {
    const gz = archive(ROOT, FILES);
    gz[3] = 0x20;
    expect(codes(readArchive(gz))).toEqual(['ARCHIVE_NOT_GZIP']);
  });

  it('rejects a second gzip member (gunzip would concatenate it)', () => {
    const evil = gzip(buildTar([{ name: `${ROOT}/data/evil.json`, data: 'x' }]));
    const r = readArchive(concat([archive(ROOT, FILES), evil]));
    expect(codes(r)).toEqual(['ARCHIVE_TRAILING_DATA']);
    expect(r.findings[0]!.message).toContain('second member');
  });

  it('rejects garbage after the gzip trailer', () => {
    const r = readArchive(concat([archive(ROOT, FILES), new Uint8Array([1, 2, 3])]));
    expect(codes(r)).toEqual(['ARCHIVE_TRAILING_DATA']);
  });

  it('rejects a truncated gzip stream and a missing trailer', () => {
    const gz = archive(ROOT, FILES);
    expect(codes(readArchive(gz.subarray(0, gz.length - 40)))).toEqual(['ARCHIVE_TRUNCATED']);
    expect(codes(readArchive(gz.subarray(0, gz.length - 4)))).toEqual(['ARCHIVE_TRUNCATED']);
  });

  it('rejects a CRC mismatch in the gzip trailer', () => {
    const gz = archive(ROOT, FILES);
    gz[gz.length - 8]! ^= 0xff;
    expect(codes(readArchive(gz))).toEqual(['ARCHIVE_BAD_CRC']);
  });

  it('rejects FNAME/FEXTRA/FCOMMENT/FHCRC/FTEXT header fields: the writer sets no flag', () => {
    const gz = archive(ROOT, FILES);
    const hdr = new Uint8Array([0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 255]);
    const withFields = concat([hdr, new Uint8Array([2, 0, 0xaa, 0xbb]), new TextEncoder().encode('b.tar\0hi\0'), gz.subarray(10)]);
    const r = readArchive(withFields);
    expect(codes(r)).toEqual(['ARCHIVE_GZIP_FLAGS']);
    expect(r.findings[0]!.detail).toEqual({ flags: ['FEXTRA', 'FNAME', 'FCOMMENT'] });
    for (const flg of [0x01, 0x02]) {
      const one = concat([new Uint8Array([0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 255]), flg === 0x02 ? new Uint8Array([0, 0]) : new Uint8Array(0), gz.subarray(10)]);
      expect(codes(readArchive(one))).toEqual(['ARCHIVE_GZIP_FLAGS']);
    }
  });

  it('the trailer ISIZE sizes the inflate buffer only as a hint: a lying ISIZE is still rejected, a bomb still stopped', () => {
    const gz = archive(ROOT, FILES);
    const lie = (isize: number, bytes: Uint8Array = gz): Uint8Array => {
      const out = new Uint8Array(bytes);
      new DataView(out.buffer).setUint32(out.length - 4, isize, true);
      return out;
    };
    const real = new DataView(gz.buffer, gz.byteOffset).getUint32(gz.length - 4, true);
    for (const isize of [0, 1, real - 1, real + 1, 0xffffffff]) {
      const r = readArchive(lie(isize));
      expect(codes(r), String(isize)).toEqual(['ARCHIVE_BAD_CRC']);
      expect(r.findings[0]!.message).toContain(`ISIZE ${isize}`);
    }
    // a bomb whose trailer claims a tiny size is stopped by the ratio budget, as is one claiming the budget
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 }));
    for (const isize of [100, 0xffffffff]) expect(codes(readArchive(lie(isize, bomb)))).toEqual(['ARCHIVE_GZIP_BOMB']);
    // an archive larger than one default zlib chunk with a true ISIZE reads as before
    const big = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`data/objects/core/service/ns/s${String(i).padStart(3, '0')}.json`, `{"kind":"Service","n":${i}}`]));
    const r = readArchive(archive(ROOT, { ...FILES, ...big }));
    expect(r.findings).toEqual([]);
    expect(r.files.size).toBe(303);
  });

  it('rejects a gzip bomb by ratio before inflating it all', () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const r = readArchive(new Uint8Array(bomb));
    expect(codes(r)).toEqual(['ARCHIVE_GZIP_BOMB']);
    expect(r.findings[0]!.detail).toMatchObject({ cap: 'maxRatio', limit: DEFAULT_CAPS.maxRatio });
  });

  it('enforces the compressed and uncompressed byte caps', () => {
    const gz = archive(ROOT, FILES);
    expect(readArchive(gz, { maxCompressedBytes: 100 }).findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxCompressedBytes' } });
    expect(readArchive(gz, { maxUncompressedBytes: 2048 }).findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxUncompressedBytes' } });
  });

  it('rejects invalid caps as a programming error', () => {
    expect(() => readArchive(archive(ROOT, FILES), { maxEntries: 0 })).toThrow(RangeError);
  });
});

describe('readArchive: tar framing', () => {
  it('rejects a header with a bad checksum', () => {
    const items = base();
    (items[1] as { checksumDelta?: number }).checksumDelta = 1;
    expect(codes(read(items))).toEqual(['ARCHIVE_BAD_CHECKSUM']);
  });

  it('rejects a wrong magic or version', () => {
    expect(codes(read([{ ...base()[0]!, magic: 'ustaR\0' } as TarItem]))).toEqual(['ARCHIVE_BAD_HEADER']);
    expect(codes(read([{ ...base()[0]!, version: '01' } as TarItem]))).toEqual(['ARCHIVE_BAD_HEADER']);
  });

  it('rejects non-octal and base-256 numeric fields', () => {
    expect(codes(read([{ name: `${ROOT}/a`, data: 'x', rawFields: { size: '0000000001x\0' } }]))).toEqual(['ARCHIVE_BAD_HEADER']);
    const b256 = new Uint8Array(12);
    b256[0] = 0x80;
    b256[11] = 1;
    expect(codes(read([{ name: `${ROOT}/a`, data: 'x', rawFields: { size: b256 } }]))).toEqual(['ARCHIVE_BAD_HEADER']);
  });

  it('rejects bytes hidden after the name terminator', () => {
    const name = new Uint8Array(100);
    name.set(new TextEncoder().encode(`${ROOT}/a`));
    name[80] = 0x41;
    expect(codes(read([{ name, data: 'x' }]))).toEqual(['ARCHIVE_BAD_HEADER']);
  });

  it('rejects a size field that overruns the archive', () => {
    const r = read([{ name: `${ROOT}/a`, data: 'x', sizeField: 1_000_000 }], { end: 'none' });
    expect(codes(r)).toEqual(['ARCHIVE_TRUNCATED']);
  });

  it('rejects an archive without its end marker, or with only one zero block', () => {
    expect(codes(read(base(), { end: 'none' }))).toEqual(['ARCHIVE_TRUNCATED']);
    expect(codes(read(base(), { end: 'one' }))).toEqual(['ARCHIVE_TRUNCATED']);
  });

  it('rejects a lone zero block that hides later entries', () => {
    const items = base();
    items.splice(2, 0, { raw: new Uint8Array(512) });
    expect(codes(read(items))).toEqual(['ARCHIVE_LONE_ZERO_BLOCK']);
  });

  it('rejects data after the end marker', () => {
    const hidden = buildTar([{ name: `${ROOT}/data/hidden.json`, data: '{}' }]);
    expect(codes(read(base(), { trailing: hidden }))).toEqual(['ARCHIVE_TRAILING_DATA']);
  });

  it('rejects non-zero bytes in the padding after file data', () => {
    const items = base();
    (items[0] as { padding?: Uint8Array }).padding = new TextEncoder().encode('hidden');
    const r = read(items);
    expect(r.fatal).toBe(false);
    expect(codes(r)).toEqual(['ARCHIVE_NONZERO_PADDING']);
    expect(r.files.has('bagit.txt')).toBe(false);
  });

  it('rejects pax headers and GNU records (fatal: they change how later entries are read)', () => {
    for (const [type, code] of [
      ['x', 'ARCHIVE_PAX_UNSUPPORTED'],
      ['g', 'ARCHIVE_PAX_UNSUPPORTED'],
      ['L', 'ARCHIVE_GNU_EXTENSION'],
      ['K', 'ARCHIVE_GNU_EXTENSION'],
    ] as const) {
      const r = read([{ name: `${ROOT}/paxheader`, type, data: paxRecord('path', `${ROOT}/data/x.json`) }, ...base()]);
      expect(r.fatal).toBe(true);
      expect(codes(r)).toEqual([code]);
    }
  });

  it('rejects unknown typeflags', () => {
    expect(codes(read([{ name: `${ROOT}/a`, type: 'Z' }]))).toEqual(['ARCHIVE_UNKNOWN_TYPE']);
  });

  it('caps the number of entries', () => {
    const r = readArchive(archive(ROOT, FILES), { maxEntries: 2 });
    expect(r.findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxEntries', limit: 2 } });
    expect(r.fatal).toBe(true);
  });
});

describe('readArchive: entries', () => {
  const one = (name: string | Uint8Array, extra: Partial<TarItem> = {}) => read([...base(), { name, data: 'x', ...extra } as TarItem]);

  it.each([
    ['/etc/passwd', 'ARCHIVE_ABSOLUTE_PATH'],
    ['C:evil.json', 'ARCHIVE_ABSOLUTE_PATH'],
    [`${ROOT}/../evil.json`, 'ARCHIVE_PATH_TRAVERSAL'],
    [`${ROOT}/data/./a.json`, 'ARCHIVE_NONCANONICAL_PATH'],
    [`${ROOT}/data//a.json`, 'ARCHIVE_NONCANONICAL_PATH'],
    [`${ROOT}/data\\a.json`, 'ARCHIVE_BACKSLASH'],
    [`${ROOT}/data/A.json`, 'ARCHIVE_BAD_CHARSET'],
    [`${ROOT}/data/a b.json`, 'ARCHIVE_BAD_CHARSET'],
    [`${ROOT}/data/caf\u00e9.json`, 'ARCHIVE_BAD_CHARSET'],
    [`${ROOT}/data/x/`, 'ARCHIVE_NONCANONICAL_PATH'],
  ])('rejects %j with %s and leaves it out of files', (name, code) => {
    const r = one(name);
    expect(codes(r)).toContain(code);
    expect(r.findings.find((f) => f.code === code)!.severity).toBe('error');
    expect(r.files.size).toBe(3);
  });

  it('names the entry with non-printable bytes escaped', () => {
    const r = one(new Uint8Array([...new TextEncoder().encode(`${ROOT}/data/`), 0xc3, 0x9f, 0x0a]));
    expect(r.findings[0]).toMatchObject({ code: 'ARCHIVE_BAD_CHARSET', subject: `${ROOT}/data/\\xc3\\x9f\\x0a` });
  });

  it.each([
    ['1', 'ARCHIVE_LINK_ENTRY'],
    ['2', 'ARCHIVE_LINK_ENTRY'],
    ['3', 'ARCHIVE_SPECIAL_ENTRY'],
    ['4', 'ARCHIVE_SPECIAL_ENTRY'],
    ['6', 'ARCHIVE_SPECIAL_ENTRY'],
  ])('rejects typeflag %s with %s', (type, code) => {
    const r = one(`${ROOT}/data/l.json`, { type, data: '', linkname: '/etc/passwd' } as Partial<TarItem>);
    expect(codes(r)).toEqual([code]);
    expect(r.fatal).toBe(false);
    expect(r.files.has('data/l.json')).toBe(false);
  });

  it('reports duplicates in the order their names first appear, each with its count', () => {
    const f = (n: string) => ({ name: `${ROOT}/${n}`, data: n });
    const r = read([f('a'), f('b'), f('b'), f('c'), f('a'), f('b'), ...base()]);
    const dups = r.findings.filter((x) => x.code === 'ARCHIVE_DUPLICATE_ENTRY');
    expect(dups.map((x) => [x.subject, x.detail])).toEqual([
      [`${ROOT}/a`, { count: 2 }],
      [`${ROOT}/b`, { count: 3 }],
    ]);
    expect([...r.files.keys()]).toEqual(['c', 'bagit.txt', 'data/objects/core/service/ns/a.json', 'manifest-sha256.txt']);
  });

  it('finds a hidden byte at every offset of the padding and of a header field after its NUL (checked four bytes at a time)', () => {
    for (let k = 0; k < 511; k++) {
      const padding = new Uint8Array(k + 1);
      padding[k] = 0x41;
      const r = read([{ name: `${ROOT}/a`, data: 'x', padding }, ...base()]);
      expect(codes(r), `padding byte ${k}`).toEqual(['ARCHIVE_NONZERO_PADDING']);
      expect(r.findings[0]!.message).toContain(`found a non-zero byte at offset ${512 + 1 + k}`);
    }
    const named = new TextEncoder().encode(`${ROOT}/a`);
    for (let k = named.length + 1; k < 100; k++) {
      const name = new Uint8Array(100);
      name.set(named);
      name[k] = 0x41;
      expect(codes(read([{ name, data: 'x' }])), `name byte ${k}`).toEqual(['ARCHIVE_BAD_HEADER']);
    }
    for (let k = 2; k <= 31; k++) {
      const hidden = `a${'\0'.repeat(k - 1)}b`;
      expect(codes(read([{ name: `${ROOT}/a`, data: 'x', uname: hidden }])), `uname byte ${k}`).toEqual(['ARCHIVE_BAD_HEADER']);
      expect(codes(read([{ name: `${ROOT}/a`, data: 'x', gname: hidden }])), `gname byte ${k}`).toEqual(['ARCHIVE_BAD_HEADER']);
    }
    // and none where the tails are all zero
    expect(read([{ name: `${ROOT}/a`, data: 'x' }, ...base()]).findings).toEqual([]);
  });

  it('rejects duplicates and keeps neither copy', () => {
    const r = read([...base(), { name: `${ROOT}/manifest-sha256.txt`, data: 'evil' }]);
    expect(codes(r)).toEqual(expect.arrayContaining(['ARCHIVE_DUPLICATE_ENTRY']));
    expect(r.files.has('manifest-sha256.txt')).toBe(false);
  });

  it('counts a rejected link with the same name as a file as a duplicate (CVE-2018-20834 shape)', () => {
    const r = read([{ name: `${ROOT}/bagit.txt`, type: '1', linkname: '/etc/passwd' }, ...base()]);
    expect(codes(r)).toEqual(expect.arrayContaining(['ARCHIVE_LINK_ENTRY', 'ARCHIVE_DUPLICATE_ENTRY']));
    expect(r.files.has('bagit.txt')).toBe(false);
  });

  it('rejects case-insensitive collisions', () => {
    const r = one(`${ROOT}/BAGIT.TXT`);
    expect(codes(r)).toEqual(expect.arrayContaining(['ARCHIVE_BAD_CHARSET', 'ARCHIVE_CASE_COLLISION']));
    expect(r.files.has('bagit.txt')).toBe(false);
  });

  it('rejects a file that is also a directory', () => {
    const r = read([...base(), { name: `${ROOT}/data/objects`, data: 'x' }]);
    expect(codes(r)).toEqual(expect.arrayContaining(['ARCHIVE_FILE_DIR_COLLISION']));
    expect(r.files.has('data/objects')).toBe(false);
    expect(r.files.has('data/objects/core/service/ns/a.json')).toBe(true);
  });

  it('rejects more than one root and files at the top level', () => {
    expect(codes(read([...base(), { name: 'other/bagit.txt', data: 'x' }]))).toContain('ARCHIVE_MULTIPLE_ROOTS');
    const top = read([{ name: 'bagit.txt', data: 'x' }]);
    expect(codes(top)).toEqual(['ARCHIVE_NOT_UNDER_ROOT']);
    expect(top.fatal).toBe(true);
  });

  it('rejects an empty archive', () => {
    expect(codes(read([]))).toEqual(['ARCHIVE_EMPTY']);
  });

  it('enforces per-entry caps: file size, path length, depth', () => {
    const gz = archive(ROOT, FILES);
    expect(readArchive(gz, { maxFileBytes: 20 }).findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxFileBytes' } });
    expect(readArchive(gz, { maxPathLength: 50 }).findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxPathLength' } });
    expect(readArchive(gz, { maxPathDepth: 3 }).findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxPathDepth' } });
  });

  it('rejects a directory entry with data and a file with a linkname', () => {
    expect(codes(read([{ name: `${ROOT}/`, type: '5', data: 'x' }]))).toEqual(['ARCHIVE_BAD_HEADER']);
    expect(codes(read([{ name: `${ROOT}/a`, data: 'x', linkname: 'b' }]))).toEqual(['ARCHIVE_BAD_HEADER']);
  });
});

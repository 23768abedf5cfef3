// Bug (issue 8 item 14, parser differential): the gzip reader skipped FHCRC without checking it and accepted
// FNAME/FCOMMENT/FEXTRA although the format fixes "no flags" (GNU tar rejects a bad header CRC, so the reviewer
// recipe failed on a bundle gwe called verified); tar modes, uid/gid, uname/gname and mtime were only checked
// to be octal, so a bundle with setuid modes and foreign owners verified. The reader now accepts exactly what
// the writer (src/bundle/tar.ts, every version) writes; bundles of the first writer (gzip level 9) still verify.
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/bundle/reader.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { repack } from '../golden/verify/corpus.ts';
import { concat } from '../helpers/tar.ts';
import { expectRejected, fixture } from './shared.ts';

const trust = () => {
  const k = fixture().keys.collector;
  return { source: 'regression', keys: [{ name: 'collector', publicKey: k.publicKey, keyId: k.keyId }], threshold: 1, required: [] };
};
/** The valid bundle's deflate body behind another gzip header (`flg` and its optional fields). */
const regzip = (flg: number, fields: Uint8Array): Uint8Array => {
  const gz = fixture().bytes;
  return concat([new Uint8Array([0x1f, 0x8b, 8, flg, 0, 0, 0, 0, 0, 255]), fields, gz.subarray(10)]);
};

describe('regression: archive-foreign-headers (gzip flags)', () => {
  it('rejects FHCRC with a wrong header CRC (GNU tar refuses it) and with a right one', () => {
    expectRejected(regzip(0x02, new Uint8Array([0xde, 0xad])), ['ARCHIVE_GZIP_FLAGS']);
    const hdr = new Uint8Array([0x1f, 0x8b, 8, 0x02, 0, 0, 0, 0, 0, 255]);
    const c = crc32(hdr) & 0xffff;
    expectRejected(regzip(0x02, new Uint8Array([c & 0xff, c >> 8])), ['ARCHIVE_GZIP_FLAGS']);
  });
  it('rejects FNAME, FCOMMENT and FEXTRA (data no digest covers)', () => {
    expectRejected(regzip(0x08, new TextEncoder().encode('evil.tar\0')), ['ARCHIVE_GZIP_FLAGS']);
    expectRejected(regzip(0x10, new TextEncoder().encode('hidden comment\0')), ['ARCHIVE_GZIP_FLAGS']);
    expectRejected(regzip(0x04, new Uint8Array([2, 0, 0xaa, 0xbb])), ['ARCHIVE_GZIP_FLAGS']);
  });
});

describe('regression: archive-foreign-headers (tar header fields)', () => {
  const fx = fixture();
  const target = `${fx.root}/bagit.txt`;
  const edit = (change: Record<string, unknown>) => repack(fx.root, fx.files, (items) => items.map((it) => ('name' in it && it.name === target ? { ...it, ...change } : it)));
  it.each([
    ['setuid mode', { mode: 0o4755 }, 'mode "0004755'],
    ['executable mode', { mode: 0o755 }, 'mode "0000755'],
    ['world-writable mode', { mode: 0o666 }, 'mode "0000666'],
    ['foreign uid', { uid: 1000 }, 'uid "0001750'],
    ['foreign gid', { gid: 1000 }, 'gid "0001750'],
    ['uname', { uname: 'mallory' }, 'uname "mallory'],
    ['gname', { gname: 'wheel' }, 'gname "wheel'],
    ['one entry with another mtime', { mtime: 1_793_491_201 }, 'mtime 1793491201'],
    ['space-terminated octal', { rawFields: { mode: '000644 \0' } }, 'mode "000644 '],
  ])('rejects %s', (_what, change, message) => {
    const gz = edit(change);
    expectRejected(gz, ['ARCHIVE_FOREIGN_HEADER']);
    const f = readArchive(gz).findings.find((x) => x.code === 'ARCHIVE_FOREIGN_HEADER')!;
    expect(f.subject).toBe(target);
    expect(f.message).toContain(message);
  });

  it('rejects an archive whose entries all carry an mtime other than the capture time', () => {
    const gz = repack(fx.root, fx.files, (items) => items.map((it) => ('name' in it ? { ...it, mtime: 1_700_000_000 } : it)));
    expect(readArchive(gz).findings).toEqual([]);
    const v = verifyBundle(gz, { trust: trust() });
    expect(v.verdict).toBe('failed');
    expect(v.findings.find((f) => f.code === 'ARCHIVE_FOREIGN_HEADER')?.message).toContain('capture time 2026-11-01T00:00:00Z (1793491200), found 1700000000');
  });

  it('keeps verifying bundles of every writer version: level 6 (now) and level 9 (the first writer)', () => {
    expect(verifyBundle(fx.bytes, { trust: trust() }).verdict).toBe('verified');
    const read = readArchive(fx.bytes);
    expect(read.findings).toEqual([]);
    // The first writer (6ca1c12): the same tar bytes, gzipSync level 9, MTIME 0, OS 255 (XFL 2).
    const v1 = new Uint8Array(gzipSync(gunzipSync(fx.bytes), { level: 9 }));
    v1[9] = 0xff;
    expect(v1[8]).toBe(2);
    expect(verifyBundle(v1, { trust: trust() }).verdict).toBe('verified');
  });
});

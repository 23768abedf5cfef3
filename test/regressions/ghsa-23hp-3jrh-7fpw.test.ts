// node-tar CVE-2026-59873 (GHSA-23hp-3jrh-7fpw): no caps on decompressed bytes or entry count.
import { gzipSync } from 'node:zlib';
import { it } from 'vitest';
import { buildTar } from '../helpers/tar.ts';
import { expectRejected, hostile } from './shared.ts';

it('rejects a decompression bomb by ratio', () => {
  const bomb = new Uint8Array(gzipSync(buildTar([{ name: 'b/data/zeros.json', data: new Uint8Array(32 * 1024 * 1024) }]), { level: 9 }));
  expectRejected(bomb, ['ARCHIVE_GZIP_BOMB']);
});

it('rejects more entries than maxEntries', () => {
  const many = hostile((root) => Array.from({ length: 50 }, (_, i) => ({ name: `${root}/data/zz/${i}.json`, data: '{}' })));
  expectRejected(many, ['ARCHIVE_CAP_EXCEEDED'], { maxEntries: 30 });
});

it('rejects more uncompressed bytes than maxUncompressedBytes', () => {
  const big = hostile((root) => [{ name: `${root}/data/zz/big.json`, data: 'y'.repeat(64 * 1024) }]);
  expectRejected(big, ['ARCHIVE_CAP_EXCEEDED'], { maxUncompressedBytes: 32 * 1024 });
});

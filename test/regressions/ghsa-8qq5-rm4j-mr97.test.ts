// node-tar CVE-2026-23745 (GHSA-8qq5-rm4j-mr97): link paths were not sanitised (hardlink to an absolute path).
import { it } from 'vitest';
import { expectRejected, hostile } from './shared.ts';

it.each([
  ['1', '/etc/shadow'],
  ['2', '../../../../etc/shadow'],
])('rejects a typeflag %s link to %s', (type, linkname) => {
  expectRejected(hostile((root) => [{ name: `${root}/data/objects/l.json`, type, linkname }]), ['ARCHIVE_LINK_ENTRY']);
});

// node-tar CVE-2026-31802 (GHSA-9ppj-qmqm-q256): a symlink with a drive-relative target (C:../..).
import { it } from 'vitest';
import { expectRejected, hostile } from './shared.ts';

it('rejects a symlink whose target is drive-relative', () => {
  expectRejected(hostile((root) => [{ name: `${root}/data/objects/w`, type: '2', linkname: 'C:../../Windows' }]), ['ARCHIVE_LINK_ENTRY']);
});

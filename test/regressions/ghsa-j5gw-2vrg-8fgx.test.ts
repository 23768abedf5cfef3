// TARmageddon CVE-2025-62518 (GHSA-j5gw-2vrg-8fgx): a pax header's size disagrees with the ustar size, so
// two parsers see different entries. We never write pax, so any pax header is fatal.
import { expect, it } from 'vitest';
import { readArchive } from '../../src/bundle/reader.ts';
import { paxRecord } from '../helpers/tar.ts';
import { expectRejected, hostile } from './shared.ts';

it('rejects a pax size override and hands on no files', () => {
  const gz = hostile(
    (root) => [
      { name: `${root}/paxheaders/x`, type: 'x', data: paxRecord('size', '0') },
      { name: `${root}/data/objects/smuggled.json`, data: 'x'.repeat(2048) },
    ],
    'start',
  );
  expectRejected(gz, ['ARCHIVE_PAX_UNSUPPORTED']);
  expect(readArchive(gz)).toMatchObject({ fatal: true, files: new Map() });
});

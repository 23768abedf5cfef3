import { describe, expect, it } from 'vitest';
import { assembleArchive, buildBag, buildBundle } from '../../../src/bundle/build.ts';
import { BundleFormatError } from '../../../src/errors.ts';
import { BUNDLE_READERS, bundleFormatVersion, readBundle } from '../../../src/diff/read.ts';
import { KEY } from '../chain/fixtures.ts';
import { platform } from './fixtures.ts';

function withVersion(version: string): Uint8Array {
  const bag = buildBag(platform());
  const info = new TextDecoder().decode(bag.files.get('bag-info.txt')!).replace('Bundle-Format-Version: 1', `Bundle-Format-Version: ${version}`);
  bag.files.set('bag-info.txt', new TextEncoder().encode(info));
  return assembleArchive(bag.bundleId, bag.files, bag.statement, new Map(), bag.mtime);
}

describe('versioned bundle reading', () => {
  it('reads a v1 bundle through the v1 reader', () => {
    const b = buildBundle(platform(), { signers: [KEY] });
    const r = readBundle(b.bytes, 'q1.tar.gz');
    expect(r.formatVersion).toBe('1');
    expect(r.bundleId).toBe(b.bundleId);
    expect(r.integrityOk).toBe(true);
    expect(r.capture.snapshot.objects.length).toBe(platform().snapshot.objects.length);
    expect(r.contentDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(BUNDLE_READERS)).toEqual(['1', '2']);
  });

  it('an unknown format version is a clear UNSUPPORTED_VERSION error naming the file and the versions supported', () => {
    const bytes = withVersion('3');
    expect(bundleFormatVersion(bytes, 'q9.tar.gz')).toBe('3');
    let err: unknown;
    try {
      readBundle(bytes, 'q9.tar.gz');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BundleFormatError);
    expect((err as BundleFormatError).code).toBe('UNSUPPORTED_VERSION');
    expect((err as Error).message).toBe('q9.tar.gz: bundle format version "3" is not supported; this gwe reads format version(s) 1, 2');
  });

  it('bytes that are not a bundle are NOT_A_BUNDLE with the file name', () => {
    expect(() => readBundle(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(/^notes\.txt: not a readable bundle: expected gzip magic/);
  });
});

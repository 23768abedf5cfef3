/** Shared setup for the archive regressions: a valid signed bundle plus hostile extra entries. */
import { expect } from 'vitest';
import { readArchive, type Caps } from '../../src/bundle/reader.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { makeFixture, repack, type Fixture } from '../golden/verify/corpus.ts';
import type { TarItem } from '../helpers/tar.ts';

let cached: Fixture | undefined;
export const fixture = (): Fixture => (cached ??= makeFixture());

/** The valid bundle with `extra` appended (or placed by `edit`), as an attacker would repack it. */
export function hostile(extra: (root: string) => TarItem[], at: 'start' | 'end' = 'end'): Uint8Array {
  const fx = fixture();
  return repack(fx.root, fx.files, (items) => (at === 'start' ? [...extra(fx.root), ...items] : [...items, ...extra(fx.root)]));
}

/** readArchive reports (at least) `codes`, no hostile name reaches `files`, and verifyBundle fails (exit 2). */
export function expectRejected(gz: Uint8Array, codes: string[], caps?: Partial<Caps>): void {
  const fx = fixture();
  const r = readArchive(gz, caps);
  expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(codes));
  for (const p of r.files.keys()) expect(p).toMatch(/^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/);
  const trust = { source: 'regression', keys: [{ name: 'collector', publicKey: fx.keys.collector.publicKey, keyId: fx.keys.collector.keyId }], threshold: 1, required: [] };
  const v = verifyBundle(gz, { trust, ...(caps ? { caps } : {}) });
  expect(v.verdict).toBe('failed');
}

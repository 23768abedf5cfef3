/** Real signed bundles for the chain tests, built with buildBundle from the diff fixtures. */
import { buildBundle } from '../../../src/bundle/build.ts';
import { signingKeyFromSeed, type SigningKey } from '../../../src/crypto/index.ts';
import type { TrustRoot } from '../../../src/verify/trust.ts';
import { readBundle } from '../../../src/diff/read.ts';
import { fileDigest, type ChainInput } from '../../../src/chain/index.ts';
import { platform, type PlatformOptions } from '../diff/fixtures.ts';

export const KEY: SigningKey = signingKeyFromSeed(new Uint8Array(32).fill(7));
export const OTHER_KEY: SigningKey = signingKeyFromSeed(new Uint8Array(32).fill(9));

export const TRUST: TrustRoot = { source: 'test-trust', keys: [{ name: 'auditor', publicKey: KEY.publicKey, keyId: KEY.keyId }], threshold: 1, required: [] };

export interface Built extends ChainInput {
  bundleId: string;
}

/** Builds a bundle; `link` = the bundle it follows, by content digest (as gwe collect --previous) or file digest. */
export function bundle(name: string, opts: PlatformOptions, link?: { prev: Built; by?: 'content' | 'file'; digest?: string; bundleId?: string }, key: SigningKey = KEY): Built {
  const previous = link
    ? {
        bundleId: link.bundleId ?? link.prev.bundleId,
        digest: link.digest ?? (link.by === 'file' ? fileDigest(link.prev.bytes) : readBundle(link.prev.bytes, link.prev.name).contentDigest!),
      }
    : undefined;
  const b = buildBundle(platform(opts), { signers: [key], ...(previous ? { previous } : {}) });
  return { name, bytes: b.bytes, bundleId: b.bundleId };
}

/** Q1 -> Q2 -> Q3, a quarter apart: canary shift, then the tools hostname moved to an admin service. */
export function quarters(by: 'content' | 'file' = 'content'): [Built, Built, Built] {
  const q1 = bundle('q1.tar.gz', { weights: [90, 10], capturedAt: '2026-03-31T00:00:00Z' });
  const q2 = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' }, { prev: q1, by });
  const q3 = bundle('q3.tar.gz', { weights: [50, 50], toolsBackend: 'tool-admin', capturedAt: '2026-09-30T00:00:00Z' }, { prev: q2, by });
  return [q1, q2, q3];
}

/**
 * Regression: a chain with a quarter left out (Q1, Q3 where Q3 follows Q2) was reported as
 * CHAIN_LINK_DIGEST_MISMATCH + CHAIN_LINK_ID_MISMATCH, which reads like a forgery. The issue asks for "a missing
 * or rewritten link": when the bundle Q3 names was captured between the two given bundles, it is now one
 * CHAIN_BUNDLE_MISSING naming the missing bundle. A forged predecessor (not captured in between) is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { bundleVerifier, captureTimeOfId, verifyChain } from '../../src/chain/index.ts';
import { renderChainText } from '../../src/cli/commands/chain.ts';
import { bundle, quarters, TRUST } from '../unit/chain/fixtures.ts';

const verify = bundleVerifier({ trust: TRUST });
const errors = (r: ReturnType<typeof verifyChain>): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code).sort();

describe('chain: a bundle missing from the chain', () => {
  it('Q1, Q3 (Q2 left out) is CHAIN_BUNDLE_MISSING naming Q2', () => {
    const [q1, q2, q3] = quarters();
    const r = verifyChain([q1, q3], { verify });
    expect(errors(r)).toEqual(['CHAIN_BUNDLE_MISSING']);
    const f = r.findings.find((x) => x.code === 'CHAIN_BUNDLE_MISSING')!;
    expect(f.message).toBe(
      `a bundle is missing between q1.tar.gz and q3.tar.gz: q3.tar.gz follows ${q2.bundleId} (${r.links[1]!.previous!.digest}), captured after q1.tar.gz and not given; expected the chain to include it`,
    );
    expect(r.ok).toBe(false);
    expect(renderChainText(r, [])).toContain(`LINK BROKEN: follows ${q2.bundleId}, which was not given (a bundle is missing before this one)`);
  });

  it('a forged predecessor captured at the same time as Q1 is still a digest + id mismatch', () => {
    const [q1] = quarters();
    const forged = bundle('forged.tar.gz', { weights: [100, 0], capturedAt: '2026-03-31T00:00:00Z' });
    const q2 = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' }, { prev: forged });
    expect(errors(verifyChain([q1, q2], { verify }))).toEqual(['CHAIN_LINK_DIGEST_MISMATCH', 'CHAIN_LINK_ID_MISMATCH']);
  });

  it('captureTimeOfId reads the time a bundle id encodes', () => {
    expect(captureTimeOfId('gwe-20261201t090000z-772decbb23809695')).toBe(Date.parse('2026-12-01T09:00:00Z'));
    expect(captureTimeOfId('not-an-id')).toBeUndefined();
  });
});

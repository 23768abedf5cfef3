import { describe, expect, it } from 'vitest';
import { bundleVerifier, changeHistory, verifyChain, type ChainReport } from '../../../src/chain/index.ts';
import { addSignature } from '../../../src/bundle/sign.ts';
import { bundle, KEY, OTHER_KEY, quarters, TRUST } from './fixtures.ts';

const verify = bundleVerifier({ trust: TRUST });
const codes = (r: ChainReport): string[] => r.findings.filter((f) => f.severity === 'error').map((f) => f.code);

describe('verifyChain', () => {
  it('accepts Q1 -> Q2 -> Q3 linked by content digest (what gwe collect --previous records)', () => {
    const r = verifyChain(quarters('content'), { verify });
    expect(codes(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.links.map((l) => [l.name, l.verified, l.linksToPrevious, l.linkDigestKind])).toEqual([
      ['q1.tar.gz', true, undefined, undefined],
      ['q2.tar.gz', true, true, 'content'],
      ['q3.tar.gz', true, true, 'content'],
    ]);
  });

  it('accepts links by file digest', () => {
    const r = verifyChain(quarters('file'), { verify });
    expect(r.ok).toBe(true);
    expect(r.links[2]!.linkDigestKind).toBe('file');
  });

  it('a countersignature on Q1 keeps a content link but breaks a file link (reported as rewritten)', () => {
    for (const by of ['content', 'file'] as const) {
      const [q1, q2, q3] = quarters(by);
      const q1c = { ...q1, bytes: addSignature(q1.bytes, OTHER_KEY) };
      const r = verifyChain([q1c, q2, q3], { verify });
      if (by === 'content') expect(codes(r)).toEqual([]);
      else expect(codes(r)).toEqual(['CHAIN_LINK_REWRITTEN']);
    }
  });

  it('reports a missing link', () => {
    const [q1, , q3] = quarters();
    const q2 = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' });
    const r = verifyChain([q1, q2, q3], { verify });
    expect(codes(r)).toEqual(['CHAIN_LINK_MISSING']);
    expect(r.findings.find((f) => f.code === 'CHAIN_LINK_MISSING')!.message).toMatch(/^q2\.tar\.gz: expected previousBundle naming gwe-20260331t000000z-/);
    expect(r.ok).toBe(false);
  });

  it('reports a rewritten link: Q2 names another Q1 than the one given', () => {
    const [q1] = quarters();
    const forged = bundle('q1-forged.tar.gz', { weights: [100, 0], capturedAt: '2026-03-31T00:00:00Z' });
    const q2 = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' }, { prev: forged });
    const r = verifyChain([q1, q2], { verify });
    expect(codes(r).sort()).toEqual(['CHAIN_LINK_DIGEST_MISMATCH', 'CHAIN_LINK_ID_MISMATCH']);
    // Same id, different digest: the link was rewritten.
    const q2b = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' }, { prev: q1, digest: `sha256:${'0'.repeat(64)}` });
    const r2 = verifyChain([q1, q2b], { verify });
    expect(codes(r2)).toEqual(['CHAIN_LINK_REWRITTEN']);
  });

  it('reports reordering with the order the links imply', () => {
    const [q1, q2, q3] = quarters();
    const r = verifyChain([q2, q1, q3], { verify });
    expect(r.suggestedOrder).toEqual(['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz']);
    expect(codes(r)).toContain('CHAIN_REORDERED');
    expect(codes(r)).toContain('CHAIN_TIME_NOT_INCREASING');
  });

  it('reports capture times that do not increase even when the links hold', () => {
    const q1 = bundle('q1.tar.gz', { capturedAt: '2026-06-30T00:00:00Z' });
    const q2 = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-03-31T00:00:00Z' }, { prev: q1 });
    const r = verifyChain([q1, q2], { verify });
    expect(codes(r)).toEqual(['CHAIN_TIME_NOT_INCREASING']);
  });

  it('reports a broken signature in the middle', () => {
    const q1 = bundle('q1.tar.gz', { capturedAt: '2026-03-31T00:00:00Z' });
    const q2 = bundle('q2.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' }, { prev: q1 }, OTHER_KEY);
    const q3 = bundle('q3.tar.gz', { weights: [50, 50], capturedAt: '2026-09-30T00:00:00Z' }, { prev: q2 });
    const r = verifyChain([q1, q2, q3], { verify });
    expect(codes(r)).toContain('CHAIN_BUNDLE_UNVERIFIED');
    expect(r.links.map((l) => l.verified)).toEqual([true, false, true]);
    expect(r.ok).toBe(false);
  });

  it('reports a tampered bundle in the middle (flipped byte) without throwing', () => {
    const [q1, q2, q3] = quarters();
    const bytes = new Uint8Array(q2.bytes);
    bytes[bytes.length - 20]! ^= 0xff;
    const r = verifyChain([q1, { ...q2, bytes }, q3], { verify });
    expect(codes(r)).toEqual(expect.arrayContaining(['CHAIN_BUNDLE_UNVERIFIED', 'CHAIN_BUNDLE_UNREADABLE']));
    expect(r.ok).toBe(false);
  });

  it('a chain of one bundle is too short; a duplicate bundle is reported', () => {
    const [q1] = quarters();
    expect(codes(verifyChain([q1], { verify }))).toEqual(['CHAIN_TOO_SHORT']);
    expect(codes(verifyChain([q1, { ...q1, name: 'copy.tar.gz' }], { verify }))).toEqual(expect.arrayContaining(['CHAIN_DUPLICATE_BUNDLE', 'CHAIN_LINK_MISSING']));
  });
});

describe('changeHistory', () => {
  it('one diff per consecutive pair', () => {
    const steps = changeHistory(quarters());
    expect(steps.map((s) => [s.from, s.to, s.diff.summary.weightShifts, s.diff.summary.hostnamesChanged])).toEqual([
      ['q1.tar.gz', 'q2.tar.gz', 2, 0],
      ['q2.tar.gz', 'q3.tar.gz', 0, 1],
    ]);
    expect(steps[0]!.diff.old.bundleId).toMatch(/^gwe-20260331t000000z-/);
    expect(steps[0]!.diff.old.formatVersion).toBe('1');
    expect(KEY.keyId).toMatch(/^[0-9a-f]{64}$/);
  });
});

/**
 * Issue 13: a chain holds at most two bundles' reads at a time. verifyChain compares each consecutive pair as soon
 * as both sides are read (onPair) and then lets the older one go (release); the history made pair by pair is the
 * one changeHistory makes, and approvals are matched to links as a pass over all links matches them.
 */
import { describe, expect, it } from 'vitest';
import { bundleVerifier, changeHistory, historyStep, verifyChain, type ChainInput, type HistoryStep } from '../../../src/chain/index.ts';
import { readBundle, type ReadBundle } from '../../../src/diff/read.ts';
import { createApproval } from '../../../src/approval/index.ts';
import { signingKeyFromSeed } from '../../../src/crypto/index.ts';
import type { TrustRoot } from '../../../src/verify/trust.ts';
import { KEY, quarters, TRUST } from './fixtures.ts';

const verify = bundleVerifier({ trust: TRUST });

describe('verifyChain: one pair at a time', () => {
  it('holds at most two reads, compares each pair once both are read, and releases every bundle once, oldest first', () => {
    const qs = quarters();
    const live = new Set<string>();
    let most = 0;
    const events: string[] = [];
    const memo = new Map<string, ReadBundle>();
    const read = (b: ChainInput): ReadBundle => {
      let r = memo.get(b.name);
      if (!r) memo.set(b.name, (r = readBundle(b.bytes, b.name)));
      live.add(b.name);
      most = Math.max(most, live.size);
      return r;
    };
    const history: HistoryStep[] = [];
    const r = verifyChain(qs, {
      verify,
      read,
      onPair: (i, objects) => {
        events.push(`pair ${i}`);
        expect(objects).toBeDefined();
        const step = historyStep(qs, i, {}, undefined, read, objects);
        if (step) history.push(step);
      },
      release: (b, i) => {
        events.push(`release ${i} ${b.name}`);
        live.delete(b.name);
        memo.delete(b.name);
      },
    });
    expect(r.ok).toBe(true);
    // A link's keys keep the order of the JSON output (the link checks, then the changes).
    expect(Object.keys(r.links[1]!)).toEqual(['index', 'name', 'digest', 'verdict', 'verified', 'bundleId', 'capturedAt', 'formatVersion', 'previous', 'contentDigest', 'linkDigestKind', 'linksToPrevious', 'changes']);
    expect(events).toEqual(['pair 1', 'release 0 q1.tar.gz', 'pair 2', 'release 1 q2.tar.gz', 'release 2 q3.tar.gz']);
    expect(most).toBe(2);
    expect(live.size).toBe(0);
    // The same history as changeHistory over all reads, and the same link changes as the object diff of each pair.
    expect(JSON.stringify(history)).toBe(JSON.stringify(changeHistory(qs)));
    expect(r.links.slice(1).map((l) => l.changes)).toEqual(history.map((h) => ({ added: h.diff.summary.objectsAdded, removed: h.diff.summary.objectsRemoved, modified: h.diff.summary.objectsModified })));
  });

  it('an approval of Q1 -> Q3 in the chain Q1, Q2, Q3 is checked against the link to Q3 only, though Q3 is read after the link from Q1', () => {
    const [q1, q2, q3] = quarters();
    const approver = signingKeyFromSeed(new Uint8Array(32).fill(11));
    const trust: TrustRoot = { ...TRUST, keys: [...TRUST.keys, { name: 'carol', role: 'approver', publicKey: approver.publicKey, keyId: approver.keyId }] };
    const side = (b: ChainInput): { bundleId: string; contentDigest: string; capture: ReadBundle['capture'] } => {
      const r = readBundle(b.bytes, b.name);
      return { bundleId: r.bundleId, contentDigest: r.contentDigest!, capture: r.capture };
    };
    const ap = createApproval(side(q1), side(q3), approver, { approvedAt: '2026-10-01T00:00:00Z' });
    const r = verifyChain([q1, q2, q3], { verify, approvals: [{ name: 'q1-q3.json', bytes: ap.bytes }], approvalTrust: trust });
    expect(r.links[1]!.approvals).toBeUndefined();
    expect(r.links[2]!.approvals).toEqual([expect.objectContaining({ file: 'q1-q3.json', valid: false })]);
    expect(r.findings.map((f) => f.code)).toContain('APPROVAL_SUBJECT_MISMATCH');
    expect(r.findings.map((f) => f.code)).not.toContain('APPROVAL_UNMATCHED');
    expect(KEY.keyId).not.toBe(approver.keyId);
  });

  it('an approval naming Q1 and a bundle that is not in the chain is checked against the link from Q1', () => {
    const [q1, q2, q3] = quarters();
    const approver = signingKeyFromSeed(new Uint8Array(32).fill(11));
    const trust: TrustRoot = { ...TRUST, keys: [...TRUST.keys, { name: 'carol', role: 'approver', publicKey: approver.publicKey, keyId: approver.keyId }] };
    const r1 = readBundle(q1.bytes, q1.name);
    const r3 = readBundle(q3.bytes, q3.name);
    // q3's content under another bundle id: a new bundle the chain does not hold.
    const ap = createApproval({ bundleId: r1.bundleId, contentDigest: r1.contentDigest!, capture: r1.capture }, { bundleId: 'gwe-20261231t000000z-elsewhere', contentDigest: r3.contentDigest!, capture: r3.capture }, approver, { approvedAt: '2026-10-01T00:00:00Z' });
    const r = verifyChain([q1, q2, q3], { verify, approvals: [{ name: 'q1-x.json', bytes: ap.bytes }], approvalTrust: trust });
    expect(r.links[1]!.approvals).toEqual([expect.objectContaining({ file: 'q1-x.json', valid: false })]);
    expect(r.links[2]!.approvals).toBeUndefined();
    expect(r.findings.map((f) => f.code)).not.toContain('APPROVAL_UNMATCHED');
  });
});

/** Bundle format v2 (docs/bundle-format.md §7): the operational record in the bag, and v1 staying v1. */
import { describe, expect, it } from 'vitest';
import { assembleArchive, buildBag, buildBundle } from '../../../src/bundle/build.ts';
import { openBundle } from '../../../src/bundle/open.ts';
import { verifyBundle } from '../../../src/verify/verify.ts';
import { readBundle } from '../../../src/diff/read.ts';
import { KEY, TRUST } from '../chain/fixtures.ts';
import { platform } from '../diff/fixtures.ts';
import { event, withEvidence } from './operational-fixtures.ts';

const enc = new TextEncoder();

describe('bundle format v2', () => {
  it('a capture without an operational record is written as v1 (bag-info, statement, predicate type)', () => {
    const bag = buildBag(platform());
    expect(new TextDecoder().decode(bag.files.get('bag-info.txt'))).toContain('Bundle-Format-Version: 1\n');
    const st = JSON.parse(new TextDecoder().decode(bag.statement));
    expect(st.predicateType).toBe('https://gateway-evidence.dev/bundle/v1');
    expect(st.predicate.bundleFormatVersion).toBe(1);
  });

  it('writes v2 with the audit, DNS and attachment files, reads them back, and verifies', () => {
    const b = buildBundle(withEvidence(), { signers: [KEY] });
    const opened = openBundle(b.bytes);
    expect(opened.integrityOk).toBe(true);
    expect(opened.statement.predicateType).toBe('https://gateway-evidence.dev/bundle/v2');
    expect([...opened.files.keys()].filter((p) => /^data\/(audit|dns|attachments)\//.test(p)).sort()).toEqual([
      'data/attachments/access-log.txt', 'data/audit/events.json', 'data/audit/history.json', 'data/dns/files/example.com.zone', 'data/dns/records.json',
    ]);
    const ev = opened.capture.evidence!;
    expect(ev.audit!.events).toEqual([event]);
    expect(ev.dns!.records).toHaveLength(1);
    expect(new TextDecoder().decode(ev.attachments![0]!.bytes)).toBe('GET / 200\n');
    expect(opened.capture.record.attachments).toEqual([{ name: 'Access Log.txt', path: 'data/attachments/access-log.txt', mediaType: 'text/plain', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: 10 }]);
    expect(opened.capture.record.dns!.files[0]).toMatchObject({ name: 'example.com.zone', format: 'zone', records: 1 });
    const r = verifyBundle(b.bytes, { trust: TRUST });
    expect(r.verdict).not.toBe('failed');
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(readBundle(b.bytes, 'q.tar.gz').formatVersion).toBe('2');
  });

  it('rejects an attachment file that collection.json does not list, and v2 payload in a v1 bag', () => {
    const bag = buildBag(withEvidence());
    bag.files.set('data/attachments/extra.bin', enc.encode('x'));
    const r = verifyBundle(assembleArchive(bag.bundleId, bag.files, bag.statement, new Map(), bag.mtime), { trust: TRUST });
    expect(r.verdict).toBe('failed');
    expect(r.findings.map((f) => f.code)).toContain('ATTACHMENT_UNLISTED');

    const v1 = buildBag(platform());
    v1.files.set('data/audit/events.json', enc.encode('[]'));
    const r1 = verifyBundle(assembleArchive(v1.bundleId, v1.files, v1.statement, new Map(), v1.mtime), { trust: TRUST });
    expect(r1.findings.filter((f) => f.code === 'PAYLOAD_UNEXPECTED').map((f) => f.subject)).toEqual(['data/audit/events.json']);
  });

  it('a v1 bag that claims version 2 in bag-info.txt only is a predicate mismatch', () => {
    const bag = buildBag(platform());
    const info = new TextDecoder().decode(bag.files.get('bag-info.txt')!).replace('Bundle-Format-Version: 1', 'Bundle-Format-Version: 2');
    bag.files.set('bag-info.txt', enc.encode(info));
    const r = verifyBundle(assembleArchive(bag.bundleId, bag.files, bag.statement, new Map(), bag.mtime), { trust: TRUST });
    expect(r.findings.map((f) => f.code)).toContain('STATEMENT_PREDICATE_MISMATCH');
  });

  it('a tampered history.json (signed, but not what the events give) is an AUDIT_HISTORY_MISMATCH', () => {
    const c = withEvidence();
    c.evidence!.audit!.history = { ...c.evidence!.audit!.history, objects: [] };
    const r = verifyBundle(buildBundle(c, { signers: [KEY] }).bytes, { trust: TRUST });
    expect(r.analysis.findings.map((f) => f.code)).toContain('AUDIT_HISTORY_MISMATCH');
  });
});

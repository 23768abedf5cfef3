// Bug (issue 8 item 10): `report` and `diff` crashed (exit 70) on bundles with a malformed collection record (no
// `scope`, no `gaps`, `gaps` of another shape, no `cluster`) or a numeric CRD bundle-version annotation, and one bad
// field replaced verify's whole analysis with a single ANALYSIS_FAILED. collection.json is now checked against
// schemas/collection.schema.json in verify, report and diff (bundle/record.ts), the analysis stages run on their
// own (verify/analysis.ts), and diff checks integrity and, given --trust/--key, signatures, and says when it did not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/build.ts';
import { canonicalBytes } from '../../src/bundle/canonical.ts';
import { main } from '../../src/cli/main.ts';
import { publicKeyPem, sha256Hex } from '../../src/crypto/index.ts';
import type { Capture } from '../../src/model/collection.ts';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { baseCapture, reseal } from '../golden/verify/corpus.ts';
import { memoryIO } from '../helpers/io.ts';
import { fixture } from './shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-malformed-record-'));
const fx = fixture();
writeFileSync(join(dir, 'collector.pub.pem'), publicKeyPem(fx.keys.collector.publicKey));
writeFileSync(join(dir, 'good.tar.gz'), fx.bytes);
const trust = { source: 'regression', keys: [{ name: 'collector', publicKey: fx.keys.collector.publicKey, keyId: fx.keys.collector.keyId }], threshold: 1, required: [] };

/** The valid bundle with collection.json edited, manifests and signature recomputed (a compromised collector). */
function withRecord(edit: (r: Record<string, unknown>) => void): Uint8Array {
  return reseal(fx, () => {}, {
    collection: (b) => {
      const r = JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
      edit(r);
      return canonicalBytes(r);
    },
  });
}

const RECORDS: Array<[string, (r: Record<string, unknown>) => void, string]> = [
  ['no scope', (r) => delete r['scope'], '/scope: expected the required member "scope", found none'],
  ['no gaps', (r) => delete r['gaps'], '/gaps: expected the required member "gaps", found none'],
  ['gaps of another shape', (r) => (r['gaps'] = 'none'), '/gaps: expected array'],
  ['gaps holding strings', (r) => (r['gaps'] = ['403 on secrets']), '/gaps/0: expected object'],
  ['no cluster', (r) => delete r['cluster'], '/cluster: expected the required member "cluster", found none'],
  ['an unknown member', (r) => (r['trustMe'] = true), '/: expected only the members of format v1, found "trustMe"'],
  ['an impossible capture time', (r) => (r['capturedAt'] = '2026-02-30T00:00:00Z'), '/capturedAt: expected RFC 3339 UTC with seconds precision'],
];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}
const noCrash = (r: { code: number; err: string }): void => {
  expect(r.code).not.toBe(70);
  expect(r.err).not.toMatch(/internal error|TypeError|RangeError|\n\s+at .*:\d+:\d+/);
};

describe('regression: malformed-collection-record', () => {
  it.each(RECORDS)('%s: verify fails (exit 2), report and diff exit 65 naming collection.json and the field', async (name, edit, problem) => {
    const file = `${name.replace(/\W+/g, '-')}.tar.gz`;
    const bytes = withRecord(edit);
    writeFileSync(join(dir, file), bytes);
    const v = verifyBundle(bytes, { trust });
    expect(v.verdict).toBe('failed');
    expect(v.findings.find((f) => f.code === 'COLLECTION_INVALID')?.message).toContain(problem);

    const verify = await run(['verify', file, '--key', 'collector.pub.pem']);
    noCrash(verify);
    expect(verify.code).toBe(2);
    const report = await run(['report', file]);
    noCrash(report);
    expect(report.code).toBe(65);
    expect(report.err).toContain('collection.json');
    expect(report.err).toContain(problem);
    for (const args of [['diff', 'good.tar.gz', file], ['diff', file, 'good.tar.gz']]) {
      const diff = await run(args);
      noCrash(diff);
      expect(diff.code).toBe(65);
      expect(diff.err).toContain(`${file}: `);
      expect(diff.err).toContain(problem);
    }
  });

  it('a numeric CRD bundle-version annotation neither crashes report or diff nor erases the analysis', async () => {
    const base = baseCapture();
    const report = new TextEncoder().encode('apiVersion: gateway.networking.k8s.io/v1\nkind: ConformanceReport\nmode: default\ngatewayAPIVersion: v1.4.0\nimplementation: {organization: envoyproxy, project: envoy-gateway, version: v1.4.0}\n');
    const capture: Capture = {
      record: base.record,
      snapshot: {
        objects: [
          ...base.snapshot.objects,
          { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gateways.gateway.networking.k8s.io', annotations: { 'gateway.networking.k8s.io/bundle-version': 5 as unknown as string } }, spec: { group: 'gateway.networking.k8s.io', names: { kind: 'Gateway', plural: 'gateways' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] } },
        ],
        conformanceReports: [{ name: 'envoy-report.yaml', sha256: sha256Hex(report), bytes: report }],
      },
    };
    const bytes = buildBundle(capture, { signers: [fx.keys.collector] }).bytes;
    writeFileSync(join(dir, 'numeric.tar.gz'), bytes);
    const v = verifyBundle(bytes, { trust });
    expect(v.verdict).not.toBe('failed');
    expect(v.analysis.ran).toBe(true);
    expect(v.analysis.findings.filter((f) => f.code === 'ANALYSIS_FAILED')).toEqual([]);
    expect(v.analysis.findings.length).toBeGreaterThan(0);
    for (const args of [['report', 'numeric.tar.gz'], ['report', 'numeric.tar.gz', '--format', 'html'], ['diff', 'good.tar.gz', 'numeric.tar.gz'], ['inspect', 'numeric.tar.gz']]) noCrash(await run(args));
  });

  it('one failing analysis stage is one ANALYSIS_FAILED naming it; the other stages still report', () => {
    const base = baseCapture();
    const whole = analyzeCapture(base);
    // A record whose capture time cannot be read: only the certificate stage reads it.
    const record = new Proxy(base.record, { get: (t, k) => (k === 'capturedAt' ? (() => { throw new Error('unreadable capture time'); })() : Reflect.get(t, k)) });
    const r = analyzeCapture({ ...base, record });
    const failed = r.findings.filter((f) => f.code === 'ANALYSIS_FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ subject: 'analysis: certificates', detail: { stage: 'certificates' } });
    expect(failed[0]!.message).toContain('unreadable capture time; the other stages ran');
    const others = whole.findings.filter((f) => !f.code.startsWith('CERT'));
    expect(r.findings.filter((f) => f.code !== 'ANALYSIS_FAILED')).toEqual(others);
    expect(r.drift).toEqual(whole.drift);
    expect(r.exposure).toEqual(whole.exposure);
  });
});

describe('regression: malformed-collection-record (diff checks what it can and says what it did not)', () => {
  it('without --trust/--key: integrity checked, signatures plainly not checked', async () => {
    const d = await run(['diff', 'good.tar.gz', 'good.tar.gz']);
    expect(d.code).toBe(0);
    expect(d.out).toContain('integrity ok, signatures NOT CHECKED');
    expect(d.out).toMatch(/note: signatures were not checked \(no --trust or --key\)/);
  });
  it('with --key: signatures verified; an untrusted or failing side exits 2', async () => {
    const ok = await run(['diff', 'good.tar.gz', 'good.tar.gz', '--key', 'collector.pub.pem']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('integrity ok, signatures verified (collector.pub.pem)');
    writeFileSync(join(dir, 'other.pub.pem'), publicKeyPem(fx.keys.attacker.publicKey));
    const bad = await run(['diff', 'good.tar.gz', 'good.tar.gz', '--key', 'other.pub.pem']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('signatures NOT VERIFIED (other.pub.pem)');
    const json = await run(['diff', 'good.tar.gz', 'good.tar.gz', '--key', 'collector.pub.pem', '--format', 'json']);
    const parsed = JSON.parse(json.out) as { old: { integrity: string; signatures: string } };
    expect(parsed.old).toMatchObject({ integrity: 'ok', signatures: 'verified', trust: 'collector.pub.pem' });
  });
  it('a tampered side: integrity FAILED and exit 2', async () => {
    const gz = fx.bytes;
    const flipped = reseal(fx, () => {}, { extra: { 'data/objects/extra.json': '{}' } });
    writeFileSync(join(dir, 'tampered.tar.gz'), flipped);
    expect(gz.length).toBeGreaterThan(0);
    const d = await run(['diff', 'good.tar.gz', 'tampered.tar.gz']);
    expect(d.code).toBe(2);
    expect(d.out).toContain('integrity FAILED');
  });
});

import { describe, expect, it } from 'vitest';
import { buildBundle, makeBundleId } from '../../../src/bundle/build.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import { objectPath } from '../../../src/bundle/layout.ts';
import { sha256Hex } from '../../../src/crypto/index.ts';
import { sampleCapture, sampleKey } from './fixture.ts';

describe('buildBundle', () => {
  it('is reproducible: same capture + key -> byte-identical bundle, twice', () => {
    const a = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    const b = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.sha256).toBe(sha256Hex(a.bytes));
    expect(a.sha256).toBe(b.sha256);
  });

  it('changes when the capture time changes, and the id follows §4', () => {
    const a = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    const b = buildBundle(sampleCapture({ capturedAt: '2026-11-01T10:00:01Z' }), { signers: [sampleKey('collector')] });
    expect(a.sha256).not.toBe(b.sha256);
    expect(a.bundleId).toMatch(/^gwe-20261101t100000z-[0-9a-f]{16}$/);
    expect(b.bundleId).toMatch(/^gwe-20261101t100001z-/);
    expect(a.bundleId.slice(-16)).toBe(b.bundleId.slice(-16)); // same payload manifest
  });

  it('lays out the bag under <bundleId>/ in bytewise order with the documented files', () => {
    const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    const r = readArchive(built.bytes);
    expect(r.fatal).toBe(false);
    expect(r.findings).toEqual([]);
    expect(r.root).toBe(built.bundleId);
    const key = sampleKey('collector');
    expect([...r.files.keys()].sort()).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'collection.json',
      'data/conformance-reports/standard-v1.3.0-report.yaml',
      'data/objects/core/secret/infra/chat-tls.json',
      'data/objects/core/service/chat/chat-v1.json',
      'data/objects/gateway.networking.k8s.io/gateway/infra/shared-gw.json',
      'data/objects/gateway.networking.k8s.io/httproute/chat/chatbot.json',
      'manifest-sha256.txt',
      `signatures/${key.keyId}.sig`,
      'signatures/statement.dsse.json',
      'signatures/statement.json',
      'tagmanifest-sha256.txt',
    ]);
    const manifest = new TextDecoder().decode(r.files.get('manifest-sha256.txt'));
    expect(manifest.split('\n')[0]).toMatch(/^[0-9a-f]{64} {2}data\/conformance-reports\/standard-v1\.3\.0-report\.yaml$/);
    expect(built.bundleId).toBe(makeBundleId('2026-11-01T10:00:00Z', r.files.get('manifest-sha256.txt')!));
    const info = new TextDecoder().decode(r.files.get('bag-info.txt'));
    expect(info).toContain('Payload-Oxum: ');
    expect(info).toContain(`External-Identifier: ${built.bundleId}\n`);
    expect(info).toContain('Cluster-UID: c0ffee00-0000-4000-8000-000000000001\n');
    const tag = new TextDecoder().decode(r.files.get('tagmanifest-sha256.txt'));
    expect(tag.split('\n').filter(Boolean).map((l) => l.slice(66))).toEqual(['bag-info.txt', 'bagit.txt', 'collection.json', 'manifest-sha256.txt']);
  });

  it('writes a gzip header with no name, mtime 0, XFL 0 (level 6) and OS 255', () => {
    const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    expect([...built.bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it('gives a live and a file capture of the same objects the same payload manifest', () => {
    const files = readArchive(buildBundle(sampleCapture({ mode: 'files' }), { signers: [sampleKey('collector')] }).bytes);
    const live = readArchive(buildBundle(sampleCapture({ mode: 'live' }), { signers: [sampleKey('collector')] }).bytes);
    expect(Buffer.from(files.files.get('manifest-sha256.txt')!).equals(Buffer.from(live.files.get('manifest-sha256.txt')!))).toBe(true);
    expect(Buffer.from(files.files.get('collection.json')!).equals(Buffer.from(live.files.get('collection.json')!))).toBe(false);
  });

  it('records previousBundle in the signed statement', () => {
    const prev = { bundleId: 'gwe-20261001t000000z-0123456789abcdef', digest: `sha256:${'ef'.repeat(32)}` };
    const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')], previous: prev });
    const stmt = JSON.parse(new TextDecoder().decode(readArchive(built.bytes).files.get('signatures/statement.json')));
    expect(stmt.predicate.previousBundle).toEqual(prev);
    expect(stmt.predicateType).toBe('https://gateway-evidence.dev/bundle/v1');
  });

  it('refuses to build without a signer, and rejects a malformed capture time', () => {
    expect(() => buildBundle(sampleCapture(), { signers: [] })).toThrow(/at least one signing key/);
    expect(() => buildBundle(sampleCapture({ capturedAt: '2026-11-01 10:00' }), { signers: [sampleKey('collector')] })).toThrow(/RFC 3339/);
  });

  it('hashes name, namespace, kind and group until a long path fits a ustar header (issue 8 item 7)', () => {
    const cap = sampleCapture();
    const long = 'a'.repeat(63);
    const obj = { apiVersion: `${'g'.repeat(90)}.example.com/v1`, kind: 'Thing', metadata: { name: 'x'.repeat(100), namespace: long } };
    cap.snapshot.objects.push(obj);
    const built = buildBundle(cap, { signers: [sampleKey('collector')] });
    const path = objectPath(obj);
    expect(path).toMatch(/^data\/objects\/_h[0-9a-f]{32}\/thing\/(a{63}|_h[0-9a-f]{32})\/_h[0-9a-f]{32}\.json$/); // the 100-char name no longer fits
    expect(readArchive(built.bytes).files.has(path)).toBe(true);
  });
});

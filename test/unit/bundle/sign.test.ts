import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/bundle/build.ts';
import { addSignature } from '../../../src/bundle/sign.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import { openBundle } from '../../../src/bundle/open.ts';
import { sampleCapture, sampleKey } from './fixture.ts';
import { assembleArchive } from '../../../src/bundle/build.ts';

describe('addSignature (countersign)', () => {
  const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
  const collector = sampleKey('collector');
  const reviewer = sampleKey('reviewer');

  it('leaves every hashed byte unchanged and adds an envelope signature and a .sig file', () => {
    const signed = addSignature(built.bytes, reviewer);
    const before = readArchive(built.bytes);
    const after = readArchive(signed);
    expect(after.fatal).toBe(false);
    expect(after.root).toBe(before.root);
    for (const [p, bytes] of before.files) {
      if (p.startsWith('signatures/') && p !== 'signatures/statement.json') continue;
      expect(Buffer.from(after.files.get(p)!).equals(Buffer.from(bytes)), p).toBe(true);
    }
    expect(after.files.has(`signatures/${reviewer.keyId}.sig`)).toBe(true);
    expect(after.files.has(`signatures/${collector.keyId}.sig`)).toBe(true);
    const env = JSON.parse(new TextDecoder().decode(after.files.get('signatures/statement.dsse.json')));
    expect(env.signatures.map((s: { keyid: string }) => s.keyid)).toEqual([collector.keyId, reviewer.keyId].sort());
  });

  it('is idempotent for the same key and equals a bundle built with both keys', () => {
    const once = addSignature(built.bytes, reviewer);
    const twice = addSignature(once, reviewer);
    expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
    expect(Buffer.from(addSignature(built.bytes, collector)).equals(Buffer.from(built.bytes))).toBe(true);
    const both = buildBundle(sampleCapture(), { signers: [collector, reviewer] });
    expect(Buffer.from(once).equals(Buffer.from(both.bytes))).toBe(true);
  });

  it('refuses to sign a bundle whose payload was altered', () => {
    const r = readArchive(built.bytes);
    const files = new Map(r.files);
    const path = 'data/objects/core/service/chat/chat-v1.json';
    const tampered = new Uint8Array(files.get(path)!);
    tampered[10] ^= 1;
    files.set(path, tampered);
    const hashed = new Map([...files].filter(([p]) => !p.startsWith('signatures/')));
    const sigs = new Map([[collector.keyId, files.get(`signatures/${collector.keyId}.sig`)!]]);
    const bad = assembleArchive(r.root, hashed, files.get('signatures/statement.json')!, sigs, 1_793_527_200);
    expect(() => addSignature(bad, reviewer)).toThrow(/fails integrity checks: .*expected sha256/);
  });

  it('refuses bytes that are not a bundle', () => {
    expect(() => addSignature(new Uint8Array([1, 2, 3]), reviewer)).toThrow(/not a readable bundle/);
  });
});

describe('openBundle', () => {
  it('returns the capture, id and statement without a trust root', () => {
    const built = buildBundle(sampleCapture(), { signers: [sampleKey('collector')] });
    const o = openBundle(built.bytes);
    expect(o.integrityOk).toBe(true);
    expect(o.findings).toEqual([]);
    expect(o.bundleId).toBe(built.bundleId);
    expect(o.statement.predicate.cluster).toEqual({ name: 'ai-platform', uid: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(o.capture.snapshot.objects.map((x) => x.metadata.name)).toEqual(['shared-gw', 'chatbot', 'chat-tls', 'chat-v1']);
    expect(o.capture.snapshot.conformanceReports[0]!.name).toBe('Standard v1.3.0 Report.yaml');
  });
});

import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { buildBundle, makeBundleId } from '../../../src/bundle/build.ts';
import { addSignature } from '../../../src/bundle/sign.ts';
import { canonicalBytes } from '../../../src/bundle/canonical.ts';
import { manifestText } from '../../../src/bundle/bagit.ts';
import { verifyBundle } from '../../../src/verify/verify.ts';
import { parseTrust, trustFromPublicKey, type TrustRoot } from '../../../src/verify/trust.ts';
import { generateKeyPair, pae, sha256Hex, sign } from '../../../src/crypto/index.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../bundle/fixture.ts';
import { dec, enc, repack, tamper, unpack } from './helpers.ts';
import schema from '../../../schemas/verify-report.schema.json' with { type: 'json' };

const validateReport = new Ajv({ allErrors: true, strict: true }).compile(schema);
const trustYaml = (): TrustRoot => parseTrust(readFileSync(`${KEYS_DIR}trust.yaml`, 'utf8'), 'keys/trust.yaml');
const collector = sampleKey('collector');
const reviewer = sampleKey('reviewer');
const good = buildBundle(sampleCapture(), { signers: [collector] });
const codes = (r: { findings: { code: string }[] }): string[] => r.findings.map((f) => f.code);
const check = (bytes: Uint8Array, trust: TrustRoot = trustYaml()) => {
  const r = verifyBundle(bytes, { trust });
  expect(validateReport(r), JSON.stringify(validateReport.errors)).toBe(true);
  return r;
};

describe('verifyBundle', () => {
  it('verifies a good bundle with the sample trust root', () => {
    const r = check(good.bytes);
    expect(r.verdict).toBe('verified');
    expect(r.integrity.ok).toBe(true);
    expect(r.integrity.files).toBe(13);
    expect(r.bundle).toMatchObject({ id: good.bundleId, capturedAt: '2026-11-01T10:00:00Z', partial: false, collectorVersion: '0.1.0', previousBundle: null });
    expect(r.signatures).toEqual([{ keyId: collector.keyId, hint: collector.keyId, name: 'collector', role: 'collector', trusted: true, valid: true, counted: true }]);
    expect(r.trust).toMatchObject({ threshold: 1, counted: 1, satisfied: true, missingRequired: [] });
    expect(r.analysis.ran).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('verifies with --key (a single public key)', () => {
    const r = check(good.bytes, trustFromPublicKey(readFileSync(`${KEYS_DIR}collector.pub.pem`, 'utf8'), 'collector.pub.pem'));
    expect(r.verdict).toBe('verified');
  });

  it('fails when the required collector did not sign, even though the reviewer did', () => {
    const byReviewer = buildBundle(sampleCapture(), { signers: [reviewer] });
    const r = check(byReviewer.bytes);
    expect(r.verdict).toBe('failed');
    expect(r.trust).toMatchObject({ counted: 1, satisfied: false, missingRequired: ['collector'] });
    expect(codes(r)).toContain('TRUST_NOT_SATISFIED');
  });

  it('reports a signature from an untrusted key and never counts it', () => {
    const stranger = generateKeyPair(() => new Uint8Array(32).fill(7));
    const r = check(buildBundle(sampleCapture(), { signers: [stranger] }).bytes);
    expect(r.verdict).toBe('failed');
    expect(r.signatures).toEqual([{ keyId: stranger.keyId, hint: stranger.keyId, trusted: false, valid: false, counted: false, reason: expect.any(String) }]);
    expect(codes(r)).toEqual(['SIGNATURE_UNTRUSTED', 'TRUST_NOT_SATISFIED']);
    const both = check(addSignature(good.bytes, stranger));
    expect(both.verdict).toBe('verified');
    expect(codes(both)).toEqual(['SIGNATURE_UNTRUSTED']);
  });

  it('finds the key by recomputed key id: a lying keyid hint does not matter', () => {
    const liar = tamper(good.bytes, (files) => {
      const env = JSON.parse(dec(files.get('signatures/statement.dsse.json')!));
      const fake = 'ab'.repeat(32);
      const sig = files.get(`signatures/${collector.keyId}.sig`)!;
      files.delete(`signatures/${collector.keyId}.sig`);
      files.set(`signatures/${fake}.sig`, sig);
      env.signatures[0].keyid = fake;
      files.set('signatures/statement.dsse.json', canonicalBytes(env));
    });
    const r = check(liar);
    expect(r.verdict).toBe('verified');
    expect(r.signatures[0]).toMatchObject({ keyId: collector.keyId, hint: 'ab'.repeat(32), counted: true });
  });

  it('counts distinct keys for the threshold', () => {
    const t2 = { ...trustYaml(), threshold: 2, required: [] };
    expect(check(good.bytes, t2)).toMatchObject({ verdict: 'failed', trust: { counted: 1, satisfied: false } });
    const two = addSignature(good.bytes, reviewer);
    expect(check(two, t2)).toMatchObject({ verdict: 'verified', trust: { counted: 2, satisfied: true } });
    // The same key signing twice under two hints counts once.
    const dup = tamper(good.bytes, (files) => {
      const env = JSON.parse(dec(files.get('signatures/statement.dsse.json')!));
      const sig = files.get(`signatures/${collector.keyId}.sig`)!;
      const other = 'cd'.repeat(32);
      env.signatures.push({ keyid: other, sig: Buffer.from(sig).toString('base64') });
      files.set(`signatures/${other}.sig`, sig);
      files.set('signatures/statement.dsse.json', canonicalBytes(env));
    });
    const r = check(dup, t2);
    expect(r.verdict).toBe('failed');
    expect(r.trust.counted).toBe(1);
    expect(r.signatures[1]!.reason).toMatch(/distinct keys/);
  });

  it('does not count a key outside its validity window at capture time', () => {
    const expired = trustYaml();
    expired.keys[0]!.notAfter = '2026-10-31T23:59:59Z';
    const r = check(good.bytes, expired);
    expect(r.verdict).toBe('failed');
    expect(codes(r)).toEqual(['SIGNATURE_KEY_OUT_OF_WINDOW', 'TRUST_NOT_SATISFIED']);
    const notYet = trustYaml();
    notYet.keys[0]!.notBefore = '2026-11-01T10:00:01Z';
    expect(check(good.bytes, notYet).signatures[0]!.reason).toMatch(/valid from/);
  });

  it('fails on a flipped byte in every kind of file', () => {
    const targets = ['bagit.txt', 'bag-info.txt', 'collection.json', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', 'data/objects/core/service/chat/chat-v1.json', 'data/conformance-reports/standard-v1.3.0-report.yaml', 'signatures/statement.json', 'signatures/statement.dsse.json', `signatures/${collector.keyId}.sig`];
    for (const t of targets) {
      const bad = tamper(good.bytes, (files) => {
        const b = files.get(t)!;
        b[Math.floor(b.length / 2)] ^= 0x01;
      });
      const r = check(bad);
      expect(r.verdict, t).toBe('failed');
      expect(r.findings.some((f) => f.severity === 'error'), t).toBe(true);
    }
  });

  it('rejects a re-hashed payload change: manifests recomputed but the statement subject no longer matches', () => {
    const bad = tamper(good.bytes, (files) => {
      const p = 'data/objects/core/service/chat/chat-v1.json';
      const obj = JSON.parse(dec(files.get(p)!));
      obj.spec.ports[0].port = 8443;
      files.set(p, canonicalBytes(obj));
      const payload = new Map([...files].filter(([k]) => k.startsWith('data/')));
      files.set('manifest-sha256.txt', manifestText(payload));
      const tags = new Map([...files].filter(([k]) => ['bag-info.txt', 'bagit.txt', 'collection.json', 'manifest-sha256.txt'].includes(k)));
      files.set('tagmanifest-sha256.txt', manifestText(tags));
    });
    const r = check(bad);
    expect(r.verdict).toBe('failed');
    expect(codes(r)).toContain('STATEMENT_SUBJECT_MISMATCH');
  });

  it('rejects extra and missing payload files', () => {
    const extra = check(tamper(good.bytes, (f) => f.set('data/objects/core/service/chat/evil.json', enc('{}'))));
    expect(codes(extra)).toContain('MANIFEST_FILE_UNLISTED');
    expect(codes(extra)).toContain('BAG_OXUM_MISMATCH');
    const missing = check(tamper(good.bytes, (f) => f.delete('data/objects/core/service/chat/chat-v1.json')));
    expect(codes(missing)).toContain('MANIFEST_FILE_MISSING');
    const unexpected = check(tamper(good.bytes, (f) => f.set('fetch.txt', enc('x'))));
    expect(codes(unexpected)).toContain('BAG_UNEXPECTED_FILE');
  });

  it('rejects a renamed root directory (bound to the signed bundle id)', () => {
    const { root } = { root: good.bundleId };
    const r = check(tamper(good.bytes, () => undefined, `${root}x`));
    expect(codes(r)).toContain('STATEMENT_PREDICATE_MISMATCH');
  });

  it('rejects JSON with duplicate keys or __proto__, even when re-hashed and re-signed', () => {
    for (const [text, code] of [
      ['{"apiVersion":"v1","kind":"Service","kind":"Service","metadata":{"name":"chat-v1","namespace":"chat"}}', 'JSON_DUPLICATE_KEY'],
      ['{"__proto__":{"x":1},"apiVersion":"v1","kind":"Service","metadata":{"name":"chat-v1","namespace":"chat"}}', 'JSON_PROTO_KEY'],
    ] as const) {
      const r = check(resign((files) => files.set('data/objects/core/service/chat/chat-v1.json', enc(text))));
      expect(r.verdict).toBe('failed');
      expect(codes(r)).toContain(code);
    }
  });

  it('flags a private key or Secret data in the payload as error findings (verified-with-findings)', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----';
    const r = check(resign((files) => {
      files.set('data/objects/core/secret/infra/chat-tls.json', canonicalBytes({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'chat-tls', namespace: 'infra' }, data: { 'tls.key': 'eA==' }, note: pem.replace(/\\n/g, '\n') }));
    }));
    expect(r.verdict).toBe('verified-with-findings');
    expect(codes(r).sort()).toEqual(['PAYLOAD_PRIVATE_KEY', 'PAYLOAD_SECRET_DATA']);
  });

  it('flags a partial capture prominently', () => {
    const r = check(buildBundle(sampleCapture({ partial: true }), { signers: [collector] }).bytes);
    expect(r.verdict).toBe('verified');
    expect(r.bundle.partial).toBe(true);
    expect(r.findings[0]).toMatchObject({ code: 'BUNDLE_PARTIAL', severity: 'warning', message: expect.stringMatching(/^PARTIAL CAPTURE/) });
  });

  it('accepts URL-safe unpadded base64 in the envelope (DSSE envelope.md)', () => {
    const urlsafe = tamper(good.bytes, (files) => {
      const env = JSON.parse(dec(files.get('signatures/statement.dsse.json')!));
      env.signatures[0].sig = env.signatures[0].sig.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      env.payload = env.payload.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      files.set('signatures/statement.dsse.json', canonicalBytes(env));
    });
    expect(check(urlsafe).verdict).toBe('verified');
  });

  it('rejects an Ed25519ph-style signature (pure Ed25519 over SHA-512(PAE)): scheme confusion, attack 11', () => {
    const ph = tamper(good.bytes, (files) => {
      const payload = files.get('signatures/statement.json')!;
      const digest = new Uint8Array(createHash('sha512').update(pae('application/vnd.in-toto+json', payload)).digest());
      const sig = sign(digest, collector);
      files.set(`signatures/${collector.keyId}.sig`, sig);
      const env = JSON.parse(dec(files.get('signatures/statement.dsse.json')!));
      env.signatures[0].sig = Buffer.from(sig).toString('base64');
      files.set('signatures/statement.dsse.json', canonicalBytes(env));
    });
    const r = check(ph);
    expect(r.verdict).toBe('failed');
    expect(r.signatures[0]).toMatchObject({ trusted: true, valid: false, counted: false });
    expect(codes(r)).toEqual(['SIGNATURE_INVALID', 'TRUST_NOT_SATISFIED']);
  });

  it('rejects a wrong payloadType and a statement.json that differs from the signed payload (attack 8)', () => {
    const pt = check(tamper(good.bytes, (files) => {
      const env = JSON.parse(dec(files.get('signatures/statement.dsse.json')!));
      env.payloadType = 'application/json';
      files.set('signatures/statement.dsse.json', canonicalBytes(env));
    }));
    expect(codes(pt)).toContain('ENVELOPE_INVALID');
    const other = check(tamper(good.bytes, (files) => {
      const st = JSON.parse(dec(files.get('signatures/statement.json')!));
      st.predicate.partial = true;
      files.set('signatures/statement.json', canonicalBytes(st));
    }));
    expect(other.verdict).toBe('failed');
    expect(codes(other)).toContain('STATEMENT_MISMATCH');
  });

  it('returns a failed report (never throws) for bytes that are not a bundle', () => {
    const r = check(enc('not a bundle at all'));
    expect(r.verdict).toBe('failed');
    expect(r.bundle.id).toBeNull();
    expect(codes(r)).toEqual(['ARCHIVE_NOT_GZIP']);
  });
});

/** Rewrites files, then recomputes manifests, bundle id, statement and signature with the collector key (an insider attack). */
function resign(edit: (files: Map<string, Uint8Array>) => void): Uint8Array {
  const { files } = unpack(good.bytes);
  edit(files);
  const payload = new Map([...files].filter(([k]) => k.startsWith('data/')));
  const manifest = manifestText(payload);
  files.set('manifest-sha256.txt', manifest);
  const stmt = JSON.parse(dec(files.get('signatures/statement.json')!));
  const id = makeBundleId(stmt.predicate.capturedAt, manifest);
  stmt.predicate.bundleId = id;
  let bytes = 0;
  for (const b of payload.values()) bytes += b.length;
  const info = dec(files.get('bag-info.txt')!)
    .replace(/Payload-Oxum: .*/, `Payload-Oxum: ${bytes}.${payload.size}`)
    .replace(/External-Identifier: .*/, `External-Identifier: ${id}`);
  files.set('bag-info.txt', enc(info));
  const tags = new Map([...files].filter(([k]) => ['bag-info.txt', 'bagit.txt', 'collection.json', 'manifest-sha256.txt'].includes(k)));
  const tagManifest = manifestText(tags);
  files.set('tagmanifest-sha256.txt', tagManifest);
  stmt.subject[0].digest.sha256 = sha256Hex(tagManifest);
  const payloadBytes = canonicalBytes(stmt);
  files.set('signatures/statement.json', payloadBytes);
  const sig = sign(pae('application/vnd.in-toto+json', payloadBytes), collector);
  files.set(`signatures/${collector.keyId}.sig`, sig);
  files.set('signatures/statement.dsse.json', canonicalBytes({ payload: Buffer.from(payloadBytes).toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ keyid: collector.keyId, sig: Buffer.from(sig).toString('base64') }] }));
  return repack(id, files);
}

// Issue 10 item 1: the bundle's DSSE signature as a Sigstore bundle v0.3, checked with the Sigstore JavaScript
// verifier (@sigstore/verify) offline, our ed25519 public key as the only trust material. It verifies when the
// verifier is told that this signature has no transparency-log entry and no timestamp (thresholds 0, like
// cosign's --insecure-ignore-tlog); under its default policy it refuses with TIMESTAMP_ERROR "expected 1
// timestamps, got 0" (verifier.js verifyTimestamps), which is exactly what a key-only bundle is: no witness of time.
import { describe, expect, it } from 'vitest';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot, PublicKeyDetails } from '@sigstore/protobuf-specs';
import { Verifier, VerificationError, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { buildBundle } from '../../../src/bundle/build.ts';
import { countersign } from '../../../src/bundle/sign.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import { ENVELOPE_FILE, STATEMENT_FILE, sigFilePath } from '../../../src/bundle/statement.ts';
import { SIGSTORE_BUNDLE_MEDIA_TYPE, sigstoreBundle, sigstoreBundleBytes, sigstoreBundleFromArchive } from '../../../src/bundle/sigstore.ts';
import { signingKeyFromSeed, type PublicKey } from '../../../src/crypto/index.ts';
import { sampleCapture } from './fixture.ts';

const collector = signingKeyFromSeed(new Uint8Array(32).fill(1));
const reviewer = signingKeyFromSeed(new Uint8Array(32).fill(2));
const stranger = signingKeyFromSeed(new Uint8Array(32).fill(3));

/** Trust material holding only `keys`, each under its hint (our keyid), and no Sigstore infrastructure. */
function trustMaterial(keys: PublicKey[]) {
  const root = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });
  return toTrustMaterial(root, Object.fromEntries(keys.map((k) => [k.keyId, { rawBytes: Buffer.from(k.spkiDer), keyDetails: PublicKeyDetails.PKIX_ED25519 }])));
}
const KEY_ONLY = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
const entity = (bytes: Uint8Array) => toSignedEntity(bundleFromJSON(JSON.parse(Buffer.from(bytes).toString('utf8'))));

function built() {
  const b = buildBundle(sampleCapture(), { signers: [collector] });
  const files = readArchive(b.bytes).files;
  return { bytes: b.bytes, envelope: files.get(ENVELOPE_FILE)!, statement: files.get(STATEMENT_FILE)!, sig: files.get(sigFilePath(collector.keyId))! };
}

describe('Sigstore bundle v0.3 of the DSSE signature', () => {
  it('carries the media type, our envelope (payload = statement.json, the .sig bytes), the key hint, no tlog entry', () => {
    const b = built();
    const s = sigstoreBundle(b.envelope);
    expect(s.mediaType).toBe(SIGSTORE_BUNDLE_MEDIA_TYPE);
    expect(s.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(s.verificationMaterial).toEqual({ publicKey: { hint: collector.keyId }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } });
    expect(Buffer.from(s.dsseEnvelope.payload, 'base64').equals(Buffer.from(b.statement))).toBe(true);
    expect(s.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(s.dsseEnvelope.signatures).toHaveLength(1);
    expect(Buffer.from(s.dsseEnvelope.signatures[0].sig, 'base64').equals(Buffer.from(b.sig))).toBe(true);
    expect(Buffer.from(sigstoreBundleFromArchive(b.bytes)).equals(Buffer.from(sigstoreBundleBytes(b.envelope)))).toBe(true);
  });

  it('@sigstore/verify accepts it offline with our ed25519 public key as trust material (no tlog, no timestamp)', () => {
    const b = built();
    const signer = new Verifier(trustMaterial([collector.publicKey]), KEY_ONLY).verify(entity(sigstoreBundleBytes(b.envelope)));
    expect(signer.key.asymmetricKeyType).toBe('ed25519');
    expect(Buffer.from(signer.key.export({ type: 'spki', format: 'der' })).equals(Buffer.from(collector.publicKey.spkiDer))).toBe(true);
  });

  it('under the default policy it refuses, for the one reason a key-only bundle has: no timestamp (TIMESTAMP_ERROR)', () => {
    const b = built();
    let err: unknown;
    try {
      new Verifier(trustMaterial([collector.publicKey])).verify(entity(sigstoreBundleBytes(b.envelope)));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).code).toBe('TIMESTAMP_ERROR');
    expect((err as Error).message).toBe('expected 1 timestamps, got 0');
    // with the timestamp requirement alone lifted, the missing tlog entry is the next refusal
    expect(() => new Verifier(trustMaterial([collector.publicKey]), { timestampThreshold: 0 }).verify(entity(sigstoreBundleBytes(b.envelope)))).toThrow('expected 1 tlog entries, got 0');
  });

  it('the verifier can fail: another key under the hint, a changed payload, an unknown hint', () => {
    const b = built();
    const bytes = sigstoreBundleBytes(b.envelope);
    const wrong = trustMaterial([]);
    const impostor = toTrustMaterial(TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }), { [collector.keyId]: { rawBytes: Buffer.from(stranger.publicKey.spkiDer), keyDetails: PublicKeyDetails.PKIX_ED25519 } });
    expect(() => new Verifier(impostor, KEY_ONLY).verify(entity(bytes))).toThrow('signature verification failed');
    expect(() => new Verifier(wrong, KEY_ONLY).verify(entity(bytes))).toThrow(`key not found: ${collector.keyId}`);
    const json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    json.dsseEnvelope.payload = Buffer.from(Buffer.from(json.dsseEnvelope.payload, 'base64').toString('utf8').replace('"partial":false', '"partial":true ')).toString('base64');
    expect(() => new Verifier(trustMaterial([collector.publicKey]), KEY_ONLY).verify(toSignedEntity(bundleFromJSON(json)))).toThrow('signature verification failed');
  });

  it('a countersigned envelope gives one Sigstore bundle per signer, each verifying with its own key', () => {
    const b = built();
    const signed = countersign(b.bytes, reviewer, { keys: [] }).bytes;
    expect(() => sigstoreBundleFromArchive(signed)).toThrow(/carries one signature; the envelope has 2/);
    for (const k of [collector, reviewer]) {
      const bytes = sigstoreBundleFromArchive(signed, k.keyId);
      expect(JSON.parse(Buffer.from(bytes).toString('utf8')).verificationMaterial.publicKey.hint).toBe(k.keyId);
      expect(new Verifier(trustMaterial([collector.publicKey, reviewer.publicKey]), KEY_ONLY).verify(entity(bytes)).key.asymmetricKeyType).toBe('ed25519');
    }
    expect(() => sigstoreBundleFromArchive(signed, stranger.keyId)).toThrow(/signature by key/);
  });

  it('refuses what is not an envelope or not a bundle', () => {
    expect(() => sigstoreBundleBytes(new TextEncoder().encode('{"payload": 1}'))).toThrow(/canonical JSON/);
    expect(() => sigstoreBundleFromArchive(new Uint8Array([1, 2, 3]))).toThrow(/unreadable archive/);
  });
});

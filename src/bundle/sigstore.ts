/**
 * The bundle's DSSE signature re-expressed as a Sigstore bundle (docs/bundle-format.md section 2.3; issue 10
 * "ecosystem formats"): media type application/vnd.dev.sigstore.bundle.v0.3+json, the same DSSE envelope
 * (payload, payloadType, one signature), `verificationMaterial.publicKey.hint` = our keyid (hex SHA-256 of the
 * signer's DER SPKI), no transparency-log entry and no timestamp. It is a derived view for Sigstore tooling: the
 * envelope inside the bundle (signatures/statement.dsse.json) stays the source of truth, and a Sigstore bundle
 * carries exactly one signature, so a countersigned bundle gives one Sigstore bundle per signer. Pure.
 * Field names and encodings: the protobuf-specs JSON mapping (sigstore_bundle.proto, envelope.proto): bytes
 * are standard base64.
 */
import { canonicalBytes } from './canonical.ts';
import { BundleFormatError } from '../errors.ts';
import { ENVELOPE_FILE, decodeBase64, type Envelope } from './statement.ts';
import { readArchive } from './reader.ts';
import { parseStrictJson } from './strict-json.ts';

export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SigstoreBundle {
  mediaType: typeof SIGSTORE_BUNDLE_MEDIA_TYPE;
  verificationMaterial: {
    publicKey: { hint: string };
    tlogEntries: [];
    timestampVerificationData: { rfc3161Timestamps: [] };
  };
  dsseEnvelope: {
    payload: string;
    payloadType: string;
    signatures: [{ sig: string; keyid: string }];
  };
}

/**
 * The Sigstore bundle for the signature of `keyId` in the DSSE envelope `envelope` (its exact bytes, as read
 * from signatures/statement.dsse.json or produced by the builder), as canonical JSON bytes.
 * @throws BundleFormatError when the envelope does not parse or holds no signature by `keyId`
 */
export function sigstoreBundleBytes(envelope: Uint8Array, keyId?: string): Uint8Array {
  return canonicalBytes(sigstoreBundle(envelope, keyId));
}

/**
 * The Sigstore bundle of a gwe bundle file's signature by `keyId` (or its only signature when `keyId` is
 * absent), read from signatures/statement.dsse.json with the strict archive reader.
 * @throws BundleFormatError when the archive cannot be read or holds no such signature
 */
export function sigstoreBundleFromArchive(bundle: Uint8Array, keyId?: string): Uint8Array {
  const archive = readArchive(bundle);
  const envelope = archive.fatal ? undefined : archive.files.get(ENVELOPE_FILE);
  if (!envelope) throw new BundleFormatError('NOT_A_BUNDLE', `sigstore bundle: expected a gwe bundle with ${ENVELOPE_FILE}, found ${archive.fatal ? 'an unreadable archive' : 'none'}`);
  return sigstoreBundleBytes(envelope, keyId);
}

/** As sigstoreBundleBytes, as a value; `keyId` absent: the envelope must hold exactly one signature. */
export function sigstoreBundle(envelope: Uint8Array, keyId?: string): SigstoreBundle {
  const parsed = parseStrictJson(envelope);
  if (!parsed.ok) throw new BundleFormatError('NOT_A_BUNDLE', `sigstore bundle: expected the DSSE envelope as canonical JSON, found ${parsed.message}`);
  const env = parsed.value as Envelope;
  const all = Array.isArray(env?.signatures) ? env.signatures : [];
  if (keyId === undefined && all.length !== 1) throw new BundleFormatError('NOT_A_BUNDLE', `sigstore bundle: a Sigstore bundle carries one signature; the envelope has ${all.length}: name the signer's key id`);
  keyId ??= all[0]?.keyid ?? '';
  const sig = all.find((s) => s?.keyid === keyId);
  if (typeof env?.payload !== 'string' || typeof env.payloadType !== 'string' || !sig || typeof sig.sig !== 'string') {
    throw new BundleFormatError('NOT_A_BUNDLE', `sigstore bundle: expected a DSSE envelope with a signature by key ${keyId}, found ${sig ? 'a malformed envelope' : `signatures by ${(env?.signatures ?? []).map((s) => s?.keyid).join(', ') || 'nobody'}`}`);
  }
  const payload = decodeBase64(env.payload);
  const raw = decodeBase64(sig.sig);
  if (!payload || !raw) throw new BundleFormatError('NOT_A_BUNDLE', 'sigstore bundle: expected base64 payload and signature in the DSSE envelope');
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  return {
    mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint: keyId }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    // Sigstore's keyid is optional and a hint only; we set our keyid there too, and the bundle's publicKey hint.
    dsseEnvelope: { payload: b64(payload), payloadType: env.payloadType, signatures: [{ sig: b64(raw), keyid: keyId }] },
  };
}

/** in-toto Statement v1 + DSSE envelope of bundle format v1 (docs/bundle-format.md §2). */
import { pae, sign, type SigningKey } from '../crypto/index.ts';
import { compareStrings } from '../model/object.ts';
import { canonicalBytes } from './canonical.ts';
import { TAG_MANIFEST } from './bagit.ts';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://gateway-evidence.dev/bundle/v1';
export const PREDICATE_TYPE_V2 = 'https://gateway-evidence.dev/bundle/v2';

/** The predicate type of a bundle format version (v1 and v2; docs/bundle-format.md §2, §7). */
export function predicateTypeFor(formatVersion: number): string {
  return formatVersion === 2 ? PREDICATE_TYPE_V2 : PREDICATE_TYPE;
}
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const SIGNATURES_DIR = 'signatures/';
export const STATEMENT_FILE = 'signatures/statement.json';
export const ENVELOPE_FILE = 'signatures/statement.dsse.json';

export interface BundlePredicate {
  bundleId: string;
  capturedAt: string;
  cluster: { name?: string; uid?: string };
  collectorVersion: string;
  bundleFormatVersion: number;
  partial: boolean;
  previousBundle?: { bundleId: string; digest: string };
}

export interface Statement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: BundlePredicate;
}

export interface EnvelopeSignature {
  keyid: string;
  sig: string;
}

export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: EnvelopeSignature[];
}

/** The Statement for a bag whose tag manifest has digest `tagManifestSha256`. */
export function makeStatement(tagManifestSha256: string, predicate: BundlePredicate): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: TAG_MANIFEST, digest: { sha256: tagManifestSha256 } }],
    predicateType: predicateTypeFor(predicate.bundleFormatVersion),
    predicate,
  };
}

/** Signs `payload` (the exact statement bytes) with `key`: 64 raw bytes over PAE(payloadType, payload). */
export function signPayload(payload: Uint8Array, key: SigningKey): Uint8Array {
  return sign(pae(PAYLOAD_TYPE, payload), key);
}

/** Canonical envelope bytes; signatures sorted by keyid, one per key. */
export function envelopeBytes(payload: Uint8Array, sigs: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const signatures = [...sigs.keys()].sort(compareStrings).map((keyid) => ({ keyid, sig: Buffer.from(sigs.get(keyid)!).toString('base64') }));
  const env: Envelope = { payload: Buffer.from(payload).toString('base64'), payloadType: PAYLOAD_TYPE, signatures };
  return canonicalBytes(env);
}

/** `signatures/<keyid>.sig` */
export function sigFilePath(keyId: string): string {
  return `${SIGNATURES_DIR}${keyId}.sig`;
}

/**
 * Decodes DSSE base64: standard or URL-safe, padded or not (DSSE envelope.md: verifiers MUST accept both).
 * Returns undefined for anything else.
 */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return undefined;
  const std = s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (std.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.from(std, 'base64'));
  // Round-trip check rejects non-zero trailing bits (more than one encoding of the same bytes).
  if (Buffer.from(bytes).toString('base64').replace(/=+$/, '') !== std) return undefined;
  return bytes;
}

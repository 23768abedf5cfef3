/**
 * The only importer of @noble/*: SHA-256, strict RFC 8032 Ed25519, DSSE PAE, key encodings and key ids.
 * Crypto answers yes/no (a bad signature is `false`, never an exception); malformed keys are InputErrors.
 */
import { createHash, hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { InputError } from '../errors.ts';

// noble-ed25519 needs a synchronous SHA-512 provider; wire it once, here.
ed.hashes.sha512 = sha512;

/** RFC 8410: DER SPKI of an Ed25519 key = this 12-byte prefix + the 32-byte key. */
const SPKI_PREFIX = hexToBytes('302a300506032b6570032100');
/** RFC 8410: DER PKCS#8 (v1, OneAsymmetricKey without public key) = this 16-byte prefix + the 32-byte seed. */
const PKCS8_PREFIX = hexToBytes('302e020100300506032b657004220420');

export interface PublicKey {
  /** The 32-byte Ed25519 public key. */
  raw: Uint8Array;
  /** DER SubjectPublicKeyInfo (44 bytes). */
  spkiDer: Uint8Array;
  /** Lowercase hex SHA-256 of `spkiDer` (Sigstore / RFC 6962 §3.2 convention). */
  keyId: string;
}

export interface SigningKey {
  /** The 32-byte RFC 8032 private key (seed). */
  seed: Uint8Array;
  publicKey: PublicKey;
  keyId: string;
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/**
 * Lowercase hex SHA-256 of `bytes` (a string is hashed as its UTF-8, a lone surrogate as U+FFFD, as TextEncoder
 * encodes it). crypto.hash (Node >= 20.12) hashes in one native call without a Hash object: ~20% less time over
 * the 21k small files of a 10k-route bundle (issue 13); createHash where it is missing. Neither copies the bytes.
 */
export const sha256Hex: (bytes: Uint8Array | string) => string =
  typeof oneShotHash === 'function' ? (b) => oneShotHash('sha256', b, 'hex') : (b) => createHash('sha256').update(b).digest('hex');

/** Constant-time equality for byte arrays or equal-length strings (digests). Different lengths are unequal. */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}

/**
 * DSSE v1 pre-authentication encoding (secure-systems-lab/dsse protocol.md):
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN = ASCII decimal byte length, no leading zeros.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = new TextEncoder().encode(payloadType);
  const head = new TextEncoder().encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/** Hex SHA-256 of a DER SPKI: the key id. */
export function keyIdOf(spkiDer: Uint8Array): string {
  return sha256Hex(spkiDer);
}

/** Builds a PublicKey from 32 raw bytes. */
export function publicKeyFromRaw(raw: Uint8Array): PublicKey {
  if (raw.length !== 32) throw new RangeError(`ed25519 public key: expected 32 bytes, got ${raw.length}`);
  const spkiDer = concat(SPKI_PREFIX, raw);
  return { raw: new Uint8Array(raw), spkiDer, keyId: keyIdOf(spkiDer) };
}

/** Builds a SigningKey from a 32-byte RFC 8032 seed. */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new RangeError(`ed25519 private key: expected 32 bytes, got ${seed.length}`);
  const publicKey = publicKeyFromRaw(ed.getPublicKey(seed));
  return { seed: new Uint8Array(seed), publicKey, keyId: publicKey.keyId };
}

/**
 * Parses a PKCS#8 PEM Ed25519 private key (a PEM block labelled "PRIVATE KEY", RFC 8410, as written by
 * `openssl genpkey -algorithm ed25519` and `gwe keygen`).
 * @throws InputError naming `file` when the text is not such a key.
 */
export function parsePrivateKeyPem(pem: string, file = 'private key'): SigningKey {
  const der = pemBody(pem, 'PRIVATE KEY', file);
  if (der.length !== PKCS8_PREFIX.length + 32 || !startsWith(der, PKCS8_PREFIX)) {
    throw new InputError('INPUT_INVALID', `${file}: expected an Ed25519 PKCS#8 private key (48 DER bytes, OID 1.3.101.112), found ${der.length} DER bytes of ${keyTypeOf(der)}`, { file });
  }
  return signingKeyFromSeed(der.subarray(PKCS8_PREFIX.length));
}

/**
 * Parses an Ed25519 public key: PEM SPKI (`-----BEGIN PUBLIC KEY-----`) or the raw 32-byte key in base64.
 * @throws InputError naming `file` when the text is neither.
 */
export function parsePublicKey(text: string, file = 'public key'): PublicKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const der = pemBody(trimmed, 'PUBLIC KEY', file);
    if (der.length !== SPKI_PREFIX.length + 32 || !startsWith(der, SPKI_PREFIX)) {
      throw new InputError('INPUT_INVALID', `${file}: expected an Ed25519 SPKI public key (44 DER bytes, OID 1.3.101.112), found ${der.length} DER bytes of ${keyTypeOf(der)}`, { file });
    }
    return publicKeyFromRaw(der.subarray(SPKI_PREFIX.length));
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) {
    throw new InputError('INPUT_INVALID', `${file}: expected a PEM "PUBLIC KEY" block or a base64 32-byte Ed25519 key, found ${JSON.stringify(trimmed.slice(0, 40))}`, { file });
  }
  return publicKeyFromRaw(new Uint8Array(Buffer.from(trimmed, 'base64')));
}

/** PKCS#8 PEM of a signing key. */
export function privateKeyPem(key: SigningKey): string {
  return toPem('PRIVATE KEY', concat(PKCS8_PREFIX, key.seed));
}

/** SPKI PEM of a public key. */
export function publicKeyPem(key: PublicKey): string {
  return toPem('PUBLIC KEY', key.spkiDer);
}

/** Pure Ed25519 (RFC 8032 §5.1.6) signature of `msg`: 64 bytes, deterministic. */
export function sign(msg: Uint8Array, key: SigningKey): Uint8Array {
  return ed.sign(msg, key.seed);
}

/**
 * Strict RFC 8032 verification (`zip215: false`: non-canonical S/R encodings and small-order keys are
 * rejected). Returns false for any signature that does not verify, including malformed lengths.
 */
export function verify(sig: Uint8Array, msg: Uint8Array, publicKey: PublicKey | Uint8Array): boolean {
  const raw = publicKey instanceof Uint8Array ? publicKey : publicKey.raw;
  if (sig.length !== 64 || raw.length !== 32) return false;
  try {
    return ed.verify(sig, msg, raw, { zip215: false });
  } catch {
    return false;
  }
}

/** A new key pair from an injected randomness source (the CLI passes node:crypto randomBytes). */
export function generateKeyPair(randomBytes: (n: number) => Uint8Array): SigningKey {
  const seed = randomBytes(32);
  if (seed.length !== 32) throw new RangeError(`randomness source returned ${seed.length} bytes, expected 32`);
  return signingKeyFromSeed(seed);
}

// ---- helpers ----

/** Algorithm OIDs (DER-encoded) that show up in keys people pass by mistake. */
const KEY_OIDS: Array<[string, string]> = [
  ['2a864886f70d010101', 'an RSA key (OID 1.2.840.113549.1.1.1)'],
  ['2a8648ce3d0201', 'an EC key (OID 1.2.840.10045.2.1, e.g. P-256)'],
  ['2b6571', 'an Ed448 key (OID 1.3.101.113)'],
  ['2b656e', 'an X25519 key (OID 1.3.101.110)'],
  ['2b6570', 'an Ed25519 key in an unexpected form'],
];

/** Names the key type in a DER key by its algorithm OID, for error messages. */
function keyTypeOf(der: Uint8Array): string {
  const hex = bytesToHex(der);
  for (const [oid, what] of KEY_OIDS) if (hex.includes(`06${(oid.length / 2).toString(16).padStart(2, '0')}${oid}`)) return what;
  return 'another key type or form';
}

function pemBody(pem: string, label: string, file: string): Uint8Array {
  const re = new RegExp(`^-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n?-----END ${label}-----\\s*$`);
  const m = re.exec(pem.trim());
  if (!m) {
    const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    const what =
      found === label
        ? `a "${found}" block with malformed base64 or extra text around it`
        : found === 'ENCRYPTED PRIVATE KEY'
          ? 'an "ENCRYPTED PRIVATE KEY" block (password-protected; decrypt it first, e.g. `openssl pkey -in KEY -out plain.pem`, and keep the result at mode 0600)'
          : found === 'OPENSSH PRIVATE KEY'
            ? 'an "OPENSSH PRIVATE KEY" block (OpenSSH format; convert it with `ssh-keygen -p -m PKCS8 -f KEY`)'
            : found
              ? `a "${found}" block`
              : 'no PEM block';
    throw new InputError('INPUT_INVALID', `${file}: expected one PEM "${label}" block, found ${what}`, { file });
  }
  return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError(`invalid hex string of length ${hex.length}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function startsWith(a: Uint8Array, prefix: Uint8Array): boolean {
  if (a.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (a[i] !== prefix[i]) return false;
  return true;
}

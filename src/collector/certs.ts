import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import type { CertificateBlock, CertificateInfo } from '../model/snapshot.ts';

/**
 * Certificate metadata from PEM text, in memory. Only public certificate fields are read; any other PEM
 * block in the value (a private key pasted into tls.crt, say) is never copied anywhere: it only shows up
 * as a count in the returned `ignoredBlocks` (by label, never content).
 */
export interface ParsedPem {
  block: CertificateBlock;
  /** Labels of non-CERTIFICATE PEM blocks that were ignored, e.g. ["PRIVATE KEY"]. */
  ignoredBlocks: string[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

const cache = new Map<string, ParsedPem>();
const CACHE_MAX = 256;

/**
 * Parses every CERTIFICATE block of a PEM value (a chain, leaf first as served). Results are memoised by
 * PEM text (the same CA bundle is often in many Secrets); callers get a fresh copy.
 */
export function parseCertificatePem(pem: string): ParsedPem {
  let hit = cache.get(pem);
  if (!hit) {
    hit = parseUncached(pem);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(pem, hit);
  }
  return structuredClone(hit);
}

function parseUncached(pem: string): ParsedPem {
  const ignoredBlocks: string[] = [];
  const chain: CertificateInfo[] = [];
  let count = 0;
  for (const m of pem.matchAll(PEM_BLOCK)) {
    const label = m[1]!;
    if (label !== 'CERTIFICATE') {
      ignoredBlocks.push(label);
      continue;
    }
    count++;
    const body = m[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) {
      return { block: { status: 'invalid', error: `certificate ${count} in the chain: expected base64 between the PEM markers, found other characters` }, ignoredBlocks };
    }
    const der = Buffer.from(body, 'base64');
    try {
      chain.push(certificateInfo(der));
    } catch (e) {
      return { block: { status: 'invalid', error: `certificate ${count} in the chain: expected a DER X.509 certificate, found bytes that do not parse (${(e as Error).message})` }, ignoredBlocks };
    }
  }
  if (chain.length === 0) {
    return { block: { status: 'invalid', error: 'expected one or more PEM "CERTIFICATE" blocks, found none' }, ignoredBlocks };
  }
  return { block: { status: 'valid', chain }, ignoredBlocks };
}

/**
 * Whether the private key `keyPem` (tls.key) belongs to the leaf certificate of `certPem` (tls.crt): node:crypto
 * X509Certificate.checkPrivateKey. A key that does not parse (or is encrypted: a controller could not use it
 * either) does not match. Only the boolean leaves this function; the key is never stored or logged.
 */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(privateKeyOf(keyPem));
  } catch {
    return false;
  }
}

/** PEM labels of unencrypted private keys -> the DER encoding node:crypto is told to expect. */
const KEY_DER_TYPES: Record<string, 'pkcs8' | 'pkcs1' | 'sec1'> = { 'PRIVATE KEY': 'pkcs8', 'RSA PRIVATE KEY': 'pkcs1', 'EC PRIVATE KEY': 'sec1' };
const SINGLE_KEY_PEM = /^-----BEGIN (PRIVATE KEY|RSA PRIVATE KEY|EC PRIVATE KEY)-----\r?\n([A-Za-z0-9+/=\r\n]+\n)-----END \1-----\s*$/;

/**
 * The private key of a tls.key value. A value that is exactly one unencrypted key block (no PEM headers) is
 * decoded here and handed to node:crypto as DER of its known type: OpenSSL 3 then skips trying every decoder
 * on the PEM text, which halved the cost per Secret (issue 13, bench/README.md "collect"). Anything else
 * (several blocks, headers such as Proc-Type, other labels) goes to node:crypto's PEM reader as before.
 */
function privateKeyOf(keyPem: string): KeyObject {
  const m = SINGLE_KEY_PEM.exec(keyPem);
  if (m) {
    const body = m[2]!.replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      try {
        return createPrivateKey({ key: Buffer.from(body, 'base64'), format: 'der', type: KEY_DER_TYPES[m[1]!]! });
      } catch {
        // not DER of that type: the PEM reader decides, as it always did
      }
    }
  }
  return createPrivateKey({ key: keyPem, format: 'pem' });
}

/** Metadata of one DER certificate. Throws when the bytes are not an X.509 certificate. */
export function certificateInfo(der: Uint8Array): CertificateInfo {
  const cert = new X509Certificate(der);
  const key = cert.publicKey;
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const info: CertificateInfo = {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    serialNumber: cert.serialNumber.toLowerCase(),
    dnsNames: [],
    ipAddresses: [],
    notBefore: rfc3339(cert.validFrom),
    notAfter: rfc3339(cert.validTo),
    publicKeyAlgorithm: keyType,
    signatureAlgorithm: signatureAlgorithmOf(der),
    sha256Fingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    isCA: cert.ca,
  };
  if (details.modulusLength !== undefined) info.publicKeySize = details.modulusLength;
  if (details.namedCurve !== undefined) {
    info.publicKeyCurve = details.namedCurve;
    const size = CURVE_BITS[details.namedCurve];
    if (size !== undefined) info.publicKeySize = size;
  }
  if (keyType === 'ed25519') info.publicKeySize = 256;
  if (keyType === 'ed448') info.publicKeySize = 456;
  const san = subjectAltNames(der);
  info.dnsNames = san.dns;
  info.ipAddresses = san.ip;
  // Additive within bundle format v1 (docs/bundle-format.md): present only when the certificate has them.
  if (san.uri.length > 0) info.uris = san.uri;
  if (san.email.length > 0) info.emailAddresses = san.email;
  return info;
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  'P-256': 256,
  secp256k1: 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
};

/** Node renders a DN one RDN per line, most significant first: "C=US\nO=Acme\nCN=x" -> "C=US, O=Acme, CN=x". */
function dn(s: string): string {
  return s.split('\n').filter((x) => x.length > 0).join(', ');
}

/** "Nov 26 11:51:17 2026 GMT" -> "2026-11-26T11:51:17Z". */
function rfc3339(s: string): string {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`unreadable validity date "${s}"`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The subjectAltName entries gwe records (RFC 5280 section 4.2.1.6 GeneralName choices), in certificate order. */
export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  uri: string[];
  email: string[];
}

/**
 * The SAN extension of a DER certificate, decoded from its ASN.1 with @peculiar/asn1-x509 (issue 10: not a regex
 * over node's `subjectAltName` display string, where `DNS:a, IP Address:1.2.3.4` inside one dNSName cannot be
 * told from two entries). dNSName, iPAddress, uniformResourceIdentifier and rfc822Name are kept, other choices
 * (otherName, directoryName, registeredID...) are not part of the evidence. IP addresses: 4 octets -> dotted
 * quad, 16 octets -> the library's compressed lowercase IPv6 text; any other length is malformed (RFC 5280: "four
 * octets" or "sixteen octets"; Go's crypto/x509 refuses such a certificate) and throws, so the certificate is
 * recorded invalid rather than with a guessed address.
 * @throws Error when the DER does not decode, or an entry is malformed
 */
export function subjectAltNames(der: Uint8Array): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], uri: [], email: [] };
  const cert = AsnConvert.parse(der, Certificate);
  const exts = (cert.tbsCertificate.extensions ?? []).filter((e) => e.extnID === id_ce_subjectAltName);
  if (exts.length > 1) throw new Error('more than one subjectAltName extension (RFC 5280 section 4.2: at most one instance)');
  if (exts.length === 0) return out;
  const names = AsnConvert.parse(exts[0]!.extnValue, SubjectAlternativeName);
  for (const g of names) {
    if (g.dNSName !== undefined) out.dns.push(g.dNSName);
    else if (g.iPAddress !== undefined) {
      if (isIP(g.iPAddress) === 0) throw new Error(`subjectAltName iPAddress ${JSON.stringify(g.iPAddress)}: expected 4 or 16 octets (RFC 5280 section 4.2.1.6)`);
      out.ip.push(g.iPAddress);
    } else if (g.uniformResourceIdentifier !== undefined) out.uri.push(g.uniformResourceIdentifier);
    else if (g.rfc822Name !== undefined) out.email.push(g.rfc822Name);
  }
  return out;
}

// --- signature algorithm: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature } (RFC 5280 4.1)

const SIG_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
};

interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
}

function readTlv(b: Uint8Array, off: number): Tlv {
  if (off + 2 > b.length) throw new Error('truncated DER');
  const tag = b[off]!;
  let len = b[off + 1]!;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > b.length) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    p += n;
  }
  if (p + len > b.length) throw new Error('truncated DER');
  return { tag, start: p, end: p + len };
}

export function signatureAlgorithmOf(der: Uint8Array): string {
  const cert = readTlv(der, 0);
  const tbs = readTlv(der, cert.start);
  const alg = readTlv(der, tbs.end);
  const oid = readTlv(der, alg.start);
  if (cert.tag !== 0x30 || tbs.tag !== 0x30 || alg.tag !== 0x30 || oid.tag !== 0x06) throw new Error('unexpected DER structure');
  const dotted = oidToString(der.subarray(oid.start, oid.end));
  return SIG_OIDS[dotted] ?? dotted;
}

function oidToString(b: Uint8Array): string {
  if (b.length === 0) throw new Error('empty OID');
  const first = b[0]!;
  const parts: number[] = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** PEM labels for messages, lower-cased ("rsa private key") so that no message reads like PEM armor. */
export function pemLabels(labels: readonly string[]): string {
  return [...new Set(labels.map((l) => l.toLowerCase()))].sort().join(', ');
}

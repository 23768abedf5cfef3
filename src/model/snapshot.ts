import type { KubeObject } from './object.ts';

/** Metadata of one X.509 certificate; never any key material. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  dnsNames: string[];
  ipAddresses: string[];
  /** URI SANs; absent when there are none (and in bundles written before issue 10). */
  uris?: string[];
  /** rfc822Name (email) SANs; absent when there are none (and in bundles written before issue 10). */
  emailAddresses?: string[];
  notBefore: string; // RFC 3339
  notAfter: string; // RFC 3339
  publicKeyAlgorithm: string; // e.g. "rsa", "ec", "ed25519"
  publicKeySize?: number; // bits (rsa modulus, ec curve size)
  publicKeyCurve?: string;
  signatureAlgorithm: string;
  sha256Fingerprint: string; // lowercase hex of the DER
  isCA: boolean;
}

/** What a PEM value (tls.crt, ca.crt) turned into: a parsed chain, or the reason it did not parse. */
export type CertificateBlock =
  | { status: 'valid'; chain: CertificateInfo[] }
  | { status: 'invalid'; error: string };

/**
 * A Secret as kept in a bundle: metadata, type, the names (not values) of its data keys, and
 * certificate metadata for tls.crt / ca.crt. Never `data`, `stringData` or last-applied-configuration.
 */
export interface ReducedSecret extends KubeObject {
  apiVersion: 'v1';
  kind: 'Secret';
  type?: string;
  dataKeys: string[];
  certificateMetadata: Record<string, CertificateBlock>;
  /**
   * Whether `tls.key` is the private key of the leaf certificate in `tls.crt`, computed at collection time
   * (bundle format v1, additive: absent in bundles from earlier collectors, and when there is no valid tls.crt
   * or no tls.key). The key itself never enters the bundle.
   */
  keyMatchesCertificate?: boolean;
}

/** A ConformanceReport file, kept byte for byte. */
export interface ConformanceReportFile {
  /** File name as given by the user (basename). */
  name: string;
  sha256: string;
  bytes: Uint8Array;
}

/** Everything the pure core needs from a capture: objects (sorted by refKey) and the conformance reports. */
export interface Snapshot {
  objects: KubeObject[];
  conformanceReports: ConformanceReportFile[];
}

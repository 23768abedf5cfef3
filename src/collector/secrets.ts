import { createHash } from 'node:crypto';
import type { CertificateBlock, ReducedSecret } from '../model/snapshot.ts';
import type { CollectionWarning } from '../model/collection.ts';
import { keyMatchesCertificate, parseCertificatePem, pemLabels } from './certs.ts';
import { reduceMetadata, type MetadataAllowList } from './metadata.ts';

/** Keys whose values are public certificates (openshift/oc inspect/secret.go keeps the same public keys). */
export const CERTIFICATE_KEYS = ['tls.crt', 'ca.crt'] as const;

/**
 * The only label and annotation keys a Secret keeps (issue 8 item 1; docs/collector.md "Secrets"): names of
 * the issuing tool and of the certificate, never a value that could carry key material. Every other label or
 * annotation value is dropped and its key named in a SECRET_METADATA_DROPPED warning. Allow-listed values
 * still pass the private-key guards.
 */
export const SECRET_METADATA_ALLOW: MetadataAllowList = {
  labels: new Set([
    'app',
    'app.kubernetes.io/name',
    'app.kubernetes.io/instance',
    'app.kubernetes.io/component',
    'app.kubernetes.io/part-of',
    'app.kubernetes.io/managed-by',
    'app.kubernetes.io/version',
    'controller.cert-manager.io/fao',
  ]),
  annotations: new Set([
    // cert-manager writes these on the Secrets it issues: all of them describe the public certificate.
    'cert-manager.io/certificate-name',
    'cert-manager.io/issuer-name',
    'cert-manager.io/issuer-kind',
    'cert-manager.io/issuer-group',
    'cert-manager.io/common-name',
    'cert-manager.io/alt-names',
    'cert-manager.io/ip-sans',
    'cert-manager.io/uri-sans',
    'cert-manager.io/email-sans',
    'cert-manager.io/subject-organizations',
    // Helm ownership.
    'meta.helm.sh/release-name',
    'meta.helm.sh/release-namespace',
  ]),
};

/**
 * Secret -> ReducedSecret (evidence-formats.md (c) attack 12): no byte of `data`, `stringData` or the
 * last-applied-configuration annotation is copied, and only allow-listed labels and annotations are kept. Certificate values are decoded in memory, parsed, and
 * only their metadata is kept. `dataKeys` holds the key names, sorted.
 */
export function reduceSecret(raw: Record<string, unknown>, source: string, label: string, warnings: CollectionWarning[], keyChecks?: KeyCheckMemo): ReducedSecret {
  const data = asStringMap(raw['data']);
  const stringData = asStringMap(raw['stringData']);
  const keys = new Set<string>([...Object.keys(data), ...Object.keys(stringData)]);
  const certificateMetadata: Record<string, CertificateBlock> = {};
  let leafPem: string | undefined;
  for (const key of CERTIFICATE_KEYS) {
    let pem: string | undefined;
    // The API server merges stringData over data on write; a dump that still carries both follows the same rule.
    if (stringData[key] !== undefined) pem = stringData[key];
    else if (data[key] !== undefined) {
      const b64 = data[key]!.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
        certificateMetadata[key] = { status: 'invalid', error: `data.${key}: expected base64, found other characters` };
        continue;
      }
      pem = Buffer.from(b64, 'base64').toString('utf8');
    }
    if (pem === undefined) continue;
    if (pem.trim() === '') {
      certificateMetadata[key] = { status: 'invalid', error: `${key}: expected PEM certificates, found an empty value` };
      continue;
    }
    const parsed = parseCertificatePem(pem);
    certificateMetadata[key] = parsed.block;
    if (key === 'tls.crt' && parsed.block.status === 'valid') leafPem = pem;
    if (parsed.ignoredBlocks.length > 0) {
      warnings.push({
        code: 'SECRET_CERT_HAS_OTHER_PEM',
        message: `${label}: ${key} holds PEM blocks other than certificates (${pemLabels(parsed.ignoredBlocks)}); they were not copied`,
        source,
        object: label,
      });
    }
  }
  const meta = reduceMetadata(raw['metadata'], source, label, warnings, SECRET_METADATA_ALLOW);
  const out: ReducedSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta,
    dataKeys: [...keys].sort(),
    certificateMetadata,
  };
  if (typeof raw['type'] === 'string') out.type = raw['type'];
  // tls.key vs tls.crt (issue 11; InvalidCertificateRef covers a key that does not belong to the certificate):
  // computed in memory, only the boolean is kept. Absent when there is no valid tls.crt or no tls.key.
  const keyPem = stringData['tls.key'] ?? decodeBase64(data['tls.key']);
  if (leafPem !== undefined && keyPem !== undefined && keyPem.trim() !== '') out.keyMatchesCertificate = keyChecks ? keyChecks.check(leafPem, keyPem) : keyMatchesCertificate(leafPem, keyPem);
  return out;
}

/**
 * keyMatchesCertificate, computed once per distinct (tls.crt, tls.key) pair of one capture: the same
 * certificate and key are often copied into many namespaces' Secrets (a wildcard certificate replicated per
 * tenant), and parsing a private key costs about a millisecond (issue 13). Only a SHA-256 of the pair and the
 * boolean are held, never the key, and only for the capture being normalised (one memo per normalize call).
 */
export class KeyCheckMemo {
  readonly #results = new Map<string, boolean>();
  check(certPem: string, keyPem: string): boolean {
    const id = createHash('sha256').update(`${certPem.length}:`).update(certPem).update(keyPem).digest('hex');
    let r = this.#results.get(id);
    if (r === undefined) {
      r = keyMatchesCertificate(certPem, keyPem);
      this.#results.set(id, r);
    }
    return r;
  }
}

function decodeBase64(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const b64 = v.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
}

function asStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    // Values that are not strings (a malformed dump) still count as keys, but are never read.
    out[k] = typeof val === 'string' ? val : '';
  }
  return out;
}

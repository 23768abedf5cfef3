/** Certificates held in ReducedSecrets: added, removed, rotated (leaf fingerprint changed) and expiring. */
import { compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import type { ReducedSecret } from '../model/snapshot.ts';
import type { CertificateExpiry, CertificateSummary, CertificatesDiff } from './types.ts';
import { rfc3339Ms } from '../model/time.ts';

const DAY_MS = 86_400_000;

function isReducedSecret(o: KubeObject): o is ReducedSecret {
  return o.kind === 'Secret' && groupOf(o.apiVersion) === '' && o['certificateMetadata'] !== null && typeof o['certificateMetadata'] === 'object';
}

/** Leaf certificate (first of the chain) of every valid certificate block, sorted by secret and key. */
export function leafCertificates(objects: readonly KubeObject[]): CertificateSummary[] {
  const out: CertificateSummary[] = [];
  for (const o of objects) {
    if (!isReducedSecret(o)) continue;
    const secret = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    for (const [key, block] of Object.entries(o.certificateMetadata)) {
      if (block.status !== 'valid' || block.chain.length === 0) continue;
      const leaf = block.chain[0]!;
      out.push({
        secret,
        key,
        subject: leaf.subject,
        dnsNames: [...leaf.dnsNames],
        notAfter: leaf.notAfter,
        sha256Fingerprint: leaf.sha256Fingerprint,
      });
    }
  }
  return out.sort((a, b) => compareStrings(a.secret, b.secret) || compareStrings(a.key, b.key));
}

export function diffCertificates(
  oldObjs: readonly KubeObject[],
  newObjs: readonly KubeObject[],
  newCapturedAt: string,
  expiryWindowDays: number,
): CertificatesDiff {
  const key = (c: CertificateSummary): string => `${c.secret}\u0000${c.key}`;
  const o = new Map(leafCertificates(oldObjs).map((c) => [key(c), c]));
  const n = leafCertificates(newObjs);
  const nMap = new Map(n.map((c) => [key(c), c]));
  const out: CertificatesDiff = { added: [], removed: [], rotated: [], expiring: [] };
  for (const c of n) {
    const prev = o.get(key(c));
    if (prev === undefined) out.added.push(c);
    else if (prev.sha256Fingerprint !== c.sha256Fingerprint) out.rotated.push({ secret: c.secret, key: c.key, old: prev, new: c });
  }
  for (const [k, c] of o) if (!nMap.has(k)) out.removed.push(c);
  const at = rfc3339Ms(newCapturedAt) ?? NaN;
  if (!Number.isNaN(at)) {
    for (const c of n) {
      const end = rfc3339Ms(c.notAfter) ?? NaN;
      if (Number.isNaN(end)) continue;
      const daysLeft = Math.floor((end - at) / DAY_MS);
      if (end - at <= expiryWindowDays * DAY_MS) {
        const e: CertificateExpiry = { ...c, daysLeft, expired: end <= at };
        out.expiring.push(e);
      }
    }
  }
  return out;
}

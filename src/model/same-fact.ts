/**
 * The same fact reported twice: the verifier's analysis observes it (CERT_EXPIRING: "expires in 15 days"), an
 * exposure policy reports it as the violation of a rule (POLICY_CERTIFICATE_EXPIRING). `gwe verify --policy`
 * (policy/verify-hook.ts: detail.sameFactAs) and the report (report/group.ts linkFindings: restates/restatedBy)
 * pair them with the one rule and the one index here. Pure.
 */
import type { Finding } from './finding.ts';

/** `HTTPRoute.gateway.networking.k8s.io/ns/name` -> `HTTPRoute ns/name`; other subjects unchanged. */
export function subjectLabel(subject: string): string {
  const m = /^([A-Z][A-Za-z]*)(?:\.[a-z0-9.-]+)?\/(.+)$/.exec(subject);
  return m ? `${m[1]} ${m[2]}` : subject;
}

/**
 * The object a finding is about, as `Kind ns/name` (or `Kind name`): the subject in human form without the
 * listener/parent/rule suffix analysis subjects carry (`Gateway infra/gw listener http` -> `Gateway infra/gw`).
 * Findings without a subject are about the bundle.
 */
export function objectOf(subject: string | undefined): string {
  if (!subject) return 'bundle';
  const label = subjectLabel(subject);
  const m = /^([A-Z][A-Za-z]*) (\S+)/.exec(label);
  return m ? `${m[1]} ${m[2]}` : label;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function evidence(p: Finding): Record<string, unknown> {
  const e = p.detail?.evidence;
  return e && typeof e === 'object' ? (e as Record<string, unknown>) : {};
}

/** `Service ns/name:8080` -> `Service ns/name`. */
function stripPort(s: string | undefined): string | undefined {
  return s?.replace(/:\d+$/, '');
}

/**
 * Whether analysis finding `a` observes the fact that policy finding `p` reports as a rule violation.
 * Pairs are by code family and by the same object (secret, listener, route + backend).
 */
export function sameFact(a: Finding, p: Finding): boolean {
  return sameFactOf(a, p, objectOf(p.subject), objectOf);
}

/** sameFact with the policy finding's object already known and objectOf possibly memoised (sameFactIndex). */
function sameFactOf(a: Finding, p: Finding, pObj: string, objectOfA: (subject: string | undefined) => string): boolean {
  switch (p.code) {
    case 'POLICY_CERTIFICATE_EXPIRING':
    case 'POLICY_CERTIFICATE_EXPIRED': {
      if (a.code !== 'CERT_EXPIRING' && a.code !== 'CERT_EXPIRED') return false;
      const secret = str(a.detail?.secret);
      const fpA = str(a.detail?.sha256Fingerprint);
      const fpP = str(p.detail?.sha256Fingerprint);
      const sameSecret = (secret !== undefined ? `Secret ${secret}` : objectOfA(a.subject)) === pObj;
      return sameSecret && (fpA === undefined || fpP === undefined || fpA === fpP);
    }
    case 'POLICY_TLS_REQUIRED': {
      if (a.code !== 'EXPOSURE_PLAINTEXT_HOSTNAME') return false;
      return `Gateway ${str(a.detail?.gateway) ?? ''}` === pObj && str(a.detail?.listener) === str(p.detail?.listener);
    }
    case 'POLICY_SERVICE_TYPE_NOT_ALLOWED': {
      const ev = evidence(p);
      if (a.code === 'EXPOSURE_SERVICE_TYPE') {
        return str(a.detail?.route) === str(ev.route) && stripPort(str(a.detail?.backend)) === stripPort(str(ev.backend));
      }
      if (a.code === 'UNCLASSIFIED_SERVICE') return objectOfA(a.subject) === pObj;
      return false;
    }
    case 'POLICY_UNEXPECTED_CROSS_NAMESPACE': {
      if (a.code !== 'RefNotPermitted' && a.code !== 'EXPOSURE_CROSS_NAMESPACE_BACKEND') return false;
      const backend = stripPort(str(evidence(p).backend));
      return objectOfA(a.subject) === pObj && backend !== undefined && new RegExp(`${backend.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`).test(a.message);
    }
    default:
      return false;
  }
}

/** Key for "no string" in the index (sameFact compares such values as undefined === undefined). */
const NONE = '\u0000none';

/** The bucket key under which analysis finding `a` can pair with a policy finding; undefined: it pairs with none. */
function analysisFactKey(a: Finding, objectOf: (subject: string | undefined) => string): string | undefined {
  switch (a.code) {
    case 'CERT_EXPIRING':
    case 'CERT_EXPIRED': {
      const secret = str(a.detail?.secret);
      return `cert\u0000${secret !== undefined ? `Secret ${secret}` : objectOf(a.subject)}`;
    }
    case 'EXPOSURE_PLAINTEXT_HOSTNAME':
      return `tls\u0000Gateway ${str(a.detail?.gateway) ?? ''}`;
    case 'EXPOSURE_SERVICE_TYPE':
      return `svc\u0000${str(a.detail?.route) ?? NONE}`;
    case 'UNCLASSIFIED_SERVICE':
      return `unclassified\u0000${objectOf(a.subject)}`;
    case 'RefNotPermitted':
    case 'EXPOSURE_CROSS_NAMESPACE_BACKEND':
      return `xns\u0000${objectOf(a.subject)}`;
    default:
      return undefined; // no policy finding pairs with other codes (sameFact's default: false)
  }
}

/** The bucket keys a policy finding's same-fact candidates are under: the object sameFact requires to be equal. */
function policyFactKeys(p: Finding, pObj: string): string[] {
  switch (p.code) {
    case 'POLICY_CERTIFICATE_EXPIRING':
    case 'POLICY_CERTIFICATE_EXPIRED':
      return [`cert\u0000${pObj}`];
    case 'POLICY_TLS_REQUIRED':
      return [`tls\u0000${pObj}`];
    case 'POLICY_SERVICE_TYPE_NOT_ALLOWED':
      return [`svc\u0000${str(evidence(p).route) ?? NONE}`, `unclassified\u0000${pObj}`];
    case 'POLICY_UNEXPECTED_CROSS_NAMESPACE':
      return [`xns\u0000${pObj}`];
    default:
      return [];
  }
}

/**
 * `p => indices of findings.filter((a, i) => include(a, i) && sameFact(a, p))`, ascending, without scanning
 * `findings` per call (issue 13: comparing every pair was quadratic, 223 million pairs at 10k routes). Each
 * included finding is filed under the one object key that sameFact requires to equal the policy finding's, per
 * code family; a lookup takes the candidate buckets and still applies sameFact itself, so the index only ever
 * narrows the candidates (a key collision costs time, never a wrong pair).
 */
export function sameFactIndex<F extends Finding>(findings: readonly F[], include: (f: F, i: number) => boolean = () => true): (p: Finding) => number[] {
  const buckets = new Map<string, number[]>();
  // objectOf is two regexes; many findings share a subject (issue 13: 22k policy findings at 10k routes).
  const objects = new Map<string, string>();
  const objectOfMemo = (subject: string | undefined): string => {
    if (subject === undefined) return objectOf(subject);
    let o = objects.get(subject);
    if (o === undefined) objects.set(subject, (o = objectOf(subject)));
    return o;
  };
  findings.forEach((a, i) => {
    if (!include(a, i)) return;
    const key = analysisFactKey(a, objectOfMemo);
    if (key === undefined) return;
    const b = buckets.get(key);
    if (b) b.push(i);
    else buckets.set(key, [i]);
  });
  return (p) => {
    const pObj = objectOfMemo(p.subject);
    const keys = policyFactKeys(p, pObj);
    // One key per finding: the buckets of different keys are disjoint, so their merge has no duplicates.
    const candidates = keys.length === 1 ? (buckets.get(keys[0]!) ?? []) : keys.reduce<number[]>((acc, k) => mergeSorted(acc, buckets.get(k) ?? []), []);
    const out: number[] = [];
    for (const i of candidates) if (sameFactOf(findings[i]!, p, pObj, objectOfMemo)) out.push(i);
    return out;
  };
}

/** Two ascending index lists as one ascending list. */
function mergeSorted(a: number[], b: number[]): number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

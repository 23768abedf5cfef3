/**
 * How findings are presented: one group per object, and policy violations linked to the analysis findings
 * that observe the same fact. The verifier's analysis reports facts (CERT_EXPIRING: "expires in 15 days");
 * the policy reports the same fact as a violation of a rule the team wrote (POLICY_CERTIFICATE_EXPIRING:
 * "rule certificates-30-days"). A reviewer reads them together: the policy finding leads (the rule is the
 * reason), the analysis finding is shown under it as "same fact, observed by analysis". Pure.
 */
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.ts';
import { compareStrings } from '../model/object.ts';

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
  const pObj = objectOf(p.subject);
  switch (p.code) {
    case 'POLICY_CERTIFICATE_EXPIRING':
    case 'POLICY_CERTIFICATE_EXPIRED': {
      if (a.code !== 'CERT_EXPIRING' && a.code !== 'CERT_EXPIRED') return false;
      const secret = str(a.detail?.secret);
      const fpA = str(a.detail?.sha256Fingerprint);
      const fpP = str(p.detail?.sha256Fingerprint);
      const sameSecret = (secret !== undefined ? `Secret ${secret}` : objectOf(a.subject)) === pObj;
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
      if (a.code === 'UNCLASSIFIED_SERVICE') return objectOf(a.subject) === pObj;
      return false;
    }
    case 'POLICY_UNEXPECTED_CROSS_NAMESPACE': {
      if (a.code !== 'RefNotPermitted' && a.code !== 'EXPOSURE_CROSS_NAMESPACE_BACKEND') return false;
      const backend = stripPort(str(evidence(p).backend));
      return objectOf(a.subject) === pObj && backend !== undefined && new RegExp(`${backend.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`).test(a.message);
    }
    default:
      return false;
  }
}

export interface FindingLinks<F extends Finding> {
  /** For each finding index: indices of the policy findings that restate it as a rule violation. */
  restatedBy: Map<number, number[]>;
  /** For each policy finding index: indices of the analysis findings it restates. */
  restates: Map<number, number[]>;
  findings: F[];
}

/** The bucket keys under which analysis finding `a` can pair with a policy finding (see `policyFactKeys`). */
function analysisFactKeys(a: Finding): string[] {
  switch (a.code) {
    case 'CERT_EXPIRING':
    case 'CERT_EXPIRED': {
      const secret = str(a.detail?.secret);
      return [`cert\u0000${secret !== undefined ? `Secret ${secret}` : objectOf(a.subject)}`];
    }
    case 'EXPOSURE_PLAINTEXT_HOSTNAME':
      return [`tls\u0000Gateway ${str(a.detail?.gateway) ?? ''}`];
    case 'EXPOSURE_SERVICE_TYPE':
      return [`svc\u0000${String(str(a.detail?.route))}`];
    case 'UNCLASSIFIED_SERVICE':
      return [`unclassified\u0000${objectOf(a.subject)}`];
    case 'RefNotPermitted':
    case 'EXPOSURE_CROSS_NAMESPACE_BACKEND':
      return [`xns\u0000${objectOf(a.subject)}`];
    default:
      return []; // sameFact pairs no other code
  }
}

/** The bucket keys a policy finding's same-fact candidates are under: the object sameFact requires to be equal. */
function policyFactKeys(p: Finding): string[] {
  const pObj = objectOf(p.subject);
  switch (p.code) {
    case 'POLICY_CERTIFICATE_EXPIRING':
    case 'POLICY_CERTIFICATE_EXPIRED':
      return [`cert\u0000${pObj}`];
    case 'POLICY_TLS_REQUIRED':
      return [`tls\u0000${pObj}`];
    case 'POLICY_SERVICE_TYPE_NOT_ALLOWED':
      return [`svc\u0000${String(str(evidence(p).route))}`, `unclassified\u0000${pObj}`];
    case 'POLICY_UNEXPECTED_CROSS_NAMESPACE':
      return [`xns\u0000${pObj}`];
    default:
      return [];
  }
}

/**
 * Links every non-policy finding to the policy findings reporting the same fact. Non-policy findings are indexed
 * by the object key sameFact requires to match; each policy finding applies sameFact to its candidates only
 * (issue 13: every pair was compared before). The index only narrows: pairs and their order are those of the
 * full comparison.
 */
export function linkFindings<F extends Finding & { source: string }>(findings: F[]): FindingLinks<F> {
  const restatedBy = new Map<number, number[]>();
  const restates = new Map<number, number[]>();
  const buckets = new Map<string, number[]>();
  findings.forEach((a, ai) => {
    if (a.source === 'policy') return;
    for (const k of analysisFactKeys(a)) {
      const b = buckets.get(k);
      if (b) b.push(ai);
      else buckets.set(k, [ai]);
    }
  });
  findings.forEach((p, pi) => {
    if (p.source !== 'policy') return;
    const candidates = [...new Set(policyFactKeys(p).flatMap((k) => buckets.get(k) ?? []))].sort((x, y) => x - y);
    for (const ai of candidates) {
      if (!sameFact(findings[ai]!, p)) continue;
      const by = restatedBy.get(ai);
      if (by) by.push(pi);
      else restatedBy.set(ai, [pi]);
      const rs = restates.get(pi);
      if (rs) rs.push(ai);
      else restates.set(pi, [ai]);
    }
  });
  return { restatedBy, restates, findings };
}

export interface FindingGroup<F> {
  object: string;
  worst: Severity;
  /** Findings about this object, policy violations first, each followed by nothing else (see `restates`). */
  findings: F[];
}

/**
 * Groups findings by object (objectOf), worst severity first, then by object name. Within a group: policy
 * findings first (sorted by severity), then the other findings, in model order.
 */
export function groupFindings<F extends Finding & { object: string; source: string }>(findings: F[]): FindingGroup<F>[] {
  const groups = new Map<string, F[]>();
  for (const f of findings) {
    const g = groups.get(f.object);
    if (g) g.push(f);
    else groups.set(f.object, [f]);
  }
  const out: FindingGroup<F>[] = [...groups.entries()].map(([object, list]) => {
    const worst = list.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[w] ? f.severity : w), 'info');
    const sorted = [...list].sort(
      (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Number(b.source === 'policy') - Number(a.source === 'policy'),
    );
    return { object, worst, findings: sorted };
  });
  out.sort((a, b) => SEVERITY_RANK[a.worst] - SEVERITY_RANK[b.worst] || compareStrings(a.object === 'bundle' ? '' : a.object, b.object === 'bundle' ? '' : b.object));
  return out;
}

export interface PresentedItem<F> {
  finding: F;
  /** Analysis findings observing the same fact as this policy finding (shown under it, not on their own). */
  sameFact: F[];
}

export interface PresentedGroup<F> {
  object: string;
  worst: Severity;
  items: PresentedItem<F>[];
}

/**
 * The findings as a reviewer reads them: grouped by object (worst severity first); a finding that a policy
 * finding restates is not listed on its own but under that policy finding (`sameFact`), so one fact is one
 * entry whose reason is the policy rule. Nothing is dropped: every finding appears at least once.
 */
export function presentFindings<F extends Finding & { id: string; object: string; source: string; restatedBy?: string[]; restates?: string[] }>(findings: F[]): PresentedGroup<F>[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const primary = findings.filter((f) => !(f.restatedBy ?? []).some((id) => byId.has(id)));
  return groupFindings(primary).map((g) => ({
    object: g.object,
    worst: g.worst,
    items: g.findings.map((f) => ({ finding: f, sameFact: (f.restates ?? []).map((id) => byId.get(id)).filter((x): x is F => x !== undefined) })),
  }));
}

/** `policy rule <id>` for policy findings, else the source (`analysis`, `resolution`, ...). */
export function reasonOf(f: { source: string; rule?: string }): string {
  return f.source === 'policy' && f.rule ? `policy rule ${f.rule}` : f.source;
}

/** The message without the `policy rule <id>: ` prefix when the reason column already names the rule. */
export function messageBody(f: { message: string; rule?: string }): string {
  const prefix = f.rule !== undefined ? `policy rule ${f.rule}: ` : undefined;
  return prefix && f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message;
}

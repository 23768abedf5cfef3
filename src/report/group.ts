/**
 * How findings are presented: one group per object, and policy violations linked to the analysis findings
 * that observe the same fact. The verifier's analysis reports facts (CERT_EXPIRING: "expires in 15 days");
 * the policy reports the same fact as a violation of a rule the team wrote (POLICY_CERTIFICATE_EXPIRING:
 * "rule certificates-30-days"). A reviewer reads them together: the policy finding leads (the rule is the
 * reason), the analysis finding is shown under it as "same fact, observed by analysis". Pure.
 */
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.ts';
import { compareStrings } from '../model/object.ts';
import { sameFactIndex } from '../model/same-fact.ts';

// The rule and the index live in the model (shared with verify --policy, policy/verify-hook.ts).
export { objectOf, sameFact, subjectLabel } from '../model/same-fact.ts';

export interface FindingLinks<F extends Finding> {
  /** For each finding index: indices of the policy findings that restate it as a rule violation. */
  restatedBy: Map<number, number[]>;
  /** For each policy finding index: indices of the analysis findings it restates. */
  restates: Map<number, number[]>;
  findings: F[];
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
  // No policy finding (a report without --policy): nothing to link, and no index of the others to build.
  if (!findings.some((f) => f.source === 'policy')) return { restatedBy, restates, findings };
  const sameFactOf = sameFactIndex(findings, (a) => a.source !== 'policy');
  findings.forEach((p, pi) => {
    if (p.source !== 'policy') return;
    for (const ai of sameFactOf(p)) {
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

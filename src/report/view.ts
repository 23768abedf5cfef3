/**
 * Views of a report model for the CLI's kubectl-style flags (issue 10): a namespace/selector scope
 * (`-n`, `--exclude-namespace`, `-l`) and a severity floor (`--min-severity`). Pure; no decisions are made
 * here, only selection of what the model already holds.
 */
import type { KubeObject } from '../model/object.ts';
import { SEVERITY_RANK, type Severity } from '../model/finding.ts';
import { isScoped, namespaceInScope, objectInScope, subjectNamespace, type ObjectScope } from '../resolve/scope.ts';
import type { ReportFinding, ReportModel } from './model.ts';

function summaryOf(findings: readonly ReportFinding[]): ReportModel['summary'] {
  const bySource: Record<string, number> = {};
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
    bySource[f.source] = (bySource[f.source] ?? 0) + 1;
  }
  return { errors, warnings, infos, bySource };
}

/**
 * The part of a report in scope: Gateways, routing rows (by Gateway or route), services and certificates in
 * scope, and findings whose subject is in scope or names no namespace (bundle, signature and cluster-wide
 * findings always stay). The summary counts what is shown.
 */
export function scopeReportModel(m: ReportModel, objects: readonly KubeObject[], s: ObjectScope): ReportModel {
  if (!isScoped(s)) return m;
  const keep = new Set(objects.filter((o) => objectInScope(o, s)).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const has = (kind: string, nsName: string): boolean => keep.has(`${kind}/${nsName}`);
  const exists = new Set(s.selector ? objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`) : []);
  const findings = m.findings.filter((f) => {
    const ns = subjectNamespace(f.subject);
    if (ns === undefined) return true;
    if (!namespaceInScope(ns, s)) return false;
    const mm = /^([A-Za-z]+) ([^/\s]+\/[^/\s]+)/.exec(f.subject ?? '');
    if (!mm || !s.selector) return true;
    return !exists.has(`${mm[1]}/${mm[2]}`) || has(mm[1]!, mm[2]!);
  });
  return {
    ...m,
    gateways: m.gateways.filter((g) => has('Gateway', `${g.namespace}/${g.name}`)),
    routing: m.routing.filter((r) => has('Gateway', r.gateway) || has(r.route.kind, `${r.route.namespace}/${r.route.name}`)),
    services: m.services.filter((x) => namespaceInScope(x.namespace, s)),
    certificates: m.certificates.filter((c) => namespaceInScope(c.secret.split('/')[0] ?? '', s)),
    findings,
    summary: summaryOf(findings),
  };
}

/**
 * Routing rows in the order a reviewer should see them when not all fit: rows with findings, then invalid
 * backends, then public listeners, then the rest; model order within each. Pure, stable.
 */
export function reviewOrder<R extends { findings: readonly string[]; valid: boolean; public: boolean }>(rows: readonly R[]): R[] {
  const rank = (r: R): number => (r.findings.length > 0 ? 0 : !r.valid ? 1 : r.public ? 2 : 3);
  return rows.map((r, i) => ({ r, i, k: rank(r) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.r);
}

/** Findings at or above `min` (error > warning > info); the summary still counts every finding. */
export function minSeverityModel(m: ReportModel, min: Severity): ReportModel {
  return { ...m, findings: m.findings.filter((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[min]) };
}

/** Per finding code: severity and count, sorted by severity then code. */
export function findingCounts(findings: readonly { code: string; severity: Severity }[]): { code: string; severity: Severity; count: number }[] {
  const by = new Map<string, { code: string; severity: Severity; count: number }>();
  for (const f of findings) {
    const k = `${f.severity}|${f.code}`;
    const e = by.get(k) ?? { code: f.code, severity: f.severity, count: 0 };
    e.count++;
    by.set(k, e);
  }
  return [...by.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * `--summary` (sonobuoy `results` style): the verdict line, the counts by severity and by finding code.
 * Strings from the bundle are passed through `safe` (the caller's escaper for its output format).
 */
export function renderSummaryLines(
  headline: string,
  all: readonly { code: string; severity: Severity }[],
  shown: readonly { code: string; severity: Severity }[],
  safe: (s: string) => string,
): string[] {
  const total = (sev: Severity): number => all.filter((x) => x.severity === sev).length;
  const out = [safe(headline), `errors ${total('error')}, warnings ${total('warning')}, info ${total('info')}`];
  for (const x of findingCounts(shown)) out.push(`  ${x.severity.padEnd(7)} ${String(x.count).padStart(4)}  ${safe(x.code)}`);
  if (shown.length < all.length) out.push(`  (${all.length - shown.length} below --min-severity not listed)`);
  return out;
}

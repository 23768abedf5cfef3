/**
 * Audit cross-checks (issue 9). Pure.
 * Without a policy (analysis):
 *   AUDIT_HISTORY_MISMATCH    data/audit/history.json differs from what the events and objects give
 *   AUDIT_UNEXPLAINED_CHANGE  generation/resourceVersion changed since the previous bundle, no audit event
 *   AUDIT_WINDOW_GAP          the audit files do not cover the window [since, until]: its edges, or a hole between files
 * With a policy (`changeAuthors`, `ownershipKeys`):
 *   AUDIT_CHANGE_AUTHOR_UNEXPECTED  a successful change (not a status update) by an identity outside changeAuthors
 *   OWNERSHIP_KEY_MISSING           a Gateway API object (and its Namespace) carries none of the ownership keys
 */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, groupOf, refKey, refOf, type KubeObject } from '../model/object.ts';
import type { AuditUser, ChangeEntry, ReducedAuditEvent } from '../model/operational.ts';
import { canonicalize } from '../bundle/canonical.ts';
import { deriveHistory, succeeded } from './history.ts';
import { parseTime } from './reduce.ts';

/**
 * The longest stretch of the window without any audit event that is not a gap: at the window's edges and between
 * the spans of the files (docs/operational-record.md "Coverage rule").
 */
export const AUDIT_GAP_TOLERANCE_SECONDS = 300;

export function auditAnalysis(capture: Capture): Finding[] {
  const audit = capture.evidence?.audit;
  const rec = capture.record.audit;
  if (!audit || !rec) return [];
  const findings: Finding[] = [];
  const stored = audit.history;
  const derived = deriveHistory(audit.events, capture.snapshot.objects);
  if (canonicalize(derived.objects) !== canonicalize(stored.objects ?? null) || canonicalize(derived.owners) !== canonicalize(stored.owners ?? null)) {
    findings.push({ code: 'AUDIT_HISTORY_MISMATCH', severity: 'error', subject: 'data/audit/history.json', message: 'data/audit/history.json: expected the change history and owners recomputed from data/audit/events.json and the objects, found different content' });
  }
  for (const u of stored.unexplained ?? []) {
    findings.push({
      code: 'AUDIT_UNEXPLAINED_CHANGE',
      severity: 'error',
      subject: u.ref,
      message: `${u.ref}: metadata.${u.field} changed from ${u.old} to ${u.new} since ${stored.previousBundle?.bundleId ?? 'the previous bundle'}, but the audit logs hold no change of it in the window`,
      detail: { ...u, ...(stored.previousBundle ? { previousBundle: stored.previousBundle } : {}) },
    });
  }
  findings.push(...windowGaps(rec.since, rec.until, rec.files));
  return findings;
}

/**
 * Where the audit files leave the window [since, until] uncovered (AUDIT_WINDOW_GAP, with the hole's bounds).
 * Each file covers [first, last], its earliest and latest requestReceivedTimestamp. The union of those intervals,
 * where two intervals closer than the tolerance join, must reach from `since` to `until`: an uncovered stretch
 * longer than AUDIT_GAP_TOLERANCE_SECONDS at the start, at the end, or between consecutive events across file
 * boundaries (rotated files 00:00-06:00 and 12:00-24:00 leave 06:00-12:00) is a gap. Overlapping files (several
 * API servers, duplicated rotations) cover each other. A hole inside one file (between two consecutive events of
 * the same file) is not detected: a file is taken to cover its span (docs/operational-record.md).
 */
export function windowGaps(since: string | undefined, until: string, files: ReadonlyArray<{ name: string; first?: string; last?: string }>): Finding[] {
  const tol = AUDIT_GAP_TOLERANCE_SECONDS * 1000;
  const window = `${since ?? '(no start)'} .. ${until}`;
  const spans: { from: number; to: number; first: string; last: string; name: string }[] = [];
  for (const f of files) {
    const a = parseTime(f.first);
    const b = parseTime(f.last);
    if (a !== undefined && b !== undefined && b >= a) spans.push({ from: a, to: b, first: f.first!, last: f.last!, name: f.name });
  }
  if (spans.length === 0) {
    return [{ code: 'AUDIT_WINDOW_GAP', severity: 'warning', subject: 'audit', message: `audit window ${window}: expected audit events covering it, found no timestamped event in ${files.length} file(s)` }];
  }
  spans.sort((x, y) => x.from - y.from || x.to - y.to);
  // Merge: a span that starts within the tolerance of the covered end joins it.
  const merged: { from: number; to: number; first: string; last: string; lastFile: string }[] = [];
  for (const s of spans) {
    const m = merged[merged.length - 1];
    if (m && s.from - m.to <= tol) {
      if (s.to > m.to) Object.assign(m, { to: s.to, last: s.last, lastFile: s.name });
    } else merged.push({ from: s.from, to: s.to, first: s.first, last: s.last, lastFile: s.name });
  }
  const out: Finding[] = [];
  const iso = (t: number): string => new Date(t).toISOString().replace(/\.000Z$/, 'Z');
  const s = parseTime(since);
  const u = parseTime(until);
  const first = merged[0]!;
  const last = merged[merged.length - 1]!;
  if (s !== undefined && first.from - s > tol) out.push({ code: 'AUDIT_WINDOW_GAP', severity: 'warning', subject: 'audit', message: `audit window ${window}: the audit files start at ${iso(first.from)}; ${since} .. ${iso(first.from)} is not covered`, detail: { from: since, to: iso(first.from), where: 'start' } });
  for (let i = 1; i < merged.length; i++) {
    const before = merged[i - 1]!;
    const after = merged[i]!;
    // Only the part of the hole inside the window counts.
    const from = s !== undefined ? Math.max(before.to, s) : before.to;
    const to = u !== undefined ? Math.min(after.from, u) : after.from;
    if (to - from <= tol) continue;
    const minutes = Math.round((to - from) / 60000);
    out.push({
      code: 'AUDIT_WINDOW_GAP',
      severity: 'warning',
      subject: 'audit',
      message: `audit window ${window}: no audit event between ${iso(from)} and ${iso(to)} (${minutes} min, over the ${AUDIT_GAP_TOLERANCE_SECONDS / 60}-minute tolerance) in any of the ${files.length} file(s): the last event before is in ${before.lastFile}, the next one after starts a file; that stretch is not covered`,
      detail: { from: iso(from), to: iso(to), where: 'interior', seconds: Math.round((to - from) / 1000) },
    });
  }
  if (u !== undefined && u - last.to > tol) out.push({ code: 'AUDIT_WINDOW_GAP', severity: 'warning', subject: 'audit', message: `audit window ${window}: the audit files end at ${iso(last.to)}; ${iso(last.to)} .. ${until} is not covered`, detail: { from: iso(last.to), to: until, where: 'end' } });
  return out;
}

/** `*` globs; `group:NAME` matches a group of the user. */
export function authorAllowed(user: AuditUser, patterns: readonly string[]): boolean {
  const glob = (p: string, v: string): boolean => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(v);
  return patterns.some((p) => (p.startsWith('group:') ? (user.groups ?? []).some((g) => glob(p.slice(6), g)) : glob(p, user.username)));
}

export interface OperationalPolicy {
  changeAuthors?: string[];
  ownershipKeys?: string[];
}

const OWNED_GROUPS = new Set([GATEWAY_GROUP, GATEWAY_X_GROUP]);

export function auditPolicyFindings(capture: Capture, policy: OperationalPolicy): Finding[] {
  const findings: Finding[] = [];
  const events = capture.evidence?.audit?.events ?? [];
  if (policy.changeAuthors) {
    for (const e of events as ReducedAuditEvent[]) {
      const c: ChangeEntry = { time: e.requestReceivedTimestamp, verb: e.verb, user: e.user.username, auditID: e.auditID, ...(e.responseStatus ? { code: e.responseStatus.code } : {}) };
      if (e.objectRef.subresource === 'status' || !succeeded(c) || authorAllowed(e.user, policy.changeAuthors)) continue;
      const r = e.objectRef;
      const subject = `${r.resource}${r.apiGroup ? `.${r.apiGroup}` : ''}/${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '(unnamed)'}`;
      findings.push({
        code: 'AUDIT_CHANGE_AUTHOR_UNEXPECTED',
        severity: 'error',
        subject,
        message: `${subject}: ${e.verb} at ${e.requestReceivedTimestamp} by ${e.user.username}${e.impersonatedUser ? ` (as ${e.impersonatedUser.username})` : ''}; expected a change author matching the policy's changeAuthors (${policy.changeAuthors.join(', ')})`,
        detail: { auditID: e.auditID, user: e.user.username, verb: e.verb, time: e.requestReceivedTimestamp },
      });
    }
  }
  if (policy.ownershipKeys && policy.ownershipKeys.length > 0) {
    const keys = policy.ownershipKeys;
    const namespaces = new Map<string, KubeObject>();
    for (const o of capture.snapshot.objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.metadata.name, o);
    const has = (o: KubeObject | undefined): boolean => o !== undefined && keys.some((k) => o.metadata.labels?.[k] !== undefined || o.metadata.annotations?.[k] !== undefined);
    for (const o of capture.snapshot.objects) {
      if (!OWNED_GROUPS.has(groupOf(o.apiVersion)) || o.kind === 'GatewayClass') continue;
      if (has(o) || has(namespaces.get(o.metadata.namespace ?? ''))) continue;
      const ref = refKey(refOf(o));
      findings.push({ code: 'OWNERSHIP_KEY_MISSING', severity: 'warning', subject: ref, message: `${ref}: expected one of the ownership keys ${keys.join(', ')} as a label or annotation on it or its Namespace, found none` });
    }
  }
  return findings;
}

/** Owners of an object for reports: ownerReferences, field managers, and the values of the ownership keys. */
export function ownershipValues(o: KubeObject, keys: readonly string[], ns?: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = o.metadata.labels?.[k] ?? o.metadata.annotations?.[k] ?? ns?.metadata.labels?.[k] ?? ns?.metadata.annotations?.[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

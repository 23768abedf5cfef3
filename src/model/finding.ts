/** Findings are data: collected, never thrown (gwctl NodeMetadata.Errors; envoy MultiStatusError). */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** SCREAMING_SNAKE code, or a Gateway API condition reason where one exists (e.g. RefNotPermitted). */
  code: string;
  severity: Severity;
  /** The object (refKey form or `Kind ns/name`) or bundle path the finding is about. */
  subject?: string;
  /** Lower-case message saying what was expected and what was found. */
  message: string;
  detail?: Record<string, unknown>;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The one finding order used in every output: severity, code, subject, message (bytewise). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    cmp(a.code, b.code) ||
    cmp(a.subject ?? '', b.subject ?? '') ||
    cmp(a.message, b.message)
  );
}

/** A sorted copy (compareFindings); the input is not changed. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

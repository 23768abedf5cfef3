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

/**
 * A Capture built from YAML text, for analysis tests (no bundle, no signature): the drift regressions, the drift
 * classification and the analysis unit tests share it.
 */
import { parseAllDocuments } from 'yaml';
import type { Capture, KubeObject } from '../../src/model/index.ts';

/**
 * @param kindsPresent the record's kindsPresent (a capture from files that held only these kinds); omitted = every
 *   kind present, as a live capture or an older bundle
 * @param capturedAt the record's capture time
 */
export function captureOf(text: string, kindsPresent?: string[], capturedAt = '2026-06-01T00:00:00Z'): Capture {
  const objects = parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);
  return {
    snapshot: { objects, conformanceReports: [] },
    record: {
      tool: { name: 'gateway-evidence', version: '0.1.0' },
      capturedAt,
      mode: 'files',
      cluster: {},
      scope: {},
      sources: [],
      counts: {},
      skipped: {},
      gaps: [],
      warnings: [],
      partial: false,
      ...(kindsPresent ? { kindsPresent } : {}),
    },
  };
}

/** A True condition as the controller records it for generation 1. */
export const ok = (type: string, reason = type) => ({ type, status: 'True', reason, observedGeneration: 1 });

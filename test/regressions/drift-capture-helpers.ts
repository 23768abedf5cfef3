/** A Capture from YAML text for the drift regressions (analysis only: no bundle, no signature). */
import { parseAllDocuments } from 'yaml';
import type { Capture, KubeObject } from '../../src/model/index.ts';

export function captureOf(text: string, kindsPresent?: string[]): Capture {
  const objects = parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);
  return {
    snapshot: { objects, conformanceReports: [] },
    record: {
      tool: { name: 'gateway-evidence', version: '0.1.0' },
      capturedAt: '2026-06-01T00:00:00Z',
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

export const ok = (type: string, reason = type) => ({ type, status: 'True', reason, observedGeneration: 1 });

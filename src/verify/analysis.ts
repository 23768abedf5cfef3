/**
 * The verifier's analysis of a capture (pure: no I/O, never reads the clock; the only time is
 * `record.capturedAt`). Runs after integrity and signature checks pass:
 *  1. recompute resolution from the captured objects and compare it with the recorded status (drift.ts),
 *  2. exposure from the recomputed routing table (exposure.ts),
 *  3. cross-checks: certificates vs listener hostnames and capture time, GatewayClass supportedFeatures vs the
 *     captured ConformanceReport, CRD bundle-version vs the report's gatewayAPIVersion (crosscheck.ts).
 */
import type { Capture } from '../model/collection.ts';
import { sortFindings, type Finding } from '../model/finding.ts';
import { resolve } from '../resolve/index.ts';
import type { AttachedRoutesSemantics, Resolution, ResolveOptions } from '../resolve/types.ts';
import { certificateCrosschecks, conformanceCrosschecks } from './crosscheck.ts';
import { compareStatus, driftFindings, type DriftEntry, type DriftState } from './drift.ts';
import { analyzeExposure, type ExposureSummary } from './exposure.ts';

export const DEFAULT_EXPIRY_WINDOW_DAYS = 30;

export interface AnalysisOptions {
  /** Certificates expiring within this many days of capture are reported (default 30). */
  expiryWindowDays?: number;
  /** attachedRoutes counting; default: from the captured CRD bundle-version (see resolve()). */
  attachedRoutesSemantics?: AttachedRoutesSemantics;
  /** Features the simulated controller claims; default: the engine's SUPPORTED_FEATURES. */
  features?: readonly string[];
}

export interface AnalysisResult {
  /** Sorted by severity, code, subject, message. */
  findings: Finding[];
  /** Every compared object/condition with its state (agree, disagree, recorded-missing, stale). */
  drift: DriftEntry[];
  /** Count of drift entries per state. */
  driftSummary: Record<DriftState, number>;
  exposure: ExposureSummary;
  /** The recomputed resolution the comparison used. */
  resolution: Resolution;
}


/**
 * Recomputes resolution from `capture.snapshot.objects` and compares it with the recorded status; adds exposure
 * and cross-check findings. Never throws for content problems: they are findings.
 */
export function analyzeCapture(capture: Capture, options: AnalysisOptions = {}): AnalysisResult {
  const objects = capture.snapshot.objects;
  const resolveOptions: ResolveOptions = {};
  if (options.attachedRoutesSemantics) resolveOptions.attachedRoutesSemantics = options.attachedRoutesSemantics;
  if (options.features) resolveOptions.features = options.features;
  const resolution = resolve(objects, resolveOptions);

  const drift = compareStatus(objects, resolution);
  const driftSummary: Record<DriftState, number> = { agree: 0, disagree: 0, 'recorded-missing': 0, stale: 0 };
  for (const d of drift) driftSummary[d.state]++;

  const exposure = analyzeExposure(resolution, objects);
  const window = options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;

  const findings = sortFindings([
    ...resolution.findings,
    ...driftFindings(drift),
    ...exposure.findings,
    ...certificateCrosschecks(resolution, capture.record.capturedAt, window),
    ...conformanceCrosschecks(objects, capture.snapshot.conformanceReports),
  ]);
  return { findings, drift, driftSummary, exposure: exposure.summary, resolution };
}

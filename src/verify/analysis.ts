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
import type { Semantics } from '../resolve/profiles.ts';
import { capturedBundleVersion } from '../resolve/semantics.ts';
import { certificateCrosschecks, conformanceCrosschecks } from './crosscheck.ts';
import { DRIFT_STATES, driftFindings, type DriftEntry, type DriftState } from './drift.ts';
import { classifyDrift, describeSwitch, PROFILE_SWITCH_CODE } from './drift-classify.ts';
import { captureIncompleteFindings, effectiveKindsPresent, otherControllerParents } from './capture-facts.ts';
import { analyzeExposure, type ExposureSummary } from './exposure.ts';
import { operationalFindings } from './operational.ts';

export const DEFAULT_EXPIRY_WINDOW_DAYS = 30;

export interface AnalysisOptions {
  /** Certificates expiring within this many days of capture are reported (default 30). */
  expiryWindowDays?: number;
  /** attachedRoutes counting; default: from the captured CRD bundle-version (see resolve()). */
  attachedRoutesSemantics?: AttachedRoutesSemantics;
  /** Features the simulated controller claims; default: the engine's SUPPORTED_FEATURES. */
  features?: readonly string[];
  /**
   * The second recomputation's semantics (default `auto`: each GatewayClass by its controllerName). The status is
   * always also recomputed in `spec`; a disagreement that the profile predicts is a known controller departure.
   * `spec` makes one recomputation only.
   */
  semantics?: Semantics;
}

export interface AnalysisResult {
  /** Sorted by severity, code, subject, message. */
  findings: Finding[];
  /** Every compared object/condition with its state (DRIFT_STATES in drift.ts). */
  drift: DriftEntry[];
  /** Count of drift entries per state. */
  driftSummary: Record<DriftState, number>;
  exposure: ExposureSummary;
  /**
   * The recomputed resolution in the capturing controller's profile (`auto`; = the spec one when no profile
   * applies): the routing table, exposure and resolution findings come from it, as that controller serves traffic.
   */
  resolution: Resolution;
  /** The recomputed resolution in `spec` semantics: the baseline every drift entry is compared with. */
  specResolution: Resolution;
}


/**
 * Recomputes resolution from `capture.snapshot.objects` and compares it with the recorded status; adds exposure
 * and cross-check findings. Never throws for content problems: they are findings.
 */
export function analyzeCapture(capture: Capture, options: AnalysisOptions = {}): AnalysisResult {
  const objects = capture.snapshot.objects;
  const base: ResolveOptions = {};
  if (options.attachedRoutesSemantics) base.attachedRoutesSemantics = options.attachedRoutesSemantics;
  if (options.features) base.features = options.features;
  // Missing is not absent: a kind the files capture did not hold at all makes references to it unknown.
  const kindsPresent = effectiveKindsPresent(capture);
  if (kindsPresent) base.kindsPresent = kindsPresent;
  const specResolution = resolve(objects, { ...base, semantics: 'spec' });
  const semantics = options.semantics ?? 'auto';
  const profiled = semantics === 'spec' ? specResolution : resolve(objects, { ...base, semantics });
  // Same predictions in both: use one object, so the classification compares once.
  const usesProfile = profiled.gateways.some((g) => g.semantics !== undefined && g.semantics !== 'spec') || profiled.gatewayClasses.some((c) => c.semantics !== undefined && c.semantics !== 'spec');
  const resolution = usesProfile ? profiled : specResolution;

  const bundleVersion = capturedBundleVersion(objects);
  const drift = classifyDrift(objects, specResolution, resolution, { ...(bundleVersion !== undefined ? { bundleVersion } : {}), ...(kindsPresent ? { kindsPresent } : {}) });
  const driftSummary = Object.fromEntries(DRIFT_STATES.map((s) => [s, 0])) as Record<DriftState, number>;
  for (const d of drift) driftSummary[d.state]++;

  const exposure = analyzeExposure(resolution, objects);
  const window = options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const others = otherControllerParents(objects, resolution);

  const findings = sortFindings([
    ...resolution.findings.filter((f) => f.code !== PROFILE_SWITCH_CODE && !others.replaces(f)),
    ...others.findings,
    ...driftFindings(drift, describeSwitch),
    ...captureIncompleteFindings(objects, capture, driftSummary['unknown-offline']),
    ...exposure.findings,
    ...certificateCrosschecks(resolution, capture.record.capturedAt, window),
    ...conformanceCrosschecks(objects, capture.snapshot.conformanceReports),
    ...operationalFindings(capture, resolution),
  ]);
  return { findings, drift, driftSummary, exposure: exposure.summary, resolution, specResolution };
}

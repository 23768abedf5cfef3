/**
 * The verifier's analysis of a capture (pure: no I/O, never reads the clock; the only time is
 * `record.capturedAt`). Runs after integrity and signature checks pass:
 *  1. recompute resolution from the captured objects and compare it with the recorded status (drift.ts),
 *  2. exposure from the recomputed routing table (exposure.ts),
 *  3. cross-checks: certificates vs listener hostnames and capture time, GatewayClass supportedFeatures vs the
 *     captured ConformanceReport, CRD bundle-version vs the report's gatewayAPIVersion (crosscheck.ts).
 */
import type { Capture } from '../model/collection.ts';
import type { KubeObject } from '../model/object.ts';
import { sortFindings, type Finding } from '../model/finding.ts';
import { resolve } from '../resolve/index.ts';
import type { AttachedRoutesSemantics, Resolution, ResolveOptions } from '../resolve/types.ts';
import { profileFor, type Semantics } from '../resolve/profiles.ts';
import { capturedBundleVersion } from '../resolve/semantics.ts';
import { certificateCrosschecks, conformanceCrosschecks } from './crosscheck.ts';
import { DRIFT_STATES, driftFindings, type DriftEntry, type DriftState } from './drift.ts';
import { classifyDrift, describeSwitch, PROFILE_SWITCH_CODE } from './drift-classify.ts';
import { captureIncompleteFindings, effectiveKindsPresent, otherControllerParents } from './capture-facts.ts';
import { analyzeExposure, SERVICE_TYPES, type ExposureSummary } from './exposure.ts';
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
  /**
   * True when `specResolution` is exactly what `resolve(objects, { semantics: 'spec' })` (with this analysis'
   * features and attachedRoutes options) gives without `kindsPresent`: it resolved, and no lookup fell on a kind
   * the capture did not hold. The report then uses it instead of resolving the capture once more (issue 13).
   */
  specSameWithoutKindsPresent: boolean;
}


/** The analysis stages, in order; a failure in one is reported and the others still run. */
export const ANALYSIS_STAGES = ['resolution', 'drift', 'exposure', 'certificates', 'conformance', 'operational'] as const;
export type AnalysisStage = (typeof ANALYSIS_STAGES)[number];

const emptyResolution = (): Resolution => ({ gatewayClasses: [], gateways: [], routes: [], routing: [], findings: [] });

function stageFailed(stage: AnalysisStage, e: unknown, skipped: readonly AnalysisStage[] = []): Finding {
  const why = e instanceof Error ? e.message : String(e);
  const rest = skipped.length > 0 ? `; ${skipped.join(', ')} could not run without it` : '; the other stages ran';
  return {
    code: 'ANALYSIS_FAILED',
    severity: 'error',
    subject: `analysis: ${stage}`,
    message: `expected the ${stage} stage of the analysis to complete, found an internal error: ${why}${rest}`,
    detail: { stage, ...(skipped.length > 0 ? { skipped: [...skipped] } : {}) },
  };
}

/**
 * Resolution that never throws: on an internal error, an empty resolution and the ANALYSIS_FAILED finding that
 * says so (report, diff and inspect use it; a bug or an odd object must not turn a report into a crash).
 */
export function resolveSafely(objects: readonly KubeObject[], options: ResolveOptions = {}, skipped: readonly AnalysisStage[] = []): { resolution: Resolution; failure?: Finding } {
  try {
    return { resolution: resolve(objects as KubeObject[], options) };
  } catch (e) {
    return { resolution: emptyResolution(), failure: stageFailed('resolution', e, skipped) };
  }
}

/**
 * Recomputes resolution from `capture.snapshot.objects` and compares it with the recorded status; adds exposure
 * and cross-check findings. Never throws: content problems are findings, and each stage runs on its own, so an
 * internal error in one stage is one ANALYSIS_FAILED finding naming it while every other stage still reports
 * (issue 8 item 10). The stages that need the recomputed resolution are skipped when it fails.
 */
export function analyzeCapture(capture: Capture, options: AnalysisOptions = {}): AnalysisResult {
  const objects = capture.snapshot.objects;
  const base: ResolveOptions = {};
  if (options.attachedRoutesSemantics) base.attachedRoutesSemantics = options.attachedRoutesSemantics;
  if (options.features) base.features = options.features;
  const failures: Finding[] = [];
  const stage = <T>(name: AnalysisStage, run: () => T, fallback: T): T => {
    try {
      return run();
    } catch (e) {
      failures.push(stageFailed(name, e));
      return fallback;
    }
  };
  // Missing is not absent: a kind the files capture did not hold at all makes references to it unknown.
  const kindsPresent = stage('resolution', () => effectiveKindsPresent(capture), undefined);
  if (kindsPresent) base.kindsPresent = kindsPresent;
  const dependents: AnalysisStage[] = ['drift', 'exposure', 'certificates', 'operational'];
  let kindsMattered = false;
  const spec = resolveSafely(objects, { ...base, semantics: 'spec', onKindNotCaptured: () => (kindsMattered = true) }, dependents);
  const semantics = options.semantics ?? 'auto';
  // The semantics only reach the engine through each GatewayClass's profile (resolve/classes.ts profileFor); when
  // every class of the spec resolution would get `spec` under `semantics` too, the second recomputation would be
  // the spec one again, so it is not made (issue 13: one resolution for a capture with no profiled controller).
  const anyProfiled = spec.resolution.gatewayClasses.some((c) => profileFor(semantics, c.controllerName) !== 'spec');
  const prof = semantics === 'spec' || spec.failure || !anyProfiled ? spec : resolveSafely(objects, { ...base, semantics }, dependents);
  const failure = spec.failure ?? prof.failure;
  if (failure) failures.push(failure);
  const specResolution = spec.failure ? emptyResolution() : spec.resolution;
  const profiled = failure ? specResolution : prof.resolution;
  // Same predictions in both: use one object, so the classification compares once.
  const usesProfile = profiled.gateways.some((g) => g.semantics !== undefined && g.semantics !== 'spec') || profiled.gatewayClasses.some((c) => c.semantics !== undefined && c.semantics !== 'spec');
  const resolution = usesProfile ? profiled : specResolution;
  // Stages that need the recomputed resolution are skipped when it failed (the failure says which).
  const after = <T>(name: AnalysisStage, run: () => T, fallback: T): T => (failure ? fallback : stage(name, run, fallback));

  const bundleVersion = stage('drift', () => capturedBundleVersion(objects), undefined);
  const drift = after('drift', () => classifyDrift(objects, specResolution, resolution, { ...(bundleVersion !== undefined ? { bundleVersion } : {}), ...(kindsPresent ? { kindsPresent } : {}) }), [] as DriftEntry[]);
  const driftSummary = Object.fromEntries(DRIFT_STATES.map((s) => [s, 0])) as Record<DriftState, number>;
  for (const d of drift) driftSummary[d.state]++;
  const driftList = after('drift', () => {
    const others = otherControllerParents(objects, resolution);
    return [
      ...resolution.findings.filter((f) => f.code !== PROFILE_SWITCH_CODE && !others.replaces(f)),
      ...others.findings,
      ...driftFindings(drift, describeSwitch),
      ...captureIncompleteFindings(objects, capture, driftSummary['unknown-offline'], kindsPresent),
    ];
  }, [] as Finding[]);

  const exposure = after('exposure', () => analyzeExposure(resolution, objects), { findings: [] as Finding[], summary: emptyExposure() });
  const window = options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const certificates = after('certificates', () => certificateCrosschecks(resolution, capture.record.capturedAt, window), [] as Finding[]);
  const conformance = stage('conformance', () => conformanceCrosschecks(objects, capture.snapshot.conformanceReports), [] as Finding[]);

  const operational = after('operational', () => operationalFindings(capture, resolution), [] as Finding[]);

  const findings = sortFindings([...driftList, ...exposure.findings, ...certificates, ...conformance, ...operational, ...failures]);
  return { findings, drift, driftSummary, exposure: exposure.summary, resolution, specResolution, specSameWithoutKindsPresent: !spec.failure && !kindsMattered };
}

function emptyExposure(): ExposureSummary {
  return { paths: [], redirects: [], servicesByType: Object.fromEntries([...SERVICE_TYPES, 'unclassified'].map((t) => [t, [] as string[]])) as unknown as ExposureSummary['servicesByType'] };
}

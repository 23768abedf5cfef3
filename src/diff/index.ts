/**
 * `diffCaptures(old, new, opts)`: what changed between two captures, by meaning (issue 5, "Diff").
 * Pure: no I/O, no clock (the expiry window is measured from the new capture time).
 */
import { scopeLabel } from '../report/model.ts';
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import type { Resolution, RoutingBackend } from '../resolve/types.ts';
import { resolve as resolveObjects } from '../resolve/index.ts';
import { analyzeCapture, type AnalysisResult } from '../verify/analysis.ts';
import { classifyBackend } from '../policy/service-type.ts';
import type { Policy } from '../policy/types.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import { diffObjects } from './objects.ts';
import { listMemo } from './memo.ts';
import { diffRouting, type ServiceTypeOf } from './routing.ts';
import { diffAllowedNamespaces } from './namespaces.ts';
import { diffGrants } from './grants.ts';
import { diffCertificates } from './certificates.ts';
import { diffFindings } from './findings.ts';
import { diffControllers } from './controllers.ts';
import { DIFF_SCHEMA_VERSION, type BundleDiff, type DiffSide, type ObjectAuthors, type ObjectsDiff } from './types.ts';
import { rfc3339Ms } from '../model/time.ts';

export * from './types.ts';

export interface DiffOptions {
  /** Certificates expiring within this many days of the new capture time are listed (default 30). */
  expiryWindowDays?: number;
  /** Policy whose serviceTypes rules classify backends (else labels/annotations only). */
  policy?: Policy;
  /** Extra dotted paths the object diff ignores (see objects.ts DEFAULT_IGNORED_PATHS). */
  ignorePaths?: readonly string[];
  /** Bundle-level facts for each side (name, bundle id, format version); the rest comes from the record. */
  oldSide?: Partial<Pick<DiffSide, 'name' | 'bundleId' | 'formatVersion' | 'integrity' | 'signatures' | 'trust'>>;
  newSide?: Partial<Pick<DiffSide, 'name' | 'bundleId' | 'formatVersion' | 'integrity' | 'signatures' | 'trust'>>;
  /** Injection points; default: the resolution engine, and the verifier analysis plus the policy (when given). */
  resolve?: (objects: KubeObject[]) => Resolution;
  analyze?: (capture: Capture, resolution: Resolution) => Finding[];
  /**
   * The analysis of a capture already made with this diff's expiry window (analyzeCapture(c, {expiryWindowDays})),
   * or undefined: a chain verifies each bundle and diffs each pair, and analyses each capture once (issue 13).
   */
  analysisOf?: (capture: Capture) => AnalysisResult | undefined;
  /**
   * The object diff of these two captures already made with the default ignores (`diffObjects(old, new)`, the diff
   * a chain link's approvals sign), or undefined; not used with `ignorePaths`. A chain compares each pair once.
   */
  objects?: ObjectsDiff;
}

export const DEFAULT_EXPIRY_WINDOW_DAYS = 30;

function side(c: Capture, extra: DiffOptions['oldSide']): DiffSide {
  const s: DiffSide = { capturedAt: c.record.capturedAt, scope: scopeLabel(c.record.scope), partial: c.record.partial, objects: c.snapshot.objects.length };
  if (extra?.name !== undefined) s.name = extra.name;
  if (extra?.bundleId !== undefined) s.bundleId = extra.bundleId;
  if (extra?.formatVersion !== undefined) s.formatVersion = extra.formatVersion;
  if (extra?.integrity !== undefined) s.integrity = extra.integrity;
  if (extra?.signatures !== undefined) s.signatures = extra.signatures;
  if (extra?.trust !== undefined) s.trust = extra.trust;
  return s;
}

/** Service type of a resolved backend from the capture it came from (policy rules, then labels/annotations). */
export function serviceTypeClassifier(objects: readonly KubeObject[], policy?: Policy): ServiceTypeOf {
  const namespaces = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'Namespace' && groupOf(o.apiVersion) === '') namespaces.set(o.metadata.name, o);
  const byRef = new Map<string, KubeObject>();
  for (const o of objects) byRef.set(`${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  return (b: RoutingBackend): string => {
    const obj = byRef.get(`${b.group}/${b.kind}/${b.namespace}/${b.name}`);
    const labels = b.service?.labels ?? obj?.metadata.labels;
    const annotations = b.service?.annotations ?? obj?.metadata.annotations;
    const id = { group: b.group, kind: b.kind, namespace: b.namespace, name: b.name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
    return classifyBackend(id, namespaces.get(b.namespace), policy).type;
  };
}

/**
 * serviceTypeClassifier, one per objects list read from a bundle (memo.ts) and policy: a chain diffs each capture
 * twice (with the one before and the one after it), and the same classifier lets diffRouting reuse the capture's
 * routing table (issue 13).
 */
const classifiersOf = listMemo(() => new Map<Policy | undefined, ServiceTypeOf>());
function classifierOf(objects: readonly KubeObject[], policy: Policy | undefined): ServiceTypeOf {
  const byPolicy = classifiersOf(objects);
  let c = byPolicy.get(policy);
  if (!c) byPolicy.set(policy, (c = serviceTypeClassifier(objects, policy)));
  return c;
}

/**
 * Compares two captures.
 * @param oldC the earlier capture
 * @param newC the later capture
 * @returns a BundleDiff (schemas/diff.schema.json); never throws for content problems
 * @example
 *   const d = diffCaptures(q1.capture, q2.capture, { oldSide: { bundleId: q1.bundleId } });
 *   d.routing.weightShifts[0]; // { hostname: 'chat.example.com', backend: 'models/llm-v1', oldPercent: 90, newPercent: 50, ... }
 */
export function diffCaptures(oldC: Capture, newC: Capture, opts: DiffOptions = {}): BundleDiff {
  const window = opts.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const oldObjs = oldC.snapshot.objects;
  const newObjs = newC.snapshot.objects;
  const policyFindings = (c: Capture, r: Resolution): Finding[] => (opts.policy ? evaluatePolicy({ capture: c, resolution: r }, opts.policy) : []);
  // Default: one analysis per side; its recomputed resolution is the routing the diff compares.
  const study = (c: Capture): { resolution: Resolution; findings: Finding[] } => {
    if (opts.resolve === undefined && opts.analyze === undefined) {
      const a = opts.analysisOf?.(c) ?? analyzeCapture(c, { expiryWindowDays: window });
      return { resolution: a.resolution, findings: [...a.findings, ...policyFindings(c, a.resolution)] };
    }
    const resolution = (opts.resolve ?? ((objects: KubeObject[]) => resolveObjects(objects)))([...c.snapshot.objects]);
    const findings = opts.analyze ? opts.analyze(c, resolution) : [...analyzeCapture(c, { expiryWindowDays: window }).findings, ...policyFindings(c, resolution)];
    return { resolution, findings };
  };
  const oldStudy = study(oldC);
  const newStudy = study(newC);

  const objects = opts.objects && !opts.ignorePaths ? opts.objects : diffObjects(oldObjs, newObjs, opts.ignorePaths ? { ignorePaths: opts.ignorePaths } : {});
  // Each side is classified with its own objects: a label change on a Service moves it to another type.
  const oldType = classifierOf(oldObjs, opts.policy);
  const newType = classifierOf(newObjs, opts.policy);
  const routing = diffRouting(oldStudy.resolution, newStudy.resolution, oldType, newType);
  const listeners = diffAllowedNamespaces(oldObjs, newObjs);
  const grants = diffGrants(oldObjs, newObjs);
  const certificates = diffCertificates(oldObjs, newObjs, newC.record.capturedAt, window);
  const findings = diffFindings(oldStudy.findings, newStudy.findings);
  const controllers = diffControllers(oldC, newC);

  const notes: string[] = [];
  if (oldC.record.partial) notes.push('the old capture is partial: objects missing from it may show as added');
  if (newC.record.partial) notes.push('the new capture is partial: objects missing from it may show as removed');
  const oc = oldC.record.cluster;
  const nc = newC.record.cluster;
  if ((oc.uid && nc.uid && oc.uid !== nc.uid) || (!(oc.uid && nc.uid) && oc.name && nc.name && oc.name !== nc.name)) {
    notes.push(`the captures are of different clusters (${oc.name ?? oc.uid} and ${nc.name ?? nc.uid})`);
  }
  const ot = rfc3339Ms(oldC.record.capturedAt) ?? NaN;
  const nt = rfc3339Ms(newC.record.capturedAt) ?? NaN;
  if (!Number.isNaN(ot) && !Number.isNaN(nt) && nt <= ot) {
    notes.push(`the new capture (${newC.record.capturedAt}) is not later than the old one (${oldC.record.capturedAt})`);
  }

  const authors = changeAuthors(newC, objects);
  const diff: BundleDiff = {
    schemaVersion: DIFF_SCHEMA_VERSION,
    old: side(oldC, opts.oldSide),
    new: side(newC, opts.newSide),
    summary: {
      objectsAdded: objects.added.length,
      objectsRemoved: objects.removed.length,
      objectsModified: objects.modified.length,
      hostnamesChanged: routing.hostnames.length,
      weightShifts: routing.weightShifts.length,
      listenersWithNewNamespaces: listeners.filter((l) => l.newlyAllowed.length > 0).length,
      grantsAdded: grants.added.length,
      grantsRemoved: grants.removed.length,
      certificatesRotated: certificates.rotated.length,
      certificatesExpiring: certificates.expiring.length,
      findingsIntroduced: findings.introduced.length,
      findingsFixed: findings.fixed.length,
      findingsUnchanged: findings.unchanged.length,
      routesAdded: routing.routes.filter((r) => r.op === 'added').length,
      routesRemoved: routing.routes.filter((r) => r.op === 'removed').length,
      routesMoved: routing.routes.filter((r) => r.op === 'moved').length,
      controllersChanged: controllers.gatewayClasses.length + controllers.workloads.length,
      conformanceChanged: controllers.conformance.length,
    },
    objects,
    routing,
    listeners,
    grants,
    certificates,
    findings,
    controllers,
    notes,
  };
  if (authors) diff.authors = authors;
  return diff;
}

/**
 * Authors of the object changes (issue 9): the new bundle's audit history (data/audit/history.json) for every
 * added, removed or modified object. Undefined when the new bundle has no audit evidence.
 */
function changeAuthors(newC: Capture, objects: ObjectsDiff): ObjectAuthors[] | undefined {
  const history = newC.evidence?.audit?.history;
  if (!history) return undefined;
  const byRef = new Map(history.objects.map((o) => [o.ref, o.changes] as const));
  const refs = [...objects.added, ...objects.removed, ...objects.modified].map((o) => o.ref);
  return [...new Set(refs)]
    .sort(compareStrings)
    .map((ref) => ({
      ref,
      changes: (byRef.get(ref) ?? []).map((c) => ({ time: c.time, verb: c.verb, user: c.user, ...(c.subresource ? { subresource: c.subresource } : {}), ...(c.code !== undefined ? { code: c.code } : {}) })),
    }));
}

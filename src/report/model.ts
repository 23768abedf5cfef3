/**
 * The report model: everything a reviewer reads, built once from a bundle's capture, its resolution, the
 * verification report (when a trust root was given), the analysis and the policy. Renderers (text, markdown,
 * html, json, sarif) only format this model; they make no decisions. Pure: no I/O, no clock.
 */
import { identifyController } from '../model/controllers.ts';
import type { Capture, CollectionGap } from '../model/collection.ts';
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.ts';
import { GATEWAY_GROUP, compareStrings, refKey, type KubeObject } from '../model/object.ts';
import { parse as parseYaml } from 'yaml';
import { backendLabel, classificationFindings, exposurePaths, gatewayObject, isPublicListener, objectIndex, type ExposurePath } from '../policy/exposure.ts';
import { evaluatePolicy, listenerCertificates } from '../policy/evaluate.ts';
import type { Policy, ServiceType } from '../policy/types.ts';
import { pathCoverage } from '../policy/evaluate.ts';
import type { Resolution } from '../resolve/types.ts';
import type { SignatureResult, VerificationReport } from '../verify/report-types.ts';
import { linkFindings, objectOf } from './group.ts';
import { consolidateFindings } from './consolidate.ts';
import { rfc3339Ms } from '../model/time.ts';
import { operationalSection, type ReportApproval, type ReportOperational } from './operational.ts';

export const REPORT_SCHEMA_VERSION = 'gateway-evidence.io/report/v1';

export type FindingSource = 'bundle' | 'verification' | 'resolution' | 'analysis' | 'policy' | 'classification';
export interface ReportFinding extends Finding {
  source: FindingSource;
  /** Stable within one report: `F1`, `F2`, ... in the sorted order of `findings`. */
  id: string;
  /** The object the finding is about, `Kind ns/name` (report/group.ts objectOf); `bundle` when none. Findings are presented grouped by it. */
  object: string;
  /** Policy findings: the id of the policy rule violated (the reason for the finding). */
  rule?: string;
  /** Analysis findings: ids of the policy findings that report the same fact as a rule violation. */
  restatedBy?: string[];
  /** Policy findings: ids of the analysis findings that observe the same fact. */
  restates?: string[];
}

export type VerificationStatus = 'verified' | 'verified-with-findings' | 'failed' | 'not-checked';

/** A verification signature as the report shows it (the unauthenticated keyid hint left out). */
export type ReportSigner = Omit<SignatureResult, 'hint'>;

export interface ReportListener {
  name: string;
  listenerSet?: string;
  port: number;
  protocol: string;
  hostname?: string;
  tlsMode?: string;
  public: boolean;
  accepted: boolean;
  programmed: boolean;
  attachedRoutes: number;
  /** Where the recorded status (the captured object's status.listeners[]) differs from the recomputed one. Omitted when they agree. */
  recordedDiffers?: StatusDifference[];
}

/**
 * One status field where the controller's recorded value and the recomputed one (the status a conformant
 * controller must write for the captured objects, a prediction) differ: `True (Accepted)`, `not recorded`, `3`.
 */
export interface StatusDifference {
  field: string;
  recomputed: string;
  recorded: string;
  /** The recorded value was written for an older generation of the object. */
  stale?: boolean;
}

export interface ReportGateway {
  namespace: string;
  name: string;
  gatewayClassName: string;
  addresses: string[];
  conditions: { type: string; status: string; reason: string }[];
  /** Where the Gateway's recorded status.conditions differ from the recomputed ones (Accepted, Programmed). Omitted when they agree. */
  recordedDiffers?: StatusDifference[];
  listeners: ReportListener[];
}

export interface RoutingRow {
  gateway: string;
  listener: string;
  port: number;
  protocol: string;
  public: boolean;
  hostname: string;
  route: { kind: string; namespace: string; name: string };
  rule: number;
  ruleName?: string;
  matches: string;
  backend: { group: string; kind: string; namespace: string; name: string; port?: number };
  weight: number;
  percent: number;
  valid: boolean;
  reason?: string;
  crossNamespace: boolean;
  referenceGrant?: string;
  serviceType: ServiceType;
  servesTraffic: boolean;
  /** Finding codes whose evidence points at this row's route or backend. */
  findings: string[];
  /**
   * Adjacent policies covering the row (`Kind ns/name [categories] (implementation)`: the listener's Inherited ones,
   * the rule's, the backend's; docs/policy-attachment.md). Recorded attachment, not enforcement. Omitted when none.
   */
  policies?: string[];
}

export interface ReportService {
  kind: string;
  namespace: string;
  name: string;
  serviceType: ServiceType;
  source: string;
}

export interface ReportCertificate {
  secret: string;
  usedBy: string[];
  position: number;
  subject?: string;
  issuer?: string;
  dnsNames: string[];
  notBefore?: string;
  notAfter?: string;
  daysRemaining?: number;
  sha256Fingerprint?: string;
  status: 'valid' | 'expiring' | 'expired' | 'unknown';
}

export interface ConformanceSummary {
  file: string;
  implementation?: string;
  version?: string;
  gatewayAPIVersion?: string;
  channel?: string;
  mode?: string;
  date?: string;
  profiles: { name: string; core?: string; extended?: string; passed: number; failed: number; skipped: number; summary?: string }[];
  error?: string;
}

export interface ReportModel {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'gateway-evidence'; version: string };
  bundle: {
    id: string;
    capturedAt: string;
    mode: string;
    cluster: { name?: string; uid?: string; serverVersion?: string; context?: string };
    scope: { namespaces?: string[]; excludeNamespaces?: string[]; labelSelector?: string };
    /** Human summary of the scope: `all namespaces`, `namespaces a, b`, `all namespaces except x`. */
    scopeLabel: string;
    partial: boolean;
    gaps: CollectionGap[];
    objects: number;
    /** sha256 (hex) of the bundle file the report was made from, when the caller read the file. */
    sha256?: string;
    previousBundle?: { bundleId: string; digest: string };
  };
  verification: {
    status: VerificationStatus;
    /** One line a reviewer reads first. */
    headline: string;
    trustSource?: string;
    threshold?: number;
    counted?: number;
    missingRequired?: string[];
    signers: ReportSigner[];
  };
  policy?: { name?: string; source: string; rules: number };
  controllers: {
    gatewayClasses: { name: string; controllerName: string; accepted: string }[];
    workloads: { kind: string; namespace: string; name: string; implementation: string; images: string[] }[];
    conformance: ConformanceSummary[];
  };
  gateways: ReportGateway[];
  routing: RoutingRow[];
  services: ReportService[];
  certificates: ReportCertificate[];
  findings: ReportFinding[];
  summary: { errors: number; warnings: number; infos: number; bySource: Record<string, number> };
  /** The operational record (issue 9): change history, owners, audit window, DNS files, attachments. */
  operational?: ReportOperational;
}

export interface ReportInput {
  capture: Capture;
  bundleId: string;
  /** sha256 (hex) of the bundle file's bytes; printed on every page of the HTML report. */
  bundleSha256?: string;
  toolVersion: string;
  resolution: Resolution;
  /** Archive and integrity findings from openBundle (used when no verification report is given). */
  bundleFindings?: Finding[];
  /** The verification report, when a trust root was given. */
  verification?: VerificationReport;
  trustSource?: string;
  /** analyzeCapture findings (ignored when the verification report carries an analysis that ran). */
  analysisFindings?: Finding[];
  policy?: Policy;
  policySource?: string;
  /** Certificates expiring within this many days of capture are marked `expiring` (default 30). */
  expiryWindowDays?: number;
  previousBundle?: { bundleId: string; digest: string };
  /** Change approvals of this bundle, already checked (src/approval). */
  approvals?: ReportApproval[];
  /**
   * Build the findings (with their ids, links and summary), the bundle, verification and policy sections only;
   * the tables (gateways, routing, services, certificates, controllers' workloads) are left empty and there is
   * no operational section. For
   * renderers that show nothing else (SARIF): its output is the same as from the full model.
   */
  findingsOnly?: boolean;
}

export function scopeLabel(scope: { namespaces?: string[]; excludeNamespaces?: string[]; labelSelector?: string }): string {
  const inc = scope.namespaces && scope.namespaces.length > 0 ? `namespaces ${scope.namespaces.join(', ')}` : 'all namespaces';
  const exc = scope.excludeNamespaces && scope.excludeNamespaces.length > 0 ? ` except ${scope.excludeNamespaces.join(', ')}` : '';
  const sel = scope.labelSelector !== undefined ? `, selector ${scope.labelSelector}` : '';
  return inc + exc + sel;
}

function matchesSummary(matches: unknown[]): string {
  if (matches.length === 0) return '*';
  return matches
    .map((m) => {
      const x = m as Record<string, unknown>;
      const parts: string[] = [];
      const path = x.path as { type?: string; value?: string } | undefined;
      if (path) parts.push(`${path.type === 'Exact' ? '=' : path.type === 'RegularExpression' ? '~' : ''}${path.value ?? '/'}`);
      const method = x.method;
      if (typeof method === 'string') parts.push(method);
      if (method && typeof method === 'object') {
        const mm = method as { service?: string; method?: string };
        parts.push(`${mm.service ?? '*'}/${mm.method ?? '*'}`);
      }
      for (const h of (x.headers as { name?: string; value?: string }[] | undefined) ?? []) parts.push(`${h.name}: ${h.value}`);
      for (const q of (x.queryParams as { name?: string; value?: string }[] | undefined) ?? []) parts.push(`?${q.name}=${q.value}`);
      return parts.length ? parts.join(' ') : '*';
    })
    .join(' | ');
}

export function conformanceSummary(file: { name: string; bytes: Uint8Array }): ConformanceSummary {
  try {
    const doc = parseYaml(new TextDecoder().decode(file.bytes)) as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') return { file: file.name, profiles: [], error: 'expected a ConformanceReport mapping, found none' };
    const impl = (doc.implementation ?? {}) as Record<string, unknown>;
    const profiles = Array.isArray(doc.profiles) ? (doc.profiles as Record<string, unknown>[]) : [];
    const out: ConformanceSummary = {
      file: file.name,
      profiles: profiles.map((p) => {
        const core = (p.core ?? {}) as { result?: string; statistics?: Record<string, number> };
        const ext = (p.extended ?? {}) as { result?: string; statistics?: Record<string, number> };
        const stat = (k: string): number => (Number(core.statistics?.[k]) || 0) + (Number(ext.statistics?.[k]) || 0);
        const row: ConformanceSummary['profiles'][number] = { name: String(p.name ?? '?'), passed: stat('Passed'), failed: stat('Failed'), skipped: stat('Skipped') };
        if (core.result) row.core = String(core.result);
        if (ext.result) row.extended = String(ext.result);
        if (typeof p.summary === 'string') row.summary = p.summary;
        return row;
      }),
    };
    if (impl.project) out.implementation = `${String(impl.organization ?? '')}${impl.organization ? '/' : ''}${String(impl.project)}`;
    if (impl.version) out.version = String(impl.version);
    if (doc.gatewayAPIVersion) out.gatewayAPIVersion = String(doc.gatewayAPIVersion);
    if (doc.gatewayAPIChannel) out.channel = String(doc.gatewayAPIChannel);
    if (doc.mode) out.mode = String(doc.mode);
    if (doc.date) out.date = String(doc.date);
    return out;
  } catch (e) {
    return { file: file.name, profiles: [], error: `not parseable YAML: ${(e as Error).message.split('\n')[0]}` };
  }
}

function verificationSection(input: ReportInput): ReportModel['verification'] {
  const v = input.verification;
  // Issue 8 item 8: a partial capture says so before anything else in every report's headline.
  const record = input.capture.record;
  const gapCount = Array.isArray(record.gaps) ? record.gaps.length : 0;
  const partial = record.partial === true || v?.bundle.partial === true ? `PARTIAL CAPTURE (${gapCount} gap${gapCount === 1 ? '' : 's'}, not evidence of the whole cluster): ` : '';
  if (!v) {
    const integrityErrors = (input.bundleFindings ?? []).filter((f) => f.severity === 'error').length;
    return {
      status: 'not-checked',
      headline:
        partial +
        'SIGNATURE NOT CHECKED: no trust root was given (--trust or --key), so nothing in this report is attributed to a signer' +
        (integrityErrors > 0 ? `; the bundle also has ${integrityErrors} integrity error(s)` : ''),
      signers: [],
    };
  }
  const signers: ReportSigner[] = v.signatures.map((s) => ({
    keyId: s.keyId,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.role !== undefined ? { role: s.role } : {}),
    trusted: s.trusted,
    valid: s.valid,
    counted: s.counted,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
  }));
  const who = signers.filter((s) => s.counted).map((s) => s.name ?? s.keyId);
  const reasons = [
    v.integrity.ok ? '' : 'integrity check failed',
    v.trust.satisfied
      ? ''
      : `trust requirement not met (signed by ${v.trust.counted} (${v.trust.threshold} required)${v.trust.missingRequired.length ? `, missing ${v.trust.missingRequired.join(', ')}` : ''})`,
    v.signatures.some((s) => s.trusted && !s.valid) ? 'a signature by a trusted key did not verify' : '',
  ].filter(Boolean);
  // A failed bundle says VERIFICATION FAILED first: its partial flag is an unverified claim.
  const headline =
    (v.verdict === 'failed' ? '' : partial) +
    (v.verdict === 'failed'
      ? `VERIFICATION FAILED: ${reasons.join('; ') || 'the bundle did not verify'}; do not trust this bundle`
      : `${v.verdict === 'verified' ? 'VERIFIED' : 'VERIFIED WITH FINDINGS'}: signed by ${v.trust.counted} (${v.trust.threshold} required): ${who.join(', ') || 'nobody'}, against ${v.trust.source}`);
  return {
    status: v.verdict,
    headline,
    trustSource: input.trustSource ?? v.trust.source,
    threshold: v.trust.threshold,
    counted: v.trust.counted,
    missingRequired: v.trust.missingRequired,
    signers,
  };
}

const SOURCE_WORDS: Record<string, string> = {
  'service-label': 'Service label',
  'service-annotation': 'Service annotation',
  'namespace-label': 'Namespace label',
  'namespace-annotation': 'Namespace annotation',
};

/**
 * The analysis classifies backends without the policy (labels only), the policy with its serviceTypes rules and
 * declared types first. With a policy, a reviewer must read one service type per backend (issue 10: the policy
 * said "admin" while the analysis line under it said "unclassified"): each EXPOSURE_SERVICE_TYPE finding takes the
 * policy's classification (the one every policy rule used), its severity follows the analysis rule (admin is a
 * warning), and the label-only type stays in `detail.analysisServiceType`.
 */
function withPolicyServiceTypes(findings: Finding[], paths: readonly ExposurePath[]): Finding[] {
  const byPair = new Map<string, ExposurePath>();
  for (const p of paths) {
    const k = `${p.route.kind} ${p.route.namespace}/${p.route.name}|${backendLabel(p.backend)}`;
    if (!byPair.has(k)) byPair.set(k, p);
  }
  return findings.map((f) => {
    if (f.code !== 'EXPOSURE_SERVICE_TYPE') return f;
    const route = f.detail?.route;
    const backend = f.detail?.backend;
    const p = typeof route === 'string' && typeof backend === 'string' ? byPair.get(`${route}|${backend}`) : undefined;
    if (!p || p.classification.type === f.detail?.serviceType) return f;
    const c = p.classification;
    const how = c.source === 'none' ? '' : c.source === 'policy' ? ` (from the policy's serviceTypes[${c.ruleIndex ?? '?'}])` : ` (from the ${SOURCE_WORDS[c.source] ?? c.source})`;
    return {
      ...f,
      severity: c.type === 'admin' ? 'warning' : 'info',
      message: `${route as string} routes to ${backend as string}, service type ${c.type}${how}`,
      detail: { ...f.detail, serviceType: c.type, source: c.source, analysisServiceType: f.detail?.serviceType ?? null, classifiedBy: 'policy' },
    };
  });
}

type Cond = { type: string; status: string; reason?: string };

function conditionsOf(v: unknown): (Cond & { observedGeneration?: number })[] {
  return Array.isArray(v) ? (v.filter((c) => c && typeof c === 'object' && typeof c.type === 'string') as (Cond & { observedGeneration?: number })[]) : [];
}

function showCondition(c: Cond | undefined): string {
  return c ? `${String(c.status)}${c.reason ? ` (${String(c.reason)})` : ''}` : 'not recorded';
}

/**
 * The recorded conditions of `types` (and attachedRoutes, when both are given) that differ in status from the
 * recomputed ones. A recorded value is shown as recorded; the recomputed one is the prediction the report's
 * tables show (issue 10: recorded and recomputed side by side where they differ).
 */
function statusDifferences(
  types: readonly string[],
  recomputed: readonly Cond[],
  recorded: unknown,
  generation: number | undefined,
  attached?: { recomputed: number; recorded: unknown },
): StatusDifference[] | undefined {
  const rec = conditionsOf(recorded);
  const out: StatusDifference[] = [];
  for (const t of types) {
    const want = recomputed.find((c) => c.type === t);
    if (!want) continue;
    const got = rec.find((c) => c.type === t);
    if (got && String(got.status) === want.status) continue;
    const d: StatusDifference = { field: t, recomputed: showCondition(want), recorded: showCondition(got) };
    if (got && typeof got.observedGeneration === 'number' && generation !== undefined && got.observedGeneration < generation) d.stale = true;
    out.push(d);
  }
  if (attached && attached.recorded !== attached.recomputed) {
    out.push({ field: 'attachedRoutes', recomputed: String(attached.recomputed), recorded: typeof attached.recorded === 'number' ? String(attached.recorded) : 'not recorded' });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * A shallow copy of `f` with the same keys in the same order as `{ ...f }`. Object spread costs ~10 us per
 * finding at tens of thousands of findings (V8's clone path; measured, issue 13), Object.assign ~1 us. assign
 * sets rather than defines, which differs from spread only for an own `__proto__` key: such a finding (none is
 * built that way) takes the spread.
 */
function copyFinding(f: Finding): Finding {
  return Object.prototype.hasOwnProperty.call(f, '__proto__') ? { ...f } : Object.assign({}, f);
}

const ROUTE_KEY = /^[A-Za-z]+Route\./;

interface TouchEntry {
  code: string;
  objs: Set<string>;
  anyRoute: boolean;
  anyBackend: boolean;
}

/**
 * Per routing row, the codes of the (non-info) findings about it: a finding is about a row when its subject or
 * `detail.objects` name the row's route and backend, or the route and no backend, or the backend and no route.
 * Findings are indexed by the object keys they name, so each row looks at the findings naming its route or its
 * backend only (issue 13: checking every row against every finding was quadratic).
 */
export function rowFindingCodes(findings: readonly Finding[], rows: readonly RoutingRow[]): string[][] {
  const byKey = new Map<string, TouchEntry[]>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const objs = new Set<string>();
    objs.add(f.subject ?? '');
    for (const o of (f.detail?.objects as unknown[] | undefined) ?? []) objs.add(String(o));
    // A route key is `KindRoute.group/...`; a backend key is any other non-empty key but a Gateway's.
    let anyRoute = false;
    let anyBackend = false;
    for (const k of objs) {
      if (ROUTE_KEY.test(k)) anyRoute = true;
      else if (k !== '' && !k.startsWith('Gateway.')) anyBackend = true;
    }
    const e: TouchEntry = { code: f.code, objs, anyRoute, anyBackend };
    for (const k of objs) {
      const list = byKey.get(k);
      if (list) list.push(e);
      else byKey.set(k, [e]);
    }
  }
  // Most rows are touched by no finding or one: a small array, not a Set and a spread per row (issue 13).
  const codesOf = (codes: string[], list: TouchEntry[] | undefined, routeK: string, backendK: string): void => {
    for (const e of list ?? []) {
      const hasRoute = e.objs.has(routeK);
      const hasBackend = e.objs.has(backendK);
      if (((hasRoute && hasBackend) || (hasRoute && !e.anyBackend) || (hasBackend && !e.anyRoute)) && !codes.includes(e.code)) codes.push(e.code);
    }
  };
  return rows.map((row) => {
    const routeK = refKey({ group: GATEWAY_GROUP, kind: row.route.kind, namespace: row.route.namespace, name: row.route.name });
    const backendK = refKey({ group: row.backend.group, kind: row.backend.kind, namespace: row.backend.namespace, name: row.backend.name });
    const codes: string[] = [];
    codesOf(codes, byKey.get(routeK), routeK, backendK);
    codesOf(codes, byKey.get(backendK), routeK, backendK);
    return codes.length > 1 ? codes.sort(compareStrings) : codes;
  });
}

/**
 * Builds the report model. Deterministic: the same input gives the same model.
 * @example buildReportModel({ capture, bundleId, toolVersion: VERSION, resolution: resolve(capture.snapshot.objects) })
 */
export function buildReportModel(input: ReportInput): ReportModel {
  const { capture, resolution, policy } = input;
  const index = objectIndex(capture);
  const paths: ExposurePath[] = exposurePaths(capture, resolution, policy, index);
  const record = capture.record;

  // --- findings, each once, with where it came from
  const findings: ReportFinding[] = [];
  // Each finding once by (code, subject, message): nested maps, so no key string is built per finding; the first
  // message of a (code, subject) is kept as is and compared, a Set only when a second one comes (most pairs have
  // one finding: no message hashed for them, issue 13).
  const seen = new Map<string, Map<string, string | Set<string>>>();
  const add = (list: Finding[] | undefined, source: FindingSource): void => {
    for (const f of list ?? []) {
      let bySubject = seen.get(f.code);
      if (!bySubject) seen.set(f.code, (bySubject = new Map()));
      const subject = f.subject ?? '';
      const messages = bySubject.get(subject);
      if (messages === undefined) bySubject.set(subject, f.message);
      else if (typeof messages === 'string') {
        if (messages === f.message) continue;
        bySubject.set(subject, new Set([messages, f.message]));
      } else {
        if (messages.has(f.message)) continue;
        messages.add(f.message);
      }
      const rf = copyFinding(f) as ReportFinding;
      rf.source = source;
      rf.id = '';
      rf.object = objectOf(f.subject);
      if (source === 'policy' && typeof f.detail?.rule === 'string') rf.rule = f.detail.rule;
      findings.push(rf);
    }
  };
  if (input.verification) {
    add(input.verification.findings, 'verification');
  } else {
    add(input.bundleFindings, 'bundle');
  }
  add(resolution.findings, 'resolution');
  // One finding per object and cause (report/consolidate.ts); with a policy, one service type per backend.
  const analysis = consolidateFindings((input.verification?.analysis.ran ? input.verification.analysis.findings : input.analysisFindings) ?? []);
  add(policy ? withPolicyServiceTypes(analysis, paths) : analysis, 'analysis');
  if (policy) {
    const signerEvidence = input.verification
      ? {
          signers: input.verification.signatures.map((s) => ({
            keyId: s.keyId,
            counted: s.counted,
            ...(s.name !== undefined ? { name: s.name } : {}),
            ...(s.role !== undefined ? { role: s.role } : {}),
          })),
        }
      : undefined;
    // The index and exposure paths built above are evaluatePolicy's own (same capture, resolution and
    // policy): handed over, not built a second time (issue 13).
    const pf = evaluatePolicy(signerEvidence ? { capture, resolution, verification: signerEvidence } : { capture, resolution }, policy, { index, paths });
    add(pf.filter((f) => f.code.startsWith('POLICY_')), 'policy');
    add(pf.filter((f) => !f.code.startsWith('POLICY_')), 'classification');
  } else {
    add(classificationFindings(paths), 'classification');
  }
  findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.subject ?? '', b.subject ?? '') ||
      compareStrings(a.message, b.message),
  );
  findings.forEach((f, i) => (f.id = `F${i + 1}`));
  // The same fact reported by analysis and by a policy rule: linked both ways (report/group.ts).
  const links = linkFindings(findings);
  for (const [i, ps] of links.restatedBy) findings[i]!.restatedBy = ps.map((p) => findings[p]!.id);
  for (const [p, as] of links.restates) findings[p]!.restates = as.map((a) => findings[a]!.id);

  // The tables (Gateways, routing, services, certificates, controllers' workloads): every format but SARIF
  // shows them; a findings-only model (ReportInput.findingsOnly) leaves them empty (issue 13).
  type Tables = Pick<ReportModel, 'gateways' | 'routing' | 'services' | 'certificates'> & { workloads: ReportModel['controllers']['workloads'] };
  const tables = (): Tables => {
    // --- gateways and listeners
    const publicOf = new Map<string, boolean>();
    for (const e of resolution.routing) {
      publicOf.set(`${e.gateway.namespace}/${e.gateway.name}|${e.listener}|${e.listenerSet ? `${e.listenerSet.namespace}/${e.listenerSet.name}` : ''}`, isPublicListener(policy, e, gatewayObject(index, e)));
    }
    const entriesOf = new Map<string, typeof resolution.routing>();
    for (const e of resolution.routing) {
      const k = `${e.gateway.namespace}/${e.gateway.name}`;
      const list = entriesOf.get(k);
      if (list) list.push(e);
      else entriesOf.set(k, [e]);
    }
    const listenerSetObjects = new Map<string, KubeObject>();
    for (const o of capture.snapshot.objects) if (o.kind === 'ListenerSet' || o.kind === 'XListenerSet') listenerSetObjects.set(`${o.kind}|${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    const gateways: ReportGateway[] = resolution.gateways.map((g) => {
      const entries = entriesOf.get(`${g.namespace}/${g.name}`) ?? [];
      const attached = new Map<string, number>();
      const computed = new Map<string, { conditions: Cond[]; attachedRoutes: number }>();
      for (const l of g.listeners) {
        attached.set(`|${l.name}`, l.attachedRoutes);
        computed.set(`|${l.name}`, l);
      }
      for (const ls of g.listenerSets ?? []) {
        for (const l of ls.listeners) {
          attached.set(`${ls.namespace}/${ls.name}|${l.name}`, l.attachedRoutes);
          computed.set(`${ls.namespace}/${ls.name}|${l.name}`, l);
        }
      }
      // The recorded status: the captured Gateway's, and each ListenerSet's for its own listeners.
      const gwObj = index.get(refKey({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: g.namespace, name: g.name }));
      const recordedListener = (setKey: string, e: (typeof entries)[number], name: string): { obj: KubeObject | undefined; status: Record<string, unknown> | undefined } => {
        const obj = e.listenerSet ? listenerSetObjects.get(`${e.listenerSet.kind}|${setKey}`) : gwObj;
        const list: unknown[] = Array.isArray(obj?.status?.listeners) ? obj!.status.listeners : [];
        return { obj, status: list.find((x) => (x as { name?: unknown } | null)?.name === name) as Record<string, unknown> | undefined };
      };
      const gwDiffers = statusDifferences(['Accepted', 'Programmed'], g.conditions, gwObj?.status?.conditions, gwObj?.metadata.generation);
      return {
        namespace: g.namespace,
        name: g.name,
        gatewayClassName: g.gatewayClassName,
        addresses: [...new Set(entries.flatMap((e) => e.addresses))],
        conditions: g.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason })),
        ...(gwDiffers ? { recordedDiffers: gwDiffers } : {}),
        listeners: entries.map((e) => {
          const setKey = e.listenerSet ? `${e.listenerSet.namespace}/${e.listenerSet.name}` : '';
          const l: ReportListener = {
            name: e.listener,
            port: e.port,
            protocol: e.protocol,
            public: publicOf.get(`${g.namespace}/${g.name}|${e.listener}|${setKey}`) ?? false,
            accepted: e.listenerAccepted,
            programmed: e.listenerProgrammed,
            attachedRoutes: attached.get(`${setKey}|${e.listener}`) ?? 0,
          };
          if (e.listenerSet) l.listenerSet = `${e.listenerSet.kind} ${setKey}`;
          const c = computed.get(`${setKey}|${e.listener}`);
          if (c && gwObj) {
            const r = recordedListener(setKey, e, e.listener);
            const differs = r.obj ? statusDifferences(['Accepted', 'Programmed'], c.conditions, r.status?.conditions, r.obj.metadata.generation, { recomputed: c.attachedRoutes, recorded: r.status?.attachedRoutes }) : undefined;
            if (differs) l.recordedDiffers = differs;
          }
          if (e.listenerHostname !== undefined) l.hostname = e.listenerHostname;
          if (e.tlsMode !== undefined) l.tlsMode = e.tlsMode;
          return l;
        }),
      };
    });

    // --- routing table (one row per listener/hostname/route/rule/backend)
    const routing: RoutingRow[] = paths.map((p) => {
      const setKey = p.entry.listenerSet ? `${p.entry.listenerSet.namespace}/${p.entry.listenerSet.name}` : '';
      const row: RoutingRow = {
        gateway: `${p.entry.gateway.namespace}/${p.entry.gateway.name}`,
        listener: p.entry.listener,
        port: p.entry.port,
        protocol: p.entry.protocol,
        public: publicOf.get(`${p.entry.gateway.namespace}/${p.entry.gateway.name}|${p.entry.listener}|${setKey}`) ?? false,
        hostname: p.hostname,
        route: { kind: p.route.kind, namespace: p.route.namespace, name: p.route.name },
        rule: p.rule.index,
        matches: matchesSummary(p.rule.matches),
        backend: { group: p.backend.group, kind: p.backend.kind, namespace: p.backend.namespace, name: p.backend.name, ...(p.backend.port !== undefined ? { port: p.backend.port } : {}) },
        weight: p.backend.weight,
        percent: p.backend.percent,
        valid: p.backend.valid,
        crossNamespace: p.backend.crossNamespace,
        serviceType: p.classification.type,
        servesTraffic: p.route.servesTraffic,
        findings: [],
      };
      if (p.rule.name !== undefined) row.ruleName = p.rule.name;
      const cov = pathCoverage(p);
      if (cov.length > 0) row.policies = [...new Set(cov.map((c) => `${c.kind} ${c.namespace}/${c.name} [${c.categories.join(', ')}] (${c.implementation})`))].sort(compareStrings);
      if (p.backend.reason !== undefined) row.reason = p.backend.reason;
      if (p.backend.referenceGrant !== undefined) row.referenceGrant = p.backend.referenceGrant;
      return row;
    });
    rowFindingCodes(findings, routing).forEach((codes, i) => (routing[i]!.findings = codes));

    // --- services and their types
    const serviceOf = new Map<string, ReportService>();
    for (const p of paths) {
      const k = `${p.backend.kind}/${p.backend.namespace}/${p.backend.name}`;
      if (!serviceOf.has(k)) serviceOf.set(k, { kind: p.backend.kind, namespace: p.backend.namespace, name: p.backend.name, serviceType: p.classification.type, source: p.classification.source });
    }
    // Sorted by `namespace/name`, each key built once (not two strings per comparison).
    const services = [...serviceOf.values()]
      .map((x) => ({ x, k: `${x.namespace}/${x.name}` }))
      .sort((a, b) => compareStrings(a.k, b.k))
      .map((e) => e.x);

    // --- certificates with expiry
    const captured = rfc3339Ms(record.capturedAt) ?? NaN;
    const window = input.expiryWindowDays ?? 30;
    const certificates: ReportCertificate[] = listenerCertificates(capture, resolution, index).map((u) => {
      const notAfter = rfc3339Ms(u.cert.notAfter) ?? NaN;
      const days = Number.isNaN(notAfter) || Number.isNaN(captured) ? undefined : Math.floor((notAfter - captured) / 86_400_000);
      const status: ReportCertificate['status'] =
        days === undefined ? 'unknown' : notAfter <= captured ? 'expired' : notAfter - captured < window * 86_400_000 ? 'expiring' : 'valid';
      const c: ReportCertificate = { secret: u.secret, usedBy: u.users, position: u.position, dnsNames: u.cert.dnsNames, status };
      if (u.cert.subject !== undefined) c.subject = u.cert.subject;
      if (u.cert.issuer !== undefined) c.issuer = u.cert.issuer;
      if (u.cert.notBefore !== undefined) c.notBefore = u.cert.notBefore;
      if (u.cert.notAfter !== undefined) c.notAfter = u.cert.notAfter;
      if (days !== undefined) c.daysRemaining = days;
      if (u.cert.sha256Fingerprint !== undefined) c.sha256Fingerprint = u.cert.sha256Fingerprint;
      return c;
    });
    certificates.sort((a, b) => compareStrings(a.secret, b.secret) || a.position - b.position);

    // --- controllers and conformance
    const workloads: ReportModel['controllers']['workloads'] = [];
    for (const o of capture.snapshot.objects) {
      if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind)) continue;
      const labels = { ...(o.spec?.template?.metadata?.labels ?? {}), ...(o.metadata.labels ?? {}) } as Record<string, string>;
      const containers = (o.spec?.template?.spec?.containers ?? []) as { image?: string }[];
      const images = containers.map((c) => c.image).filter((x): x is string => typeof x === 'string');
      const impl = identifyController(labels, images);
      if (impl) workloads.push({ kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name, implementation: impl, images });
    }
    return { gateways, routing, services, certificates, workloads };
  };
  const t: Tables = input.findingsOnly ? { gateways: [], routing: [], services: [], certificates: [], workloads: [] } : tables();

  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const bySource: Record<string, number> = {};
  for (const f of findings) {
    counts[f.severity]++;
    bySource[f.source] = (bySource[f.source] ?? 0) + 1;
  }

  const model: ReportModel = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'gateway-evidence', version: input.toolVersion },
    bundle: {
      id: input.bundleId,
      capturedAt: record.capturedAt,
      mode: record.mode,
      cluster: { ...record.cluster },
      scope: { ...record.scope },
      scopeLabel: scopeLabel(record.scope),
      partial: record.partial,
      gaps: record.gaps,
      objects: capture.snapshot.objects.length,
      ...(input.bundleSha256 !== undefined ? { sha256: input.bundleSha256 } : {}),
      ...(input.previousBundle ? { previousBundle: input.previousBundle } : {}),
    },
    verification: verificationSection(input),
    controllers: {
      gatewayClasses: resolution.gatewayClasses.map((c) => ({
        name: c.name,
        controllerName: c.controllerName,
        accepted: c.conditions.find((x) => x.type === 'Accepted')?.status ?? 'Unknown',
      })),
      workloads: t.workloads,
      conformance: capture.snapshot.conformanceReports.map(conformanceSummary),
    },
    gateways: t.gateways,
    routing: t.routing,
    services: t.services,
    certificates: t.certificates,
    findings,
    summary: { errors: counts.error, warnings: counts.warning, infos: counts.info, bySource },
  };
  if (policy) model.policy = { ...(policy.metadata?.name ? { name: policy.metadata.name } : {}), source: input.policySource ?? 'policy', rules: policy.rules.length };
  const operational = input.findingsOnly ? undefined : (operationalSection(capture, policy?.ownershipKeys ?? []) ?? (input.approvals ? { owners: [], attachments: [] } : undefined));
  if (operational) {
    if (input.approvals) operational.approvals = input.approvals;
    model.operational = operational;
  }
  return model;
}

/**
 * Cross-checks between captured evidence (pure; the only time is the capture time passed in):
 *  - listener certificates: SANs cover the listener hostname (RFC 6125 §6.4.3: a `*` SAN matches exactly one
 *    label), expired / not yet valid / expiring within a window of the CAPTURE time;
 *  - GatewayClass status.supportedFeatures against the captured ConformanceReport(s) (GEP-1709);
 *  - CRD `gateway.networking.k8s.io/bundle-version` against the report's gatewayAPIVersion.
 */
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../model/finding.ts';
import { GATEWAY_GROUP, compareStrings, type KubeObject } from '../model/object.ts';
import type { ConformanceReportFile } from '../model/snapshot.ts';
import type { Resolution, RoutingCertificate } from '../resolve/types.ts';
import { rfc3339Ms } from '../model/time.ts';

const DAY_MS = 86_400_000;
export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

// ---------------------------------------------------------------------------------------------------------------
// Certificates

/** RFC 6125 §6.4.3 as browsers apply it: `*` only as the whole left-most label, matching exactly one label. */
export function sanCoversName(san: string, name: string): boolean {
  const s = san.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (s === n) return true; // includes a wildcard listener hostname covered by the identical wildcard SAN
  if (!s.startsWith('*.') || n.startsWith('*.')) return false;
  const suffix = s.slice(1); // ".example.com"
  if (!n.endsWith(suffix)) return false;
  const label = n.slice(0, n.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export function certificateCrosschecks(resolution: Resolution, capturedAt: string, expiryWindowDays: number): Finding[] {
  const findings: Finding[] = [];
  const at = rfc3339Ms(capturedAt) ?? NaN;
  const checked = new Set<string>();
  for (const entry of resolution.routing) {
    const terminates = entry.protocol === 'HTTPS' || (entry.protocol === 'TLS' && entry.tlsMode !== 'Passthrough');
    if (!terminates) continue;
    const listenerLabel = `Gateway ${entry.gateway.namespace}/${entry.gateway.name} listener ${entry.listener}`;
    const resolved = entry.certificateRefs.filter((c) => c.resolved);
    const leaves = resolved.map((c) => c.chain[0]).filter((c): c is RoutingCertificate => c !== undefined);

    // SAN coverage. The listener hostname when set; otherwise the concrete hostnames routes give it.
    if (resolved.length > 0 && leaves.length === 0) {
      findings.push({
        code: 'CERT_METADATA_UNAVAILABLE',
        severity: 'info',
        subject: listenerLabel,
        message: `${listenerLabel}: certificate ${resolved.map((c) => `${c.namespace}/${c.name}`).join(', ')} has no parsed certificate metadata in the capture; SAN and expiry checks skipped`,
      });
    } else if (leaves.length > 0) {
      const names = entry.listenerHostname !== undefined ? [entry.listenerHostname] : [...new Set(entry.hostnames.map((h) => h.hostname).filter((h) => h !== '*'))];
      for (const name of names) {
        const covered = leaves.some((leaf) => leaf.dnsNames.some((san) => sanCoversName(san, name)));
        if (!covered) {
          const sans = [...new Set(leaves.flatMap((l) => l.dnsNames))].sort(compareStrings);
          findings.push({
            code: 'CERT_HOSTNAME_NOT_COVERED',
            severity: 'warning',
            subject: listenerLabel,
            message: `${listenerLabel}: hostname ${name} is not covered by the certificate SANs [${sans.join(', ')}] of ${resolved.map((c) => `${c.namespace}/${c.name}`).join(', ')} (a wildcard SAN matches one label)`,
            detail: { hostname: name, dnsNames: sans, certificateRefs: resolved.map((c) => `${c.namespace}/${c.name}`) },
          });
        }
      }
    }

    // Validity at capture time, once per Secret.
    for (const ref of resolved) {
      const secretLabel = `Secret ${ref.namespace}/${ref.name}`;
      if (checked.has(secretLabel)) continue;
      checked.add(secretLabel);
      if (Number.isNaN(at)) continue;
      ref.chain.forEach((cert, i) => {
        const which = i === 0 ? 'certificate' : `chain certificate ${i + 1}`;
        const who = `${secretLabel} ${which} (${cert.subject ?? 'no subject'})`;
        const notAfter = rfc3339Ms(cert.notAfter) ?? NaN;
        const notBefore = rfc3339Ms(cert.notBefore) ?? NaN;
        const detail = { secret: `${ref.namespace}/${ref.name}`, position: i, subject: cert.subject ?? null, notBefore: cert.notBefore ?? null, notAfter: cert.notAfter ?? null, capturedAt, usedBy: listenerLabel };
        if (!Number.isNaN(notAfter) && notAfter <= at) {
          findings.push({ code: 'CERT_EXPIRED', severity: 'error', subject: secretLabel, message: `${who} expired at ${cert.notAfter}, before the capture at ${capturedAt}`, detail });
        } else if (!Number.isNaN(notBefore) && notBefore > at) {
          findings.push({ code: 'CERT_NOT_YET_VALID', severity: 'warning', subject: secretLabel, message: `${who} is valid only from ${cert.notBefore}, after the capture at ${capturedAt}`, detail });
        } else if (!Number.isNaN(notAfter) && notAfter - at <= expiryWindowDays * DAY_MS) {
          const days = Math.floor((notAfter - at) / DAY_MS);
          findings.push({ code: 'CERT_EXPIRING', severity: 'warning', subject: secretLabel, message: `${who} expires at ${cert.notAfter}, ${days} days after the capture at ${capturedAt} (window ${expiryWindowDays} days)`, detail: { ...detail, daysLeft: days } });
        }
      });
    }
  }
  if (Number.isNaN(at)) {
    findings.push({ code: 'CAPTURE_TIME_INVALID', severity: 'warning', subject: 'collection.json', message: `capture time "${capturedAt}" is not an RFC 3339 time; certificate validity was not checked` });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------
// ConformanceReport

/** Core features per conformance profile (conformance/utils/suite/profiles.go; digest §8). */
export const PROFILE_CORE_FEATURES: Record<string, readonly string[]> = {
  'GATEWAY-HTTP': ['Gateway', 'ReferenceGrant', 'HTTPRoute'],
  'GATEWAY-TLS': ['Gateway', 'ReferenceGrant', 'TLSRoute'],
  'GATEWAY-GRPC': ['Gateway', 'ReferenceGrant', 'GRPCRoute'],
  'GATEWAY-TCP': ['Gateway', 'TCPRoute', 'ReferenceGrant'],
  'GATEWAY-UDP': ['Gateway', 'UDPRoute', 'ReferenceGrant'],
  'MESH-HTTP': ['Mesh', 'HTTPRoute'],
  'MESH-GRPC': ['Mesh', 'GRPCRoute'],
};

/** Test counts of a profile part; the Go `Statistics` struct has no json tags, so the keys are capitalised (digest §8). */
export interface ConformanceStatistics {
  Passed: number;
  Skipped: number;
  Failed: number;
}

/** `core` or `extended` of a profile (conformance/apis/v1/profilereport.go). */
export interface ConformanceResultPart {
  result?: string;
  statistics?: ConformanceStatistics;
  skippedTests: string[];
  failedTests: string[];
}

export interface ParsedConformanceProfile {
  name: string;
  summary?: string;
  coreResult?: string;
  extendedResult?: string;
  /** extended.supportedFeatures, in file order. */
  extendedFeatures: string[];
  /** extended.unsupportedFeatures, in file order. */
  unsupportedFeatures: string[];
  core?: ConformanceResultPart;
  extended?: ConformanceResultPart;
}

export interface ParsedConformanceReport {
  file: string;
  date?: string;
  gatewayAPIVersion?: string;
  gatewayAPIChannel?: string;
  /** `default` or an implementation-defined mode. */
  mode?: string;
  implementation: { organization?: string; project?: string; version?: string };
  /** implementation.url and implementation.contact (required by GEP-1709 Validate()). */
  implementationUrl?: string;
  contact: string[];
  profiles: ParsedConformanceProfile[];
  succeededProvisionalTests: string[];
  /** Features proven by a profile whose result is success or partial. */
  passed: Set<string>;
  /** Features only listed in profiles whose result is failure. */
  failed: Set<string>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Statistics with the capitalised keys the Go struct serialises (no json tags); lower-case keys are accepted too. */
function statistics(v: unknown): ConformanceStatistics | undefined {
  const s = record(v);
  if (!s) return undefined;
  const n = (k: string): number => {
    const x = s[k] ?? s[k.toLowerCase()];
    return typeof x === 'number' && Number.isFinite(x) ? x : 0;
  };
  return { Passed: n('Passed'), Skipped: n('Skipped'), Failed: n('Failed') };
}

function resultPart(v: unknown): ConformanceResultPart | undefined {
  const p = record(v);
  if (!p) return undefined;
  const out: ConformanceResultPart = { skippedTests: strings(p['skippedTests']), failedTests: strings(p['failedTests']) };
  const result = str(p['result']);
  if (result !== undefined) out.result = result;
  const st = statistics(p['statistics']);
  if (st) out.statistics = st;
  return out;
}

/** Parses a captured ConformanceReport (GEP-1709). Returns an error message instead of throwing. */
export function parseConformanceReport(file: ConformanceReportFile): ParsedConformanceReport | { file: string; error: string } {
  let doc: unknown;
  try {
    doc = parseYaml(new TextDecoder().decode(file.bytes));
  } catch (e) {
    return { file: file.name, error: `expected YAML, found a parse error: ${(e as Error).message}` };
  }
  if (typeof doc !== 'object' || doc === null || (doc as Record<string, unknown>)['kind'] !== 'ConformanceReport') {
    return { file: file.name, error: 'expected a document of kind ConformanceReport' };
  }
  const d = doc as Record<string, unknown>;
  const impl = record(d['implementation']) ?? {};
  const out: ParsedConformanceReport = {
    file: file.name,
    implementation: {},
    profiles: [],
    contact: strings(impl['contact']),
    succeededProvisionalTests: strings(d['succeededProvisionalTests']),
    passed: new Set(),
    failed: new Set(),
  };
  // `date` is an RFC 3339 string; a YAML timestamp without quotes would arrive as a string too (yaml 1.2 core schema).
  const date = str(d['date']);
  if (date) out.date = date;
  const ver = str(d['gatewayAPIVersion']);
  if (ver) out.gatewayAPIVersion = ver;
  const chan = str(d['gatewayAPIChannel']);
  if (chan) out.gatewayAPIChannel = chan;
  const mode = str(d['mode']);
  if (mode) out.mode = mode;
  for (const k of ['organization', 'project', 'version'] as const) {
    // Versions such as 1.27 or 2.18 are written unquoted by some implementations: YAML reads a number.
    const raw = impl[k];
    const v = typeof raw === 'number' ? String(raw) : str(raw);
    if (v) out.implementation[k] = v;
  }
  const url = str(impl['url']);
  if (url) out.implementationUrl = url;
  const failedCandidates = new Set<string>();
  for (const p of Array.isArray(d['profiles']) ? d['profiles'] : []) {
    const pr = record(p);
    if (!pr) continue;
    const name = str(pr['name']) ?? '';
    const core = resultPart(pr['core']);
    const ext = resultPart(pr['extended']);
    const extRaw = record(pr['extended']) ?? {};
    const coreResult = core?.result;
    const extendedResult = ext?.result;
    const extendedFeatures = strings(extRaw['supportedFeatures']);
    const entry: ParsedConformanceProfile = { name, extendedFeatures, unsupportedFeatures: strings(extRaw['unsupportedFeatures']) };
    const summary = str(pr['summary']);
    if (summary !== undefined) entry.summary = summary;
    if (coreResult) entry.coreResult = coreResult;
    if (extendedResult) entry.extendedResult = extendedResult;
    if (core) entry.core = core;
    if (ext) entry.extended = ext;
    out.profiles.push(entry);
    const coreFeatures = PROFILE_CORE_FEATURES[name] ?? [];
    for (const f of coreFeatures) (coreResult === 'success' || coreResult === 'partial' ? out.passed : failedCandidates).add(f);
    for (const f of extendedFeatures) (extendedResult === 'failure' ? failedCandidates : out.passed).add(f);
  }
  for (const f of failedCandidates) if (!out.passed.has(f)) out.failed.add(f);
  return out;
}

function claimedFeatures(gc: KubeObject): string[] | undefined {
  const sf = gc.status?.supportedFeatures;
  if (!Array.isArray(sf)) return undefined;
  // v1.1 wrote plain strings; v1.2+ writes {name: FeatureName}.
  return sf
    .map((x: unknown) => (typeof x === 'string' ? x : typeof x === 'object' && x !== null ? str((x as Record<string, unknown>)['name']) : undefined))
    .filter((x: string | undefined): x is string => !!x)
    .sort(compareStrings);
}

function reportMatchesClass(r: ParsedConformanceReport, controllerName: string): boolean {
  const c = controllerName.toLowerCase();
  return [r.implementation.organization, r.implementation.project].some((v) => v !== undefined && v.length > 2 && c.includes(v.toLowerCase().replace(/^.*\//, '')));
}

function versionOf(v: string): string {
  return v.replace(/^v/, '');
}

export function conformanceCrosschecks(objects: readonly KubeObject[], reports: readonly ConformanceReportFile[]): Finding[] {
  const findings: Finding[] = [];
  const parsed: ParsedConformanceReport[] = [];
  for (const f of reports) {
    const r = parseConformanceReport(f);
    if ('error' in r) {
      findings.push({ code: 'CONFORMANCE_REPORT_INVALID', severity: 'warning', subject: `ConformanceReport ${f.name}`, message: `ConformanceReport ${f.name}: ${r.error}` });
      continue;
    }
    parsed.push(r);
    findings.push({
      code: 'CONFORMANCE_REPORT',
      severity: 'info',
      subject: `ConformanceReport ${f.name}`,
      message: `ConformanceReport ${f.name}: ${r.implementation.organization ?? '?'}/${r.implementation.project ?? '?'} ${r.implementation.version ?? '(no version)'} against Gateway API ${r.gatewayAPIVersion ?? '(no version)'} ${r.gatewayAPIChannel ?? ''}; profiles ${r.profiles.map((p) => `${p.name} core=${p.coreResult ?? '-'} extended=${p.extendedResult ?? '-'}`).join(', ') || 'none'}`.replace(/ ;/, ';'),
      detail: {
        implementation: { ...(r.implementation.organization !== undefined ? { organization: r.implementation.organization } : {}), ...(r.implementation.project !== undefined ? { project: r.implementation.project } : {}), ...(r.implementation.version !== undefined ? { version: r.implementation.version } : {}) },
        gatewayAPIVersion: r.gatewayAPIVersion ?? null,
        profiles: r.profiles.map((p) => ({ name: p.name, ...(p.coreResult !== undefined ? { coreResult: p.coreResult } : {}), ...(p.extendedResult !== undefined ? { extendedResult: p.extendedResult } : {}), extendedFeatures: p.extendedFeatures })),
        passedFeatures: [...r.passed].sort(compareStrings) },
    });
    for (const key of ['organization', 'project', 'version'] as const) {
      if (r.implementation[key] === undefined) {
        findings.push({ code: 'CONFORMANCE_REPORT_INCOMPLETE', severity: 'warning', subject: `ConformanceReport ${f.name}`, message: `ConformanceReport ${f.name}: expected implementation.${key} (required by GEP-1709), found none` });
      }
    }
  }

  // GatewayClass supportedFeatures vs the report(s).
  for (const gc of objects) {
    if (gc.kind !== 'GatewayClass') continue;
    const claimed = claimedFeatures(gc);
    if (claimed === undefined) continue;
    const subject = `GatewayClass ${gc.metadata.name}`;
    const controllerName = String(gc.spec?.controllerName ?? '');
    if (parsed.length === 0) {
      findings.push({ code: 'CONFORMANCE_REPORT_ABSENT', severity: 'info', subject, message: `${subject} claims ${claimed.length} supported features but the capture holds no ConformanceReport to check them against` });
      continue;
    }
    const matching = parsed.length === 1 ? parsed : parsed.filter((r) => reportMatchesClass(r, controllerName));
    if (matching.length === 0) {
      findings.push({ code: 'CONFORMANCE_REPORT_UNMATCHED', severity: 'info', subject, message: `${subject} (${controllerName}): no captured ConformanceReport names this implementation (reports: ${parsed.map((r) => `${r.implementation.organization}/${r.implementation.project}`).join(', ')})` });
      continue;
    }
    const passed = new Set(matching.flatMap((r) => [...r.passed]));
    const failed = new Set(matching.flatMap((r) => [...r.failed]).filter((f) => !passed.has(f)));
    const files = matching.map((r) => r.file).join(', ');
    for (const f of claimed) {
      if (passed.has(f)) continue;
      if (failed.has(f)) {
        findings.push({ code: 'CONFORMANCE_FEATURE_FAILED', severity: 'warning', subject, message: `${subject} claims feature ${f}; ConformanceReport ${files} lists it only in a failed profile`, detail: { feature: f, reports: matching.map((r) => r.file) } });
      } else {
        findings.push({ code: 'CONFORMANCE_FEATURE_UNPROVEN', severity: 'warning', subject, message: `${subject} claims feature ${f}; ConformanceReport ${files} does not show it passed`, detail: { feature: f, reports: matching.map((r) => r.file) } });
      }
    }
    const unclaimed = [...passed].filter((f) => !claimed.includes(f)).sort(compareStrings);
    if (unclaimed.length > 0) {
      findings.push({ code: 'CONFORMANCE_FEATURE_UNCLAIMED', severity: 'info', subject, message: `${subject} does not claim features that ConformanceReport ${files} shows passed: ${unclaimed.join(', ')}`, detail: { features: unclaimed } });
    }
  }

  // CRD bundle-version vs report gatewayAPIVersion.
  const crdVersions = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const group = String(o.spec?.group ?? '');
    if (group !== GATEWAY_GROUP && group !== 'gateway.networking.x-k8s.io') continue;
    const v: unknown = o.metadata.annotations?.[BUNDLE_VERSION_ANNOTATION];
    if (typeof v !== 'string' || v === '') continue; // annotations are strings; a hostile bundle may hold a number
    const list = crdVersions.get(v) ?? [];
    list.push(o.metadata.name);
    crdVersions.set(v, list);
  }
  if (crdVersions.size > 1) {
    findings.push({
      code: 'CRD_BUNDLE_VERSIONS_MIXED',
      severity: 'warning',
      subject: 'CustomResourceDefinitions',
      message: `Gateway API CRDs carry different bundle versions: ${[...crdVersions].map(([v, n]) => `${v} (${n.length})`).join(', ')}`,
      detail: Object.fromEntries(crdVersions),
    });
  }
  for (const r of parsed) {
    if (!r.gatewayAPIVersion || crdVersions.size === 0) continue;
    const differing = [...crdVersions].filter(([v]) => versionOf(v) !== versionOf(r.gatewayAPIVersion!));
    if (differing.length === 0) continue;
    findings.push({
      code: 'CRD_VERSION_MISMATCH',
      severity: 'warning',
      subject: `ConformanceReport ${r.file}`,
      message: `ConformanceReport ${r.file} was run against Gateway API ${r.gatewayAPIVersion}, but the captured CRDs are bundle-version ${differing.map(([v, n]) => `${v} (${n.sort(compareStrings).join(', ')})`).join('; ')}`,
      detail: { gatewayAPIVersion: r.gatewayAPIVersion, crdVersions: Object.fromEntries(differing) },
    });
  }
  return findings;
}

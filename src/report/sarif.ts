/**
 * SARIF 2.1.0 rendering (OASIS sarif-v2.1.0, section 3): one run, one reportingDescriptor (rule) per finding
 * code, one result per finding with its level from the severity and logical locations for the objects. Pure.
 */
import type { Severity } from '../model/finding.ts';
import type { ReportFinding, ReportModel } from './model.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

// SARIF 3.27.10 level: error | warning | note | none.
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** `Kind.group/ns/name` or `Kind ns/name` -> a logical location (SARIF 3.33). */
function logicalLocation(object: string): { name: string; fullyQualifiedName: string; kind: string } {
  const slash = object.lastIndexOf('/');
  return { name: slash >= 0 ? object.slice(slash + 1) : object, fullyQualifiedName: object, kind: 'object' };
}

function objectsOf(f: ReportFinding): string[] {
  const objs = ((f.detail?.objects as unknown[] | undefined) ?? []).map(String);
  const all = [...(f.subject ? [f.subject] : []), ...objs];
  return [...new Set(all)];
}

export interface SarifOptions {
  /**
   * URI of the bundle file, used as the physical artifact of every result (code-scanning UIs need one). Must be
   * a URI reference (SARIF 3.10.3: artifactLocation.uri): use sarifArtifactUri to turn a file path into one.
   */
  artifactUri?: string;
}

/**
 * A file path as a SARIF artifact URI (RFC 3986 URI reference, SARIF 3.10.3): relative paths stay relative with
 * `/` separators and percent-encoding; absolute paths become `file://` URIs. Pure (no cwd lookup).
 * @example sarifArtifactUri('out/q 1.tar.gz') === 'out/q%201.tar.gz'; sarifArtifactUri('/tmp/b.tar.gz') === 'file:///tmp/b.tar.gz'
 */
export function sarifArtifactUri(path: string): string {
  const p = path.replace(/\\/g, '/');
  const encode = (x: string): string => x.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  const drive = /^([A-Za-z]):\//.exec(p);
  if (drive) return `file:///${drive[1]}:${encode(p.slice(2))}`;
  return p.startsWith('/') ? `file://${encode(p)}` : encode(p);
}

export function renderSarif(m: ReportModel, opts: SarifOptions = {}): string {
  const codes = [...new Set(m.findings.map((f) => f.code))].sort();
  const rules = codes.map((code) => {
    const first = m.findings.find((f) => f.code === code)!;
    const worst = m.findings.filter((f) => f.code === code).reduce<Severity>((a, f) => (f.severity === 'error' || (f.severity === 'warning' && a === 'info') ? f.severity : a), 'info');
    return {
      id: code,
      name: code,
      shortDescription: { text: `${code} (${first.source})` },
      defaultConfiguration: { level: LEVEL[worst] },
      properties: { source: first.source },
    };
  });
  const results = m.findings.map((f) => {
    const locs = objectsOf(f);
    const result: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          ...(opts.artifactUri ? { physicalLocation: { artifactLocation: { uri: opts.artifactUri } } } : {}),
          logicalLocations: locs.length > 0 ? locs.map(logicalLocation) : [{ name: 'bundle', fullyQualifiedName: m.bundle.id, kind: 'module' }],
        },
      ],
      partialFingerprints: { findingKey: `${f.code}|${f.subject ?? ''}|${f.message}` },
      properties: {
        id: f.id,
        object: f.object,
        source: f.source,
        severity: f.severity,
        ...(f.rule !== undefined ? { policyRule: f.rule } : {}),
        ...(f.restatedBy ? { sameFactAs: f.restatedBy } : {}),
        ...(f.restates ? { sameFactAs: f.restates } : {}),
        ...(f.detail ? { detail: f.detail } : {}),
      },
    };
    return result;
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gateway-evidence', version: m.tool.version, rules } },
        automationDetails: { id: `gateway-evidence/${m.bundle.id}` },
        ...(opts.artifactUri ? { artifacts: [{ location: { uri: opts.artifactUri } }] } : {}),
        results,
        properties: {
          bundleId: m.bundle.id,
          capturedAt: m.bundle.capturedAt,
          scope: m.bundle.scopeLabel,
          partial: m.bundle.partial,
          verification: m.verification.status,
          verificationHeadline: m.verification.headline,
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

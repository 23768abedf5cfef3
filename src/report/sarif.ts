/**
 * SARIF 2.1.0 rendering (OASIS sarif-v2.1.0, section 3): one run, one reportingDescriptor (rule) per finding
 * code, one result per finding with its level from the severity and logical locations for the objects. Pure.
 */
import type { Severity } from '../model/finding.ts';
import { sha256Hex } from '../crypto/index.ts';
import type { ReportFinding, ReportModel } from './model.ts';
import { DOCS_BASE_URI, sarifRule } from './sarif-rules.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

// SARIF 3.27.10 level: error | warning | note | none.
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** `Kind.group/ns/name` or `Kind ns/name` -> a logical location (SARIF 3.33). */
function logicalLocation(object: string): { name: string; fullyQualifiedName: string; kind: string } {
  const slash = object.lastIndexOf('/');
  return { name: slash >= 0 ? object.slice(slash + 1) : object, fullyQualifiedName: object, kind: 'object' };
}

/** `Gateway infra/gw listener http` -> `Gateway infra/gw` (the object a subject label starts with). */
function objectOfLabel(label: string): string {
  const m = /^([A-Z][A-Za-z]*) (\S+)/.exec(label);
  return m ? `${m[1]} ${m[2]}` : label;
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
  /**
   * Object key (`Kind.group/ns/name`, model/object.ts refKey) -> path of the object file inside the bundle
   * (`data/objects/...json`, bundle/layout.ts objectPath): results point at these files (uriBaseId BUNDLE).
   */
  objectFiles?: Readonly<Record<string, string>>;
  /** Object label (`Kind ns/name`, as finding subjects write it) -> object key (`Kind.group/ns/name`). */
  objectKeys?: Readonly<Record<string, string>>;
}

/** The uriBaseId of paths inside a bundle: the bag root directory, named after the bundle id (docs/sarif.md). */
export const BUNDLE_URI_BASE = 'BUNDLE';

/**
 * A fingerprint that is stable from quarter to quarter (issue 10): the rule, the subject, the objects on the
 * path, the policy rule and the message with every digit run replaced by `#` (so day counts, times, dates and
 * bundle ids in a message do not change it, while two findings about different listeners or conditions of
 * one object stay apart), hashed. `occurrence` > 1 tells identical findings apart, in report order.
 */
export function findingFingerprint(f: Pick<ReportFinding, 'code' | 'subject' | 'detail' | 'rule' | 'message'>, occurrence = 1): string {
  const objects = ((f.detail?.objects as unknown[] | undefined) ?? []).map(String).sort();
  const shape = f.message.replace(/gwe-[0-9a-z]+-[0-9a-f]+/g, 'gwe-#').replace(/[0-9]+/g, '#');
  return sha256Hex(UTF8.encode(JSON.stringify([f.code, f.subject ?? '', objects, f.rule ?? '', shape, occurrence])));
}

const UTF8 = new TextEncoder();

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
  // Per code, in one pass: its first finding (the rule's source) and its worst severity.
  const byCode = new Map<string, { first: ReportFinding; worst: Severity }>();
  for (const f of m.findings) {
    const c = byCode.get(f.code);
    if (!c) byCode.set(f.code, { first: f, worst: f.severity });
    else if (f.severity === 'error' || (f.severity === 'warning' && c.worst === 'info')) c.worst = f.severity;
  }
  const codes = [...byCode.keys()].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code) => {
    const { first, worst } = byCode.get(code)!;
    return sarifRule(code, worst, first.source, LEVEL[worst]);
  });
  const files = opts.objectFiles ?? {};
  const keys = opts.objectKeys ?? {};
  const seen = new Map<string, number>();
  const results = m.findings.map((f) => {
    // Subjects in label form (`Gateway infra/gw listener http`) become the object's key, so the logical
    // location is the documented `Kind.group/namespace/name` (docs/findings.md) and the file can be found.
    const locs = [...new Set(objectsOf(f).map((o) => keys[o] ?? keys[objectOfLabel(o)] ?? o))];
    const base = findingFingerprint(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    // The first object with a file in the bundle is the annotatable location (SARIF 3.28); bundle-level
    // findings point at bag-info.txt (the bundle's identity). Object files are one-line canonical JSON.
    const file = locs.map((o) => files[o]).find((x) => x !== undefined) ?? 'bag-info.txt';
    const result: Record<string, unknown> = {
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: file, uriBaseId: BUNDLE_URI_BASE }, region: { startLine: 1 } },
          logicalLocations: locs.length > 0 ? locs.map(logicalLocation) : [{ name: 'bundle', fullyQualifiedName: m.bundle.id, kind: 'module' }],
        },
      ],
      partialFingerprints: { 'findingKey/v2': n === 1 ? base : findingFingerprint(f, n) },
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
  // automationDetails.id "category/": one category per cluster, so alerts track across quarterly bundles
  // (GitHub code scanning uses the part before the last "/" as the analysis category).
  const cluster = m.bundle.cluster.name ?? m.bundle.cluster.uid ?? 'unnamed-cluster';
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gateway-evidence', version: m.tool.version, semanticVersion: m.tool.version, informationUri: DOCS_BASE_URI.replace(/blob\/main\/docs\/$/, ''), rules } },
        automationDetails: { id: `gateway-evidence/${cluster}/` },
        originalUriBaseIds: {
          // No `uri`: the root is wherever the reviewer extracts the bundle (SARIF 3.14.14 allows an entry
          // without one; a relative top-level uri would be invalid, SARIF1004). The description names it.
          [BUNDLE_URI_BASE]: {
            description: { text: `the root directory of bundle ${m.bundle.id} (tar -xzf extracts it under this name)${opts.artifactUri ? `; bundle file ${opts.artifactUri}` : ''}` },
          },
        },
        ...(opts.artifactUri ? { artifacts: [{ location: { uri: opts.artifactUri }, description: { text: 'the evidence bundle' } }] } : {}),
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

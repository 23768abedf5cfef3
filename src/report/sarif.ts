/**
 * SARIF 2.1.0 rendering (OASIS sarif-v2.1.0, section 3): one run, one reportingDescriptor (rule) per finding
 * code, one result per finding with its level from the severity and logical locations for the objects. Pure.
 */
import type { Severity } from '../model/finding.ts';
import { sha256Hex } from '../crypto/index.ts';
import { terminalSafe } from '../model/escape.ts';
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

/** The finding's subject, then its detail.objects, each once in that order (a Set's order, without one). */
function objectsOf(f: ReportFinding): string[] {
  const all: string[] = f.subject ? [f.subject] : [];
  for (const o of (f.detail?.objects as unknown[] | undefined) ?? []) {
    const s = String(o);
    if (!all.includes(s)) all.push(s);
  }
  return all;
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
  objectFiles?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** Object label (`Kind ns/name`, as finding subjects write it) -> object key (`Kind.group/ns/name`). */
  objectKeys?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
}

/** A lookup in either form of map SarifOptions takes (a Map of 21k keys is built ~2x faster than a record). */
function lookup(m: Readonly<Record<string, string>> | ReadonlyMap<string, string> | undefined): (k: string) => string | undefined {
  if (m === undefined) return () => undefined;
  if (m instanceof Map) return (k) => m.get(k);
  const r = m as Readonly<Record<string, string>>;
  return (k) => r[k];
}

/** The uriBaseId of paths inside a bundle: the bag root directory, named after the bundle id (docs/sarif.md). */
export const BUNDLE_URI_BASE = 'BUNDLE';

/**
 * A fingerprint that is stable from quarter to quarter (issue 10): the rule, the subject, the objects on the
 * path, the policy rule and the message with every digit run replaced by `#` (so day counts, times, dates and
 * bundle ids in a message do not change it, while two findings about different listeners or conditions of
 * one object stay apart), hashed. `occurrence` > 1 tells identical findings apart, in report order.
 */
const NO_OBJECTS: readonly string[] = [];

export function findingFingerprint(f: Pick<ReportFinding, 'code' | 'subject' | 'detail' | 'rule' | 'message'>, occurrence = 1): string {
  const listed = f.detail?.objects as unknown[] | undefined;
  const objects = listed == null || listed.length === 0 ? NO_OBJECTS : listed.map(String).sort();
  const shape = (f.message.includes('gwe-') ? f.message.replace(/gwe-[0-9a-z]+-[0-9a-f]+/g, 'gwe-#') : f.message).replace(/[0-9]+/g, '#');
  // The text straight into sha256Hex (hashed as its UTF-8, as TextEncoder encodes it): no byte array per finding.
  return sha256Hex(JSON.stringify([f.code, f.subject ?? '', objects, f.rule ?? '', shape, occurrence]));
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

// The same region for every result (a file-level location of a one-line object file): one shared object,
// which JSON.stringify writes in each place.
const FIRST_LINE = Object.freeze({ startLine: 1 });

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
  const fileOf = lookup(opts.objectFiles);
  const keyOf = lookup(opts.objectKeys);
  const seen = new Map<string, number>();
  const locationsOfSubject = new Map<string, unknown[]>();
  const locationsOf = (f: ReportFinding): unknown[] => {
    // Subjects in label form (`Gateway infra/gw listener http`) become the object's key, so the logical
    // location is the documented `Kind.group/namespace/name` (docs/findings.md) and the file can be found.
    const locs: string[] = [];
    for (const o of objectsOf(f)) {
      const k = keyOf(o) ?? keyOf(objectOfLabel(o)) ?? o;
      if (!locs.includes(k)) locs.push(k);
    }
    // The first object with a file in the bundle is the annotatable location (SARIF 3.28); bundle-level
    // findings point at bag-info.txt (the bundle's identity). Object files are one-line canonical JSON.
    let file: string | undefined;
    for (const o of locs) if ((file = fileOf(o)) !== undefined) break;
    const logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[] = [];
    for (const o of locs) logicalLocations.push(logicalLocation(o));
    if (locs.length === 0) logicalLocations.push({ name: 'bundle', fullyQualifiedName: m.bundle.id, kind: 'module' });
    return [{ physicalLocation: { artifactLocation: { uri: file ?? 'bag-info.txt', uriBaseId: BUNDLE_URI_BASE }, region: FIRST_LINE }, logicalLocations }];
  };
  // One result object per finding, built with a fixed shape (no spread, Set or intermediate array per result:
  // 37k results at 10k routes, issue 13); JSON.stringify below writes the members in this insertion order.
  const results = new Array<unknown>(m.findings.length);
  for (let i = 0; i < m.findings.length; i++) {
    const f = m.findings[i]!;
    const base = findingFingerprint(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    // A finding without detail.objects is located by its subject alone: the findings about one subject (a
    // route has three or four) share one locations array, which JSON.stringify writes in each place.
    const bySubjectOnly = (f.detail?.objects as unknown[] | undefined) === undefined;
    let locations = bySubjectOnly ? locationsOfSubject.get(f.subject ?? '') : undefined;
    if (locations === undefined) {
      locations = locationsOf(f);
      if (bySubjectOnly) locationsOfSubject.set(f.subject ?? '', locations);
    }
    const properties: Record<string, unknown> = { id: f.id, object: f.object, source: f.source, severity: f.severity };
    if (f.rule !== undefined) properties['policyRule'] = f.rule;
    if (f.restatedBy) properties['sameFactAs'] = f.restatedBy;
    if (f.restates) properties['sameFactAs'] = f.restates;
    if (f.detail) properties['detail'] = f.detail;
    results[i] = {
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations,
      partialFingerprints: { 'findingKey/v2': n === 1 ? base : findingFingerprint(f, n) },
      properties,
    };
  }
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

/**
 * The SARIF log as the CLI writes it to a file: the UTF-8 of `terminalSafe(renderSarif(m, opts))`
 * (src/model/escape.ts), byte for byte, without terminalSafe's scan of the whole text where it can change
 * nothing (issue 13: 62 MiB at 10k routes). JSON.stringify escapes every C0 control (and lone surrogates) and
 * the layout around its strings is spaces, newlines and punctuation, so a text whose UTF-8 is as long as the
 * text (every character ASCII) holds no character terminalSafe changes but DEL, which is looked for natively.
 * Writing the results straight to bytes instead of the tree was measured slower (per-result templates with
 * JSON.stringify of each value, or JSON.stringify of batches re-indented: 1.2-1.5 s against 0.9-1.0 s for
 * the tree and one JSON.stringify, in-process, 10k routes; bench/README.md "report").
 * test/unit/report/sarif-bytes.test.ts holds the equality, hostile strings included.
 */
export function renderSarifBytes(m: ReportModel, opts: SarifOptions = {}): Uint8Array {
  const text = renderSarif(m, opts);
  const encoder = new TextEncoder();
  const bytes = encoder.encode(text);
  if (bytes.length === text.length && !text.includes('\x7f')) return bytes;
  return encoder.encode(terminalSafe(text));
}

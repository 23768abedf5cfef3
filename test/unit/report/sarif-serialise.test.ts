// Issue 13: renderSarif builds its results without per-result spreads, Sets and arrays, shares the locations
// of findings about one subject, and the CLI gives it a findings-only model. The output must stay
// JSON.stringify(tree, null, 2) of the documented tree, byte for byte: held here against that tree built the
// straightforward way (the implementation before issue 13), over the report fixtures and hostile-shaped
// findings, with the object maps as records and as Maps.
import { describe, expect, it } from 'vitest';
import { buildReportModel, type ReportFinding, type ReportInput, type ReportModel } from '../../../src/report/index.ts';
import { findingFingerprint, renderSarif, SARIF_SCHEMA, BUNDLE_URI_BASE, type SarifOptions } from '../../../src/report/sarif.ts';
import { DOCS_BASE_URI, sarifRule } from '../../../src/report/sarif-rules.ts';
import type { Severity } from '../../../src/model/finding.ts';
import type { VerificationReport } from '../../../src/verify/report-types.ts';
import { reportTestInput, reportTestPolicy } from '../policy/fixture.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The SARIF log as a plain object tree, as renderSarif documents it (SARIF 2.1.0; docs/sarif.md). */
function referenceSarif(m: ReportModel, opts: { artifactUri?: string; objectFiles?: Record<string, string>; objectKeys?: Record<string, string> } = {}): string {
  const byCode = new Map<string, { first: ReportFinding; worst: Severity }>();
  for (const f of m.findings) {
    const c = byCode.get(f.code);
    if (!c) byCode.set(f.code, { first: f, worst: f.severity });
    else if (f.severity === 'error' || (f.severity === 'warning' && c.worst === 'info')) c.worst = f.severity;
  }
  const codes = [...byCode.keys()].sort();
  const rules = codes.map((code) => sarifRule(code, byCode.get(code)!.worst, byCode.get(code)!.first.source, LEVEL[byCode.get(code)!.worst]));
  const files = opts.objectFiles ?? {};
  const keys = opts.objectKeys ?? {};
  const seen = new Map<string, number>();
  const objectOfLabel = (label: string): string => {
    const x = /^([A-Z][A-Za-z]*) (\S+)/.exec(label);
    return x ? `${x[1]} ${x[2]}` : label;
  };
  const results = m.findings.map((f) => {
    const objs = ((f.detail?.objects as unknown[] | undefined) ?? []).map(String);
    const locs = [...new Set([...new Set([...(f.subject ? [f.subject] : []), ...objs])].map((o) => keys[o] ?? keys[objectOfLabel(o)] ?? o))];
    const base = findingFingerprint(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const file = locs.map((o) => files[o]).find((x) => x !== undefined) ?? 'bag-info.txt';
    return {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: file, uriBaseId: BUNDLE_URI_BASE }, region: { startLine: 1 } },
          logicalLocations:
            locs.length > 0
              ? locs.map((o) => ({ name: o.lastIndexOf('/') >= 0 ? o.slice(o.lastIndexOf('/') + 1) : o, fullyQualifiedName: o, kind: 'object' }))
              : [{ name: 'bundle', fullyQualifiedName: m.bundle.id, kind: 'module' }],
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
  });
  const cluster = m.bundle.cluster.name ?? m.bundle.cluster.uid ?? 'unnamed-cluster';
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gateway-evidence', version: m.tool.version, semanticVersion: m.tool.version, informationUri: DOCS_BASE_URI.replace(/blob\/main\/docs\/$/, ''), rules } },
        automationDetails: { id: `gateway-evidence/${cluster}/` },
        originalUriBaseIds: {
          [BUNDLE_URI_BASE]: { description: { text: `the root directory of bundle ${m.bundle.id} (tar -xzf extracts it under this name)${opts.artifactUri ? `; bundle file ${opts.artifactUri}` : ''}` } },
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

const policy = reportTestPolicy();

function verification(): VerificationReport {
  return {
    formatVersion: 1,
    bundle: { id: 'gwe-x', capturedAt: '2026-11-01T00:00:00Z', cluster: {}, partial: false, collectorVersion: '0.1.0', previousBundle: null },
    verdict: 'verified-with-findings',
    integrity: { ok: true, files: 10, bytes: 1000 },
    signatures: [{ keyId: 'ed25519:abc', hint: 'ed25519:abc', name: 'platform-security', role: 'security', trusted: true, valid: true, counted: true }],
    trust: { source: 'trust.yaml', threshold: 1, counted: 1, required: [], missingRequired: [], satisfied: true },
    findings: [{ code: 'SIGNATURE_INVALID', severity: 'error', message: 'bundle-level, no subject' }],
    analysis: {
      ran: true,
      findings: [
        { code: 'STATUS_DRIFT', severity: 'warning', subject: 'Gateway infra/public listener https', message: 'attachedRoutes differs 3 vs 4' },
        { code: 'STATUS_DRIFT', severity: 'warning', subject: 'Gateway infra/public listener http', message: 'attachedRoutes differs 3 vs 4' },
        { code: 'EXPOSURE_SERVICE_TYPE', severity: 'info', subject: 'HTTPRoute tools/agent', message: 'one', detail: { objects: ['Service/tools/mystery', 'HTTPRoute tools/agent', 'Service/tools/mystery', 'Nope x/y'] } },
        { code: 'EXPOSURE_SERVICE_TYPE', severity: 'info', subject: 'HTTPRoute tools/agent', message: 'two gwe-20261101t000000z-4476990c7f91de92', detail: { objects: [], nested: { a: [1, { b: [] }], e: {} } } },
        { code: 'ODD', severity: 'info', subject: 'HTTPRoute tools/agent', message: 'u\u2028\u0007\ud800 "q"', detail: { objects: null as unknown as string[], s: 'x\ny' } },
      ],
    },
  };
}

function inputs(): [string, ReportInput][] {
  const base = reportTestInput;
  return [
    ['no policy, no verification', base()],
    ['policy (linked findings, rules)', { ...base(), policy, policySource: 'policy.yaml' }],
    ['policy and verification', { ...base(), policy, policySource: 'policy.yaml', verification: verification() }],
    ['verification', { ...base(), verification: verification() }],
  ];
}

function maps(m: ReportModel): { rec: SarifOptions & { objectFiles: Record<string, string>; objectKeys: Record<string, string> }; map: SarifOptions } {
  const objectFiles: Record<string, string> = { 'Service/tools/mystery': 'data/objects/core/service/tools/mystery.json' };
  const objectKeys: Record<string, string> = { 'HTTPRoute tools/agent': 'HTTPRoute.gateway.networking.k8s.io/tools/agent', 'Gateway infra/public': 'Gateway.gateway.networking.k8s.io/infra/public' };
  objectFiles['Gateway.gateway.networking.k8s.io/infra/public'] = 'data/objects/gateway.networking.k8s.io/gateway/infra/public.json';
  void m;
  return {
    rec: { artifactUri: 'out/q%201.tar.gz', objectFiles, objectKeys },
    map: { artifactUri: 'out/q%201.tar.gz', objectFiles: new Map(Object.entries(objectFiles)), objectKeys: new Map(Object.entries(objectKeys)) },
  };
}

describe('renderSarif serialisation (issue 13)', () => {
  for (const [name, input] of inputs()) {
    it(`is JSON.stringify(tree, null, 2) of the documented tree, byte for byte: ${name}`, () => {
      const m = buildReportModel(input);
      expect(m.findings.length).toBeGreaterThan(0);
      const { rec, map } = maps(m);
      const expected = referenceSarif(m, rec);
      expect(renderSarif(m, rec)).toBe(expected);
      expect(renderSarif(m, map)).toBe(expected);
      expect(renderSarif(m)).toBe(referenceSarif(m));
    });

    it(`gives the same SARIF from a findings-only model as from the full one: ${name}`, () => {
      const full = buildReportModel(input);
      const only = buildReportModel({ ...input, findingsOnly: true });
      expect(only.findings).toEqual(full.findings);
      expect(only.summary).toEqual(full.summary);
      expect(only.verification).toEqual(full.verification);
      expect(only.bundle).toEqual(full.bundle);
      expect(only.routing).toEqual([]);
      const { map } = maps(full);
      expect(renderSarif(only, map)).toBe(renderSarif(full, map));
    });
  }

  it('writes a run without results as the empty array', () => {
    const m = buildReportModel(inputs()[0]![1]);
    const empty = { ...m, findings: [] };
    expect(renderSarif(empty)).toBe(referenceSarif(empty));
    expect(renderSarif(empty)).toContain('"results": []');
  });

  it('numbers identical findings apart and keeps a shared subject location per finding', () => {
    const m = buildReportModel(inputs()[0]![1]);
    const f = m.findings[0]!;
    const twins = { ...m, findings: [f, { ...f, id: 'F2' }, { ...f, id: 'F3', detail: { ...(f.detail ?? {}), objects: ['Service/tools/mystery'] } }] };
    const out = renderSarif(twins);
    expect(out).toBe(referenceSarif(twins));
    const fps = (JSON.parse(out) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }).runs[0]!.results.map((r) => r.partialFingerprints['findingKey/v2']);
    expect(new Set(fps).size).toBe(3);
  });
});

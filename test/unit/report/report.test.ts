import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildReportModel, REPORT_FORMATS, renderReport, type ReportInput } from '../../../src/report/index.ts';
import type { VerificationReport } from '../../../src/verify/report-types.ts';
import { fixture, svc, reportTestPolicy } from '../policy/fixture.ts';

const policy = reportTestPolicy();

function input(extra: Partial<ReportInput> = {}): ReportInput {
  const { capture, resolution } = fixture();
  return { capture, resolution, bundleId: 'sha256:0123abcd', toolVersion: '0.1.0', policy, policySource: 'policy.yaml', ...extra };
}

function verification(): VerificationReport {
  return {
    formatVersion: 1,
    bundle: { id: 'sha256:0123abcd', capturedAt: '2026-11-01T00:00:00Z', cluster: {}, partial: false, collectorVersion: '0.1.0', previousBundle: null },
    verdict: 'verified-with-findings',
    integrity: { ok: true, files: 10, bytes: 1000 },
    signatures: [{ keyId: 'ed25519:abc', hint: 'ed25519:abc', name: 'platform-security', role: 'security', trusted: true, valid: true, counted: true }],
    trust: { source: 'trust.yaml', threshold: 1, counted: 1, required: [], missingRequired: [], satisfied: true },
    findings: [],
    analysis: { ran: true, findings: [{ code: 'STATUS_DRIFT', severity: 'warning', subject: 'Gateway.gateway.networking.k8s.io/infra/public', message: 'attachedRoutes differs' }] },
  };
}

describe('buildReportModel', () => {
  it('states "signature not checked" without a trust root and collects findings from every source', () => {
    const m = buildReportModel(input());
    expect(m.verification.status).toBe('not-checked');
    expect(m.verification.headline).toMatch(/^SIGNATURE NOT CHECKED/);
    const codes = m.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['POLICY_SERVICE_TYPE_NOT_ALLOWED', 'POLICY_CERTIFICATE_EXPIRING', 'POLICY_UNEXPECTED_CROSS_NAMESPACE', 'UNCLASSIFIED_SERVICE']));
    expect(m.routing).toHaveLength(6);
    const admin = m.routing.find((r) => r.backend.name === 'console')!;
    expect(admin.public).toBe(true);
    expect(admin.serviceType).toBe('admin');
    expect(admin.findings).toContain('POLICY_SERVICE_TYPE_NOT_ALLOWED');
    expect(m.certificates[0]).toMatchObject({ secret: 'Secret/infra/tls', daysRemaining: 9, status: 'expiring' });
    expect(m.summary.errors).toBe(m.findings.filter((f) => f.severity === 'error').length);
  });

  it('uses the verification report: verdict, signers, analysis findings', () => {
    const m = buildReportModel(input({ verification: verification() }));
    expect(m.verification.status).toBe('verified-with-findings');
    expect(m.verification.headline).toContain('platform-security');
    expect(m.verification.signers).toHaveLength(1);
    expect(m.findings.find((f) => f.code === 'STATUS_DRIFT')!.source).toBe('analysis');
  });

  it('reports unclassified backends without a policy', () => {
    const m = buildReportModel(input({ policy: undefined }));
    expect(m.findings.map((f) => f.code)).toEqual(['UNCLASSIFIED_SERVICE']);
    expect(m.policy).toBeUndefined();
  });
});

describe('renderers', () => {
  it('every format states bundle id, capture time, scope and partial', () => {
    const i = input();
    i.capture.record.partial = true;
    i.capture.record.scope = { namespaces: ['models', 'admin'] };
    i.capture.record.gaps = [{ kind: 'Secret', namespace: 'admin', status: 403, message: 'forbidden' }];
    const m = buildReportModel(i);
    for (const f of REPORT_FORMATS) {
      const s = renderReport(m, f);
      expect(s, f).toContain('sha256:0123abcd');
      expect(s, f).toContain('2026-11-01T00:00:00Z');
      expect(s, f).toMatch(/namespaces models, admin|"namespaces": \[/);
      expect(s, f).toMatch(/partial|PARTIAL|Partial/);
    }
    expect(renderReport(m, 'text')).toContain('Partial   YES: 1 gap(s)');
  });

  it('json validates against schemas/report.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/report.schema.json', 'utf8')));
    for (const m of [buildReportModel(input()), buildReportModel(input({ verification: verification() })), buildReportModel(input({ policy: undefined }))]) {
      const ok = validate(JSON.parse(renderReport(m, 'json')));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
    // and the schema is not vacuous
    const bad = JSON.parse(renderReport(buildReportModel(input()), 'json'));
    bad.bundle.partial = 'no';
    expect(validate(bad)).toBe(false);
  });

  it('sarif 2.1.0: one rule per code, levels from severity, logical locations', () => {
    const m = buildReportModel(input());
    const s = JSON.parse(renderReport(m, 'sarif', { artifactUri: 'bundle.tar.gz' }));
    expect(s.version).toBe('2.1.0');
    expect(s.$schema).toMatch(/sarif-2\.1\.0/);
    expect(s.runs).toHaveLength(1);
    const run = s.runs[0];
    expect(run.tool.driver.name).toBe('gateway-evidence');
    const codes = [...new Set(m.findings.map((f) => f.code))].sort();
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(codes);
    expect(run.results).toHaveLength(m.findings.length);
    for (const [i, r] of (run.results as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[]).entries()) {
      const f = m.findings[i]!;
      expect(r.ruleId).toBe(f.code);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.code);
      expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity]);
      expect(typeof r.message.text).toBe('string');
      expect(r.locations[0]!.logicalLocations.length).toBeGreaterThan(0);
    }
    const admin = run.results.find((r: { ruleId: string }) => r.ruleId === 'POLICY_SERVICE_TYPE_NOT_ALLOWED');
    expect(admin.locations[0].logicalLocations.map((l: { fullyQualifiedName: string }) => l.fullyQualifiedName)).toContain('Service/admin/console');
    // Since issue 10 results point into the bundle (no objectFiles given here: bag-info.txt); the bundle file
    // is the run's artifact.
    expect(admin.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'bag-info.txt', uriBaseId: 'BUNDLE' });
    expect(run.artifacts[0].location.uri).toBe('bundle.tar.gz');
  });

  it('html is self-contained: no script, no external URL, inline SVG map', () => {
    const html = renderReport(buildReportModel(input({ verification: verification() })), 'html');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:|\/\/)/i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toMatch(/<svg class="exposure-map"/);
    expect(html).toContain('@media print');
    expect(html).toContain('VERIFIED WITH FINDINGS');
    expect(html.match(/class="route-row/g)).toHaveLength(6);
  });

  it('html map is deterministic and has a node per listener, route and service', () => {
    const a = renderReport(buildReportModel(input()), 'html');
    expect(renderReport(buildReportModel(input()), 'html')).toBe(a);
    const ids = [...a.matchAll(/<g class="node [^"]*" data-id="([^"]+)"/g)].map((x) => x[1]);
    expect(ids).toEqual(
      expect.arrayContaining(['l:infra/public/http', 'l:infra/public/https', 'r:HTTPRoute/admin/console', 'r:HTTPRoute/models/llm', 's:Service/models/llm-v1', 's:Service/admin/console']),
    );
    expect(a).toContain('r0 90%');
    expect(a).toMatch(/<g class="node service type-admin flagged error" data-id="s:Service\/admin\/console"/);
  });

  it('escapes hostile strings from the bundle in every format', () => {
    const i = input();
    const evil = '<script>alert(1)</script>';
    i.capture.snapshot.objects.push(svc('tools', 'x', {}, { note: evil }));
    const route = i.resolution.routing[1]!.hostnames[0]!.routes[0]!;
    route.name = `agent${evil}`;
    route.rules[0]!.backends[0]!.name = `svc${evil}`;
    i.capture.record.scope = { namespaces: [evil] };
    i.resolution.routing[1]!.hostnames[0]!.hostname = `"><img src=x onerror=alert(1)>.example.com`;
    i.capture.record.cluster.name = `${evil}\u001b[31m`;
    i.bundleId = `sha256:${evil}`;
    i.capture.record.gaps = [{ kind: 'Secret', message: evil }];
    const m = buildReportModel(i);
    const html = renderReport(m, 'html');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-id="s:Service/tools/svc&lt;script&gt;alert(1)&lt;/script&gt;"');
    const md = renderReport(m, 'markdown');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    const text = renderReport(m, 'text');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\x1b[31m');
    expect(JSON.parse(renderReport(m, 'json')).bundle.id).toBe(`sha256:${evil}`);
  });
});

describe('report: the operational record (issue 9)', () => {
  it('every format shows change history, owners, DNS files and attachments; bundle strings are escaped; json validates', async () => {
    const { withEvidence } = await import('../bundle/operational-fixtures.ts');
    const { resolve } = await import('../../../src/resolve/index.ts');
    const c = withEvidence();
    c.evidence!.attachments![0]!.name = 'evil<script>\u001b[2J.txt';
    c.record.attachments = [{ name: 'evil<script>\u001b[2J.txt', path: 'data/attachments/evil-script-2j.txt', mediaType: 'text/plain', sha256: 'a'.repeat(64), bytes: 10 }];
    c.evidence!.audit!.history.objects[0]!.changes[0]!.user = 'mallory|<b>\u001b[31m';
    const m = buildReportModel({ capture: c, resolution: resolve(c.snapshot.objects), bundleId: 'gwe-x', toolVersion: '0.1.0' });
    expect(m.operational?.audit?.history).toHaveLength(1);
    const text = renderReport(m, 'text');
    expect(text).toContain('Change history (audit window 2026-03-01T00:00:00Z .. 2026-03-31T00:00:00Z, 1 change event(s))');
    expect(text).toContain('2026-03-20T10:00:00Z patch by mallory|<b>\\x1b[31m -> 200');
    expect(text).toContain('Attachments (kept byte for byte, not parsed)');
    expect(text).not.toContain('\u001b');
    const md = renderReport(m, 'markdown');
    expect(md).toContain('## Change history');
    expect(md).toContain('mallory\\|&lt;b&gt;');
    const html = renderReport(m, 'html');
    expect(html).toContain('<table id="change-history">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('evil&lt;script&gt;');
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/report.schema.json', 'utf8')));
    expect(validate(JSON.parse(renderReport(m, 'json'))), JSON.stringify(validate.errors)).toBe(true);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

const ROOT = resolve('.');
let cwd = '';

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'gwe-report-'));
  const io = memoryIO({ cwd });
  const code = await main(
    ['collect', '--from', join(ROOT, 'samples/cluster'), '--out', 'b.tar.gz', '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '--captured-at', '2026-12-01T09:00:00Z', '--cluster-name', 'ai-platform-prod'],
    io,
  );
  if (code !== 0 && code !== 1) throw new Error(`collect failed (${code}): ${io.err()}`);
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function report(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ cwd });
  const code = await main(['report', 'b.tar.gz', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('gwe report on the sample platform', () => {
  it('without a trust root: says the signature was not checked, and the sample policy catches the deliberate misconfigurations', async () => {
    const r = await report(['--policy', join(ROOT, 'samples/policy.yaml'), '-o', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const m = JSON.parse(r.out);
    expect(m.verification.status).toBe('not-checked');
    expect(m.bundle.capturedAt).toBe('2026-12-01T09:00:00Z');
    expect(m.bundle.partial).toBe(false);
    const byRule = (id: string) => m.findings.filter((f: { detail?: { rule?: string } }) => f.detail?.rule === id);
    // Routing rows list the adjacent policies that cover them (issue 12): JWT on chat-public, only the rate limit
    // in front of the InferencePool route.
    const rowPolicies = (route: string) => [...new Set(m.routing.filter((x: { route: { name: string } }) => x.route.name === route).map((x: { policies?: string[] }) => JSON.stringify(x.policies ?? [])))];
    expect(rowPolicies('chat-public')).toEqual([JSON.stringify(['BackendTrafficPolicy infra/edge-rate-limit [rate-limit, traffic] (envoy-gateway)', 'SecurityPolicy chatbot/chat-public-jwt [authentication] (envoy-gateway)'])]);
    expect(rowPolicies('chat-completions')).toEqual([JSON.stringify(['BackendTrafficPolicy infra/edge-rate-limit [rate-limit, traffic] (envoy-gateway)'])]);
    expect(m.routing.find((x: { route: { name: string } }) => x.route.name === 'chat-completions').backend).toMatchObject({ kind: 'InferencePool', name: 'chat-llama' });
    expect(byRule('public-models-need-authentication').map((f: { subject: string }) => f.subject)).toEqual(['HTTPRoute.gateway.networking.k8s.io/chatbot/chat-completions']);
    // admin reachable on the public HTTP listener
    const admin = byRule('no-admin-on-public-listeners');
    expect(admin.map((f: { subject: string }) => f.subject)).toEqual(['Service/admin/admin-ui']);
    expect(admin[0].detail.path).toContain('listener http (HTTP 80) -> hostname admin.example.ai -> HTTPRoute admin/admin-ui rule 0 -> Service admin/admin-ui');
    expect(byRule('http-listener-platform-only').length).toBe(1);
    expect(byRule('tls-for-example-ai').length).toBe(1);
    // certificate expiring soon (agents/agents-tools-tls: 20-day certificate)
    const certs = byRule('certificates-30-days');
    expect(certs.map((f: { subject: string }) => f.subject)).toContain('Secret/agents/agents-tools-tls');
    // the ungranted cross-namespace backend (eval -> retrieval); the expected, granted one is not a finding
    const xns = byRule('expected-cross-namespace');
    expect(xns.map((f: { subject: string }) => f.subject)).toEqual(['HTTPRoute.gateway.networking.k8s.io/eval/eval-runner']);
    expect(xns[0].message).toContain('not allowed by any ReferenceGrant');
    expect(byRule('collector-signed').map((f: { code: string }) => f.code)).toEqual(['POLICY_SIGNERS_NOT_CHECKED']);
    // nothing unclassified in the sample
    expect(m.findings.filter((f: { code: string }) => f.code === 'UNCLASSIFIED_SERVICE')).toEqual([]);
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8')));
    expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
  });

  it('html and markdown routing tables list the adjacent policies of each row (kind, categories, implementation)', async () => {
    const html = (await report(['--policy', join(ROOT, 'samples/policy.yaml'), '-o', 'html'])).out;
    const rows = html.split('<tr class="route-row').slice(1).map((r) => r.split('</tr>')[0]!);
    const chatPublic = rows.filter((r) => r.includes('chat-<wbr>public'));
    expect(chatPublic.length).toBeGreaterThan(0);
    for (const r of chatPublic) {
      expect(r).toMatch(/<td class="policies">BackendTrafficPolicy infra\/<wbr>edge-<wbr>rate-<wbr>limit \[rate-<wbr>limit, traffic\] \(envoy-<wbr>gateway\)<br>SecurityPolicy chatbot\/<wbr>chat-<wbr>public-<wbr>jwt \[authentication\] \(envoy-<wbr>gateway\)<\/td>/);
    }
    const md = (await report(['--policy', join(ROOT, 'samples/policy.yaml'), '-o', 'markdown'])).out;
    const completions = md.slice(md.indexOf('## Routing table'), md.indexOf('## Gateways')).split('\n').filter((l) => l.includes('HTTPRoute chatbot/chat-completions'));
    expect(completions.length).toBeGreaterThan(0);
    for (const l of completions) expect(l).toContain('| BackendTrafficPolicy infra/edge-rate-limit \\[rate-limit, traffic\\] (envoy-gateway) |');
    expect(md).toContain('| Adjacent policies |');
  });

  it('gateways table: recorded and recomputed status side by side where they differ, in every format', async () => {
    const m = JSON.parse((await report(['-o', 'json'])).out);
    const gw = m.gateways.find((g: { name: string }) => g.name === 'shared-gw');
    const http = gw.listeners.find((l: { name: string }) => l.name === 'http');
    // The sample's controller recorded attachedRoutes 0 on the plain-HTTP listener; 1 route attaches.
    expect(http.attachedRoutes).toBe(1);
    expect(http.recordedDiffers).toEqual([{ field: 'attachedRoutes', recomputed: '1', recorded: '0' }]);
    expect(gw.listeners.filter((l: { recordedDiffers?: unknown }) => l.recordedDiffers).map((l: { name: string }) => l.name)).toEqual(['http']);
    expect(gw.recordedDiffers).toBeUndefined();
    const text = (await report([])).out;
    expect(text).toMatch(/listener http HTTP 80 accepted=true programmed=true routes=1 \(recorded: 0\)\n/);
    const html = (await report(['-o', 'html'])).out;
    expect(html).toContain('<td>1<div class="recorded" data-field="attachedRoutes">recorded: 0</div></td>');
    expect(html).toContain('(1 Gateway(s) differ)');
    const md = (await report(['-o', 'markdown'])).out;
    expect(md).toMatch(/\| infra\/shared-gw \| http \| HTTP \| 80 \| \\\* \| no \| true \| true \| 1 \(\*\*recorded 0\*\*\) \|/);
  });

  it('with --trust: verdict and signers up front; the signer rule is satisfied', async () => {
    const r = await report(['--trust', join(ROOT, 'keys/trust.yaml'), '--policy', join(ROOT, 'samples/policy.yaml')]);
    expect(r.code).toBe(1);
    const first = r.out.split('\n').slice(0, 4).join('\n');
    expect(first).toMatch(/VERIFIED WITH FINDINGS: signed by 1 \(1 required\): collector/);
    expect(r.out).toMatch(/Bundle    gwe-\S+\nCaptured  2026-12-01T09:00:00Z\nCluster   ai-platform-prod\nScope     all namespaces\nPartial   no/);
    expect(r.out).not.toContain('POLICY_SIGNERS_NOT_CHECKED');
    expect(r.out).not.toContain('POLICY_SIGNER_MISSING');
  });

  it('a wrong key makes the report exit 2 and say so', async () => {
    const r = await report(['--key', join(ROOT, 'keys/reviewer.pub.pem'), '-o', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('**VERIFICATION FAILED');
  });

  it('writes every format atomically with --out', async () => {
    for (const format of ['text', 'markdown', 'html', 'json', 'sarif']) {
      const out = `r.${format}`;
      const r = await report(['--policy', join(ROOT, 'samples/policy.yaml'), '-o', format, '--out', out]);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^wrote ${out.replace('.', '\\.')} \\(${format}\\)`));
      const body = readFileSync(join(cwd, out), 'utf8');
      expect(body.length).toBeGreaterThan(500);
    }
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const sarif = JSON.parse(readFileSync(join(cwd, 'r.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(3);
  });

  it('-o sarif --out FILE writes the bytes standard output gets (the file path renders straight to bytes, issue 13)', async () => {
    for (const args of [['--policy', join(ROOT, 'samples/policy.yaml')], ['--trust', join(ROOT, 'keys/trust.yaml')], []]) {
      const piped = await report([...args, '-o', 'sarif']);
      const filed = await report([...args, '-o', 'sarif', '--out', 'same.sarif']);
      expect(filed.code).toBe(piped.code);
      expect(filed.out).toBe('');
      expect(readFileSync(join(cwd, 'same.sarif')).equals(Buffer.from(piped.out, 'utf8'))).toBe(true);
      expect(JSON.parse(piped.out).runs[0].results.length).toBeGreaterThan(3);
    }
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a bad policy is exit 65 with every error and its path; a bad flag is 64', async () => {
    writeFileSync(join(cwd, 'bad.yaml'), 'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nrules:\n  - id: a\n    type: attachment\n    allowNamespaces: infra\n  - id: b\n    type: certificate-expiry\n');
    const r = await report(['--policy', 'bad.yaml']);
    expect(r.code).toBe(65);
    expect(r.err).toContain('bad.yaml: /rules/0/allowNamespaces: expected array, found string');
    expect(r.err).toContain('bad.yaml: /rules/1/minDaysValid: expected a value, found none (required)');
    expect((await report(['-o', 'pdf'])).code).toBe(64);
    expect((await report(['--trust', 'a', '--key', 'b'])).code).toBe(64);
  });

  it('gwe verify --policy folds the policy findings into the analysis (and the verify JSON schema still holds)', async () => {
    const io = memoryIO({ cwd });
    const code = await main(['verify', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '--policy', join(ROOT, 'samples/policy.yaml'), '--output', 'json'], io);
    expect(code).toBe(1);
    const r = JSON.parse(io.out());
    expect(r.verdict).toBe('verified-with-findings');
    const rules = new Set(r.analysis.findings.map((f: { detail?: { rule?: string } }) => f.detail?.rule).filter(Boolean));
    expect([...rules].sort()).toEqual(
      ['certificates-30-days', 'expected-cross-namespace', 'http-listener-platform-only', 'no-admin-on-public-listeners', 'public-models-need-authentication', 'tls-for-example-ai', 'tls-for-sensitive-services'].sort(),
    );
    // Issue 12: the public model endpoint without authentication is named (the InferencePool route), and the
    // JWT-protected chat-public route is not.
    const auth = r.analysis.findings.filter((f: { detail?: { rule?: string } }) => f.detail?.rule === 'public-models-need-authentication');
    expect(auth.map((f: { code: string; subject: string; severity: string }) => [f.code, f.severity, f.subject])).toEqual([
      ['POLICY_REQUIRED_POLICY_MISSING', 'error', 'HTTPRoute.gateway.networking.k8s.io/chatbot/chat-completions'],
    ]);
    expect(auth[0].message).toContain('InferencePool chatbot/chat-llama (public-model-endpoint)');
    expect(auth[0].message).toContain('listener https');
    expect(auth[0].message).toContain('category authentication');
    expect(auth[0].message).toContain("enforcement is the implementation's");
    const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/verify-report.schema.json'), 'utf8')));
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    // a policy that the sample satisfies adds nothing
    writeFileSync(join(cwd, 'ok.yaml'), 'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nrules:\n  - { id: signed, type: signers, required: [{ role: collector }] }\n');
    const io2 = memoryIO({ cwd });
    await main(['verify', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '--policy', 'ok.yaml', '--output', 'json'], io2);
    expect(JSON.parse(io2.out()).analysis.findings.filter((f: { code: string }) => f.code.startsWith('POLICY_'))).toEqual([]);
  });
});

// Issue 13: the report uses the analysis' spec resolution instead of resolving the capture again, but only when
// kindsPresent changed no lookup (AnalysisResult.specSameWithoutKindsPresent). The report's tables show the
// resolution without kindsPresent, so a capture that holds no Services still reads BackendNotFound in the routing
// table, while the analysis says the capture is incomplete.
describe('gwe report on a capture that holds no Services', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwe-report-kinds-'));
    writeFileSync(
      join(dir, 'routes.yaml'),
      `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/ctl}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: gc
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: apps}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules: [{backendRefs: [{name: svc, port: 80}]}]
`,
    );
    const io = memoryIO({ cwd: dir });
    const code = await main(['collect', '--from', 'routes.yaml', '--out', 'b.tar.gz', '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '--captured-at', '2026-12-01T09:00:00Z'], io);
    if (code !== 0 && code !== 1) throw new Error(`collect failed (${code}): ${io.err()}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the routing table keeps the reason of a resolution without kindsPresent, with and without a trust root', async () => {
    for (const trust of [[], ['--key', join(ROOT, 'keys/collector.pub.pem')]]) {
      const io = memoryIO({ cwd: dir });
      await main(['report', 'b.tar.gz', ...trust, '-o', 'json'], io);
      const m = JSON.parse(io.out());
      expect(m.routing.map((r: { backend: { name: string }; reason?: string }) => [r.backend.name, r.reason])).toEqual([['svc', 'BackendNotFound']]);
      expect(m.findings.filter((f: { code: string }) => f.code === 'CAPTURE_INCOMPLETE').map((f: { subject: string }) => f.subject)).toEqual(['Service']);
    }
  });
});

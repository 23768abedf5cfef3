// Issue 10: SARIF that code scanning accepts. The SARIF Multitool (npm @microsoft/sarif-multitool, a
// self-contained build that runs offline) validates a report of the sample platform with GitHub's ingestion
// rules (Gh) and the SARIF spec rules (Sarif); then the properties GitHub relies on are checked one by one.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, sampleBundle } from '../../regressions/report-sample-bundle.ts';
import { FAMILIES, familyOf, ruleName } from '../../../src/report/sarif-rules.ts';

const require = createRequire(import.meta.url);
function multitool(): string | undefined {
  try {
    const p = require('@microsoft/sarif-multitool') as string;
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}
const MULTITOOL = multitool();

interface Sarif {
  runs: {
    tool: { driver: { rules: { id: string; name: string; fullDescription?: { text: string }; help?: { text: string; markdown?: string }; helpUri?: string; properties: Record<string, unknown> }[] } };
    automationDetails: { id: string };
    results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } }; logicalLocations: { fullyQualifiedName: string; kind: string }[] }[] }[];
  }[];
}

let dir = '';
let sarifQ3 = '';
let sarifQ4 = '';
beforeAll(async () => {
  // Two quarters of the same cluster: different capture times (so different day counts and bundle ids).
  dir = await sampleBundle('q3.tar.gz', undefined, '2026-09-01T09:00:00Z');
  await sampleBundle('q4.tar.gz', undefined, '2026-12-01T09:00:00Z', dir);
  const policy = join(ROOT, 'samples/policy.yaml');
  sarifQ3 = (await run(dir, ['report', 'q3.tar.gz', '--policy', policy, '-o', 'sarif'])).out;
  sarifQ4 = (await run(dir, ['report', 'q4.tar.gz', '--policy', policy, '--trust', join(ROOT, 'keys/trust.yaml'), '-o', 'sarif'])).out;
  writeFileSync(join(dir, 'q4.sarif'), sarifQ4);
});

describe('SARIF Multitool, GitHub rules', () => {
  it.skipIf(!MULTITOOL)('validate --rule-kind "Gh;Sarif" reports no error and no warning', () => {
    const log = join(dir, 'validation.sarif');
    execFileSync(MULTITOOL!, ['validate', '--rule-kind', 'Gh;Sarif', '--output', log, join(dir, 'q4.sarif')], { stdio: 'pipe', timeout: 120_000 });
    const v = JSON.parse(readFileSync(log, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { text?: string; arguments?: string[] } }[] }[] };
    const problems = (v.runs[0]!.results ?? []).filter((r) => r.level === undefined || r.level === 'error' || r.level === 'warning');
    expect(problems.map((p) => `${p.ruleId}: ${p.message.text ?? p.message.arguments?.join(' ')}`)).toEqual([]);
  });

  it.skipIf(!MULTITOOL)('the Multitool does flag a rule without fullDescription/help (the check can fail)', () => {
    const broken = JSON.parse(sarifQ4) as Sarif;
    const rule = broken.runs[0]!.tool.driver.rules[0]!;
    delete rule.fullDescription;
    delete rule.help;
    rule.name = rule.id;
    writeFileSync(join(dir, 'broken.sarif'), JSON.stringify(broken));
    const log = join(dir, 'broken-validation.sarif');
    execFileSync(MULTITOOL!, ['validate', '--rule-kind', 'Gh;Sarif', '--output', log, join(dir, 'broken.sarif')], { stdio: 'pipe', timeout: 120_000 });
    const ids = (JSON.parse(readFileSync(log, 'utf8')).runs[0].results ?? []).map((r: { ruleId: string }) => r.ruleId);
    expect(ids).toContain('GH2012');
    expect(ids).toContain('SARIF1001');
  });
});

describe('SARIF properties code scanning relies on', () => {
  it('every rule: name distinct from id, fullDescription, help text+markdown, helpUri into docs/findings.md, security-severity where security', () => {
    const s = JSON.parse(sarifQ4) as Sarif;
    const docs = readFileSync(join(ROOT, 'docs/findings.md'), 'utf8');
    const rules = s.runs[0]!.tool.driver.rules;
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) {
      expect(r.name, r.id).not.toBe(r.id);
      expect(r.name, r.id).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(r.fullDescription?.text.length, r.id).toBeGreaterThan(40);
      expect(r.help?.text, r.id).toContain('What to do:');
      expect(r.help?.markdown, r.id).toContain(`**${r.id}**`);
      const anchor = /findings\.md#([a-z-]+)$/.exec(r.helpUri ?? '')?.[1];
      expect(anchor, r.id).toBeDefined();
      expect(docs, r.id).toContain(`<a id="${anchor}"></a>`);
      const tags = r.properties['tags'] as string[];
      if (tags.includes('security')) expect(Number(r.properties['security-severity']), r.id).toBeGreaterThan(0);
    }
    const drift = rules.find((r) => r.id === 'STATUS_DRIFT')!;
    expect(drift.name).toBe('StatusDrift');
    expect(rules.find((r) => r.id === 'POLICY_TLS_REQUIRED')!.properties['security-severity']).toBe('8.0');
  });

  it('every family is documented in docs/findings.md with its description', () => {
    const docs = readFileSync(join(ROOT, 'docs/findings.md'), 'utf8');
    for (const f of Object.values(FAMILIES)) {
      expect(docs).toContain(`<a id="${f.anchor}"></a>\n## ${f.title}`);
      expect(docs).toContain(f.description);
    }
  });

  it('rule names and families for the code shapes in use', () => {
    expect(ruleName('POLICY_TLS_REQUIRED')).toBe('PolicyTlsRequired');
    expect(ruleName('RefNotPermitted')).toBe('GatewayApiRefNotPermitted');
    expect(familyOf('RefNotPermitted').anchor).toBe('gateway-api-reasons');
    expect(familyOf('POLICY_TARGET_NOT_FOUND').anchor).toBe('resolution-findings');
    expect(familyOf('SIGNATURE_INVALID').anchor).toBe('integrity');
    expect(familyOf('SOMETHING_NEW').anchor).toBe('other');
  });

  it('results point at the object file in the bundle (uriBaseId BUNDLE, line 1) and name the objects logically', () => {
    const s = JSON.parse(sarifQ4) as Sarif;
    const res = s.runs[0]!.results;
    const withObject = res.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('data/objects/'));
    expect(withObject.length).toBeGreaterThan(res.length / 2);
    for (const r of res) {
      const l = r.locations[0]!;
      expect(l.physicalLocation.artifactLocation.uriBaseId).toBe('BUNDLE');
      expect(l.physicalLocation.region.startLine).toBe(1);
    }
    const tls = res.find((r) => r.ruleId === 'POLICY_ATTACHMENT_NOT_ALLOWED')!;
    expect(tls.locations[0]!.physicalLocation.artifactLocation.uri).toBe('data/objects/gateway.networking.k8s.io/httproute/admin/admin-ui.json');
    expect(tls.locations[0]!.logicalLocations.map((x) => x.fullyQualifiedName)).toContain('HTTPRoute.gateway.networking.k8s.io/admin/admin-ui');
  });

  it('partialFingerprints and automationDetails.id are the same for the same findings in two quarters of one cluster', () => {
    const a = JSON.parse(sarifQ3) as Sarif;
    const b = JSON.parse(sarifQ4) as Sarif;
    expect(a.runs[0]!.automationDetails.id).toBe('gateway-evidence/ai-platform-prod/');
    expect(b.runs[0]!.automationDetails.id).toBe(a.runs[0]!.automationDetails.id);
    const fp = (s: Sarif, code: string): string[] => s.runs[0]!.results.filter((r) => r.ruleId === code).map((r) => r.partialFingerprints['findingKey/v2']!).sort();
    for (const code of ['POLICY_ATTACHMENT_NOT_ALLOWED', 'STATUS_DRIFT', 'EXPOSURE_PLAINTEXT_HOSTNAME', 'POLICY_TLS_REQUIRED']) {
      expect(fp(a, code).length, code).toBeGreaterThan(0);
      expect(fp(b, code), code).toEqual(fp(a, code));
    }
    // No fingerprint carries a time, a bundle id or a day count.
    for (const r of b.runs[0]!.results) expect(r.partialFingerprints['findingKey/v2']).toMatch(/^[0-9a-f]{64}$/);
    const all = new Set(b.runs[0]!.results.map((r) => r.partialFingerprints['findingKey/v2']));
    expect(all.size).toBe(b.runs[0]!.results.length); // distinct findings keep distinct fingerprints
  });
});

/**
 * Regression: the same fact was listed twice, once by the analysis (CERT_EXPIRING, EXPOSURE_PLAINTEXT_HOSTNAME,
 * EXPOSURE_SERVICE_TYPE, RefNotPermitted) and once by the policy (POLICY_CERTIFICATE_EXPIRING, ...), as unrelated
 * rows in a flat table, and the text report printed raw refKeys (`HTTPRoute.gateway.networking.k8s.io/...`).
 * Now findings are grouped by object, a policy finding names its rule as the reason, and the analysis finding
 * observing the same fact is linked (restatedBy/restates) and shown under it, once.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = await sampleBundle();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (format: string): string[] => ['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '--policy', join(ROOT, 'samples/policy.yaml'), '-o', format];

interface F {
  id: string;
  code: string;
  source: string;
  object: string;
  rule?: string;
  restatedBy?: string[];
  restates?: string[];
  message: string;
}

describe('report: one fact, one entry (analysis finding shown under the policy finding that restates it)', () => {
  it('links each analysis finding to the policy finding reporting the same fact', async () => {
    const r = await run(dir, args('json'));
    const fs = JSON.parse(r.out).findings as F[];
    const byCode = (c: string): F[] => fs.filter((f) => f.code === c);
    const pairs: [string, string][] = [
      ['CERT_EXPIRING', 'POLICY_CERTIFICATE_EXPIRING'],
      ['EXPOSURE_SERVICE_TYPE', 'POLICY_SERVICE_TYPE_NOT_ALLOWED'],
      ['RefNotPermitted', 'POLICY_UNEXPECTED_CROSS_NAMESPACE'],
      ['EXPOSURE_PLAINTEXT_HOSTNAME', 'POLICY_TLS_REQUIRED'],
    ];
    for (const [a, p] of pairs) {
      const restated = byCode(a).filter((f) => f.restatedBy);
      expect(restated, a).toHaveLength(1);
      const policy = byCode(p).filter((f) => restated[0]!.restatedBy!.includes(f.id));
      expect(policy.length, p).toBeGreaterThan(0);
      for (const x of policy) expect(x.restates).toContain(restated[0]!.id);
    }
    // The certificate pair is about the same object, and the policy finding names its rule.
    const cert = byCode('POLICY_CERTIFICATE_EXPIRING')[0]!;
    expect(cert.object).toBe('Secret agents/agents-tools-tls');
    expect(cert.rule).toBe('certificates-30-days');
    expect(byCode('CERT_EXPIRING')[0]!.object).toBe('Secret agents/agents-tools-tls');
    // Unrelated facts stay unlinked: the granted agents -> retrieval reference, and ordinary service types.
    expect(byCode('EXPOSURE_CROSS_NAMESPACE_BACKEND').every((f) => !f.restatedBy)).toBe(true);
    expect(byCode('EXPOSURE_SERVICE_TYPE').filter((f) => !f.restatedBy).length).toBe(byCode('EXPOSURE_SERVICE_TYPE').length - 1);
  });

  it('text: grouped by object, the restated finding appears only under its policy finding, no raw refKeys', async () => {
    const r = await run(dir, args('text'));
    const section = r.out.slice(r.out.indexOf('Findings:'), r.out.indexOf('\nControllers'));
    expect(section).toMatch(/\n {2}Secret agents\/agents-tools-tls\n {4}ERROR {3}F\d+ POLICY_CERTIFICATE_EXPIRING: policy rule certificates-30-days\n/);
    expect(section).toMatch(/same fact, observed by analysis: F\d+ CERT_EXPIRING \(warning\)/);
    expect(section.match(/\bCERT_EXPIRING/g)).toHaveLength(1); // only nested under the policy finding, not a row of its own
    expect(section).not.toMatch(/gateway\.networking\.k8s\.io\//);
    expect(section).toContain('4 of them observe the same fact as a policy violation');
    // Every finding is still present (by id).
    const m = JSON.parse((await run(dir, args('json'))).out) as { findings: F[] };
    for (const f of m.findings) expect(section).toContain(`${f.id} ${f.code}`);
  });

  it('markdown and html carry the grouping and the "same fact" note', async () => {
    const md = (await run(dir, args('markdown'))).out;
    expect(md).toContain('| **Secret agents/agents-tools-tls** |');
    expect(md).toMatch(/_same fact, observed by analysis: F\d+ CERT\\_EXPIRING \(warning\)_/);
    const html = (await run(dir, args('html'))).out;
    expect(html).toContain('<tbody class="object-group" data-object="Secret agents/agents-tools-tls">');
    expect(html).toMatch(/<div class="same-fact" data-id="F\d+">same fact, observed by analysis: <span class="mono">F\d+ CERT_EXPIRING<\/span>/);
    expect(html).toContain('<td class="reason">policy rule certificates-30-days</td>');
  });
});

describe('verify --policy: policy findings name the analysis findings observing the same fact', () => {
  it('POLICY_CERTIFICATE_EXPIRING carries detail.sameFactAs = CERT_EXPIRING on the same Secret', async () => {
    const r = await run(dir, ['verify', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '--policy', join(ROOT, 'samples/policy.yaml'), '--output', 'json']);
    expect(r.code).toBe(1);
    const fs = JSON.parse(r.out).analysis.findings as { code: string; detail?: { sameFactAs?: { code: string; subject?: string }[] } }[];
    expect(fs.find((f) => f.code === 'POLICY_CERTIFICATE_EXPIRING')!.detail!.sameFactAs).toEqual([{ code: 'CERT_EXPIRING', subject: 'Secret agents/agents-tools-tls' }]);
    expect(fs.find((f) => f.code === 'POLICY_ATTACHMENT_NOT_ALLOWED')!.detail!.sameFactAs).toBeUndefined();
  });
});

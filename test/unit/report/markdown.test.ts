import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy/load.ts';
import { buildReportModel, renderMarkdown, type ReportInput } from '../../../src/report/index.ts';
import { fixture } from '../policy/fixture.ts';

const policy = loadPolicy(
  `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
public: [{ gatewayLabels: { exposure: public } }]
rules:
  - { id: no-admin-public, type: service-exposure, listeners: { public: true }, denyServiceTypes: [admin] }
`,
  'policy.yaml',
);

function input(): ReportInput {
  const { capture, resolution } = fixture();
  return { capture, resolution, bundleId: 'gwe-test', toolVersion: '0.1.0', policy, policySource: 'policy.yaml' };
}

/** The rows of the first Markdown table under `## heading`. */
function tableUnder(md: string, heading: string): string[] {
  const lines = md.slice(md.indexOf(`## ${heading}`)).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  return lines.slice(first, end);
}

describe('renderMarkdown: routing table', () => {
  it('has an adjacent-policies column naming kind, category and implementation, escaped', () => {
    const m = buildReportModel(input());
    m.routing[0]!.policies = ['SecurityPolicy infra/jwt|<b>x</b> [authentication] (envoy-gateway)', 'BackendTrafficPolicy infra/rl [rate-limit, traffic] (envoy-gateway)'];
    const md = renderMarkdown(m);
    const rows = tableUnder(md, 'Routing table');
    expect(rows[0]).toContain('| Adjacent policies |');
    const cols = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
    for (const r of rows) expect(cols(r)).toBe(cols(rows[0]!));
    expect(md).toContain('SecurityPolicy infra/jwt\\|&lt;b&gt;x&lt;/b&gt; \\[authentication\\] (envoy-gateway)<br>BackendTrafficPolicy infra/rl \\[rate-limit, traffic\\] (envoy-gateway)');
    expect(md).not.toContain('<b>x');
  });
});

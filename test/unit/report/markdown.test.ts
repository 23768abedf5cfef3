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

describe('renderMarkdown: pull-request comments', () => {
  function big(rows: number, findings: number) {
    const m = buildReportModel(input());
    const row = m.routing[0]!;
    m.routing = Array.from({ length: rows }, (_, i) => ({ ...row, route: { ...row.route, name: `route-${i}` }, findings: i === rows - 1 ? ['POLICY_X'] : [] }));
    const f = m.findings[0]!;
    m.findings = Array.from({ length: findings }, (_, i) => ({ ...f, id: `F${i + 1}`, object: `HTTPRoute ns/route-${i}`, message: `finding ${i} `.repeat(8) }));
    return m;
  }

  it('stays under GitHub comment limit by shortening tables, and says what it left out', () => {
    const m = big(5_000, 3_000);
    const md = renderMarkdown(m);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md.startsWith('# Gateway API exposure report\n\n> **')).toBe(true);
    expect(md).toMatch(/_\d+ of 5000 rows not shown here \(the full report: `gwe report BUNDLE -o html`, every row: `-o json`\)\._/);
    expect(md).toMatch(/_\d+ of 3000 rows not shown here/);
    // Flagged rows come first when the routing table is shortened: the last row has a finding.
    const routing = md.slice(md.indexOf('## Routing table'));
    expect(routing).toContain('Rows with findings, invalid backends and public listeners first.');
    expect(routing.split('\n').find((l) => l.startsWith('| ') && l.includes('route-'))).toContain('route-4999');
    // Long tables collapse.
    expect(md).toMatch(/<details><summary>Routing table \(5000 rows\)<\/summary>\n\n\| Listener/);
    // A smaller bound is honoured too.
    expect(renderMarkdown(m, { maxChars: 20_000 }).length).toBeLessThanOrEqual(20_000);
  });

  it('a report that fits is complete, short tables are not collapsed', () => {
    const m = buildReportModel(input());
    const md = renderMarkdown(m);
    expect(md).not.toContain('not shown here');
    expect(md).not.toContain('<details>');
    expect(md.split('\n').filter((l) => l.startsWith('| ') && l.includes('HTTPRoute')).length).toBeGreaterThanOrEqual(m.routing.length);
  });
});

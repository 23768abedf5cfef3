import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy/load.ts';
import { buildReportModel, renderHtml, type ReportInput } from '../../../src/report/index.ts';
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

describe('renderHtml: routing table', () => {
  it('has an adjacent-policies column naming kind, category and implementation, escaped', () => {
    const m = buildReportModel(input());
    m.routing[0]!.policies = ['SecurityPolicy infra/<img src=x onerror=alert(1)> [authentication] (envoy-gateway)', 'BackendTrafficPolicy infra/rl [rate-limit, traffic] (envoy-gateway)'];
    const html = renderHtml(m);
    const table = html.slice(html.indexOf('<table id="routing">'), html.indexOf('</table>', html.indexOf('<table id="routing">')));
    expect(table).toContain('<th>Adjacent policies</th>');
    const cells = [...table.matchAll(/<td class="policies">(.*?)<\/td>/g)].map((x) => x[1]!);
    expect(cells).toHaveLength(m.routing.length);
    expect(cells[0]).toContain('SecurityPolicy infra/<wbr>&lt;img src=x onerror=alert(1)&gt; [authentication] (envoy-<wbr>gateway)<br>BackendTrafficPolicy infra/<wbr>rl [rate-<wbr>limit, traffic]');
    expect(cells[1]).toBe('<span class="muted">none</span>');
    expect(html).not.toContain('<img');
    // Every body row has as many cells as the header.
    const header = (table.match(/<th>/g) ?? []).length;
    for (const row of table.split('<tr class="route-row').slice(1)) expect((row.split('</tr>')[0]!.match(/<td[ >]/g) ?? []).length).toBe(header);
    expect(html).toContain('id="policies-key"');
  });
});

describe('renderHtml: print', () => {
  it('puts the bundle id and sha256 in @page margin boxes as CSS strings a hostile id cannot break out of', () => {
    const i = input();
    i.bundleId = 'gwe-x"; } body { display: none } </style><script>alert(1)</script>\\';
    i.bundleSha256 = 'ab'.repeat(32);
    const html = renderHtml(buildReportModel(i));
    const style = html.slice(html.indexOf('<style>') + 7, html.indexOf('</style>'));
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).not.toContain('<script>');
    expect(style).toMatch(/@top-left \{ content: "bundle gwe-x\\000022 \\00003b  \\00007d  body \\00007b  display: none \\00007d  \\00003c \\00002f style\\00003e \\00003c script\\00003e alert\(1\)\\00003c \\00002f script\\00003e \\00005c "; /);
    expect(style).toContain(`@top-right { content: "sha256 ${'ab'.repeat(32)}";`);
    expect(style).toContain('@bottom-right { content: "page " counter(page) " of " counter(pages);');
    // Headings stay with what follows them when printed.
    expect(style).toMatch(/@media print \{[^]*h1, h2, h3, \.group-head, tr\.group, thead \{ break-after: avoid;/);
  });
});

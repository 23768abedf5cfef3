// Issue 13 (policy evaluation speed): evaluatePolicy decides each listener selector once per routing entry (not
// once per exposure path), groups the paths by entry for tls-required by service type (not a scan of every path
// per listener), and foldPolicy merges the two sorted finding lists instead of sorting them again. The findings
// must be those of the rules as written.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as exposure from '../../../src/policy/exposure.ts';
import { evaluatePolicy } from '../../../src/policy/evaluate.ts';
import { foldPolicy } from '../../../src/policy/verify-hook.ts';
import { loadPolicy } from '../../../src/policy/load.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { sortFindings, type Finding } from '../../../src/model/finding.ts';
import type { Capture } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import type { VerificationReport } from '../../../src/verify/report-types.ts';

vi.mock('../../../src/policy/exposure.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../../src/policy/exposure.ts')>();
  return { ...m, listenerSelected: vi.fn(m.listenerSelected) };
});
const selectedSpy = vi.mocked(exposure.listenerSelected);

const G = 'gateway.networking.k8s.io/v1';
/** `gateways` Gateways with an HTTP and an HTTPS listener each; `routes` routes spread over them, two backends each. */
function cluster(gateways: number, routes: number): Capture {
  const objects: KubeObject[] = [{ apiVersion: G, kind: 'GatewayClass', metadata: { name: 'gc' }, spec: { controllerName: 'example.com/gc' } }];
  objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  for (let g = 0; g < gateways; g++) {
    objects.push({
      apiVersion: G,
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: `gw-${g}` },
      spec: { gatewayClassName: 'gc', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
    });
  }
  for (let r = 0; r < routes; r++) {
    const type = r % 2 === 0 ? 'admin' : 'public-model-endpoint';
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'apps', name: `svc-${r}`, labels: { 'gateway-evidence.io/service-type': type } }, spec: { ports: [{ port: 80 }] } });
    objects.push({
      apiVersion: G,
      kind: 'HTTPRoute',
      metadata: { namespace: 'apps', name: `route-${r}` },
      spec: { parentRefs: [{ name: `gw-${r % gateways}`, namespace: 'infra' }], hostnames: [`app-${r}.example.com`], rules: [{ backendRefs: [{ name: `svc-${r}`, port: 80 }] }] },
    });
  }
  return {
    snapshot: { objects, conformanceReports: [] },
    record: { tool: { name: 'gateway-evidence', version: '0.1.0' }, capturedAt: '2026-06-01T00:00:00Z', mode: 'files', cluster: {}, scope: {}, sources: [], counts: {}, skipped: {}, gaps: [], warnings: [], partial: false },
  };
}

const POLICY = `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
metadata: {name: t}
public:
  - gateways: ["infra/gw-*"]
rules:
  - id: no-admin-on-public
    type: service-exposure
    listeners: {public: true}
    denyServiceTypes: [admin]
  - id: admin-needs-tls
    type: tls-required
    serviceTypes: [admin]
`;

describe('evaluatePolicy passes', () => {
  beforeEach(() => {
    selectedSpy.mockClear();
  });

  it('decides each listener selector once per routing entry, not once per path', () => {
    const capture = cluster(3, 30);
    const resolution = resolve(capture.snapshot.objects);
    const paths = exposure.exposurePaths(capture, resolution);
    expect(paths.length).toBe(30);
    const found = evaluatePolicy({ capture, resolution }, loadPolicy(POLICY, 'p.yaml'));
    expect(found.filter((f) => f.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED')).toHaveLength(15);
    // Selectors: the public one and service-exposure's {public: true}; 3 routing entries each.
    expect(selectedSpy.mock.calls.length).toBeLessThanOrEqual(2 * resolution.routing.length);
  });

  it('tls-required by service type lists, per listener, only the admin backends that listener reaches, in path order', () => {
    const capture = cluster(3, 30);
    const resolution = resolve(capture.snapshot.objects);
    const paths = exposure.exposurePaths(capture, resolution);
    const tls = evaluatePolicy({ capture, resolution }, loadPolicy(POLICY, 'p.yaml')).filter((f) => f.code === 'POLICY_TLS_REQUIRED');
    expect(tls.map((f) => f.subject)).toEqual([0, 1, 2].map((g) => `Gateway.gateway.networking.k8s.io/infra/gw-${g}`));
    for (const [g, f] of tls.entries()) {
      // Routes r attach to gw-(r % 3); the even ones reach an admin Service.
      const entry = resolution.routing.find((e) => e.gateway.name === `gw-${g}`)!;
      const reached = paths.filter((p) => p.entry === entry && p.classification.type === 'admin').map((p) => `reaches Service apps/${p.backend.name}:80 (admin)`);
      expect(reached).toHaveLength(5);
      expect(reached.every((x) => Number(/svc-(\d+)/.exec(x)![1]) % 3 === g)).toBe(true);
      expect(f.message).toBe(`policy rule admin-needs-tls: Gateway infra/gw-${g} listener http (HTTP 80) ${reached.join('; ')}; expected protocol HTTPS or TLS, found HTTP`);
    }
  });
});

describe('foldPolicy order', () => {
  const f = (code: string, subject: string, message: string, severity: Finding['severity'] = 'warning'): Finding => ({ code, severity, subject, message });
  const report = (findings: Finding[]): VerificationReport => ({ verdict: 'verified', signatures: [], analysis: { ran: true, findings } }) as unknown as VerificationReport;

  it('gives the sorted union whether or not the analysis list came sorted', () => {
    const capture = cluster(3, 30);
    const resolution = resolve(capture.snapshot.objects);
    const policy = loadPolicy(POLICY, 'p.yaml');
    const analysis = [f('Z_LAST', 'x', 'm', 'info'), f('A_FIRST', 'y', 'm', 'error'), f('POLICY_SERVICE_TYPE_NOT_ALLOWED', 'Service/apps/svc-3', 'm', 'error')];
    const unsorted = foldPolicy(report(analysis), capture, resolution, policy).analysis.findings;
    const sorted = foldPolicy(report(sortFindings(analysis)), capture, resolution, policy).analysis.findings;
    expect(sorted).toEqual(sortFindings(sorted));
    expect(unsorted).toEqual(sorted);
    expect(sorted.length).toBe(analysis.length + evaluatePolicy({ capture, resolution }, policy).length);
  });
});

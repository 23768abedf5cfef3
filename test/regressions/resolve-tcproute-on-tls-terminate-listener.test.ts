import { describe, expect, it } from 'vitest';
import type { Capture } from '../../src/model/collection.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { exposurePaths } from '../../src/policy/exposure.ts';
import { buildReportModel, renderExposureMap } from '../../src/report/index.ts';
import { resolve } from '../../src/resolve/index.ts';

// Issue 11 §1 (Envoy Gateway's tls-termination example): a TCPRoute on a TLS listener in Terminate mode was not a
// compatible kind, so it got NotAllowedByListeners and vanished from the routing table and the exposure map.
// api-overview.md route table: TCPRoute "Listener TLS Support: Passthrough or Terminated" (GEP-1897).
describe('regression: a TCPRoute on a TLS Terminate listener is routed and drawn', () => {
  const G = 'gateway.networking.k8s.io/v1';
  const objects: KubeObject[] = [
    { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'example.com/gw' } },
    {
      apiVersion: G,
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: 'gw' },
      spec: {
        gatewayClassName: 'eg',
        listeners: [{ name: 'tls', port: 8443, protocol: 'TLS', hostname: 'db.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } }],
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'infra', name: 'cert' }, stringData: { 'tls.crt': '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', 'tls.key': 'k' } } as KubeObject,
    { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'infra', name: 'db' }, spec: { ports: [{ port: 5432 }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { namespace: 'infra', name: 'db' }, spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } },
  ];

  it('is Accepted, counted, in the routing table and on the exposure map', () => {
    const res = resolve(objects);
    const l = res.gateways[0]!.listeners[0]!;
    expect(l.supportedKinds.map((k) => k.kind)).toEqual(['TLSRoute', 'TCPRoute']);
    expect(l.attachedRoutes).toBe(1);
    expect(res.routes[0]!.parents[0]!.conditions.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'True', reason: 'Accepted' });
    const route = res.routing[0]!.hostnames.find((h) => h.hostname === 'db.example.com')!.routes[0]!;
    expect(route).toMatchObject({ kind: 'TCPRoute', name: 'db', servesTraffic: true });

    const capture: Capture = {
      snapshot: { objects, conformanceReports: [] },
      record: { tool: { name: 'gateway-evidence', version: '0.1.0' }, capturedAt: '2026-11-01T00:00:00Z', mode: 'files', cluster: {}, scope: {}, sources: [], counts: {}, skipped: {}, gaps: [], warnings: [], partial: false },
    } as Capture;
    const paths = exposurePaths(capture, res);
    expect(paths.map((p) => `${p.route.kind}/${p.route.name} -> ${p.backend.name} ${p.reachable}`)).toEqual(['TCPRoute/db -> db true']);
    const svg = renderExposureMap(buildReportModel({ capture, resolution: res, bundleId: 'sha256:00', toolVersion: '0.1.0' }));
    expect(svg).toContain('TCPRoute');
    expect(svg).toContain('infra/db');
  });
});

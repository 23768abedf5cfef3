/**
 * Regression: of two BackendTLSPolicies on the same Service (and section), the newer one is Accepted=False/Conflicted
 * (backendtlspolicy_types.go TargetRefs; digest §5), but the engine wrote ancestor status only for the applied
 * policy, so Conflicted never appeared. Every policy targeting a reached Service now gets an ancestor entry.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/index.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { G, gc, gw, ns, route } from '../unit/resolve/fixtures.ts';

function policy(name: string, created: string, sectionName?: string): KubeObject {
  return {
    apiVersion: `${G}/v1`,
    kind: 'BackendTLSPolicy',
    metadata: { namespace: 'apps', name, creationTimestamp: created },
    spec: { targetRefs: [{ group: '', kind: 'Service', name: 'web', ...(sectionName ? { sectionName } : {}) }], validation: { hostname: 'web.apps.svc', wellKnownCACertificates: 'System' } },
  };
}
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'apps', name: 'web' }, spec: { ports: [{ name: 'https', port: 443 }, { name: 'admin', port: 8443 }] } };

function ancestors(objects: KubeObject[]) {
  const res = resolve([gc(), ns('apps'), service, gw('apps', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]), ...objects]);
  return { res, status: Object.fromEntries((res.gateways[0]!.backendTLSPolicies ?? []).map((p) => [p.name, p.conditions.find((c) => c.type === 'Accepted')!])) };
}
const toWeb = (port: number) => route('HTTPRoute', 'apps', `r${port}`, { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'web', port }] }] });

describe('regression: a Conflicted BackendTLSPolicy gets ancestor status', () => {
  it('the newer of two whole-Service policies is Accepted=False/Conflicted on the Gateway ancestor; the older applies', () => {
    const { res, status } = ancestors([toWeb(443), policy('newer', '2026-02-01T00:00:00Z'), policy('older', '2026-01-01T00:00:00Z')]);
    expect([status['older']?.status, status['newer']?.status, status['newer']?.reason]).toEqual(['True', 'False', 'Conflicted']);
    expect(res.routing[0]!.hostnames[0]!.routes[0]!.rules[0]!.backends[0]!.backendTLSPolicy).toBe('apps/older');
  });

  it('policies on different sections do not conflict; the section policy applies to its port only', () => {
    const { res, status } = ancestors([toWeb(443), toWeb(8443), policy('whole', '2026-01-01T00:00:00Z'), policy('admin-only', '2026-02-01T00:00:00Z', 'admin')]);
    expect([status['whole']?.status, status['admin-only']?.status]).toEqual(['True', 'True']);
    const byPort = Object.fromEntries(res.routing[0]!.hostnames[0]!.routes.map((r) => [r.name, r.rules[0]!.backends[0]!.backendTLSPolicy]));
    expect(byPort).toEqual({ r443: 'apps/whole', r8443: 'apps/admin-only' });
  });

  it('no ancestor status when no accepted route reaches the Service', () => {
    const { status } = ancestors([policy('newer', '2026-02-01T00:00:00Z'), policy('older', '2026-01-01T00:00:00Z')]);
    expect(status).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/index.ts';
import type { KubeObject } from '../../src/model/object.ts';

// Bug: a listener with a port outside 1..65535 (PortUnavailable) was rejected before its allowed kinds were
// computed, so a route naming it got NotAllowedByListeners and was not counted in attachedRoutes. The digest
// (§6 attachedRoutes) says the listener's own state does not matter.
describe('regression: PortUnavailable listener drops its routes', () => {
  it('keeps supportedKinds, accepts and counts the route', () => {
    const G = 'gateway.networking.k8s.io/v1';
    const objects: KubeObject[] = [
      { apiVersion: G, kind: 'GatewayClass', metadata: { name: 'c' }, spec: { controllerName: 'example.com/c' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra', labels: { 'kubernetes.io/metadata.name': 'infra' } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'infra', name: 'web' }, spec: { type: 'ClusterIP', ports: [{ port: 8080 }] } },
      { apiVersion: G, kind: 'Gateway', metadata: { namespace: 'infra', name: 'gw' }, spec: { gatewayClassName: 'c', listeners: [{ name: 'bad', port: 70000, protocol: 'HTTP' }] } },
      { apiVersion: G, kind: 'HTTPRoute', metadata: { namespace: 'infra', name: 'r' }, spec: { parentRefs: [{ name: 'gw', sectionName: 'bad' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } },
    ];
    const res = resolve(objects);
    const l = res.gateways[0]!.listeners[0]!;
    expect(l.conditions.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'False', reason: 'PortUnavailable' });
    expect(l.supportedKinds.map((k) => k.kind)).toContain('HTTPRoute');
    expect(l.attachedRoutes).toBe(1);
    expect(res.routes[0]!.parents[0]!.conditions.find((c) => c.type === 'Accepted')?.status).toBe('True');
  });
});

import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/index.ts';
import type { KubeObject } from '../../src/model/object.ts';

// Found by the real-world suite (examples/standard/traffic-splitting/simple-split.yaml, upstream
// kubernetes-sigs/gateway-api): an HTTPRoute with no spec.parentRefs vanished from `gwe resolve` output with no
// finding at all. Issue 3: objects a controller writes no status for are left out AND listed as findings.
describe('regression: a route without parentRefs is reported, not dropped silently', () => {
  const G = 'gateway.networking.k8s.io/v1';
  const route = (kind: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: G, kind, metadata: { namespace: 'default', name }, spec });

  it('gives an info finding naming the route, for HTTPRoute and GRPCRoute', () => {
    const res = resolve([
      route('HTTPRoute', 'simple-split', { rules: [{ backendRefs: [{ name: 'foo-v1', port: 8080, weight: 90 }, { name: 'foo-v2', port: 8080, weight: 10 }] }] }),
      route('GRPCRoute', 'foo-route', { hostnames: ['foo.example.com'], rules: [{ backendRefs: [{ name: 'foo-v1', port: 50051 }] }] }),
    ]);
    expect(res.routes).toEqual([]);
    const f = res.findings.filter((x) => x.code === 'ROUTE_NO_PARENT_REFS');
    expect(f.map((x) => x.subject).sort()).toEqual(['GRPCRoute default/foo-route', 'HTTPRoute default/simple-split']);
    expect(f.every((x) => x.severity === 'info')).toBe(true);
    expect(f[0]!.message).toContain('no spec.parentRefs');
  });

  it('gives no such finding when the route names a parent', () => {
    const res = resolve([route('HTTPRoute', 'r', { parentRefs: [{ name: 'gw' }] })]);
    expect(res.findings.filter((x) => x.code === 'ROUTE_NO_PARENT_REFS')).toEqual([]);
    expect(res.findings.find((x) => x.code === 'PARENT_NOT_FOUND')?.subject).toBe('HTTPRoute default/r');
  });
});

/**
 * Regression: a route backend whose BackendTLSPolicy cannot be satisfied (missing CA ConfigMap) was marked invalid
 * in the routing table but left the route parent ResolvedRefs=True. Digest §5 (HTTPBackendRef doc): such a backendRef
 * counts as invalid, so the parent must be ResolvedRefs=False (reason BackendTLSPolicyInvalid, docs/resolution.md).
 */
import { describe, expect, it } from 'vitest';
import { resolve } from '../../src/resolve/index.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { G, gc, gw, ns, route, svc } from '../unit/resolve/fixtures.ts';

function policy(name: string, service: string, ca: string): KubeObject {
  return {
    apiVersion: `${G}/v1`,
    kind: 'BackendTLSPolicy',
    metadata: { namespace: 'apps', name },
    spec: { targetRefs: [{ group: '', kind: 'Service', name: service }], validation: { hostname: `${service}.apps.svc`, caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: ca }] } },
  };
}

describe('regression: unsatisfiable BackendTLSPolicy makes the route backendRef invalid', () => {
  const res = resolve([
    gc(),
    ns('apps'),
    svc('apps', 'model'),
    svc('apps', 'plain'),
    gw('apps', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
    route('HTTPRoute', 'apps', 'r', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'model', port: 80 }] }] }),
    route('HTTPRoute', 'apps', 'ok', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'plain', port: 80 }] }] }),
    policy('model-tls', 'model', 'no-such-ca'),
  ]);
  const parent = (name: string) => res.routes.find((r) => r.name === name)!.parents[0]!.conditions;

  it('the parent is ResolvedRefs=False/BackendTLSPolicyInvalid and stays Accepted=True', () => {
    const rr = parent('r').find((c) => c.type === 'ResolvedRefs')!;
    expect([rr.status, rr.reason]).toEqual(['False', 'BackendTLSPolicyInvalid']);
    expect(rr.message).toContain('apps/model-tls');
    expect(parent('r').find((c) => c.type === 'Accepted')!.status).toBe('True');
  });

  it('a route to a Service without a policy is unaffected', () => {
    expect(parent('ok').find((c) => c.type === 'ResolvedRefs')!.status).toBe('True');
  });

  it('the routing table and findings name the policy', () => {
    const b = res.routing[0]!.hostnames[0]!.routes.find((r) => r.name === 'r')!.rules[0]!.backends[0]!;
    expect([b.valid, b.reason, b.backendTLSPolicy]).toEqual([false, 'BackendTLSPolicyInvalid', 'apps/model-tls']);
    expect(res.findings.some((f) => f.code === 'BackendTLSPolicyInvalid' && f.subject === 'HTTPRoute apps/r')).toBe(true);
  });
});

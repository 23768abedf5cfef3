import { describe, expect, it } from 'vitest';
import { resolve } from '../../../src/resolve/index.ts';
import { gc, gw, ns, route, svc } from './fixtures.ts';

// The routing table is built without a map per hostname and reuses the resolved backend objects (issue 13): these
// hold the rows it must still produce.
describe('resolve: routing table rows', () => {
  const base = [gc(), ns('infra'), ns('app'), gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]), svc('app', 'a'), svc('app', 'b')];

  it('lists a route once per hostname when two of its parentRefs select the same listener', () => {
    const r = route('HTTPRoute', 'app', 'r', {
      parentRefs: [{ name: 'g', namespace: 'infra' }, { name: 'g', namespace: 'infra', sectionName: 'http' }],
      hostnames: ['x.example.com', 'y.example.com', 'X.example.com'],
      rules: [{ backendRefs: [{ name: 'a', port: 80 }] }],
    });
    const res = resolve([...base, r]);
    const entry = res.routing.find((e) => e.listener === 'http')!;
    expect(entry.hostnames.map((h) => [h.hostname, h.routes.map((x) => `${x.name}@${x.precedence}`)])).toEqual([
      ['x.example.com', ['r@0']],
      ['y.example.com', ['r@0']],
    ]);
    expect(res.gateways[0]!.listeners[0]!.attachedRoutes).toBe(1);
  });

  it('ranks the routes of one hostname and gives each backend its share of the rule weight, percent last', () => {
    const older = route('HTTPRoute', 'app', 'older', { parentRefs: [{ name: 'g', namespace: 'infra' }], hostnames: ['h.example.com'], rules: [{ backendRefs: [{ name: 'a', port: 80, weight: 3 }, { name: 'b', port: 80, weight: 1 }] }] }, { creationTimestamp: '2026-01-01T00:00:00Z' });
    const exact = route('HTTPRoute', 'app', 'exact', { parentRefs: [{ name: 'g', namespace: 'infra' }], hostnames: ['h.example.com'], rules: [{ matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'b', port: 80 }, { name: 'missing', port: 80, weight: 0 }] }] }, { creationTimestamp: '2026-02-01T00:00:00Z' });
    const res = resolve([...base, older, exact]);
    const [host] = res.routing.find((e) => e.listener === 'http')!.hostnames;
    expect(host!.routes.map((x) => [x.name, x.precedence])).toEqual([
      ['exact', 0],
      ['older', 1],
    ]);
    const backends = host!.routes[1]!.rules[0]!.backends;
    expect(backends.map((b) => [b.name, b.percent])).toEqual([
      ['a', 75],
      ['b', 25],
    ]);
    expect(Object.keys(backends[0]!)).toEqual(['group', 'kind', 'namespace', 'name', 'port', 'weight', 'valid', 'crossNamespace', 'service', 'percent']);
    const invalid = host!.routes[0]!.rules[0]!.backends[1]!;
    expect([invalid.valid, invalid.reason, invalid.percent]).toEqual([false, 'BackendNotFound', 0]);
    expect(Object.keys(invalid)).toEqual(['group', 'kind', 'namespace', 'name', 'port', 'weight', 'valid', 'crossNamespace', 'reason', 'message', 'percent']);
  });
});

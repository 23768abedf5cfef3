/**
 * Regression: an HTTPRoute and a GRPCRoute attached to the same listener with intersecting hostnames were both
 * accepted and counted. Digest §3 (grpcroute_types.go Hostnames): exactly one is accepted, the older by
 * creationTimestamp, ties by namespace/name; the loser is Accepted=False (HostnameConflict, our choice) and not
 * counted in attachedRoutes (v1.5 semantics).
 */
import { describe, expect, it } from 'vitest';
import { resolve, type Resolution } from '../../src/resolve/index.ts';
import { gc, gw, ns, route, svc } from '../unit/resolve/fixtures.ts';

const at = (t: string) => ({ creationTimestamp: t });
function accepted(res: Resolution, kind: string, name: string, i = 0): string {
  const c = res.routes.find((r) => r.kind === kind && r.name === name)!.parents[i]!.conditions.find((x) => x.type === 'Accepted')!;
  return `${c.status}/${c.reason}`;
}
const listeners = [
  { name: 'a', port: 80, protocol: 'HTTP', hostname: 'api.example.com' },
  { name: 'b', port: 8080, protocol: 'HTTP' },
];
const base = [gc(), ns('apps'), svc('apps', 'web'), gw('apps', 'g', listeners)];

describe('regression: HTTPRoute/GRPCRoute hostname clash on one listener', () => {
  it('the older route wins; the newer is Accepted=False/HostnameConflict and not counted', () => {
    const res = resolve([
      ...base,
      route('GRPCRoute', 'apps', 'grpc', { parentRefs: [{ name: 'g', sectionName: 'a' }] }, at('2026-02-01T00:00:00Z')),
      route('HTTPRoute', 'apps', 'http', { parentRefs: [{ name: 'g', sectionName: 'a' }], hostnames: ['*.example.com'] }, at('2026-01-01T00:00:00Z')),
    ]);
    expect([accepted(res, 'HTTPRoute', 'http'), accepted(res, 'GRPCRoute', 'grpc')]).toEqual(['True/Accepted', 'False/HostnameConflict']);
    expect(res.gateways[0]!.listeners[0]!.attachedRoutes).toBe(1);
    expect(res.routing[0]!.hostnames.flatMap((h) => h.routes.map((r) => r.name))).toEqual(['http']);
  });

  it('v1.4 semantics still count the loser (it passed allowedRoutes)', () => {
    const res = resolve(
      [
        ...base,
        route('GRPCRoute', 'apps', 'grpc', { parentRefs: [{ name: 'g', sectionName: 'a' }] }, at('2026-02-01T00:00:00Z')),
        route('HTTPRoute', 'apps', 'http', { parentRefs: [{ name: 'g', sectionName: 'a' }] }, at('2026-01-01T00:00:00Z')),
      ],
      { attachedRoutesSemantics: 'v1.4' },
    );
    expect(accepted(res, 'GRPCRoute', 'grpc')).toBe('False/HostnameConflict');
    expect(res.gateways[0]!.listeners[0]!.attachedRoutes).toBe(2);
  });

  it('a clash on one listener of a whole-Gateway parentRef detaches only that listener', () => {
    const res = resolve([
      ...base,
      route('HTTPRoute', 'apps', 'http', { parentRefs: [{ name: 'g', sectionName: 'a' }] }, at('2026-01-01T00:00:00Z')),
      route('GRPCRoute', 'apps', 'grpc', { parentRefs: [{ name: 'g' }] }, at('2026-02-01T00:00:00Z')),
    ]);
    expect(accepted(res, 'GRPCRoute', 'grpc')).toBe('True/Accepted');
    expect(res.gateways[0]!.listeners.map((l) => l.attachedRoutes)).toEqual([1, 1]);
    expect(res.routing[1]!.hostnames.flatMap((h) => h.routes.map((r) => r.name))).toEqual(['grpc']);
  });

  it('same kind never clashes, and disjoint hostnames do not clash', () => {
    const res = resolve([
      ...base,
      route('HTTPRoute', 'apps', 'h1', { parentRefs: [{ name: 'g', sectionName: 'b' }], hostnames: ['x.test'] }, at('2026-01-01T00:00:00Z')),
      route('HTTPRoute', 'apps', 'h2', { parentRefs: [{ name: 'g', sectionName: 'b' }], hostnames: ['x.test'] }, at('2026-01-02T00:00:00Z')),
      route('GRPCRoute', 'apps', 'g1', { parentRefs: [{ name: 'g', sectionName: 'b' }], hostnames: ['y.test'] }, at('2026-01-03T00:00:00Z')),
    ]);
    expect([accepted(res, 'HTTPRoute', 'h1'), accepted(res, 'HTTPRoute', 'h2'), accepted(res, 'GRPCRoute', 'g1')]).toEqual(['True/Accepted', 'True/Accepted', 'True/Accepted']);
  });
});

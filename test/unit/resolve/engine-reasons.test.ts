/**
 * Condition reasons added for issue 3 (digest §6 tables): route UnsupportedValue / IncompatibleFilters /
 * PartiallyInvalid, backend UnsupportedProtocol (appProtocol), GatewayClass SupportedVersion, listener
 * PortUnavailable / UnsupportedValue, default Gateways, attachedListenerSets, routing-table precedence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { resolve, type Condition, type Resolution } from '../../../src/resolve/index.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { G, deepFreeze, gc, gw, ns, route, svc } from './fixtures.ts';

function c(conds: readonly Condition[] | undefined, type: string): string {
  const x = (conds ?? []).find((k) => k.type === type);
  return x ? `${x.status}/${x.reason}` : 'missing';
}
function msg(conds: readonly Condition[] | undefined, type: string): string {
  return (conds ?? []).find((k) => k.type === type)?.message ?? '';
}
function parentConds(res: Resolution, kind: string, nsName: string, i = 0): readonly Condition[] {
  const [n, name] = nsName.split('/');
  const r = res.routes.find((x) => x.kind === kind && x.namespace === n && x.name === name);
  if (!r) throw new Error(`route ${nsName} not in output`);
  return r.parents[i]!.conditions;
}
function gwOut(res: Resolution, nsName: string) {
  const g = res.gateways.find((x) => `${x.namespace}/${x.name}` === nsName);
  if (!g) throw new Error(`gateway ${nsName} not in output`);
  return g;
}
function lis(res: Resolution, gwName: string, l: string) {
  return gwOut(res, gwName).listeners.find((x) => x.name === l)!;
}
function crd(version: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gateways.${G}`, annotations: { 'gateway.networking.k8s.io/bundle-version': version } },
    spec: { group: G },
  };
}
function svcApp(namespace: string, name: string, ports: { port: number; appProtocol?: string }[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { ports } };
}

const base: KubeObject[] = [gc(), ns('infra'), ns('apps'), svc('infra', 'web'), svc('infra', 'web2')];
const httpGw = gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]);
const toWeb = [{ name: 'web', port: 80 }];

describe('route parent UnsupportedValue / IncompatibleFilters / PartiallyInvalid', () => {
  const objs = [
    ...base,
    httpGw,
    route('HTTPRoute', 'infra', 'all-bad', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ path: { type: 'Glob', value: '/v1/*' } }], backendRefs: toWeb }] }),
    route('HTTPRoute', 'infra', 'one-bad', {
      parentRefs: [{ name: 'g' }],
      rules: [
        { matches: [{ path: { type: 'Glob', value: '/v1/*' } }], backendRefs: toWeb },
        { matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'web2', port: 80 }] },
      ],
    }),
    route('HTTPRoute', 'infra', 'redirect-rewrite', {
      parentRefs: [{ name: 'g' }],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }, { type: 'URLRewrite', urlRewrite: { hostname: 'x.test' } }], backendRefs: toWeb }],
    }),
    route('HTTPRoute', 'infra', 'twice', {
      parentRefs: [{ name: 'g' }],
      rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: {} }, { type: 'RequestHeaderModifier', requestHeaderModifier: {} }], backendRefs: toWeb }],
    }),
    route('HTTPRoute', 'infra', 'mirrors', {
      parentRefs: [{ name: 'g' }],
      rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'web', port: 80 } } }, { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web2', port: 80 } } }], backendRefs: toWeb }],
    }),
    route('HTTPRoute', 'infra', 'ext', { parentRefs: [{ name: 'g' }], rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x.io', kind: 'F', name: 'f' } }] }] }),
    route('HTTPRoute', 'infra', 'bad-method', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ method: 'FETCH' }] }] }),
    route('HTTPRoute', 'infra', 'bad-code', { parentRefs: [{ name: 'g' }], rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 304 } }] }] }),
    route('HTTPRoute', 'infra', 'backend-filter', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'web', port: 80, filters: [{ type: 'Bogus' }] }] }] }),
    route('GRPCRoute', 'infra', 'grpc-rewrite', { parentRefs: [{ name: 'g' }], rules: [{ filters: [{ type: 'URLRewrite', urlRewrite: {} }] }] }),
    route('GRPCRoute', 'infra', 'grpc-ok', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ method: { service: 'a.B', method: 'C' } }] }] }),
    route('HTTPRoute', 'infra', 'valid', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ path: { type: 'Exact', value: '/x' }, headers: [{ name: 'a', value: 'b', type: 'RegularExpression' }] }], backendRefs: toWeb }] }),
  ].map((o) =>
    // Disjoint hostnames per kind: an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener clash
    // (digest §3), which is not what this block tests.
    o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' ? { ...o, spec: { ...o.spec, hostnames: [o.kind === 'HTTPRoute' ? 'www.test' : 'grpc.test'] } } : o,
  );
  const res = resolve(deepFreeze(objs));
  const www = (r: Resolution) => r.routing[0]!.hostnames.find((h) => h.hostname === 'www.test')!;

  it('every rule invalid: Accepted=False/UnsupportedValue, no PartiallyInvalid, not attached', () => {
    const p = parentConds(res, 'HTTPRoute', 'infra/all-bad');
    expect(c(p, 'Accepted')).toBe('False/UnsupportedValue');
    expect(msg(p, 'Accepted')).toContain('Glob');
    expect(c(p, 'PartiallyInvalid')).toBe('missing');
    expect(c(p, 'ResolvedRefs')).toBe('True/ResolvedRefs');
    const routed = res.routing[0]!.hostnames.flatMap((h) => h.routes.map((r) => r.name));
    expect(routed).toContain('valid');
    expect(routed).not.toContain('all-bad');
  });

  it('some rules invalid: Accepted=True plus PartiallyInvalid=True/UnsupportedValue "Dropped Rule", rule marked dropped', () => {
    const p = parentConds(res, 'HTTPRoute', 'infra/one-bad');
    expect(c(p, 'Accepted')).toBe('True/Accepted');
    expect(c(p, 'PartiallyInvalid')).toBe('True/UnsupportedValue');
    expect(msg(p, 'PartiallyInvalid').startsWith('Dropped Rule')).toBe(true);
    expect(msg(p, 'PartiallyInvalid')).toContain('Dropped Rule 0');
    const rr = www(res).routes.find((r) => r.name === 'one-bad')!;
    expect(rr.rules.map((r) => r.dropped?.reason ?? 'ok')).toEqual(['UnsupportedValue', 'ok']);
    expect(res.findings.some((f) => f.code === 'PartiallyInvalid' && f.subject === 'HTTPRoute infra/one-bad')).toBe(true);
  });

  it('never PartiallyInvalid on a fully valid route', () => {
    for (const n of ['valid', 'mirrors', 'grpc-ok']) {
      const kind = n.startsWith('grpc') ? 'GRPCRoute' : 'HTTPRoute';
      const p = parentConds(res, kind, `infra/${n}`);
      expect([n, c(p, 'Accepted'), c(p, 'PartiallyInvalid')]).toEqual([n, 'True/Accepted', 'missing']);
    }
  });

  it('IncompatibleFilters: RequestRedirect with URLRewrite, a once-only filter repeated', () => {
    expect(c(parentConds(res, 'HTTPRoute', 'infra/redirect-rewrite'), 'Accepted')).toBe('False/IncompatibleFilters');
    expect(c(parentConds(res, 'HTTPRoute', 'infra/twice'), 'Accepted')).toBe('False/IncompatibleFilters');
  });

  it('UnsupportedValue: unsupported filter types (ExtensionRef, URLRewrite on GRPCRoute, unknown backend filter), enum values', () => {
    for (const [kind, n] of [
      ['HTTPRoute', 'ext'],
      ['HTTPRoute', 'bad-method'],
      ['HTTPRoute', 'bad-code'],
      ['HTTPRoute', 'backend-filter'],
      ['GRPCRoute', 'grpc-rewrite'],
    ] as const) {
      expect([n, c(parentConds(res, kind, `infra/${n}`), 'Accepted')]).toEqual([n, 'False/UnsupportedValue']);
    }
  });

  it('attachedRoutes (v1.5) counts only the accepted routes', () => {
    // one-bad, mirrors, grpc-ok, valid
    expect(lis(res, 'infra/g', 'http').attachedRoutes).toBe(4);
  });

  it('v1.4 semantics still counts a route whose rules are all invalid', () => {
    const r = resolve(objs, { attachedRoutesSemantics: 'v1.4' });
    expect(lis(r, 'infra/g', 'http').attachedRoutes).toBe(12);
  });

  it('precedence: NoMatchingListenerHostname and NotAllowedByListeners come before UnsupportedValue', () => {
    const r = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'a.test' }]),
      route('HTTPRoute', 'infra', 'host', { parentRefs: [{ name: 'g' }], hostnames: ['b.test'], rules: [{ matches: [{ path: { type: 'Glob' } }] }] }),
      route('HTTPRoute', 'apps', 'ns', { parentRefs: [{ name: 'g', namespace: 'infra' }], rules: [{ matches: [{ path: { type: 'Glob' } }] }] }),
    ]);
    expect(c(parentConds(r, 'HTTPRoute', 'infra/host'), 'Accepted')).toBe('False/NoMatchingListenerHostname');
    expect(c(parentConds(r, 'HTTPRoute', 'apps/ns'), 'Accepted')).toBe('False/NotAllowedByListeners');
  });
});

describe('backend ResolvedRefs=False/UnsupportedProtocol (Service appProtocol)', () => {
  const res = resolve([
    ...base,
    httpGw,
    gw('infra', 'l4', [{ name: 'tcp', port: 9000, protocol: 'TCP' }]),
    svcApp('infra', 'multi', [
      { port: 1, appProtocol: 'kubernetes.io/h2c' },
      { port: 2, appProtocol: 'kubernetes.io/ws' },
      { port: 3, appProtocol: 'example.com/custom' },
      { port: 4 },
    ]),
    route('HTTPRoute', 'infra', 'h2c', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'multi', port: 1 }, { name: 'multi', port: 2 }, { name: 'multi', port: 4 }] }] }),
    route('HTTPRoute', 'infra', 'custom', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'multi', port: 3 }] }] }),
    route('HTTPRoute', 'infra', 'missing-port', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'multi', port: 5 }, { name: 'multi', port: 3 }] }] }),
    route('GRPCRoute', 'infra', 'grpc-ws', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'multi', port: 2 }] }] }),
    route('GRPCRoute', 'infra', 'grpc-h2c', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'multi', port: 1 }] }] }),
    route('TCPRoute', 'infra', 'tcp', { parentRefs: [{ name: 'l4' }], rules: [{ backendRefs: [{ name: 'multi', port: 3 }] }] }, {}, 'v1alpha2'),
  ]);
  it('accepts h2c / ws / unset for HTTPRoute, rejects an unknown appProtocol, keeps Accepted=True', () => {
    expect(c(parentConds(res, 'HTTPRoute', 'infra/h2c'), 'ResolvedRefs')).toBe('True/ResolvedRefs');
    const p = parentConds(res, 'HTTPRoute', 'infra/custom');
    expect(c(p, 'ResolvedRefs')).toBe('False/UnsupportedProtocol');
    expect(msg(p, 'ResolvedRefs')).toContain('example.com/custom');
    expect(c(p, 'Accepted')).toBe('True/Accepted');
    const b = res.routing.find((e) => e.gateway.name === 'g')!.hostnames[0]!.routes.find((r) => r.name === 'custom')!.rules[0]!.backends[0]!;
    expect([b.valid, b.reason]).toEqual([false, 'UnsupportedProtocol']);
  });
  it('GRPCRoute needs HTTP/2 (ws rejected, h2c accepted); TCPRoute ignores appProtocol', () => {
    expect(c(parentConds(res, 'GRPCRoute', 'infra/grpc-ws'), 'ResolvedRefs')).toBe('False/UnsupportedProtocol');
    expect(c(parentConds(res, 'GRPCRoute', 'infra/grpc-h2c'), 'ResolvedRefs')).toBe('True/ResolvedRefs');
    expect(c(parentConds(res, 'TCPRoute', 'infra/tcp'), 'ResolvedRefs')).toBe('True/ResolvedRefs');
  });
  it('first invalid ref wins: a missing port (BackendNotFound) before a later UnsupportedProtocol ref', () => {
    expect(c(parentConds(res, 'HTTPRoute', 'infra/missing-port'), 'ResolvedRefs')).toBe('False/BackendNotFound');
  });
});

describe('GatewayClass SupportedVersion', () => {
  const cls = (objs: KubeObject[]) => resolve([gc(), ...objs]).gatewayClasses[0]!.conditions;
  it('True/SupportedVersion within v1.0 .. v1.6 and for v0.0.0-dev', () => {
    for (const v of ['v1.0.0', 'v1.4.1', 'v1.6.1', 'v0.0.0-dev']) expect([v, c(cls([crd(v)]), 'SupportedVersion')]).toEqual([v, 'True/SupportedVersion']);
  });
  it('False/UnsupportedVersion outside the range, with Accepted=True (best effort) and a finding', () => {
    for (const v of ['v1.7.0', 'v0.8.1', 'v2.0.0', 'garbage']) {
      const conds = cls([crd(v)]);
      expect([v, c(conds, 'SupportedVersion'), c(conds, 'Accepted')]).toEqual([v, 'False/UnsupportedVersion', 'True/Accepted']);
    }
    expect(resolve([gc(), crd('v1.7.0')]).findings.some((f) => f.code === 'UnsupportedVersion' && f.subject === 'GatewayClass gc')).toBe(true);
  });
  it('not written when no CRD bundle-version is captured', () => {
    expect(c(cls([]), 'SupportedVersion')).toBe('missing');
  });
});

describe('listener PortUnavailable and UnsupportedValue', () => {
  it('port outside 1..65535 gives Accepted=False/PortUnavailable', () => {
    const res = resolve([...base, gw('infra', 'g', [{ name: 'zero', port: 0, protocol: 'HTTP' }, { name: 'big', port: 70000, protocol: 'HTTP' }, { name: 'ok', port: 80, protocol: 'HTTP' }])]);
    expect(c(lis(res, 'infra/g', 'zero').conditions, 'Accepted')).toBe('False/PortUnavailable');
    expect(c(lis(res, 'infra/g', 'big').conditions, 'Accepted')).toBe('False/PortUnavailable');
    expect(c(lis(res, 'infra/g', 'ok').conditions, 'Accepted')).toBe('True/Accepted');
    expect(c(gwOut(res, 'infra/g').conditions, 'Accepted')).toBe('True/ListenersNotValid');
  });

  it('same class + same spec address + port: the newer Gateway loses (PortUnavailable); other classes, transports, addresses do not clash', () => {
    const addr = { addresses: [{ type: 'IPAddress', value: '10.0.0.1' }] };
    const other = { ...gc('other'), metadata: { name: 'other' } };
    const res = resolve([
      ...base,
      other,
      { ...gw('infra', 'old', [{ name: 'http', port: 80, protocol: 'HTTP' }], addr), metadata: { namespace: 'infra', name: 'old', creationTimestamp: '2026-01-01T00:00:00Z' } },
      { ...gw('infra', 'new', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'x.test' }, { name: 'udp', port: 80, protocol: 'UDP' }, { name: 'https', port: 8080, protocol: 'HTTP' }], addr), metadata: { namespace: 'infra', name: 'new', creationTimestamp: '2026-02-01T00:00:00Z' } },
      { ...gw('infra', 'elsewhere', [{ name: 'http', port: 80, protocol: 'HTTP' }], { addresses: [{ value: '10.0.0.2' }] }) },
      { ...gw('infra', 'dynamic', [{ name: 'http', port: 80, protocol: 'HTTP' }]) },
      (() => {
        const o = gw('infra', 'otherclass', [{ name: 'http', port: 80, protocol: 'HTTP' }], addr);
        o.spec.gatewayClassName = 'other';
        return o;
      })(),
    ]);
    expect(c(lis(res, 'infra/old', 'http').conditions, 'Accepted')).toBe('True/Accepted');
    const lost = lis(res, 'infra/new', 'http').conditions;
    expect(c(lost, 'Accepted')).toBe('False/PortUnavailable');
    expect(msg(lost, 'Accepted')).toContain('infra/old');
    expect(c(lost, 'Programmed')).toBe('False/Invalid');
    expect(c(lis(res, 'infra/new', 'udp').conditions, 'Accepted')).toBe('True/Accepted');
    expect(c(lis(res, 'infra/new', 'https').conditions, 'Accepted')).toBe('True/Accepted');
    for (const g of ['infra/elsewhere', 'infra/dynamic', 'infra/otherclass']) expect([g, c(lis(res, g, 'http').conditions, 'Accepted')]).toEqual([g, 'True/Accepted']);
    expect(res.routing.find((e) => e.gateway.name === 'new' && e.listener === 'http')!.listenerAccepted).toBe(false);
  });

  it('UnsupportedValue for hostname on TCP, IP or bare * hostnames, tls on HTTP, allowedRoutes from None', () => {
    const res = resolve([
      ...base,
      gw('infra', 'g', [
        { name: 'tcp-host', port: 9000, protocol: 'TCP', hostname: 'a.test' },
        { name: 'ip', port: 81, protocol: 'HTTP', hostname: '10.1.2.3' },
        { name: 'star', port: 82, protocol: 'HTTP', hostname: '*' },
        { name: 'tls-on-http', port: 83, protocol: 'HTTP', tls: { mode: 'Terminate' } },
        { name: 'from-none', port: 84, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'None' } } },
        { name: 'wild', port: 85, protocol: 'HTTP', hostname: '*.example.com' },
      ]),
    ]);
    for (const l of ['tcp-host', 'ip', 'star', 'tls-on-http', 'from-none']) {
      expect([l, c(lis(res, 'infra/g', l).conditions, 'Accepted')]).toEqual([l, 'False/UnsupportedValue']);
    }
    expect(c(lis(res, 'infra/g', 'wild').conditions, 'Accepted')).toBe('True/Accepted');
  });
});

describe('default Gateways (useDefaultGateways / defaultScope) and attachedListenerSets', () => {
  it('a route with useDefaultGateways: All attaches to every defaultScope: All Gateway; allowedRoutes still apply', () => {
    const res = resolve([
      ...base,
      gw('infra', 'def', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }], { defaultScope: 'All' }),
      gw('infra', 'plain', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
      route('HTTPRoute', 'infra', 'implicit', { useDefaultGateways: 'All', rules: [{ backendRefs: toWeb }] }),
      route('HTTPRoute', 'infra', 'both', { useDefaultGateways: 'All', parentRefs: [{ name: 'def' }], rules: [] }),
      route('HTTPRoute', 'apps', 'foreign', { useDefaultGateways: 'All' }),
      route('HTTPRoute', 'infra', 'none', { parentRefs: [{ name: 'plain' }] }),
    ]);
    const implicit = res.routes.find((r) => r.name === 'implicit')!;
    expect(implicit.parents.map((p) => p.parentRef)).toEqual([{ group: G, kind: 'Gateway', namespace: 'infra', name: 'def' }]);
    expect(c(implicit.parents[0]!.conditions, 'Accepted')).toBe('True/Accepted');
    expect(res.routes.find((r) => r.name === 'both')!.parents).toHaveLength(1);
    expect(res.findings.some((f) => f.code === 'DUPLICATE_PARENT_REF')).toBe(false);
    expect(c(parentConds(res, 'HTTPRoute', 'apps/foreign'), 'Accepted')).toBe('False/NotAllowedByListeners');
    expect(lis(res, 'infra/def', 'http').attachedRoutes).toBe(2);
    expect(lis(res, 'infra/plain', 'http').attachedRoutes).toBe(1);
  });

  it('counts Accepted ListenerSets in attachedListenerSets; omitted for Gateways without ListenerSets or allowedListeners', () => {
    const ls = (namespace: string, name: string, port: number): KubeObject => ({
      apiVersion: `${G}/v1`,
      kind: 'ListenerSet',
      metadata: { namespace, name },
      spec: { parentRef: { name: 'g', namespace: 'infra' }, listeners: [{ name: 'l', port, protocol: 'HTTP' }] },
    });
    const res = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }], { allowedListeners: { namespaces: { from: 'Same' } } }),
      gw('infra', 'lonely', [{ name: 'http', port: 80, protocol: 'HTTP' }], { allowedListeners: { namespaces: { from: 'All' } } }),
      gw('infra', 'plain', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
      ls('infra', 'a', 8001),
      ls('infra', 'b', 8002),
      ls('apps', 'c', 8003),
    ]);
    expect(gwOut(res, 'infra/g').attachedListenerSets).toBe(2);
    expect(gwOut(res, 'infra/g').listenerSets).toHaveLength(3);
    expect(gwOut(res, 'infra/lonely').attachedListenerSets).toBe(0);
    expect('attachedListenerSets' in gwOut(res, 'infra/plain')).toBe(false);
    const noFeature = resolve([...base, gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }], { allowedListeners: { namespaces: { from: 'Same' } } })], { features: ['Gateway', 'HTTPRoute'] });
    expect('attachedListenerSets' in gwOut(noFeature, 'infra/g')).toBe(false);
  });
});

describe('routing table: HTTP route precedence on a hostname', () => {
  const t = (d: number) => ({ creationTimestamp: `2026-01-0${d}T00:00:00Z` });
  const r = (name: string, match: unknown, meta: Record<string, unknown>, namespace = 'infra') =>
    route('HTTPRoute', namespace, name, { parentRefs: [{ name: 'g', namespace: 'infra' }], rules: [{ ...(match ? { matches: [match] } : {}), backendRefs: toWeb }] }, meta);
  const objs = [
    ...base,
    gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]),
    r('catch-all', undefined, t(1)),
    r('prefix-long', { path: { type: 'PathPrefix', value: '/api/v1' } }, t(5)),
    r('prefix-short', { path: { type: 'PathPrefix', value: '/api' } }, t(1)),
    r('exact', { path: { type: 'Exact', value: '/a' } }, t(9)),
    r('method', { path: { type: 'PathPrefix', value: '/api' }, method: 'GET' }, t(7)),
    r('headers', { path: { type: 'PathPrefix', value: '/api' }, method: 'GET', headers: [{ name: 'x', value: 'y' }] }, t(8)),
    r('query', { path: { type: 'PathPrefix', value: '/api' }, queryParams: [{ name: 'q', value: '1' }] }, t(6)),
    r('prefix-short-newer', { path: { type: 'PathPrefix', value: '/api' } }, t(2)),
    r('tie-b', { path: { type: 'PathPrefix', value: '/tie' } }, t(3)),
    r('tie-a', { path: { type: 'PathPrefix', value: '/tie' } }, t(3), 'apps'),
  ];
  it('exact > longest prefix > method > headers > query > oldest > namespace/name, with a precedence index', () => {
    const routes = resolve(objs).routing[0]!.hostnames[0]!.routes;
    expect(routes.map((x) => x.name)).toEqual(['exact', 'prefix-long', 'headers', 'method', 'query', 'prefix-short', 'prefix-short-newer', 'tie-a', 'tie-b', 'catch-all']);
    expect(routes.map((x) => x.precedence)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Input order does not matter.
    expect(resolve([...objs].reverse()).routing[0]!.hostnames[0]!.routes.map((x) => x.name)).toEqual(routes.map((x) => x.name));
  });
  it('a dropped rule does not give a route precedence', () => {
    const res = resolve([
      ...base,
      httpGw,
      route('HTTPRoute', 'infra', 'a-dropped-exact', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ path: { type: 'Exact', value: '/x' }, method: 'FETCH' }] }, { matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] }, t(1)),
      route('HTTPRoute', 'infra', 'b-prefix', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/b' } }] }] }, t(2)),
    ]);
    expect(res.routing[0]!.hostnames[0]!.routes.map((x) => x.name)).toEqual(['b-prefix', 'a-dropped-exact']);
  });
});

describe('schema covers the new fields', () => {
  it('validates an output with dropped rules, precedence, SupportedVersion and attachedListenerSets', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schemas/resolution.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    const res = resolve([
      crd('v1.7.0'),
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }], { allowedListeners: { namespaces: { from: 'Same' } } }),
      route('HTTPRoute', 'infra', 'one-bad', { parentRefs: [{ name: 'g' }], rules: [{ matches: [{ path: { type: 'Glob' } }] }, { backendRefs: toWeb }] }),
    ]);
    expect(res.routing[0]!.hostnames[0]!.routes[0]!.rules[0]!.dropped?.reason).toBe('UnsupportedValue');
    expect(gwOut(res, 'infra/g').attachedListenerSets).toBe(0);
    expect(validate(res) ? 'valid' : JSON.stringify(validate.errors)).toBe('valid');
  });
});

import { describe, expect, it } from 'vitest';
import { resolve, defaultAttachedRoutesSemantics, SUPPORTED_FEATURES, type Condition, type Resolution } from '../../../src/resolve/index.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { CTRL, G, deepFreeze, gc, grant, gw, ns, route, svc, tlsSecret } from './fixtures.ts';

function c(conds: readonly Condition[], type: string): string {
  const x = conds.find((k) => k.type === type);
  return x ? `${x.status}/${x.reason}` : 'missing';
}
function parent(res: Resolution, kind: string, nsName: string, i = 0): readonly Condition[] {
  const [n, name] = nsName.split('/');
  const r = res.routes.find((x) => x.kind === kind && x.namespace === n && x.name === name);
  if (!r) throw new Error(`route ${nsName} not in output`);
  return r.parents[i]!.conditions;
}
function listener(res: Resolution, gwName: string, l: string) {
  const g = res.gateways.find((x) => `${x.namespace}/${x.name}` === gwName)!;
  return g.listeners.find((x) => x.name === l)!;
}

const base: KubeObject[] = [gc(), ns('infra', { team: 'infra' }), ns('apps', { team: 'apps', env: 'prod' }), ns('other', { env: 'dev' })];

describe('resolve: purity and determinism', () => {
  it('never mutates its (deep-frozen) input and returns the same output for shuffled input', () => {
    const objs = deepFreeze([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]),
      svc('apps', 'a'),
      svc('apps', 'b'),
      route('HTTPRoute', 'apps', 'r1', { parentRefs: [{ name: 'g', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }] }),
      route('HTTPRoute', 'apps', 'r2', { parentRefs: [{ name: 'missing', namespace: 'infra' }], rules: [] }),
    ]);
    const a = resolve(objs);
    const b = resolve([...objs].reverse());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe('resolve: parentRefs and allowedRoutes', () => {
  const g = gw('infra', 'g', [
    { name: 'same', port: 80, protocol: 'HTTP' },
    { name: 'sel', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } } } },
  ]);
  it('defaults group/kind/namespace and echoes them; Same and Selector namespaces', () => {
    const res = resolve([
      ...base,
      g,
      svc('apps', 's'),
      route('HTTPRoute', 'apps', 'r', { parentRefs: [{ name: 'g', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] }),
      route('HTTPRoute', 'other', 'r', { parentRefs: [{ name: 'g', namespace: 'infra' }] }),
      route('HTTPRoute', 'infra', 'r', { parentRefs: [{ name: 'g' }] }),
    ]);
    const r = res.routes.find((x) => x.namespace === 'apps')!;
    expect(r.parents[0]!.parentRef).toEqual({ group: G, kind: 'Gateway', namespace: 'infra', name: 'g' });
    expect(r.parents[0]!.controllerName).toBe(CTRL);
    expect(c(parent(res, 'HTTPRoute', 'apps/r'), 'Accepted')).toBe('True/Accepted');
    expect(c(parent(res, 'HTTPRoute', 'other/r'), 'Accepted')).toBe('False/NotAllowedByListeners');
    expect(c(parent(res, 'HTTPRoute', 'infra/r'), 'Accepted')).toBe('True/Accepted');
    expect(listener(res, 'infra/g', 'same').attachedRoutes).toBe(1);
    expect(listener(res, 'infra/g', 'sel').attachedRoutes).toBe(1);
  });
  it('sectionName/port that select nothing give NoMatchingParent; both must hold', () => {
    const res = resolve([
      ...base,
      g,
      route('HTTPRoute', 'infra', 'a', { parentRefs: [{ name: 'g', sectionName: 'nope' }] }),
      route('HTTPRoute', 'infra', 'b', { parentRefs: [{ name: 'g', sectionName: 'same', port: 8080 }] }),
      route('HTTPRoute', 'infra', 'c', { parentRefs: [{ name: 'g', port: 80 }] }),
    ]);
    expect(c(parent(res, 'HTTPRoute', 'infra/a'), 'Accepted')).toBe('False/NoMatchingParent');
    expect(c(parent(res, 'HTTPRoute', 'infra/b'), 'Accepted')).toBe('False/NoMatchingParent');
    expect(c(parent(res, 'HTTPRoute', 'infra/c'), 'Accepted')).toBe('True/Accepted');
  });
  it('leaves out parents no controller handles and reports them as findings', () => {
    const res = resolve([
      ...base,
      gw('infra', 'foreign', [{ name: 'h', port: 80, protocol: 'HTTP' }], { gatewayClassName: 'not-here' }),
      route('HTTPRoute', 'infra', 'r', { parentRefs: [{ name: 'nope' }, { name: 'foreign' }, { group: '', kind: 'Service', name: 'mesh' }] }),
    ]);
    expect(res.routes).toEqual([]);
    expect(res.gateways).toEqual([]);
    const codes = res.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['PARENT_NOT_FOUND', 'PARENT_NOT_HANDLED', 'PARENT_KIND_UNSUPPORTED', 'GATEWAYCLASS_NOT_FOUND']));
  });
  it('handles every apiVersion of the route kinds', () => {
    const l = [
      { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
      { name: 'tcp', port: 9000, protocol: 'TCP' },
      { name: 'udp', port: 9000, protocol: 'UDP' },
      { name: 'http', port: 80, protocol: 'HTTP' },
    ];
    const res = resolve([
      ...base,
      gw('infra', 'g', l),
      route('TLSRoute', 'infra', 't2', { parentRefs: [{ name: 'g' }], hostnames: ['a.example.com'] }, {}, 'v1alpha2'),
      route('TLSRoute', 'infra', 't3', { parentRefs: [{ name: 'g' }], hostnames: ['a.example.com'] }, {}, 'v1alpha3'),
      route('TCPRoute', 'infra', 'tcp', { parentRefs: [{ name: 'g' }] }, {}, 'v1alpha2'),
      route('UDPRoute', 'infra', 'udp', { parentRefs: [{ name: 'g' }] }, {}, 'v1alpha2'),
      route('HTTPRoute', 'infra', 'h', { parentRefs: [{ name: 'g' }], hostnames: ['www.test'] }, {}, 'v1beta1'),
      // disjoint hostname: an HTTPRoute and a GRPCRoute whose hostnames intersect clash (digest §3)
      route('GRPCRoute', 'infra', 'gr', { parentRefs: [{ name: 'g' }], hostnames: ['grpc.test'] }, {}, 'v1alpha2'),
    ]);
    for (const r of res.routes) expect(c(r.parents[0]!.conditions, 'Accepted')).toBe('True/Accepted');
    expect(listener(res, 'infra/g', 'tls').attachedRoutes).toBe(2);
    expect(listener(res, 'infra/g', 'http').attachedRoutes).toBe(2);
    expect(listener(res, 'infra/g', 'tcp').attachedRoutes).toBe(1);
    expect(listener(res, 'infra/g', 'udp').attachedRoutes).toBe(1);
  });
});

describe('resolve: hostnames and attachedRoutes semantics', () => {
  const objs = [
    ...base,
    gw('infra', 'g', [
      { name: 'wild', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
      { name: 'exact', port: 80, protocol: 'HTTP', hostname: 'exact.test' },
    ]),
    route('HTTPRoute', 'infra', 'deep', { parentRefs: [{ name: 'g' }], hostnames: ['a.b.example.com'] }),
    route('HTTPRoute', 'infra', 'apex', { parentRefs: [{ name: 'g', sectionName: 'wild' }], hostnames: ['example.com'] }),
  ];
  it('wildcards match one or more labels, never the apex', () => {
    const res = resolve(objs);
    expect(c(parent(res, 'HTTPRoute', 'infra/deep'), 'Accepted')).toBe('True/Accepted');
    expect(c(parent(res, 'HTTPRoute', 'infra/apex'), 'Accepted')).toBe('False/NoMatchingListenerHostname');
    const e = res.routing.find((x) => x.listener === 'wild')!;
    expect(e.hostnames.map((h) => h.hostname)).toEqual(['a.b.example.com']);
  });
  it('v1.5 counts only routes accepted on the listener; v1.4 also counts allowed routes with no hostname match', () => {
    expect(listener(resolve(objs), 'infra/g', 'wild').attachedRoutes).toBe(1);
    expect(listener(resolve(objs), 'infra/g', 'exact').attachedRoutes).toBe(0);
    const v14 = resolve(objs, { attachedRoutesSemantics: 'v1.4' });
    expect(listener(v14, 'infra/g', 'wild').attachedRoutes).toBe(2);
    expect(listener(v14, 'infra/g', 'exact').attachedRoutes).toBe(1);
  });
  it('defaults the semantics from the captured CRD bundle-version', () => {
    const crd = (v: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gateways.${G}`, annotations: { 'gateway.networking.k8s.io/bundle-version': v } },
      spec: { group: G },
    });
    expect(defaultAttachedRoutesSemantics([crd('v1.4.1')]).semantics).toBe('v1.4');
    expect(defaultAttachedRoutesSemantics([crd('v1.5.0')]).semantics).toBe('v1.5');
    expect(defaultAttachedRoutesSemantics([crd('v0.0.0-dev')]).semantics).toBe('v1.5');
    expect(defaultAttachedRoutesSemantics([]).semantics).toBe('v1.5');
    expect(listener(resolve([...objs, crd('v1.3.0')]), 'infra/g', 'exact').attachedRoutes).toBe(1);
  });
});

describe('resolve: backendRefs', () => {
  it('RefNotPermitted before BackendNotFound; invalid backends keep Accepted=True', () => {
    const res = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
      route('HTTPRoute', 'infra', 'x', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'ghost', namespace: 'apps', port: 80 }] }] }),
      route('HTTPRoute', 'infra', 'y', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 'ghost', port: 80 }] }] }),
      route('HTTPRoute', 'infra', 'z', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ group: 'x.io', kind: 'Thing', name: 'a' }] }] }),
    ]);
    expect(c(parent(res, 'HTTPRoute', 'infra/x'), 'ResolvedRefs')).toBe('False/RefNotPermitted');
    expect(c(parent(res, 'HTTPRoute', 'infra/y'), 'ResolvedRefs')).toBe('False/BackendNotFound');
    expect(c(parent(res, 'HTTPRoute', 'infra/z'), 'ResolvedRefs')).toBe('False/InvalidKind');
    for (const r of ['x', 'y', 'z']) expect(c(parent(res, 'HTTPRoute', `infra/${r}`), 'Accepted')).toBe('True/Accepted');
  });

  it('matches every ReferenceGrant field exactly (each single wrong field does not grant)', () => {
    const from = { group: G, kind: 'HTTPRoute', namespace: 'infra' };
    const to = { group: '', kind: 'Service', name: 's' };
    const variants: [string, KubeObject][] = [
      ['ok', grant('apps', 'ok', [from], [to])],
      ['wrong-grant-namespace', grant('infra', 'g1', [from], [to])],
      ['wrong-from-group', grant('apps', 'g2', [{ ...from, group: 'x' }], [to])],
      ['wrong-from-kind', grant('apps', 'g3', [{ ...from, kind: 'GRPCRoute' }], [to])],
      ['wrong-from-namespace', grant('apps', 'g4', [{ ...from, namespace: 'other' }], [to])],
      ['wrong-to-group', grant('apps', 'g5', [from], [{ ...to, group: 'x' }])],
      ['wrong-to-kind', grant('apps', 'g6', [from], [{ ...to, kind: 'Secret' }])],
      ['wrong-to-name', grant('apps', 'g7', [from], [{ ...to, name: 'other' }])],
      ['all-names', grant('apps', 'g8', [from], [{ group: '', kind: 'Service' }])],
    ];
    for (const [label, gr] of variants) {
      const res = resolve([
        ...base,
        gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
        svc('apps', 's'),
        gr,
        route('HTTPRoute', 'infra', 'r', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 's', namespace: 'apps', port: 80 }] }] }),
      ]);
      const expected = label === 'ok' || label === 'all-names' ? 'True/ResolvedRefs' : 'False/RefNotPermitted';
      expect([label, c(parent(res, 'HTTPRoute', 'infra/r'), 'ResolvedRefs')]).toEqual([label, expected]);
      if (expected.startsWith('True')) {
        const b = res.routing[0]!.hostnames[0]!.routes[0]!.rules[0]!.backends[0]!;
        expect(b).toMatchObject({ crossNamespace: true, referenceGrant: `apps/${gr.metadata.name}`, valid: true });
      }
    }
  });

  it('shows weights as percentages of the rule (90/10), with Service type and labels', () => {
    const res = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
      svc('infra', 'v1', [80], { type: 'LoadBalancer', labels: { app: 'v1' } }),
      svc('infra', 'v2'),
      route('HTTPRoute', 'infra', 'r', {
        parentRefs: [{ name: 'g' }],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'v1', port: 80, weight: 90 }, { name: 'v2', port: 80, weight: 10 }] }],
      }),
    ]);
    const rule = res.routing[0]!.hostnames[0]!.routes[0]!.rules[0]!;
    expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(rule.backends.map((b) => [b.name, b.weight, b.percent])).toEqual([
      ['v1', 90, 90],
      ['v2', 10, 10],
    ]);
    expect(rule.backends[0]!.service).toEqual({ type: 'LoadBalancer', labels: { app: 'v1' }, annotations: {} });
    expect(rule.backends[1]!.service!.type).toBe('ClusterIP');
  });

  it('a BackendTLSPolicy that cannot be satisfied makes the backend invalid and gets ancestor status', () => {
    const policy: KubeObject = {
      apiVersion: `${G}/v1`,
      kind: 'BackendTLSPolicy',
      metadata: { namespace: 'infra', name: 'p' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 's' }], validation: { hostname: 's.example.com', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'missing' }] } },
    };
    const res = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
      svc('infra', 's'),
      policy,
      route('HTTPRoute', 'infra', 'r', { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] }),
    ]);
    const b = res.routing[0]!.hostnames[0]!.routes[0]!.rules[0]!.backends[0]!;
    expect(b).toMatchObject({ valid: false, reason: 'BackendTLSPolicyInvalid', backendTLSPolicy: 'infra/p' });
    const anc = res.gateways[0]!.backendTLSPolicies![0]!;
    expect(anc.ancestorRef).toMatchObject({ kind: 'Gateway', name: 'g' });
    expect(c(anc.conditions, 'Accepted')).toBe('False/NoValidCACertificate');
    expect(c(anc.conditions, 'ResolvedRefs')).toBe('False/InvalidCACertificateRef');
    expect(c(parent(res, 'HTTPRoute', 'infra/r'), 'Accepted')).toBe('True/Accepted');
  });

  it('TCPRoutes: all attach and count, only the oldest serves traffic', () => {
    const res = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'tcp', port: 9000, protocol: 'TCP' }]),
      route('TCPRoute', 'infra', 'new', { parentRefs: [{ name: 'g' }] }, { creationTimestamp: '2026-02-01T00:00:00Z' }, 'v1alpha2'),
      route('TCPRoute', 'infra', 'old', { parentRefs: [{ name: 'g' }] }, { creationTimestamp: '2026-01-01T00:00:00Z' }, 'v1alpha2'),
    ]);
    expect(listener(res, 'infra/g', 'tcp').attachedRoutes).toBe(2);
    const routes = res.routing[0]!.hostnames[0]!.routes;
    // Order-independent: the routing table now lists routes in precedence order (oldest first for L4 routes).
    expect(routes.map((r) => [r.name, r.servesTraffic]).sort()).toEqual([
      ['new', false],
      ['old', true],
    ]);
  });
});

describe('resolve: listeners', () => {
  it('conflicted listeners are all rejected (hostname and protocol conflicts)', () => {
    const res = resolve([
      ...base,
      gw('infra', 'g', [
        { name: 'a', port: 80, protocol: 'HTTP', hostname: 'x.test' },
        { name: 'b', port: 80, protocol: 'HTTP', hostname: 'x.test' },
        { name: 'c', port: 80, protocol: 'HTTP', hostname: 'y.test' },
        { name: 'd', port: 9000, protocol: 'TCP' },
        { name: 'e', port: 9000, protocol: 'HTTP' },
      ]),
    ]);
    for (const l of ['a', 'b']) {
      expect(c(listener(res, 'infra/g', l).conditions, 'Conflicted')).toBe('True/HostnameConflict');
      expect(c(listener(res, 'infra/g', l).conditions, 'Accepted')).toBe('False/HostnameConflict');
    }
    for (const l of ['d', 'e']) expect(c(listener(res, 'infra/g', l).conditions, 'Conflicted')).toBe('True/ProtocolConflict');
    expect(c(listener(res, 'infra/g', 'c').conditions, 'Conflicted')).toBe('False/NoConflicts');
    expect(c(res.gateways[0]!.conditions, 'Accepted')).toBe('True/ListenersNotValid');
  });

  it('certificateRefs: cross-namespace Secret needs a grant (RefNotPermitted before InvalidCertificateRef); ReducedSecret metadata is reported', () => {
    const reduced: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'apps', name: 'cert' },
      type: 'kubernetes.io/tls',
      dataKeys: ['tls.crt', 'tls.key'],
      certificateMetadata: {
        'tls.crt': {
          status: 'valid',
          chain: [
            { subject: 'CN=a', issuer: 'CN=ca', serialNumber: '1', dnsNames: ['a.example.com'], ipAddresses: [], notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', publicKeyAlgorithm: 'ec', signatureAlgorithm: 'ecdsa-with-SHA256', sha256Fingerprint: 'ab', isCA: false },
          ],
        },
      },
    };
    const l = (name: string, secretNs: string, secret: string) => ({ name, port: 443, protocol: 'HTTPS', hostname: `${name}.example.com`, tls: { certificateRefs: [{ name: secret, namespace: secretNs }] } });
    const objs = [...base, gw('infra', 'g', [l('a', 'apps', 'cert'), l('b', 'apps', 'missing'), l('c', 'infra', 'bad')]), reduced, tlsSecret('infra', 'bad', btoa('hello'))];
    let res = resolve(objs);
    expect(c(listener(res, 'infra/g', 'a').conditions, 'ResolvedRefs')).toBe('False/RefNotPermitted');
    expect(c(listener(res, 'infra/g', 'b').conditions, 'ResolvedRefs')).toBe('False/RefNotPermitted');
    expect(c(listener(res, 'infra/g', 'c').conditions, 'ResolvedRefs')).toBe('False/InvalidCertificateRef');
    expect(c(listener(res, 'infra/g', 'c').conditions, 'Programmed')).toBe('False/Invalid');
    expect(c(listener(res, 'infra/g', 'c').conditions, 'Accepted')).toBe('True/Accepted');
    res = resolve([...objs, grant('apps', 'certs', [{ group: G, kind: 'Gateway', namespace: 'infra' }], [{ group: '', kind: 'Secret' }])]);
    expect(c(listener(res, 'infra/g', 'a').conditions, 'ResolvedRefs')).toBe('True/ResolvedRefs');
    expect(c(listener(res, 'infra/g', 'b').conditions, 'ResolvedRefs')).toBe('False/InvalidCertificateRef');
    const ref = res.routing.find((e) => e.listener === 'a')!.certificateRefs[0]!;
    expect(ref).toMatchObject({ resolved: true, referenceGrant: 'apps/certs' });
    expect(ref.chain[0]).toMatchObject({ dnsNames: ['a.example.com'], notAfter: '2027-01-01T00:00:00Z', sha256Fingerprint: 'ab' });
  });

  it('unsupported protocol and TLS modes follow the claimed features', () => {
    const objs = [
      ...base,
      gw('infra', 'g', [
        { name: 'x', port: 1, protocol: 'FTP' },
        { name: 't', port: 8443, protocol: 'TLS', hostname: 't.test', tls: { mode: 'Terminate', certificateRefs: [{ name: 'c' }] } },
        { name: 'p', port: 8443, protocol: 'TLS', hostname: 'p.test', tls: { mode: 'Passthrough' } },
      ]),
      tlsSecret('infra', 'c'),
    ];
    let res = resolve(objs);
    expect(c(listener(res, 'infra/g', 'x').conditions, 'Accepted')).toBe('False/UnsupportedProtocol');
    expect(listener(res, 'infra/g', 'x').supportedKinds).toEqual([]);
    expect(c(listener(res, 'infra/g', 't').conditions, 'Accepted')).toBe('True/Accepted');
    res = resolve(objs, { features: SUPPORTED_FEATURES.filter((f) => f !== 'TLSRouteModeMixed') });
    expect(c(listener(res, 'infra/g', 't').conditions, 'Accepted')).toBe('False/ProtocolConflict');
    expect(c(listener(res, 'infra/g', 'p').conditions, 'Accepted')).toBe('False/ProtocolConflict');
    res = resolve(objs, { features: SUPPORTED_FEATURES.filter((f) => f !== 'TLSRouteModeTerminate') });
    expect(c(listener(res, 'infra/g', 't').conditions, 'Accepted')).toBe('False/UnsupportedValue');
  });

  it('invalid allowedRoutes.kinds: InvalidRouteKinds, supportedKinds keeps the valid ones', () => {
    const res = resolve([...base, gw('infra', 'g', [{ name: 'h', port: 80, protocol: 'HTTP', allowedRoutes: { kinds: [{ kind: 'TCPRoute' }, { kind: 'HTTPRoute' }] } }])]);
    const l = listener(res, 'infra/g', 'h');
    expect(c(l.conditions, 'ResolvedRefs')).toBe('False/InvalidRouteKinds');
    expect(l.supportedKinds).toEqual([{ group: G, kind: 'HTTPRoute' }]);
  });
});

describe('resolve: ListenerSet', () => {
  const ls = (kind: 'ListenerSet' | 'XListenerSet', namespace: string, name: string): KubeObject => ({
    apiVersion: kind === 'ListenerSet' ? `${G}/v1` : 'gateway.networking.x-k8s.io/v1alpha1',
    kind,
    metadata: { namespace, name },
    spec: { parentRef: { name: 'g', namespace: 'infra' }, listeners: [{ name: 'extra', port: 8080, protocol: 'HTTP', hostname: `${name}.test` }] },
  });
  it('attaches listeners when allowedListeners permits, and routes can target the ListenerSet', () => {
    const res = resolve([
      ...base,
      gw('infra', 'g', [{ name: 'http', port: 80, protocol: 'HTTP' }], { allowedListeners: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'apps' } } } } }),
      ls('ListenerSet', 'apps', 'ok'),
      ls('XListenerSet', 'other', 'denied'),
      route('HTTPRoute', 'apps', 'r', { parentRefs: [{ kind: 'ListenerSet', name: 'ok', sectionName: 'extra' }] }),
    ]);
    const sets = res.gateways[0]!.listenerSets!;
    const ok = sets.find((s) => s.name === 'ok')!;
    const denied = sets.find((s) => s.name === 'denied')!;
    expect(c(ok.conditions, 'Accepted')).toBe('True/Accepted');
    expect(c(denied.conditions, 'Accepted')).toBe('False/NotAllowed');
    expect(c(parent(res, 'HTTPRoute', 'apps/r'), 'Accepted')).toBe('True/Accepted');
    expect(ok.listeners[0]!.attachedRoutes).toBe(1);
    expect(res.routing.find((e) => e.listenerSet?.name === 'ok')!.hostnames[0]!.hostname).toBe('ok.test');
  });
});

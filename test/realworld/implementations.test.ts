/**
 * Envoy Gateway's and Istio's own example manifests (../shared/real-world/implementations, issue 11 "Done means"):
 * each example is applied as its documentation says, with the status THAT controller writes (hand-written below
 * from the controller's behaviour and its conformance reports; the folder carries no status), plus the Gateway API
 * v1.4.0 experimental CRDs both install. The objects are collected exactly as the files hold them (no Secrets, no
 * Namespaces: the dump did not ask for them) and verified. `gwe verify` must report no drift error: what the
 * controller does by design is a known departure, what depends on the data plane is a recorded fact, what the
 * capture did not hold is CAPTURE_INCOMPLETE. A negative control per example flips one recorded condition and
 * must give STATUS_DRIFT, so the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Finding } from '../../src/model/finding.ts';
import { REAL_WORLD, collectAndVerifyBundle } from './shared.ts';

const IMPL = join(REAL_WORLD, 'implementations');
const HAVE = existsSync(join(IMPL, 'envoy-gateway')) && existsSync(join(IMPL, 'istio'));
if (!HAVE) console.warn(`real-world implementation examples not found at ${IMPL}: implementation suites skipped`);
const CRDS = join(REAL_WORLD, 'crds', 'v1.4.0-experimental.yaml');

const EG = 'gateway.envoyproxy.io/gatewayclass-controller';
const ISTIO = 'istio.io/gateway-controller';
const ISTIO_MESH = 'istio.io/mesh-controller';
const GW = 'gateway.networking.k8s.io';
const T0 = '2026-10-31T10:00:00Z';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; generation?: number; [k: string]: unknown }; spec?: any; status?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Cond = { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message?: string };

const T = (type: string, reason = type, message = ''): Cond => ({ type, status: 'True', reason, message });
const F = (type: string, reason: string, message = ''): Cond => ({ type, status: 'False', reason, message });
/** A condition as the API server stores it: observedGeneration 1 (every object is at generation 1), a transition time. */
const stamp = (c: Cond) => ({ ...c, message: c.message ?? '', observedGeneration: 1, lastTransitionTime: T0 });
const kinds = (...ks: string[]) => ks.map((kind) => ({ group: GW, kind }));

interface ListenerStatus {
  name: string;
  attachedRoutes: number;
  supportedKinds: string[];
  conditions: Cond[];
}

/** Envoy Gateway listener conditions (internal/gatewayapi/listener.go): Programmed, Accepted, ResolvedRefs. */
const egListener = (name: string, attachedRoutes: number, supported: string[]): ListenerStatus => ({
  name,
  attachedRoutes,
  supportedKinds: supported,
  conditions: [T('Programmed', 'Programmed', 'Sending translated listener configuration to the data plane'), T('Accepted', 'Accepted', 'Listener has been successfully translated'), T('ResolvedRefs', 'ResolvedRefs', 'Listener references have been resolved')],
});
/** Istio listener conditions (pilot/pkg/config/kube/gateway/conditions.go): Accepted, Conflicted, Programmed, ResolvedRefs. */
const istioListener = (name: string, attachedRoutes: number, supported: string[]): ListenerStatus => ({
  name,
  attachedRoutes,
  supportedKinds: supported,
  conditions: [T('Accepted', 'Accepted', 'No errors found'), F('Conflicted', 'NoConflicts', 'No errors found'), T('Programmed', 'Programmed', 'No errors found'), T('ResolvedRefs', 'ResolvedRefs', 'No errors found')],
});

function gatewayStatus(conditions: Cond[], listeners: ListenerStatus[], addresses: string[] = []) {
  return {
    ...(addresses.length ? { addresses: addresses.map((value) => ({ type: 'IPAddress', value })) } : {}),
    conditions: conditions.map(stamp),
    listeners: listeners.map((l) => ({ name: l.name, attachedRoutes: l.attachedRoutes, supportedKinds: kinds(...l.supportedKinds), conditions: l.conditions.map(stamp) })),
  };
}

function routeStatus(controllerName: string, parents: Array<{ parentRef: Record<string, unknown>; conditions: Cond[] }>) {
  return { parents: parents.map((p) => ({ parentRef: p.parentRef, controllerName, conditions: p.conditions.map(stamp) })) };
}

const EG_GATEWAY_OK = [T('Accepted', 'Accepted', 'The Gateway has been scheduled by Envoy Gateway'), T('Programmed', 'Programmed', 'Address assigned to the Gateway, 1/1 envoy replicas available')];
/** A kind cluster without a load-balancer implementation: the envoy Service never gets an address. */
const EG_GATEWAY_NO_ADDRESS = [T('Accepted', 'Accepted', 'The Gateway has been scheduled by Envoy Gateway'), F('Programmed', 'AddressNotAssigned', 'No addresses have been assigned to the Gateway')];
const ISTIO_GATEWAY_OK = [T('Accepted', 'Accepted', 'Resource accepted'), T('Programmed', 'Programmed', 'Resource programmed, assigned to service(s) istio-ingressgateway.istio-system.svc.cluster.local:80')];
const ISTIO_GATEWAY_NO_ADDRESS = [T('Accepted', 'Accepted', 'Resource accepted'), F('Programmed', 'AddressNotAssigned', 'Assigned to service(s) bookinfo-gateway-istio.default.svc.cluster.local:80, but failed to assign to all requested addresses: address pending for hostname "bookinfo-gateway-istio.default.svc.cluster.local"')];
const ROUTE_OK_EG = [T('Accepted', 'Accepted', 'Route is accepted'), T('ResolvedRefs', 'ResolvedRefs', 'Resolved all the Object references for the Route')];
const ROUTE_OK_ISTIO = [T('Accepted', 'Accepted', 'Route was valid'), T('ResolvedRefs', 'ResolvedRefs', 'All references resolved')];
const CLASS_EG = { conditions: [T('Accepted', 'Accepted', 'Valid GatewayClass')].map(stamp) };
const CLASS_ISTIO = { conditions: [T('Accepted', 'Accepted', 'Handled by Istio controller')].map(stamp) };
/** The GatewayClass istiod creates at start-up (pilot/pkg/config/kube/gateway/gatewayclass.go); not in the samples. */
const ISTIO_CLASS: Obj = { apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: ISTIO, description: 'The default Istio GatewayClass' } };

interface Unit {
  name: string;
  /** Files of the implementation folder, applied in order; `drop` leaves objects out (`Kind name`). */
  files: Array<{ file: string; drop?: string[] }>;
  /** Objects the documentation has the user create besides the files (or the controller creates), without status. */
  extra?: Obj[];
  /** Recorded status per `Kind name` (all objects are in namespace default). */
  status: Record<string, unknown>;
  /** Findings (code) the analysis must show: the classification at work. */
  expectCodes: string[];
  /** The recorded condition the negative control flips (`Kind name`, path to a conditions array, condition type). */
  flip: { object: string; path: (status: any) => Cond[]; type: string }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const egParent = (name: string, extra: Record<string, unknown> = {}) => ({ group: GW, kind: 'Gateway', name, ...extra });
const firstParent = (s: any) => s.parents[0].conditions; // eslint-disable-line @typescript-eslint/no-explicit-any

const UNITS: Record<'envoy-gateway' | 'istio', Unit[]> = {
  'envoy-gateway': [
    {
      name: 'quickstart',
      files: [{ file: 'quickstart.yaml' }],
      status: {
        'GatewayClass eg': CLASS_EG,
        'Gateway eg': gatewayStatus(EG_GATEWAY_NO_ADDRESS, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute'])]),
        'HTTPRoute backend': routeStatus(EG, [{ parentRef: egParent('eg'), conditions: ROUTE_OK_EG }]),
      },
      // Programmed=False/AddressNotAssigned is the data plane's (no load balancer in a kind cluster): a recorded fact.
      expectCodes: ['STATUS_NOT_DERIVABLE'],
      flip: { object: 'HTTPRoute backend', path: firstParent, type: 'Accepted' },
    },
    {
      name: 'http-routing',
      files: [{ file: 'http-routing.yaml' }],
      status: {
        'GatewayClass example-gateway-class': CLASS_EG,
        'Gateway example-gateway': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 3, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.200']),
        'HTTPRoute example-route': routeStatus(EG, [{ parentRef: egParent('example-gateway'), conditions: ROUTE_OK_EG }]),
        'HTTPRoute foo-route': routeStatus(EG, [{ parentRef: egParent('example-gateway'), conditions: ROUTE_OK_EG }]),
        'HTTPRoute bar-route': routeStatus(EG, [{ parentRef: egParent('example-gateway'), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: ['EXPOSURE_PLAINTEXT_HOSTNAME'],
      flip: { object: 'Gateway example-gateway', path: (s) => s.listeners[0].conditions, type: 'Programmed' },
    },
    {
      name: 'grpc-routing',
      files: [{ file: 'grpc-routing.yaml' }],
      status: {
        'GatewayClass example-gateway-class': CLASS_EG,
        'Gateway example-gateway': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.200']),
        'GRPCRoute yages': routeStatus(EG, [{ parentRef: egParent('example-gateway'), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: [],
      flip: { object: 'GRPCRoute yages', path: firstParent, type: 'ResolvedRefs' },
    },
    {
      name: 'tcp-routing',
      files: [{ file: 'tcp-routing.yaml' }],
      status: {
        'GatewayClass eg': CLASS_EG,
        'Gateway tcp-gateway': gatewayStatus(EG_GATEWAY_OK, [egListener('foo', 1, ['TCPRoute']), egListener('bar', 1, ['TCPRoute'])], ['172.18.255.201']),
        'TCPRoute tcp-app-1': routeStatus(EG, [{ parentRef: egParent('tcp-gateway', { sectionName: 'foo' }), conditions: ROUTE_OK_EG }]),
        'TCPRoute tcp-app-2': routeStatus(EG, [{ parentRef: egParent('tcp-gateway', { sectionName: 'bar' }), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: [],
      flip: { object: 'TCPRoute tcp-app-2', path: firstParent, type: 'Accepted' },
    },
    {
      // docs/tasks/security/tls-passthrough: the quickstart, then a TLS Passthrough listener patched onto Gateway eg.
      name: 'tls-passthrough',
      files: [{ file: 'quickstart.yaml', drop: ['Gateway eg'] }, { file: 'tls-passthrough.yaml' }],
      extra: [
        {
          apiVersion: `${GW}/v1`,
          kind: 'Gateway',
          metadata: { name: 'eg' },
          spec: { gatewayClassName: 'eg', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }, { name: 'tls', protocol: 'TLS', hostname: 'passthrough.example.com', port: 6443, tls: { mode: 'Passthrough' } }] },
        },
      ],
      status: {
        'GatewayClass eg': CLASS_EG,
        'Gateway eg': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute']), egListener('tls', 1, ['TLSRoute'])], ['172.18.255.200']),
        'HTTPRoute backend': routeStatus(EG, [{ parentRef: egParent('eg'), conditions: ROUTE_OK_EG }]),
        'TLSRoute tlsroute': routeStatus(EG, [{ parentRef: egParent('eg'), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: [],
      flip: { object: 'TLSRoute tlsroute', path: firstParent, type: 'Accepted' },
    },
    {
      // The Secret example-cert is created with openssl + kubectl (docs/tasks/security/tls-termination); the dump holds
      // no Secrets at all, so the certificate reference is unknown, not missing.
      name: 'tls-termination',
      files: [{ file: 'tls-termination.yaml' }],
      status: {
        'GatewayClass eg': CLASS_EG,
        'Gateway eg': gatewayStatus(EG_GATEWAY_OK, [egListener('https', 1, ['TLSRoute', 'TCPRoute'])], ['172.18.255.200']),
        'TCPRoute backend': routeStatus(EG, [{ parentRef: egParent('eg'), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: ['CAPTURE_INCOMPLETE'],
      flip: { object: 'TCPRoute backend', path: firstParent, type: 'Accepted' },
    },
    {
      // GatewayClass parametersRef names an EnvoyProxy, a kind the collector does not keep: unknown offline.
      name: 'merged-gateways',
      files: [{ file: 'merged-gateways.yaml' }],
      status: {
        'GatewayClass merged-eg': CLASS_EG,
        'Gateway merged-eg-1': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.200']),
        'Gateway merged-eg-2': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.200']),
        'Gateway merged-eg-3': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.200']),
        'HTTPRoute hostname1-route': routeStatus(EG, [{ parentRef: egParent('merged-eg-1'), conditions: ROUTE_OK_EG }]),
        'HTTPRoute hostname2-route': routeStatus(EG, [{ parentRef: egParent('merged-eg-2'), conditions: ROUTE_OK_EG }]),
        'HTTPRoute hostname3-route': routeStatus(EG, [{ parentRef: egParent('merged-eg-3'), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: ['CAPTURE_INCOMPLETE'],
      flip: { object: 'HTTPRoute hostname2-route', path: firstParent, type: 'Accepted' },
    },
    {
      // A ServiceImport backend (Submariner); the example holds no ServiceImport object, so the capture lacks the kind: unknown offline.
      name: 'multicluster-service',
      files: [{ file: 'multicluster-service.yaml' }],
      status: {
        'GatewayClass eg': CLASS_EG,
        'Gateway eg': gatewayStatus(EG_GATEWAY_OK, [egListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['10.96.10.10']),
        'HTTPRoute backend': routeStatus(EG, [{ parentRef: egParent('eg'), conditions: ROUTE_OK_EG }]),
      },
      expectCodes: ['CAPTURE_INCOMPLETE'],
      flip: { object: 'Gateway eg', path: (s) => s.listeners[0].conditions, type: 'Accepted' },
    },
  ],
  istio: [
    {
      name: 'helloworld',
      files: [{ file: 'helloworld-helloworld-gateway.yaml' }, { file: 'helloworld-helloworld.yaml' }],
      extra: [ISTIO_CLASS],
      status: {
        'GatewayClass istio': CLASS_ISTIO,
        'Gateway helloworld-gateway': gatewayStatus(ISTIO_GATEWAY_OK, [istioListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.210']),
        'HTTPRoute helloworld': routeStatus(ISTIO, [{ parentRef: egParent('helloworld-gateway'), conditions: ROUTE_OK_ISTIO }]),
      },
      expectCodes: [],
      flip: { object: 'HTTPRoute helloworld', path: firstParent, type: 'Accepted' },
    },
    {
      // samples/helloworld/gateway-api/README: the 90/10 route replaces the first one.
      name: 'helloworld-versions',
      files: [{ file: 'helloworld-helloworld-gateway.yaml', drop: ['HTTPRoute helloworld'] }, { file: 'helloworld-helloworld-route.yaml' }, { file: 'helloworld-helloworld-versions.yaml' }, { file: 'helloworld-helloworld.yaml' }],
      extra: [ISTIO_CLASS],
      status: {
        'GatewayClass istio': CLASS_ISTIO,
        'Gateway helloworld-gateway': gatewayStatus(ISTIO_GATEWAY_OK, [istioListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.210']),
        'HTTPRoute helloworld': routeStatus(ISTIO, [{ parentRef: egParent('helloworld-gateway'), conditions: ROUTE_OK_ISTIO }]),
      },
      expectCodes: [],
      flip: { object: 'HTTPRoute helloworld', path: firstParent, type: 'ResolvedRefs' },
    },
    {
      name: 'httpbin',
      files: [{ file: 'httpbin-httpbin-gateway.yaml' }, { file: 'httpbin-httpbin.yaml' }],
      extra: [ISTIO_CLASS],
      status: {
        'GatewayClass istio': CLASS_ISTIO,
        'Gateway httpbin-gateway': gatewayStatus(ISTIO_GATEWAY_OK, [istioListener('http', 1, ['HTTPRoute', 'GRPCRoute'])], ['172.18.255.211']),
        'HTTPRoute httpbin': routeStatus(ISTIO, [{ parentRef: egParent('httpbin-gateway'), conditions: ROUTE_OK_ISTIO }]),
      },
      expectCodes: [],
      flip: { object: 'Gateway httpbin-gateway', path: (s) => s.conditions, type: 'Accepted' },
    },
    ...['all-v1', 'reviews-v1', 'reviews-v3', 'reviews-50-v3', 'reviews-90-10'].map((variant): Unit => {
      // The mesh (GAMMA) routes have Service parents: Istio's mesh controller writes their status; the version
      // Services (reviews-v1, ...) come from bookinfo-versions.yaml, which is not in the folder.
      const mesh = variant === 'all-v1' ? ['reviews', 'productpage', 'ratings', 'details'] : ['reviews'];
      const status: Record<string, unknown> = {
        'GatewayClass istio': CLASS_ISTIO,
        'Gateway bookinfo-gateway': gatewayStatus(ISTIO_GATEWAY_NO_ADDRESS, [istioListener('http', 1, ['HTTPRoute', 'GRPCRoute'])]),
        'HTTPRoute bookinfo': routeStatus(ISTIO, [{ parentRef: egParent('bookinfo-gateway'), conditions: ROUTE_OK_ISTIO }]),
      };
      for (const m of mesh) {
        status[`HTTPRoute ${m}`] = routeStatus(ISTIO_MESH, [
          { parentRef: { group: '', kind: 'Service', name: m, port: 9080 }, conditions: [T('Accepted', 'Accepted', 'Route was valid'), F('ResolvedRefs', 'BackendNotFound', `backend(${m}-v1.default.svc.cluster.local) not found`)] },
        ]);
      }
      return {
        name: `bookinfo ${variant}`,
        files: [{ file: 'bookinfo-bookinfo-gateway.yaml' }, { file: 'bookinfo-platform-kube-bookinfo.yaml' }, { file: `bookinfo-route-${variant}.yaml` }],
        extra: [ISTIO_CLASS],
        status,
        expectCodes: ['STATUS_NOT_DERIVABLE', 'STATUS_OTHER_CONTROLLER'],
        flip: { object: 'HTTPRoute bookinfo', path: firstParent, type: 'Accepted' },
      };
    }),
    ...['all-v1', '20-v2'].map((variant): Unit => ({
      name: `tcp-echo ${variant}`,
      files: [{ file: 'tcp-echo-tcp-echo-all-v1.yaml', ...(variant === 'all-v1' ? {} : { drop: ['TCPRoute tcp-echo'] }) }, { file: 'tcp-echo-tcp-echo-services.yaml' }, ...(variant === 'all-v1' ? [] : [{ file: `tcp-echo-tcp-echo-${variant}.yaml` }])],
      extra: [ISTIO_CLASS],
      status: {
        'GatewayClass istio': CLASS_ISTIO,
        'Gateway tcp-echo-gateway': gatewayStatus(ISTIO_GATEWAY_OK, [istioListener('tcp-31400', 1, ['TCPRoute'])], ['172.18.255.212']),
        'TCPRoute tcp-echo': routeStatus(ISTIO, [{ parentRef: egParent('tcp-echo-gateway', { sectionName: 'tcp-31400' }), conditions: ROUTE_OK_ISTIO }]),
      },
      expectCodes: [],
      flip: { object: 'TCPRoute tcp-echo', path: firstParent, type: 'Accepted' },
    })),
  ],
};

function objectsOf(impl: string, unit: Unit, flip: boolean): Obj[] {
  const out: Obj[] = [];
  const add = (o: Obj): void => {
    const o2 = structuredClone(o);
    o2.metadata.generation = 1;
    o2.metadata['creationTimestamp'] = '2026-10-01T00:00:00Z';
    if (o2.kind !== 'GatewayClass' && o2.kind !== 'Namespace' && o2.metadata.namespace === undefined) o2.metadata.namespace = 'default';
    const st = unit.status[`${o2.kind} ${o2.metadata.name}`];
    if (st !== undefined) o2.status = structuredClone(st);
    out.push(o2);
  };
  for (const { file, drop } of unit.files) {
    for (const d of parseAllDocuments(readFileSync(join(IMPL, impl, file), 'utf8'))) {
      const o = d.toJS() as Obj | null;
      if (!o || typeof o.kind !== 'string') continue;
      if (drop?.includes(`${o.kind} ${o.metadata.name}`)) continue;
      add(o);
    }
  }
  for (const o of unit.extra ?? []) add(o);
  if (flip) {
    const target = out.find((o) => `${o.kind} ${o.metadata.name}` === unit.flip.object);
    const c = unit.flip.path(target!.status).find((x) => x.type === unit.flip.type)!;
    c.status = c.status === 'True' ? 'False' : 'True';
    c.reason = c.status === 'True' ? c.type : 'Invalid';
  }
  // Every example's recorded status is from the controller: no object without status is left for a handled kind.
  return out;
}

const tmp = HAVE ? mkdtempSync(join(tmpdir(), 'gwe-impl-')) : '';
let n = 0;

async function verifyUnit(impl: string, unit: Unit, flip: boolean): Promise<{ findings: Finding[]; verdict: string }> {
  const dump = join(tmp, `dump-${n++}.yaml`);
  writeFileSync(dump, objectsOf(impl, unit, flip).map((o) => stringify(o)).join('---\n'));
  const { report } = await collectAndVerifyBundle([dump, CRDS]);
  expect(report.analysis.ran, `${impl} ${unit.name}: analysis ran`).toBe(true);
  return { findings: report.analysis.findings, verdict: report.verdict };
}

const show = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.message}`).join('\n');

/**
 * Examples where our SPEC engine is still wrong (issue 11 section 1), with the drift it gives today. The test asserts
 * exactly that drift, so it fails when the engine is fixed: then delete the entry (the pattern of KNOWN_ENGINE_BUGS
 * in test/golden/resolve/golden.test.ts).
 */
const KNOWN_SPEC_BUGS: Record<string, { why: string; drift: string[] }> = {
  // (empty: envoy-gateway tls-termination, TCPRoute on a TLS Terminate listener, was fixed by issue 11 section 1)
};

for (const impl of ['envoy-gateway', 'istio'] as const) {
  describe.skipIf(!HAVE)(`real-world ${impl} examples: gwe verify reports no false drift`, () => {
    for (const unit of UNITS[impl]) {
      it(`${unit.name}: no drift error, and the classification shows ${unit.expectCodes.join(', ') || 'nothing else'}`, async () => {
        const { findings } = await verifyUnit(impl, unit, false);
        const drift = findings.filter((f) => f.code === 'STATUS_DRIFT' || f.code === 'STATUS_RECORDED_MISSING' || f.code === 'STATUS_STALE');
        const known = KNOWN_SPEC_BUGS[`${impl} ${unit.name}`];
        if (known) expect(drift.map((f) => f.message).sort(), `${impl} ${unit.name} is in KNOWN_SPEC_BUGS (${known.why}); if the drift is gone, delete the entry`).toEqual([...known.drift].sort());
        else expect(drift, show(drift)).toEqual([]);
        const codes = new Set(findings.map((f) => f.code));
        for (const c of unit.expectCodes) expect(codes.has(c), `${unit.name}: expected ${c} in\n${show(findings)}`).toBe(true);
        // The resolver's "no status is written" is replaced by the recorded facts of the controller that wrote it.
        expect(findings.filter((f) => f.code === 'PARENT_KIND_UNSUPPORTED'), show(findings)).toEqual([]);
      });

      it(`${unit.name}: negative control, a flipped ${unit.flip.type} on ${unit.flip.object} is STATUS_DRIFT`, async () => {
        const { findings, verdict } = await verifyUnit(impl, unit, true);
        expect(findings.filter((f) => f.code === 'STATUS_DRIFT' && f.severity === 'error').map((f) => f.subject).join('\n')).toContain(unit.flip.object.split(' ')[1]!);
        expect(verdict).toBe('verified-with-findings');
      });
    }
  });
}

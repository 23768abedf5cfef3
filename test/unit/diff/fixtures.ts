/** Captures built in code for the diff, inspect and chain tests: a small model-serving platform. */
import type { Capture, CollectionRecord } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import type { ReducedSecret } from '../../../src/model/snapshot.ts';
import { compareStrings, refKey, refOf } from '../../../src/model/object.ts';

const GW = 'gateway.networking.k8s.io/v1';
export const CONTROLLER = 'example.com/gateway-controller';

export interface PlatformOptions {
  /** Weights of llm-v1 / llm-v2 on chat.example.com. */
  weights?: [number, number];
  /** Namespace labels, by namespace. */
  nsLabels?: Record<string, Record<string, string>>;
  /** Backend Service of the tools route (default tool-gw). */
  toolsBackend?: string;
  /** Extra ReferenceGrant(s). */
  grants?: KubeObject[];
  /** Fingerprint and notAfter of the gateway certificate. */
  cert?: { fingerprint: string; notAfter: string };
  capturedAt?: string;
  /** Extra objects appended. */
  extra?: KubeObject[];
  resourceVersion?: string;
}

export function ns(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function svc(namespace: string, name: string, serviceType?: string, port = 8080): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, labels: serviceType ? { 'gateway-evidence.io/service-type': serviceType } : {} },
    spec: { type: 'ClusterIP', ports: [{ name: 'http', port, protocol: 'TCP' }] },
  };
}

export function secret(namespace: string, name: string, fingerprint: string, notAfter: string): ReducedSecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'kubernetes.io/tls',
    dataKeys: ['tls.crt', 'tls.key'],
    certificateMetadata: {
      'tls.crt': {
        status: 'valid',
        chain: [
          {
            subject: 'CN=*.example.com',
            issuer: 'CN=Example CA',
            serialNumber: '01',
            dnsNames: ['*.example.com'],
            ipAddresses: [],
            notBefore: '2026-01-01T00:00:00Z',
            notAfter,
            publicKeyAlgorithm: 'ec',
            publicKeyCurve: 'P-256',
            signatureAlgorithm: 'ecdsa-with-SHA256',
            sha256Fingerprint: fingerprint,
            isCA: false,
          },
        ],
      },
    },
  };
}

export function grant(namespace: string, name: string, fromNs: string, toKind = 'Service', toName?: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { namespace, name },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: fromNs }],
      to: [{ group: '', kind: toKind, ...(toName ? { name: toName } : {}) }],
    },
  };
}

export function route(namespace: string, name: string, hostname: string, backends: { name: string; weight?: number; namespace?: string }[], rv = '1'): KubeObject {
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { namespace, name, resourceVersion: rv, uid: `uid-${rv}-${name}`, generation: Number(rv) },
    spec: {
      parentRefs: [{ name: 'shared', namespace: 'infra', sectionName: 'https' }],
      hostnames: [hostname],
      rules: [{ backendRefs: backends.map((b) => ({ name: b.name, port: 8080, ...(b.namespace ? { namespace: b.namespace } : {}), ...(b.weight !== undefined ? { weight: b.weight } : {}) })) }],
    },
  };
}

export function record(capturedAt: string, partial = false): CollectionRecord {
  return {
    tool: { name: 'gateway-evidence', version: '0.1.0' },
    capturedAt,
    mode: 'files',
    cluster: { name: 'test' },
    scope: {},
    sources: [{ name: 'platform.yaml', sha256: '0'.repeat(64), bytes: 1 }],
    counts: {},
    skipped: {},
    gaps: partial ? [{ kind: 'Secret', message: 'forbidden', status: 403 }] : [],
    warnings: [],
    partial,
  };
}

export function sortObjects(objs: KubeObject[]): KubeObject[] {
  return objs.sort((a, b) => compareStrings(refKey(refOf(a)), refKey(refOf(b))));
}

export function platform(o: PlatformOptions = {}): Capture {
  const [w1, w2] = o.weights ?? [90, 10];
  const rv = o.resourceVersion ?? '1';
  const labels = { infra: {}, models: { 'gateway-access': 'shared' }, tools: { 'gateway-access': 'shared' }, admin: {}, ...(o.nsLabels ?? {}) };
  const objects: KubeObject[] = [
    ...Object.entries(labels).map(([n, l]) => ns(n, l)),
    { apiVersion: GW, kind: 'GatewayClass', metadata: { name: 'example' }, spec: { controllerName: CONTROLLER } },
    {
      apiVersion: GW,
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: 'shared', resourceVersion: rv },
      spec: {
        gatewayClassName: 'example',
        listeners: [
          {
            name: 'https',
            protocol: 'HTTPS',
            port: 443,
            hostname: '*.example.com',
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'wildcard-tls' }] },
            allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'shared' } } } },
          },
        ],
      },
      status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: `2026-0${rv}-01T00:00:00Z`, observedGeneration: Number(rv) }] },
    },
    secret('infra', 'wildcard-tls', o.cert?.fingerprint ?? 'aa'.repeat(32), o.cert?.notAfter ?? '2027-06-01T00:00:00Z'),
    route('models', 'chat', 'chat.example.com', [
      { name: 'llm-v1', weight: w1 },
      { name: 'llm-v2', weight: w2 },
    ], rv),
    route('tools', 'agent-tools', 'tools.example.com', [{ name: o.toolsBackend ?? 'tool-gw' }], rv),
    svc('models', 'llm-v1', 'public-model-endpoint'),
    svc('models', 'llm-v2', 'public-model-endpoint'),
    svc('tools', 'tool-gw', 'agent-tool-gateway'),
    svc('tools', 'tool-admin', 'admin'),
    ...(o.grants ?? []),
    ...(o.extra ?? []),
  ];
  return { snapshot: { objects: sortObjects(objects), conformanceReports: [] }, record: record(o.capturedAt ?? '2026-03-31T00:00:00Z') };
}

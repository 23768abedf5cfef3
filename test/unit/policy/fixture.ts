/** A small hand-built capture + resolution (the sample platform's shape) for policy and report tests. */
import type { Capture } from '../../../src/model/collection.ts';
import { loadPolicy } from '../../../src/policy/load.ts';
import type { Policy } from '../../../src/policy/types.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import type { Resolution, RoutingBackend, RoutingEntry } from '../../../src/resolve/types.ts';
import type { ReportInput } from '../../../src/report/index.ts';

const GW = 'gateway.networking.k8s.io/v1';

export function svc(namespace: string, name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name, labels, annotations }, spec: { ports: [{ port: 80 }] } };
}

export function backend(
  namespace: string,
  name: string,
  routeNs: string,
  extra: Partial<RoutingBackend> = {},
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): RoutingBackend {
  return {
    group: '',
    kind: 'Service',
    namespace,
    name,
    port: 80,
    weight: 1,
    percent: 100,
    valid: true,
    crossNamespace: namespace !== routeNs,
    service: { type: 'ClusterIP', labels, annotations },
    ...extra,
  };
}

export function fixture(): { capture: Capture; resolution: Resolution } {
  const objects: KubeObject[] = [
    { apiVersion: GW, kind: 'Gateway', metadata: { namespace: 'infra', name: 'public', labels: { exposure: 'public' } }, spec: {} },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models', labels: { 'gateway-evidence.io/service-type': 'public-model-endpoint' } } },
    svc('models', 'llm-v1'),
    svc('models', 'llm-v2'),
    svc('admin', 'console', { 'gateway-evidence.io/service-type': 'admin' }),
    svc('tools', 'mystery'),
    svc('rag', 'retriever', {}, { 'gateway-evidence.io/service-type': 'retrieval' }),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'infra', name: 'tls' },
      type: 'kubernetes.io/tls',
      dataKeys: ['tls.crt', 'tls.key'],
      certificateMetadata: {
        'tls.crt': {
          status: 'valid',
          chain: [
            {
              subject: 'CN=api.example.com',
              issuer: 'CN=ca',
              serialNumber: '01',
              dnsNames: ['api.example.com'],
              ipAddresses: [],
              notBefore: '2026-01-01T00:00:00Z',
              notAfter: '2026-11-10T00:00:00Z',
              publicKeyAlgorithm: 'ec',
              signatureAlgorithm: 'ecdsa-with-SHA256',
              sha256Fingerprint: 'ab'.repeat(32),
              isCA: false,
            },
          ],
        },
      },
    },
  ];
  const http: RoutingEntry = {
    gateway: { namespace: 'infra', name: 'public' },
    listener: 'http',
    port: 80,
    protocol: 'HTTP',
    listenerAccepted: true,
    listenerProgrammed: true,
    certificateRefs: [],
    addresses: ['203.0.113.10'],
    hostnames: [
      {
        hostname: 'admin.example.com',
        routes: [{ kind: 'HTTPRoute', namespace: 'admin', name: 'console', servesTraffic: true, precedence: 0, rules: [{ index: 0, matches: [], backends: [backend('admin', 'console', 'admin', {}, { 'gateway-evidence.io/service-type': 'admin' })] }] }],
      },
      {
        hostname: 'api.example.com',
        routes: [
          {
            kind: 'HTTPRoute',
            namespace: 'models',
            name: 'llm',
            servesTraffic: true,
            precedence: 0,
            rules: [
              {
                index: 0,
                matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
                backends: [backend('models', 'llm-v1', 'models', { weight: 90, percent: 90 }), backend('models', 'llm-v2', 'models', { weight: 10, percent: 10 })],
              },
            ],
          },
        ],
      },
    ],
  };
  const https: RoutingEntry = {
    gateway: { namespace: 'infra', name: 'public' },
    listener: 'https',
    listenerHostname: '*.example.com',
    port: 443,
    protocol: 'HTTPS',
    tlsMode: 'Terminate',
    listenerAccepted: true,
    listenerProgrammed: true,
    certificateRefs: [{ group: '', kind: 'Secret', namespace: 'infra', name: 'tls', resolved: true, chain: [] }],
    addresses: ['203.0.113.10'],
    hostnames: [
      {
        hostname: 'tools.example.com',
        routes: [
          {
            kind: 'HTTPRoute',
            namespace: 'tools',
            name: 'agent',
            servesTraffic: true,
            precedence: 0,
            rules: [
              {
                index: 0,
                matches: [],
                backends: [
                  backend('tools', 'mystery', 'tools'),
                  backend('rag', 'retriever', 'tools', { referenceGrant: 'rag/allow-tools' }, {}, { 'gateway-evidence.io/service-type': 'retrieval' }),
                  backend('secret', 'vault', 'tools', { valid: false, reason: 'RefNotPermitted', service: undefined }),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const capture: Capture = {
    snapshot: { objects, conformanceReports: [] },
    record: {
      tool: { name: 'gateway-evidence', version: '0.1.0' },
      capturedAt: '2026-11-01T00:00:00Z',
      mode: 'files',
      cluster: { name: 'sample' },
      scope: {},
      sources: [],
      counts: {},
      skipped: {},
      gaps: [],
      warnings: [],
      partial: false,
    },
  };
  const resolution: Resolution = {
    gatewayClasses: [{ name: 'gwe', controllerName: 'example.com/gateway', semantics: 'spec', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '' }] }],
    gateways: [{ namespace: 'infra', name: 'public', gatewayClassName: 'gwe', semantics: 'spec', conditions: [], listeners: [] }],
    routes: [],
    routing: [http, https],
    findings: [],
  };
  return { capture, resolution };
}

/** The exposure policy the report tests evaluate over fixture(): admin services off public listeners, certificates, cross-namespace. */
export function reportTestPolicy(): Policy {
  return loadPolicy(
    `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
metadata: { name: test-policy }
public: [{ gatewayLabels: { exposure: public } }]
rules:
  - { id: no-admin-public, type: service-exposure, listeners: { public: true }, denyServiceTypes: [admin] }
  - { id: certs, type: certificate-expiry, minDaysValid: 30 }
  - { id: xns, type: cross-namespace, expected: [] }
`,
    'policy.yaml',
  );
}

/** The report input of the fixture() cluster with no policy or verification (the SARIF tests' base case). */
export function reportTestInput(): ReportInput {
  const { capture, resolution } = fixture();
  return { capture, resolution, bundleId: 'gwe-x', toolVersion: '0.1.0' };
}

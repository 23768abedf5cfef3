/**
 * A small cluster for the fake API server: an infra Gateway with TLS listeners (one Secret with a REAL
 * private key planted in data, in the last-applied annotation and in another annotation), routes of every
 * kind at different served versions, a BackendTLSPolicy with a CA ConfigMap, controllers, CRDs, and objects
 * the collector must never read (an unreferenced Secret, an unrelated ConfigMap, an app Deployment).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeFault, FakeResource } from '../helpers/fake-apiserver.ts';

const GW = 'gateway.networking.k8s.io';
const XGW = 'gateway.networking.x-k8s.io';
const INF = 'inference.networking.k8s.io';
const XINF = 'inference.networking.x-k8s.io';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

/** A real certificate and private key made with openssl. */
export function makeTls(cn: string, alg: 'rsa' | 'ec'): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-live-tls-'));
  const key = join(dir, 'tls.key');
  const crt = join(dir, 'tls.crt');
  const newkey = alg === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', key, '-out', crt, '-days', '365', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`], { stdio: 'pipe' });
  return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

export const RESOURCES: FakeResource[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
  // gateway.networking.k8s.io: v1 preferred; ReferenceGrant only at v1beta1; TLS/TCP/UDP routes only at v1alpha2.
  { group: GW, version: 'v1', resource: 'gatewayclasses', kind: 'GatewayClass', namespaced: false },
  { group: GW, version: 'v1', resource: 'gateways', kind: 'Gateway', namespaced: true },
  { group: GW, version: 'v1', resource: 'httproutes', kind: 'HTTPRoute', namespaced: true },
  { group: GW, version: 'v1', resource: 'grpcroutes', kind: 'GRPCRoute', namespaced: true },
  { group: GW, version: 'v1', resource: 'backendtlspolicies', kind: 'BackendTLSPolicy', namespaced: true },
  { group: GW, version: 'v1', resource: 'listenersets', kind: 'ListenerSet', namespaced: true },
  { group: GW, version: 'v1beta1', resource: 'gatewayclasses', kind: 'GatewayClass', namespaced: false },
  { group: GW, version: 'v1beta1', resource: 'gateways', kind: 'Gateway', namespaced: true },
  { group: GW, version: 'v1beta1', resource: 'httproutes', kind: 'HTTPRoute', namespaced: true },
  { group: GW, version: 'v1beta1', resource: 'referencegrants', kind: 'ReferenceGrant', namespaced: true },
  { group: GW, version: 'v1alpha2', resource: 'tlsroutes', kind: 'TLSRoute', namespaced: true },
  { group: GW, version: 'v1alpha2', resource: 'tcproutes', kind: 'TCPRoute', namespaced: true },
  { group: GW, version: 'v1alpha2', resource: 'udproutes', kind: 'UDPRoute', namespaced: true },
  { group: GW, version: 'v1alpha2', resource: 'referencegrants', kind: 'ReferenceGrant', namespaced: true },
  { group: XGW, version: 'v1alpha1', resource: 'xlistenersets', kind: 'XListenerSet', namespaced: true },
  // Inference Extension (v1 group, and the experimental group at v1alpha2) and the built-in policy table.
  { group: INF, version: 'v1', resource: 'inferencepools', kind: 'InferencePool', namespaced: true },
  { group: XINF, version: 'v1alpha2', resource: 'inferencepools', kind: 'InferencePool', namespaced: true },
  { group: XINF, version: 'v1alpha2', resource: 'inferenceobjectives', kind: 'InferenceObjective', namespaced: true },
  { group: XINF, version: 'v1alpha2', resource: 'inferencemodels', kind: 'InferenceModel', namespaced: true },
  { group: XINF, version: 'v1alpha1', resource: 'inferencepoolimports', kind: 'InferencePoolImport', namespaced: true },
  { group: 'gateway.envoyproxy.io', version: 'v1alpha1', resource: 'securitypolicies', kind: 'SecurityPolicy', namespaced: true },
  { group: 'gateway.envoyproxy.io', version: 'v1alpha1', resource: 'backendtrafficpolicies', kind: 'BackendTrafficPolicy', namespaced: true },
  { group: 'gateway.envoyproxy.io', version: 'v1alpha1', resource: 'clienttrafficpolicies', kind: 'ClientTrafficPolicy', namespaced: true },
  { group: 'gateway.envoyproxy.io', version: 'v1alpha1', resource: 'envoyextensionpolicies', kind: 'EnvoyExtensionPolicy', namespaced: true },
  // Served but not a policy kind: never listed.
  { group: 'gateway.envoyproxy.io', version: 'v1alpha1', resource: 'envoyproxies', kind: 'EnvoyProxy', namespaced: true },
  { group: 'security.istio.io', version: 'v1', resource: 'authorizationpolicies', kind: 'AuthorizationPolicy', namespaced: true },
  { group: 'security.istio.io', version: 'v1', resource: 'requestauthentications', kind: 'RequestAuthentication', namespaced: true },
  { group: 'security.istio.io', version: 'v1', resource: 'peerauthentications', kind: 'PeerAuthentication', namespaced: true },
  { group: 'aigateway.envoyproxy.io', version: 'v1alpha1', resource: 'aigatewayroutes', kind: 'AIGatewayRoute', namespaced: true },
  { group: 'aigateway.envoyproxy.io', version: 'v1alpha1', resource: 'backendsecuritypolicies', kind: 'BackendSecurityPolicy', namespaced: true },
  { group: 'gateway.kgateway.dev', version: 'v1alpha1', resource: 'trafficpolicies', kind: 'TrafficPolicy', namespaced: true },
];

/** The faults of issue 4's test list, one of each. */
export const FAULTS: FakeFault[] = [
  { path: `/apis/${GW}/v1alpha2/tcproutes`, kind: 403 },
  { path: `/apis/${GW}/v1alpha2/udproutes`, kind: 404 },
  { path: `/apis/${GW}/v1/httproutes`, kind: 429, retryAfter: '2' },
  { path: `/apis/${GW}/v1/httproutes`, kind: 410 },
  { path: '/api/v1/services', kind: 500 },
  { path: `/apis/${GW}/v1/gateways`, kind: 'reset' },
  // RBAC as deploy/ grants it: no Secret list anywhere.
  { path: /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets$/, kind: 403 },
];

const b64 = (s: string): string => Buffer.from(s).toString('base64');

export function makeObjects(tls: { gw: TlsMaterial; app: TlsMaterial; clientCa: TlsMaterial; backendCa: TlsMaterial; unreferenced: TlsMaterial }): Record<string, unknown>[] {
  const ns = (name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  const svc = (namespace: string, name: string, type: string): Record<string, unknown> => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { 'evidence.example/service-type': type } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { app: name } },
    status: { loadBalancer: {} },
  });
  const route = (name: string, host: string, backends: Array<[string, number]>): Record<string, unknown> => ({
    apiVersion: `${GW}/v1`, kind: 'HTTPRoute', metadata: { name, namespace: 'apps', generation: 2, managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: `${GW}/v1` }] },
    spec: {
      parentRefs: [{ group: GW, kind: 'Gateway', namespace: 'infra', name: 'shared', sectionName: 'https' }],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: backends.map(([n, w]) => ({ group: '', kind: 'Service', name: n, port: 8080, weight: w })) }],
    },
    status: { parents: [{ parentRef: { group: GW, kind: 'Gateway', namespace: 'infra', name: 'shared', sectionName: 'https' }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route is accepted', observedGeneration: 2, lastTransitionTime: '2026-10-01T00:00:00Z' }] }] },
  });
  const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gw-tls', namespace: 'infra' }, type: 'kubernetes.io/tls', stringData: { 'tls.key': tls.gw.keyPem, 'tls.crt': tls.gw.certPem } });
  return [
    ...['kube-system', 'infra', 'apps', 'tools', 'envoy-gateway-system'].map(ns),
    {
      apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: { name: 'envoy', generation: 1 },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
      status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Valid GatewayClass', observedGeneration: 1, lastTransitionTime: '2026-10-01T00:00:00Z' }] },
    },
    {
      apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name: 'shared', namespace: 'infra', generation: 3, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Gateway"}' } },
      spec: {
        gatewayClassName: 'envoy',
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } } } },
          { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', group: '', name: 'gw-tls' }] }, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'apps-https', port: 8443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'app-tls', namespace: 'apps' }] } },
        ],
        tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'client-ca' }] } } } },
      },
      status: { addresses: [{ type: 'IPAddress', value: '203.0.113.10' }], conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed', message: 'ok', observedGeneration: 3, lastTransitionTime: '2026-10-01T00:00:00Z' }] },
    },
    route('chat', 'chat.example.com', [['chat-v1', 90], ['chat-v2', 10]]),
    route('inference', 'inference.example.com', [['inference', 1]]),
    route('eval', 'eval.example.com', [['eval', 1]]),
    route('admin', 'admin.example.com', [['admin', 1]]),
    route('retrieval', 'retrieval.example.com', [['retrieval', 1]]),
    {
      apiVersion: `${GW}/v1`, kind: 'GRPCRoute', metadata: { name: 'embeddings', namespace: 'apps' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'inference', port: 8080 }] }] },
    },
    {
      apiVersion: `${GW}/v1alpha2`, kind: 'TLSRoute', metadata: { name: 'passthrough', namespace: 'tools' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'infra' }], hostnames: ['tools.example.com'], rules: [{ backendRefs: [{ name: 'tools', port: 8443 }] }] },
    },
    {
      apiVersion: `${GW}/v1alpha2`, kind: 'TCPRoute', metadata: { name: 'db', namespace: 'apps' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] },
    },
    {
      apiVersion: `${GW}/v1beta1`, kind: 'ReferenceGrant', metadata: { name: 'allow-infra', namespace: 'apps' },
      spec: { from: [{ group: GW, kind: 'Gateway', namespace: 'infra' }], to: [{ group: '', kind: 'Secret', name: 'app-tls' }] },
    },
    {
      apiVersion: `${GW}/v1`, kind: 'BackendTLSPolicy', metadata: { name: 'inference-tls', namespace: 'apps' },
      spec: { targetRefs: [{ group: '', kind: 'Service', name: 'inference' }], validation: { hostname: 'inference.apps.svc', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }] } },
    },
    {
      apiVersion: `${XGW}/v1alpha1`, kind: 'XListenerSet', metadata: { name: 'tools-extra', namespace: 'tools' },
      spec: { parentRef: { name: 'shared', namespace: 'infra', kind: 'Gateway', group: GW }, listeners: [{ name: 'tools', port: 9443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'missing-tls' }] } }] },
    },
    svc('apps', 'chat-v1', 'model-endpoint'), svc('apps', 'chat-v2', 'model-endpoint'), svc('apps', 'inference', 'inference'),
    svc('apps', 'eval', 'evaluation'), svc('apps', 'admin', 'admin'), svc('apps', 'retrieval', 'retrieval'), svc('tools', 'tools', 'agent-tools'),
    {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: { name: 'gw-tls', namespace: 'infra', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied, 'backup.example/key': tls.gw.keyPem } },
      data: { 'tls.crt': b64(tls.gw.certPem), 'tls.key': b64(tls.gw.keyPem) },
    },
    { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'app-tls', namespace: 'apps' }, data: { 'tls.crt': b64(tls.app.certPem), 'tls.key': b64(tls.app.keyPem) } },
    { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'unreferenced', namespace: 'apps' }, data: { 'id_rsa': b64(tls.unreferenced.keyPem) } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'client-ca', namespace: 'infra' }, data: { 'ca.crt': tls.clientCa.certPem } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backend-ca', namespace: 'apps' }, data: { 'ca.crt': tls.backendCa.certPem } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'apps' }, data: { 'settings.json': '{}' } },
    ...['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'referencegrants', 'backendtlspolicies'].map((plural) => crd(GW, plural, 'standard')),
    ...['tlsroutes', 'tcproutes', 'udproutes'].map((plural) => crd(GW, plural, 'experimental')),
    crd(XGW, 'xlistenersets', 'experimental'),
    crd('cert-manager.io', 'certificates', undefined),
    {
      apiVersion: `${INF}/v1`, kind: 'InferencePool', metadata: { name: 'chat-pool', namespace: 'apps' },
      spec: { selector: { matchLabels: { app: 'vllm-chat' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'chat-epp', port: { number: 9002 } } },
    },
    {
      apiVersion: `${XINF}/v1alpha2`, kind: 'InferenceObjective', metadata: { name: 'chat-default', namespace: 'apps' },
      spec: { priority: 1, poolRef: { name: 'chat-pool' } },
    },
    {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'SecurityPolicy', metadata: { name: 'chat-jwt', namespace: 'apps' },
      spec: { targetRefs: [{ group: GW, kind: 'HTTPRoute', name: 'chat' }], apiKeyAuth: { credentialRefs: [{ name: 'api-keys' }], extractFrom: [{ headers: ['x-api-key'] }] } },
    },
    // Named by the SecurityPolicy: the collector must never GET it (no rule allows it anyway).
    { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'api-keys', namespace: 'apps' }, data: { client: b64('sk-live-not-for-evidence') } },
    { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyProxy', metadata: { name: 'proxy-config', namespace: 'envoy-gateway-system' }, spec: {} },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'envoy-gateway', namespace: 'envoy-gateway-system', labels: { 'control-plane': 'envoy-gateway', 'app.kubernetes.io/name': 'gateway-helm' }, generation: 1 },
      spec: { replicas: 1, selector: { matchLabels: { 'control-plane': 'envoy-gateway' } }, template: { metadata: { labels: { 'control-plane': 'envoy-gateway' } }, spec: { containers: [{ name: 'envoy-gateway', image: 'docker.io/envoyproxy/gateway:v1.5.1', env: [{ name: 'TOKEN', value: 'not-for-evidence' }] }] } } },
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
    },
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'envoy-gateway-7d9f-abcde', namespace: 'envoy-gateway-system', labels: { 'control-plane': 'envoy-gateway' } },
      spec: { containers: [{ name: 'envoy-gateway', image: 'docker.io/envoyproxy/gateway:v1.5.1' }] }, status: { phase: 'Running' },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'chat', namespace: 'apps', labels: { app: 'chat' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'chat' } }, template: { metadata: { labels: { app: 'chat' } }, spec: { containers: [{ name: 'chat', image: 'example/chat:1' }] } } },
    },
  ];
}

function crd(group: string, plural: string, channel: string | undefined): Record<string, unknown> {
  const kind = ({ gatewayclasses: 'GatewayClass', gateways: 'Gateway', httproutes: 'HTTPRoute', grpcroutes: 'GRPCRoute', referencegrants: 'ReferenceGrant', backendtlspolicies: 'BackendTLSPolicy', tlsroutes: 'TLSRoute', tcproutes: 'TCPRoute', udproutes: 'UDPRoute', xlistenersets: 'XListenerSet', certificates: 'Certificate' } as Record<string, string>)[plural]!;
  const annotations: Record<string, string> = channel ? { 'gateway.networking.k8s.io/bundle-version': 'v1.4.0', 'gateway.networking.k8s.io/channel': channel } : {};
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${group}`, annotations },
    spec: { group, names: { kind, plural, listKind: `${kind}List`, singular: kind.toLowerCase() }, scope: kind === 'GatewayClass' ? 'Cluster' : 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    status: { storedVersions: ['v1'], acceptedNames: { kind, plural } },
  };
}

export const TOKEN = 'fake-token-7f3a9c';

// Writes samples/cluster/ from the committed test-only certificates in samples/tools/certs/ and the
// Gateway API CRDs / ConformanceReport in ../shared/real-world (when present). Run once; the output is
// committed. Usage: node samples/tools/generate.mjs
import { readFileSync, writeFileSync, mkdirSync, existsSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'cluster');
const shared = join(here, '..', '..', '..', 'shared', 'real-world');
mkdirSync(out, { recursive: true });
const cert = (n) => readFileSync(join(here, 'certs', n), 'utf8');
const b64 = (s) => Buffer.from(s).toString('base64');
const yamlDocs = (docs) => docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
const list = (items) => JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }, null, 2) + '\n';
const GW = 'gateway.networking.k8s.io';
const T0 = '2026-11-20T08:00:00Z';
let uidN = 0;
const meta = (name, namespace, extra = {}) => ({
  name, ...(namespace ? { namespace } : {}),
  uid: `5a3c0000-0000-4000-8000-${String(++uidN).padStart(12, '0')}`,
  resourceVersion: String(100000 + uidN * 17), creationTimestamp: T0, ...extra,
});
const managed = (manager) => [{ apiVersion: 'v1', fieldsType: 'FieldsV1', manager, operation: 'Update', time: T0, fieldsV1: { 'f:metadata': {} } }];
const cond = (type, status, reason, gen, message = '') => ({ type, status, reason, message, observedGeneration: gen, lastTransitionTime: '2026-11-20T08:01:00Z' });
const CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

// --- namespaces (multi-doc YAML)
const shared_ = { 'gateway-access': 'shared' };
const nss = [
  ['infra', { 'platform.example.ai/team': 'platform' }],
  ['envoy-gateway-system', {}],
  ['chatbot', shared_], ['inference', shared_], ['agents', shared_], ['eval', shared_], ['admin', shared_],
  ['retrieval', { 'platform.example.ai/team': 'search' }],
];
writeFileSync(join(out, '00-namespaces.yaml'), yamlDocs(nss.map(([n, l]) => ({
  apiVersion: 'v1', kind: 'Namespace',
  metadata: meta(n, undefined, { labels: { 'kubernetes.io/metadata.name': n, ...l }, managedFields: managed('kubectl-client-side-apply') }),
  spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
}))));

// --- CRDs: trimmed to metadata + served/storage versions (schemas removed to keep the sample small)
const crdSrc = join(shared, 'crds', 'v1.4.0-experimental.yaml');
if (existsSync(crdSrc)) {
  const keep = ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies'];
  const crds = parseAllDocuments(readFileSync(crdSrc, 'utf8')).map((d) => d.toJS()).filter((c) => c && c.metadata && keep.includes(c.metadata.name.split('.')[0]));
  const trimmed = crds.map((c) => ({
    apiVersion: c.apiVersion, kind: c.kind,
    metadata: { annotations: c.metadata.annotations, name: c.metadata.name, ...meta(c.metadata.name), name: c.metadata.name },
    spec: { group: c.spec.group, names: c.spec.names, scope: c.spec.scope,
      versions: c.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage, schema: { openAPIV3Schema: { type: 'object', description: '(schema trimmed in this sample)' } } })) },
    status: { storedVersions: c.spec.versions.filter((v) => v.storage).map((v) => v.name) },
  }));
  writeFileSync(join(out, '01-gateway-api-crds.yaml'), '# Gateway API v1.4.0 experimental-channel CRDs, trimmed (schemas removed).\n' + yamlDocs(trimmed));
}

// --- GatewayClass + shared Gateway (kubectl get -o json List)
const sel = { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'shared' } } };
const listener = (name, port, protocol, extra = {}) => ({ name, port, protocol, ...extra });
const gw = {
  apiVersion: `${GW}/v1`, kind: 'Gateway',
  metadata: meta('shared-gw', 'infra', { generation: 4, labels: { 'platform.example.ai/tier': 'edge' }, managedFields: managed('kubectl'),
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"shared-gw","namespace":"infra"}}\n' } }),
  spec: {
    gatewayClassName: 'envoy-gateway',
    listeners: [
      listener('http', 80, 'HTTP', { allowedRoutes: { namespaces: sel } }),
      listener('https', 443, 'HTTPS', { hostname: '*.example.ai', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', group: '', name: 'shared-gw-tls' }] },
        allowedRoutes: { namespaces: sel, kinds: [{ group: GW, kind: 'HTTPRoute' }, { group: GW, kind: 'GRPCRoute' }] } }),
      listener('https-tools', 443, 'HTTPS', { hostname: 'tools.example.ai', tls: { mode: 'Terminate', certificateRefs: [{ name: 'agents-tools-tls', namespace: 'agents' }] },
        allowedRoutes: { namespaces: sel } }),
      listener('tls-passthrough', 8443, 'TLS', { hostname: 'secure-infer.example.ai', tls: { mode: 'Passthrough' },
        allowedRoutes: { namespaces: sel, kinds: [{ group: GW, kind: 'TLSRoute' }] } }),
    ],
  },
  status: {
    addresses: [{ type: 'IPAddress', value: '203.0.113.10' }],
    conditions: [cond('Accepted', 'True', 'Accepted', 4, 'The Gateway has been scheduled by Envoy Gateway'), cond('Programmed', 'True', 'Programmed', 4, 'Address assigned to the Gateway, 1/1 envoy replicas available')],
    listeners: [
      // DELIBERATELY STALE: the admin-ui route attached to "http" after this was written; the true count is 1.
      { name: 'http', attachedRoutes: 0, supportedKinds: [{ group: GW, kind: 'HTTPRoute' }, { group: GW, kind: 'GRPCRoute' }],
        conditions: [cond('Programmed', 'True', 'Programmed', 3), cond('Accepted', 'True', 'Accepted', 3), cond('ResolvedRefs', 'True', 'ResolvedRefs', 3)] },
      // *.example.ai and tools.example.ai share port 443: Gateway API v1.4 OverlappingTLSConfig.
      // https: 5 = the 4 routes above + chatbot/chat-completions (cluster/09-inference-and-policies.yaml, hand-written).
      { name: 'https', attachedRoutes: 5, supportedKinds: [{ group: GW, kind: 'HTTPRoute' }, { group: GW, kind: 'GRPCRoute' }],
        conditions: [cond('Programmed', 'True', 'Programmed', 4), cond('Accepted', 'True', 'Accepted', 4), cond('ResolvedRefs', 'True', 'ResolvedRefs', 4), cond('OverlappingTLSConfig', 'True', 'OverlappingHostnames', 4, 'The hostname overlaps with the hostname of listener https-tools')] },
      // The certificate is in namespace agents and a ReferenceGrant there permits it.
      { name: 'https-tools', attachedRoutes: 1, supportedKinds: [{ group: GW, kind: 'HTTPRoute' }, { group: GW, kind: 'GRPCRoute' }],
        conditions: [cond('Programmed', 'True', 'Programmed', 4), cond('Accepted', 'True', 'Accepted', 4), cond('ResolvedRefs', 'True', 'ResolvedRefs', 4), cond('OverlappingTLSConfig', 'True', 'OverlappingHostnames', 4, 'The hostname overlaps with the hostname of listener https')] },
      { name: 'tls-passthrough', attachedRoutes: 1, supportedKinds: [{ group: GW, kind: 'TLSRoute' }],
        conditions: [cond('Programmed', 'True', 'Programmed', 4), cond('Accepted', 'True', 'Accepted', 4), cond('ResolvedRefs', 'True', 'ResolvedRefs', 4)] },
    ],
  },
};
// The features Envoy Gateway claims: everything its ConformanceReport lists as supported, plus the core ones.
function classFeatures() {
  const rep = join(shared, 'conformance-reports', 'v1.4.0', 'envoy-gateway', 'experimental-v1.6.0-default-report.yaml');
  const names = new Set(['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'ReferenceGrant']);
  if (existsSync(rep)) {
    const doc = parseAllDocuments(readFileSync(rep, 'utf8'))[0].toJS();
    for (const p of doc.profiles ?? []) for (const f of p.extended?.supportedFeatures ?? []) names.add(f);
  }
  return [...names].sort().map((name) => ({ name }));
}
const gc = {
  apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: meta('envoy-gateway', undefined, { generation: 1, managedFields: managed('helm') }),
  spec: { controllerName: CONTROLLER, description: 'Envoy Gateway (shared edge for the AI platform)' },
  status: { conditions: [cond('Accepted', 'True', 'Accepted', 1, 'Valid GatewayClass')], supportedFeatures: classFeatures() },
};
writeFileSync(join(out, '02-gateways.json'), list([gc, gw]));

// --- routes (multi-doc YAML)
const parent = (sectionName, kind) => ({ group: GW, kind: 'Gateway', namespace: 'infra', name: 'shared-gw', sectionName, ...(kind ? {} : {}) });
const routeStatus = (gen, sectionName, resolved = ['True', 'ResolvedRefs', '']) => ({
  parents: [{ parentRef: parent(sectionName), controllerName: CONTROLLER,
    conditions: [cond('Accepted', 'True', 'Accepted', gen, 'Route is accepted'), cond('ResolvedRefs', resolved[0], resolved[1], gen, resolved[2])] }],
});
const route = (kind, name, ns, gen, spec, status, labels = {}) => ({
  apiVersion: kind === 'TLSRoute' ? `${GW}/v1alpha2` : `${GW}/v1`, kind,
  metadata: meta(name, ns, { generation: gen, labels, managedFields: managed('argocd-controller') }), spec, status,
});
const svcRef = (name, port, extra = {}) => ({ group: '', kind: 'Service', name, port, ...extra });
const routes = [
  route('HTTPRoute', 'chat-public', 'chatbot', 7, {
    parentRefs: [parent('https')], hostnames: ['chat.example.ai'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v1/chat' } }],
      // 90/10 canary between two model versions
      backendRefs: [svcRef('chat-model-v1', 8080, { weight: 90 }), svcRef('chat-model-v2', 8080, { weight: 10 })] }],
  }, routeStatus(7, 'https'), { 'app.kubernetes.io/part-of': 'chatbot' }),
  route('HTTPRoute', 'internal-inference', 'inference', 3, {
    parentRefs: [parent('https')], hostnames: ['inference.internal.example.ai'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v1/completions' } }, { headers: [{ name: 'x-tenant', value: 'internal' }] }], backendRefs: [svcRef('llm-inference', 8000)],
      timeouts: { request: '120s' } }],
  }, routeStatus(3, 'https')),
  route('HTTPRoute', 'agent-tools', 'agents', 2, {
    parentRefs: [parent('https-tools')], hostnames: ['tools.example.ai'],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/tools' } }], backendRefs: [svcRef('tool-gateway', 8080)] },
      // cross-namespace backend, permitted by ReferenceGrant retrieval/allow-agents-to-retriever
      { matches: [{ path: { type: 'PathPrefix', value: '/search' } }], backendRefs: [svcRef('retriever', 8080, { namespace: 'retrieval' })] },
    ],
  }, routeStatus(2, 'https-tools')),
  route('HTTPRoute', 'eval-runner', 'eval', 5, {
    parentRefs: [parent('https')], hostnames: ['eval.example.ai'],
    rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [svcRef('eval-service', 8080)] },
      // MISCONFIGURATION: cross-namespace backend with NO ReferenceGrant permitting eval -> retrieval
      { matches: [{ path: { type: 'PathPrefix', value: '/corpus' } }], backendRefs: [svcRef('retriever', 8080, { namespace: 'retrieval' })] },
    ],
  }, routeStatus(5, 'https', ['False', 'RefNotPermitted', 'Backend ref to Service retrieval/retriever not permitted by any ReferenceGrant'])),
  // MISCONFIGURATION: the admin UI is attached to the public plain-HTTP listener.
  route('HTTPRoute', 'admin-ui', 'admin', 1, {
    parentRefs: [parent('http')], hostnames: ['admin.example.ai'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [svcRef('admin-ui', 3000)] }],
  }, routeStatus(1, 'http')),
  route('GRPCRoute', 'embeddings-grpc', 'inference', 2, {
    parentRefs: [parent('https')], hostnames: ['grpc.example.ai'],
    rules: [{ matches: [{ method: { service: 'embeddings.v1.Embedder', method: 'Embed' } }], backendRefs: [svcRef('embeddings', 9000)] }],
  }, routeStatus(2, 'https')),
  route('TLSRoute', 'secure-inference', 'inference', 1, {
    parentRefs: [parent('tls-passthrough')], hostnames: ['secure-infer.example.ai'],
    rules: [{ backendRefs: [svcRef('llm-inference-tls', 8443)] }],
  }, routeStatus(1, 'tls-passthrough')),
];
writeFileSync(join(out, '03-routes.yaml'), yamlDocs(routes));

// --- grants and backend TLS (multi-doc YAML)
const policies = [
  { apiVersion: `${GW}/v1beta1`, kind: 'ReferenceGrant', metadata: meta('allow-agents-to-retriever', 'retrieval', { generation: 1 }),
    spec: { from: [{ group: GW, kind: 'HTTPRoute', namespace: 'agents' }], to: [{ group: '', kind: 'Service', name: 'retriever' }] } },
  { apiVersion: `${GW}/v1beta1`, kind: 'ReferenceGrant', metadata: meta('allow-infra-gateway-certs', 'agents', { generation: 1 }),
    spec: { from: [{ group: GW, kind: 'Gateway', namespace: 'infra' }], to: [{ group: '', kind: 'Secret', name: 'agents-tools-tls' }] } },
  { apiVersion: `${GW}/v1`, kind: 'BackendTLSPolicy', metadata: meta('llm-inference-tls', 'inference', { generation: 1 }),
    spec: { targetRefs: [{ group: '', kind: 'Service', name: 'llm-inference' }],
      validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'inference-ca' }], hostname: 'llm-inference.inference.svc' } },
    status: { ancestors: [{ ancestorRef: parent(undefined), controllerName: CONTROLLER, conditions: [cond('Accepted', 'True', 'Accepted', 1), cond('ResolvedRefs', 'True', 'ResolvedRefs', 1)] }] } },
];
delete policies[2].status.ancestors[0].ancestorRef.sectionName;
writeFileSync(join(out, '04-grants-and-policies.yaml'), yamlDocs(policies));

// --- services (kubectl get svc -A -o json)
let ip = 10;
const svc = (name, ns, type, ports, extraLabels = {}) => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: meta(name, ns, { labels: { ...(type ? { 'gateway-evidence.io/service-type': type } : {}), 'app.kubernetes.io/name': name, ...extraLabels }, managedFields: managed('helm') }),
  spec: { type: 'ClusterIP', clusterIP: `10.96.40.${ip++}`, clusterIPs: [`10.96.40.${ip - 1}`], selector: { app: name },
    ports: ports.map(([pname, port, appProtocol]) => ({ name: pname, port, targetPort: port, protocol: 'TCP', ...(appProtocol ? { appProtocol } : {}) })), sessionAffinity: 'None' },
  status: { loadBalancer: {} },
});
const services = [
  svc('chat-model-v1', 'chatbot', 'public-model-endpoint', [['http', 8080]], { 'model.example.ai/version': 'v1' }),
  svc('chat-model-v2', 'chatbot', 'public-model-endpoint', [['http', 8080]], { 'model.example.ai/version': 'v2' }),
  svc('llm-inference', 'inference', 'internal-inference', [['https', 8000, 'https']]),
  svc('llm-inference-tls', 'inference', 'internal-inference', [['tls', 8443]]),
  svc('embeddings', 'inference', 'internal-inference', [['grpc', 9000, 'kubernetes.io/h2c']]),
  svc('tool-gateway', 'agents', 'agent-tool-gateway', [['http', 8080]]),
  svc('eval-service', 'eval', 'evaluation', [['http', 8080]]),
  svc('retriever', 'retrieval', 'retrieval', [['http', 8080]]),
  svc('admin-ui', 'admin', 'admin', [['http', 3000]]),
  { ...svc('envoy-infra-shared-gw-3c1f2a9b', 'envoy-gateway-system', undefined, [['http-80', 80], ['https-443', 443], ['tls-8443', 8443]],
    { 'gateway.envoyproxy.io/owning-gateway-name': 'shared-gw', 'gateway.envoyproxy.io/owning-gateway-namespace': 'infra' }),
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } },
];
services.at(-1).spec.type = 'LoadBalancer';
writeFileSync(join(out, '05-services.json'), list(services));

// --- secrets (multi-doc YAML). REAL test-only keys: they must never reach a bundle.
const tlsSecret = (name, ns, crt, key, extra = {}) => ({
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
  metadata: meta(name, ns, { managedFields: managed('kubectl-client-side-apply'), ...extra }),
  data: { 'tls.crt': b64(crt), 'tls.key': b64(key) },
});
const agentsCrt = cert('agents-tools.crt');
const agentsKey = cert('agents-tools.key');
const secrets = [
  tlsSecret('shared-gw-tls', 'infra', cert('shared-gw-chain.crt'), cert('shared-gw.key')),
  // created with `kubectl apply`: the last-applied annotation carries the whole Secret, private key included
  tlsSecret('agents-tools-tls', 'agents', agentsCrt, agentsKey, { annotations: {
    'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'agents-tools-tls', namespace: 'agents' }, data: { 'tls.crt': b64(agentsCrt), 'tls.key': b64(agentsKey) } }) + '\n',
    'platform.example.ai/owner': 'agents-team' } }),
  { ...tlsSecret('llm-inference-serving', 'inference', cert('llm-inference.crt'), cert('llm-inference.key')), data: undefined,
    stringData: { 'tls.crt': cert('llm-inference.crt'), 'tls.key': cert('llm-inference.key'), 'ca.crt': cert('ca.crt') } },
  { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: meta('model-api-keys', 'chatbot'),
    data: { OPENAI_COMPAT_KEY: b64('sk-test-only-not-a-real-key-0000000000') } },
];
secrets[2].data = undefined;
writeFileSync(join(out, '06-secrets.yaml'), '# TEST-ONLY keys and certificates (see samples/README.md). Never use them outside this sample.\n' + yamlDocs(JSON.parse(JSON.stringify(secrets))));

// --- configmaps (kubectl get cm -A -o yaml: a List in YAML)
const cms = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('inference-ca', 'inference'), data: { 'ca.crt': cert('ca.crt'), 'notes.txt': 'rotated by platform team' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('chat-settings', 'chatbot'), data: { 'max_tokens': '4096', 'system_prompt': 'You are a helpful assistant.' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt', 'chatbot'), data: { 'ca.crt': cert('ca.crt') } },
];
writeFileSync(join(out, '07-configmaps.yaml'), stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: cms }, { lineWidth: 0 }));

// --- workloads (kubectl get deploy,rs -A -o json)
const deploy = (name, ns, labels, image, extra = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, ns, { generation: 2, labels, managedFields: managed('helm') }),
  spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: extra.container ?? name, image,
    env: [{ name: 'ENVOY_GATEWAY_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }], args: ['server', '--config-path=/config/envoy-gateway.yaml'] }] } } },
  status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 2 },
});
const workloads = [
  deploy('envoy-gateway', 'envoy-gateway-system', { 'control-plane': 'envoy-gateway', 'app.kubernetes.io/name': 'gateway-helm', 'app.kubernetes.io/instance': 'eg' }, 'docker.io/envoyproxy/gateway:v1.6.0'),
  deploy('envoy-infra-shared-gw-3c1f2a9b', 'envoy-gateway-system', { 'app.kubernetes.io/managed-by': 'envoy-gateway', 'app.kubernetes.io/component': 'proxy', 'gateway.envoyproxy.io/owning-gateway-name': 'shared-gw', 'gateway.envoyproxy.io/owning-gateway-namespace': 'infra' }, 'docker.io/envoyproxy/envoy:distroless-v1.36.2', { container: 'envoy' }),
  deploy('chat-model-v1', 'chatbot', { app: 'chat-model-v1' }, 'registry.example.ai/models/chat:1.8.0'),
  deploy('chat-model-v2', 'chatbot', { app: 'chat-model-v2' }, 'registry.example.ai/models/chat:2.0.0-rc1'),
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('chat-model-v1-6d5f8', 'chatbot', { labels: { app: 'chat-model-v1' } }), spec: { replicas: 1 } },
];
writeFileSync(join(out, '08-workloads.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: workloads }, null, 2) + '\n');

// --- ConformanceReport of the controller, byte for byte
const rep = join(shared, 'conformance-reports', 'v1.4.0', 'envoy-gateway', 'experimental-v1.6.0-default-report.yaml');
if (existsSync(rep)) copyFileSync(rep, join(out, 'envoy-gateway-v1.6.0-conformance-report.yaml'));
console.log('wrote', out);

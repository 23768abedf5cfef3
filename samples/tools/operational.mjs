#!/usr/bin/env node
// Writes samples/operational/ (issue 9): the previous quarter's routes, an audit log (JSON lines) and a zone
// file for the sample AI platform. Run from the repository root: `node samples/tools/operational.mjs`.
// The output is committed; regenerate only on purpose.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'samples/operational';
const GW = 'gateway.networking.k8s.io';

// 1. Q3 routes: chat-public at generation 6 with all traffic on model v1; eval-runner at generation 4; no admin-ui.
let routes = readFileSync('samples/cluster/03-routes.yaml', 'utf8');
const docs = routes.split('\n---\n');
const q3 = docs
  .filter((d) => !/\n  name: admin-ui\n/.test(d))
  .map((d) => {
    if (/\n  name: chat-public\n/.test(d)) {
      return d.replace('generation: 7', 'generation: 6').replace('resourceVersion: "100306"', 'resourceVersion: "90306"').replace(/observedGeneration: 7/g, 'observedGeneration: 6').replace('weight: 10\n', 'weight: 0\n').replace('weight: 90\n', 'weight: 100\n');
    }
    if (/\n  name: eval-runner\n/.test(d)) return d.replace('generation: 5', 'generation: 4').replace('resourceVersion: "100357"', 'resourceVersion: "90357"').replace(/observedGeneration: 5/g, 'observedGeneration: 4');
    return d;
  });
writeFileSync(join(OUT, 'q3-routes.yaml'), `# The previous quarter (2026-09-30) of samples/cluster/03-routes.yaml: chat-public sent all traffic to\n# model v1 (generation 6), eval-runner was at generation 4, admin-ui did not exist. Written by samples/tools/operational.mjs.\n${q3.join('\n---\n')}`);

// 2. Audit log, audit.k8s.io/v1 Events as the API server writes them (one JSON object per line).
const key = readFileSync('samples/tools/certs/shared-gw.key', 'utf8'); // TEST-ONLY key, planted on purpose
const crt = readFileSync('samples/tools/certs/shared-gw.crt', 'utf8');
const b64 = (s) => Buffer.from(s).toString('base64');
let n = 0;
const ev = (at, verb, user, groups, ref, extra = {}) => ({
  kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: extra.level ?? 'Metadata', auditID: `8e5b${String(++n).padStart(4, '0')}-1c2d-4e5f-9a0b-${String(n).padStart(12, '0')}`,
  stage: 'ResponseComplete', requestURI: `/${ref.apiGroup ? `apis/${ref.apiGroup}` : 'api'}/${ref.apiVersion ?? 'v1'}/${ref.namespace ? `namespaces/${ref.namespace}/` : ''}${ref.resource}${ref.name ? `/${ref.name}` : ''}${ref.subresource ? `/${ref.subresource}` : ''}`,
  verb, user: { username: user, groups, ...(extra.extra ? { extra: extra.extra } : {}) }, sourceIPs: [extra.ip ?? '10.0.3.17'], userAgent: extra.ua ?? 'kubectl/v1.31.2 (linux/amd64) kubernetes/abc1234',
  objectRef: ref, responseStatus: { metadata: {}, code: extra.code ?? 200 },
  ...(extra.requestObject ? { requestObject: extra.requestObject } : {}), ...(extra.responseObject ? { responseObject: extra.responseObject } : {}),
  requestReceivedTimestamp: at, stageTimestamp: at.replace(/Z$/, '').replace(/(\.\d+)?$/, '.004120Z'),
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding for ${user}` },
});
const route = (ns, name, extra) => ({ resource: 'httproutes', namespace: ns, name, apiGroup: GW, apiVersion: 'v1', ...extra });
const argocd = ['system:serviceaccount:argocd:argocd-application-controller', ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated']];
const eg = ['system:serviceaccount:envoy-gateway-system:envoy-gateway', ['system:serviceaccounts', 'system:authenticated']];
const secretBody = {
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
  metadata: { name: 'shared-gw-tls', namespace: 'infra', annotations: { 'cert-manager.io/issuer-name': 'example-ca', 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { 'tls.key': key } }) } },
  data: { 'tls.crt': b64(crt), 'tls.key': b64(key) },
};
const events = [
  ev('2026-09-30T09:00:41.112233Z', 'list', ...eg, { resource: 'httproutes', apiGroup: GW, apiVersion: 'v1' }, { ua: 'envoy-gateway/v1.6.0' }),
  ev('2026-10-02T11:20:03.000101Z', 'get', 'alice@example.ai', ['platform-admins', 'system:authenticated'], route('chatbot', 'chat-public')),
  ev('2026-10-14T07:55:10.450000Z', 'delete', 'bob@example.ai', ['developers', 'system:authenticated'], { resource: 'pods', namespace: 'chatbot', name: 'chat-model-v1-6d9f-abcde', apiVersion: 'v1' }),
  // The TLS certificate of the shared Gateway renewed by cert-manager, logged at RequestResponse level: the
  // request and response bodies hold the private key in the clear. None of it may reach a bundle.
  ev('2026-11-01T03:00:00.000500Z', 'update', 'system:serviceaccount:cert-manager:cert-manager', ['system:serviceaccounts', 'system:authenticated'], { resource: 'secrets', namespace: 'infra', name: 'shared-gw-tls', apiVersion: 'v1' },
    { level: 'RequestResponse', ua: 'cert-manager/v1.16.1', requestObject: secretBody, responseObject: secretBody }),
  ev('2026-11-20T08:00:00.120000Z', 'patch', ...argocd, route('chatbot', 'chat-public'), { level: 'RequestResponse', ua: 'argocd-application-controller/v2.13.1', requestObject: { spec: { rules: [{ backendRefs: [{ name: 'chat-model-v1', weight: 90 }, { name: 'chat-model-v2', weight: 10 }] }] } } }),
  ev('2026-11-20T08:01:00.200000Z', 'update', ...eg, route('chatbot', 'chat-public', { subresource: 'status' }), { ua: 'envoy-gateway/v1.6.0' }),
  // A developer created the admin UI route on the public plain-HTTP listener: outside the policy's changeAuthors.
  ev('2026-11-25T16:42:17.000000Z', 'create', 'dev@example.ai', ['developers', 'system:authenticated'], route('admin', 'admin-ui'), { ip: '198.51.100.23' }),
  ev('2026-11-25T16:42:18.500000Z', 'update', ...eg, route('admin', 'admin-ui', { subresource: 'status' }), { ua: 'envoy-gateway/v1.6.0' }),
  // (eval-runner went from generation 4 to 5 in the quarter, but the audit log holds no change of it: unexplained.)
  ev('2026-12-01T08:59:30.000000Z', 'watch', ...eg, { resource: 'gateways', apiGroup: GW, apiVersion: 'v1' }, { ua: 'envoy-gateway/v1.6.0' }),
];
writeFileSync(join(OUT, 'audit.log'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');

// 3. The example.ai zone: every served hostname points at the Gateway (203.0.113.10), plus one dangling name.
writeFileSync(join(OUT, 'example.ai.zone'), `; example.ai as exported from the DNS provider (RFC 1035 master file).
$ORIGIN example.ai.
$TTL 300
@                 IN SOA ns1.example.ai. hostmaster.example.ai. ( 2026112501 3600 600 1209600 300 )
@                 IN NS  ns1.example.ai.
ns1               IN A   192.0.2.53
chat              IN A   203.0.113.10
tools             IN A   203.0.113.10
eval              IN A   203.0.113.10
admin             IN A   203.0.113.10
grpc              IN A   203.0.113.10
secure-infer      IN A   203.0.113.10
inference.internal IN A  203.0.113.10
; The old chatbot domain still points at the Gateway, but no listener or route serves it any more: dangling.
chat.example-ai-legacy.net. IN CNAME chat.example.ai.
`);
console.log('wrote samples/operational/{q3-routes.yaml,audit.log,example.ai.zone}');

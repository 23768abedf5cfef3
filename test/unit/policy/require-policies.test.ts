/**
 * Exposure policy additions of issue 12: `require-policies` (routes reaching given service types from given
 * listeners need an adjacent policy of a kind or category), user-defined service types, InferencePools classified
 * like Services, and selectors that match nothing reported as warnings. Resolution is the real resolver's.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Capture } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { evaluatePolicy } from '../../../src/policy/evaluate.ts';
import { loadPolicy } from '../../../src/policy/load.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { InputError } from '../../../src/errors.ts';

const CLUSTER = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: ai, labels: {kubernetes.io/metadata.name: ai}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: ai, labels: {exposure: public}}
spec:
  gatewayClassName: eg
  listeners: [{name: https, port: 443, protocol: HTTPS, tls: {mode: Passthrough}}, {name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: chat, namespace: ai}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  hostnames: [chat.example.ai]
  rules: [{backendRefs: [{name: chat-svc, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: completions, namespace: ai}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  hostnames: [chat.example.ai]
  rules:
  - matches: [{path: {type: PathPrefix, value: /v1/completions}}]
    backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: llama}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: finetune, namespace: ai}
spec:
  parentRefs: [{name: edge, sectionName: http}]
  hostnames: [tune.example.ai]
  rules: [{backendRefs: [{name: tuner, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: chat-svc, namespace: ai, labels: {gateway-evidence.io/service-type: public-model-endpoint}}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: tuner, namespace: ai, labels: {gateway-evidence.io/service-type: fine-tuning}}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: epp, namespace: ai}
spec: {ports: [{port: 9002}]}
---
apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: llama, namespace: ai, labels: {gateway-evidence.io/service-type: public-model-endpoint}}
spec: {selector: {matchLabels: {app: vllm}}, targetPorts: [{number: 8000}], endpointPickerRef: {name: epp, port: {number: 9002}}}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {name: chat-jwt, namespace: ai}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: chat}]
  jwt: {providers: [{name: idp, remoteJWKS: {uri: "https://idp.example.ai/jwks"}}]}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: limits, namespace: ai}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge}]
  rateLimit: {type: Local}
`;

const objects = parseAllDocuments(CLUSTER).map((d) => d.toJS() as KubeObject);
const capture = { snapshot: { objects, conformanceReports: [] }, record: {} } as unknown as Capture;
const resolution = resolve(objects);
const HEAD = `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
public: [{gatewayLabels: {exposure: public}}]
serviceTypeDefinitions:
  - {name: fine-tuning, description: Fine-tuning job submission; never public}
`;
const run = (rest: string) => evaluatePolicy({ capture, resolution }, loadPolicy(HEAD + rest, 'policy.yaml'));

describe('require-policies', () => {
  it('names the route, listener and missing category of a public model endpoint without authentication, not the covered one', () => {
    const f = run(`rules:\n  - {id: auth, type: require-policies, listeners: {public: true}, serviceTypes: [public-model-endpoint], categories: [authentication]}\n`).filter((x) => x.code === 'POLICY_REQUIRED_POLICY_MISSING');
    expect(f.map((x) => x.subject)).toEqual(['HTTPRoute.gateway.networking.k8s.io/ai/completions']);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.message).toContain('HTTPRoute ai/completions serves hostname chat.example.ai on Gateway ai/edge listener http (HTTP 80)');
    expect(f[0]!.message).toContain('reaches InferencePool ai/llama (public-model-endpoint)');
    expect(f[0]!.message).toContain('expected a policy of category authentication');
    expect(f[0]!.message).toContain('covered only by BackendTrafficPolicy ai/limits [rate-limit, traffic]');
    expect(f[0]!.detail!['missing']).toEqual({ categories: ['authentication'], kinds: [] });
  });

  it('is satisfied by a kind (Kind or Kind.group) as well as by a category; the issue spelling requirePolicies is accepted', () => {
    expect(run(`rules:\n  - {id: rl, type: requirePolicies, listeners: {public: true}, serviceTypes: [public-model-endpoint], kinds: [BackendTrafficPolicy.gateway.envoyproxy.io]}\n`).filter((x) => x.code === 'POLICY_REQUIRED_POLICY_MISSING')).toEqual([]);
    expect(run(`rules:\n  - {id: rl, type: require-policies, serviceTypes: [public-model-endpoint], categories: [rate-limit]}\n`).filter((x) => x.code === 'POLICY_REQUIRED_POLICY_MISSING')).toEqual([]);
    const f = run(`rules:\n  - {id: sp, type: require-policies, serviceTypes: [public-model-endpoint], kinds: [SecurityPolicy]}\n`).filter((x) => x.code === 'POLICY_REQUIRED_POLICY_MISSING');
    expect(f.map((x) => x.subject)).toEqual(['HTTPRoute.gateway.networking.k8s.io/ai/completions']);
  });

  it('rejects a rule without kinds or categories, naming its path', () => {
    expect(() => loadPolicy(`${HEAD}rules:\n  - {id: x, type: require-policies, serviceTypes: [public-model-endpoint]}\n`, 'policy.yaml')).toThrow(/\/rules\/0: expected kinds or categories/);
    expect(() => loadPolicy(`${HEAD}rules:\n  - {id: x, type: require-policies, categories: [authn]}\n`, 'policy.yaml')).toThrow(/\/rules\/0\/categories\/0/);
  });
});

describe('user-defined service types', () => {
  it('classifies by a declared type and applies rules to it', () => {
    const f = run(`rules:\n  - {id: no-tuning, type: service-exposure, listeners: {public: true}, denyServiceTypes: [fine-tuning]}\n`);
    expect(f.filter((x) => x.code === 'UNCLASSIFIED_SERVICE' || x.code === 'INVALID_SERVICE_TYPE')).toEqual([]);
    expect(f.filter((x) => x.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED').map((x) => x.subject)).toEqual(['Service/ai/tuner']);
  });

  it('an undeclared type is an error with its path; a declared name may not shadow a built-in', () => {
    expect(() => loadPolicy(`apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nrules:\n  - {id: a, type: service-exposure, denyServiceTypes: [fine-tuning]}\n`, 'policy.yaml')).toThrow(
      /\/rules\/0\/denyServiceTypes\/0: expected one of the built-in types \[.*\], found "fine-tuning"/,
    );
    expect(() => loadPolicy(`apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nserviceTypeDefinitions: [{name: admin}]\nrules: []\n`, 'policy.yaml')).toThrow(/\/serviceTypeDefinitions\/0\/name: expected a new service type name, found "admin" \(a built-in type\)/);
    try {
      loadPolicy(`apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nserviceTypes: [{type: nope, names: [x]}]\nrules: []\n`, 'policy.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toContain('/serviceTypes/0/type');
    }
  });

  it('without the declaration the label value is an unknown type (warned) and the Service unclassified', () => {
    const f = evaluatePolicy({ capture, resolution }, loadPolicy(`apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nrules: []\n`, 'p.yaml'));
    expect(f.filter((x) => x.code === 'INVALID_SERVICE_TYPE').map((x) => x.subject)).toEqual(['Service/ai/tuner']);
  });
});

describe('selectors that match nothing', () => {
  it('warns for a rule listener selector, a classification rule, a serviceTypes list and a public selector that match nothing', () => {
    const policy = loadPolicy(
      `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
public: [{gatewayLabels: {exposure: public}}, {gateways: [other/gw]}]
serviceTypeDefinitions: [{name: fine-tuning}]
serviceTypes:
  - {type: admin, names: [no-such-service]}
rules:
  - {id: nobody, type: attachment, listeners: {listeners: [grpc]}, allowNamespaces: [ai]}
  - {id: no-admins, type: require-policies, serviceTypes: [admin], categories: [authentication]}
`,
      'policy.yaml',
    );
    const f = evaluatePolicy({ capture, resolution }, policy).filter((x) => x.code === 'POLICY_SELECTOR_MATCHES_NOTHING');
    expect(f.map((x) => [x.severity, x.subject]).sort()).toEqual(
      [
        ['warning', 'policy /public/1'],
        ['warning', 'policy /rules/0/listeners'],
        ['warning', 'policy /rules/1/serviceTypes'],
        ['warning', 'policy /serviceTypes/0'],
      ].sort(),
    );
  });
});

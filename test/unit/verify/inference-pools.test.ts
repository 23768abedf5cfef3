/**
 * verify on InferencePools: drift covers the pool's status.parents (recorded vs recomputed, and a stale recorded
 * parent the controller should have removed); exposure classifies a pool like a Service.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/index.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { compareStatus, driftFindings } from '../../../src/verify/drift.ts';
import { analyzeExposure } from '../../../src/verify/exposure.ts';

const CTL = 'gateway.envoyproxy.io/gatewayclass-controller';
const objects = (text: string): KubeObject[] => parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);

function cluster(poolStatus: string, poolLabels = '{}'): KubeObject[] {
  return objects(`
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: ${CTL}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ai, labels: {kubernetes.io/metadata.name: ai}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ai}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: old-gw, namespace: ai}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: chat, namespace: ai}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat-pool}]}]
---
apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: chat-pool, namespace: ai, labels: ${poolLabels}}
spec:
  selector: {matchLabels: {app: vllm}}
  targetPorts: [{number: 8000}]
  endpointPickerRef: {name: epp, port: {number: 9002}}
status: ${poolStatus}
---
apiVersion: v1
kind: Service
metadata: {name: epp, namespace: ai}
spec: {ports: [{port: 9002}]}
`);
}

describe('drift on InferencePool status.parents', () => {
  it('agrees when the recorded parent entry matches (parentRef.namespace defaulted to the pool namespace)', () => {
    const objs = cluster(`{parents: [{parentRef: {name: gw}, controllerName: ${CTL}, conditions: [{type: Accepted, status: "True", reason: Accepted}, {type: ResolvedRefs, status: "True", reason: ResolvedRefs}]}]}`);
    const entries = compareStatus(objs, resolve(objs)).filter((e) => e.object.kind === 'InferencePool');
    expect(entries.map((e) => [e.subject, e.field, e.state])).toEqual([
      ['InferencePool ai/chat-pool parent ai/gw', 'Accepted', 'agree'],
      ['InferencePool ai/chat-pool parent ai/gw', 'ResolvedRefs', 'agree'],
    ]);
  });

  it('reports a disagreeing condition, a missing entry and a stale parent the controller should have removed', () => {
    const objs = cluster(`{parents: [
      {parentRef: {namespace: ai, name: gw}, conditions: [{type: Accepted, status: "False", reason: HTTPRouteNotAccepted}]},
      {parentRef: {namespace: ai, name: old-gw}, conditions: [{type: Accepted, status: "True", reason: Accepted}]}]}`);
    const entries = compareStatus(objs, resolve(objs)).filter((e) => e.object.kind === 'InferencePool');
    expect(entries.map((e) => [e.subject, e.field, e.state])).toEqual([
      ['InferencePool ai/chat-pool parent ai/gw', 'Accepted', 'disagree'],
      ['InferencePool ai/chat-pool parent ai/gw', 'ResolvedRefs', 'recorded-missing'],
      ['InferencePool ai/chat-pool parent ai/old-gw', 'parent', 'disagree'],
    ]);
    expect(driftFindings(entries).length).toBeGreaterThan(0);
  });
});

describe('exposure: a pool is classified like a Service', () => {
  it('takes the service type from the pool label', () => {
    const objs = cluster('{}', '{gateway-evidence.io/service-type: public-model-endpoint}');
    const { summary } = analyzeExposure(resolve(objs), objs);
    expect(summary.servicesByType['public-model-endpoint']).toEqual(['InferencePool ai/chat-pool']);
    expect(summary.paths.map((p) => [p.backend, p.serviceType])).toEqual([['InferencePool ai/chat-pool', 'public-model-endpoint']]);
  });
});

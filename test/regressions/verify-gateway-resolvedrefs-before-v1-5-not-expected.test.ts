import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { captureOf, ok } from '../helpers/capture.ts';

// Bug: a Gateway with an unresolved listener certificate, captured with Gateway API v1.4 CRDs, got
// STATUS_RECORDED_MISSING for a Gateway-level ResolvedRefs=False/ListenersNotResolved, a condition v1.4 does not
// define (it arrived in v1.5): a controller for v1.4 never writes it. Expectations follow the captured CRD version.
describe('regression: no Gateway-level ResolvedRefs expected before Gateway API v1.5', () => {
  const text = (version: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.gateway.networking.k8s.io, annotations: {gateway.networking.k8s.io/bundle-version: ${version}}}
spec: {group: gateway.networking.k8s.io, names: {kind: Gateway, plural: gateways}, scope: Namespaced, versions: [{name: v1, served: true, storage: true}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/gc}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 1}
spec:
  gatewayClassName: gc
  listeners: [{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}]
status:
  conditions: [${JSON.stringify(ok('Accepted'))}, ${JSON.stringify(ok('Programmed'))}]
  listeners:
  - name: https
    attachedRoutes: 0
    supportedKinds: [{kind: HTTPRoute}, {kind: GRPCRoute}]
    conditions: [${JSON.stringify(ok('Accepted'))}, {type: ResolvedRefs, status: "False", reason: InvalidCertificateRef, observedGeneration: 1}, {type: Programmed, status: "False", reason: Invalid, observedGeneration: 1}]
`;
  const gatewayLevel = (version: string) => analyzeCapture(captureOf(text(version))).findings.filter((f) => f.subject === 'Gateway infra/gw' && f.code.startsWith('STATUS_'));

  it('v1.4.0: absence is expected', () => {
    expect(gatewayLevel('v1.4.0')).toEqual([]);
  });

  it('v1.5.0: the missing condition is reported', () => {
    expect(gatewayLevel('v1.5.0').map((f) => f.code)).toEqual(['STATUS_RECORDED_MISSING']);
  });
});

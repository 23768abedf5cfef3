import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { resolve } from '../../src/resolve/index.ts';
import { captureOf, ok } from '../helpers/capture.ts';

// Bug: Envoy Gateway's merged-gateways example (GatewayClass parametersRef -> EnvoyProxy) verified with
// GatewayClass Accepted=False/InvalidParameters drift and every Gateway Accepted=False: the collector does not keep
// EnvoyProxy objects, so the reference can never resolve in a bundle. Unknown offline, not a missing object.
describe('regression: a parametersRef to a kind the collector does not keep is unknown, not InvalidParameters', () => {
  const text = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg, generation: 1}
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
  parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: custom, namespace: envoy-gateway-system}
status: {conditions: [${JSON.stringify(ok('Accepted'))}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default, generation: 1}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP}]
status:
  conditions: [${JSON.stringify(ok('Accepted'))}, ${JSON.stringify(ok('Programmed'))}]
  listeners: [{name: http, attachedRoutes: 0, supportedKinds: [{kind: HTTPRoute}, {kind: GRPCRoute}], conditions: [${['Accepted', 'ResolvedRefs', 'Programmed'].map((t) => JSON.stringify(ok(t))).join(', ')}]}]
`;
  const kinds = ['gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway'];

  it('verify: no drift, the class Accepted is unknown offline, an info CAPTURE_INCOMPLETE names EnvoyProxy', () => {
    const r = analyzeCapture(captureOf(text, kinds));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const ci = r.findings.find((f) => f.code === 'CAPTURE_INCOMPLETE')!;
    expect(ci.subject).toBe('gateway.envoyproxy.io/EnvoyProxy');
    expect(ci.severity).toBe('info');
  });

  it('resolve without kindsPresent (conformance, manifests) still says InvalidParameters', () => {
    const objects = captureOf(text).snapshot.objects;
    expect(resolve(objects).gatewayClasses[0]!.conditions[0]).toMatchObject({ type: 'Accepted', status: 'False', reason: 'InvalidParameters' });
  });
});

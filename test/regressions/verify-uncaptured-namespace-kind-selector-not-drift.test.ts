import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { captureOf, ok } from '../helpers/capture.ts';

// Bug: a capture from a dump that held no Namespaces at all (kubectl get without `namespaces`) evaluated
// allowedRoutes.namespaces.selector against an empty label set, so the selector "matched nothing": every route
// the controller had accepted through it became NotAllowedByListeners, and the listener's attachedRoutes 0, a
// cascade of STATUS_DRIFT errors. The labels are unknown, not empty: the route's Accepted is Unknown
// (CaptureIncomplete), attachedRoutes a range, and verify reports one CAPTURE_INCOMPLETE for Namespace.
describe('regression: a capture without any Namespace makes allowedRoutes selectors unknown, not "matches nothing"', () => {
  const gwStatus = (attached: number): string =>
    JSON.stringify({
      conditions: [ok('Accepted'), ok('Programmed')],
      listeners: [{ name: 'http', attachedRoutes: attached, supportedKinds: [{ kind: 'HTTPRoute' }, { kind: 'GRPCRoute' }], conditions: [ok('Accepted'), ok('ResolvedRefs'), ok('Programmed'), { type: 'Conflicted', status: 'False', reason: 'NoConflicts', observedGeneration: 1 }] }],
    });
  const routeStatus = JSON.stringify({
    parents: [{ parentRef: { name: 'gw', namespace: 'infra' }, controllerName: 'example.com/gc', conditions: [ok('Accepted'), ok('ResolvedRefs')] }],
  });
  const text = (attached: number): string => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/gc}
status: {conditions: [{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 1}
spec:
  gatewayClassName: gc
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {shared-gateway-access: "true"}}}}
status: ${gwStatus(attached)}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps, generation: 1}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
status: ${routeStatus}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec: {ports: [{port: 80}]}
`;
  const kinds = ['gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute', 'gateway.networking.k8s.io/GRPCRoute', 'gateway.networking.k8s.io/ReferenceGrant', 'Service', 'Secret', 'ConfigMap'];

  it('predicts Accepted Unknown/CaptureIncomplete and attachedRoutes 0..1, reports Namespace once, and no drift', () => {
    const r = analyzeCapture(captureOf(text(1), kinds));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.filter((f) => f.code === 'CAPTURE_INCOMPLETE').map((f) => f.subject)).toEqual(['Namespace']);
    expect(r.findings.filter((f) => f.code === 'NAMESPACE_NOT_IN_SNAPSHOT' || f.code === 'NotAllowedByListeners')).toEqual([]);
    const route = r.specResolution.routes.find((x) => x.name === 'web')!;
    expect(route.parents[0]!.conditions.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'Unknown', reason: 'CaptureIncomplete' });
    const l = r.specResolution.gateways[0]!.listeners[0]!;
    expect(l).toMatchObject({ attachedRoutes: 0, attachedRoutesUnknown: 1 });
    expect(r.driftSummary['unknown-offline']).toBeGreaterThanOrEqual(2);
  });

  it('a recorded attachedRoutes outside the predicted range is still drift', () => {
    const r = analyzeCapture(captureOf(text(2), kinds));
    expect(r.findings.filter((f) => f.code === 'STATUS_DRIFT' && f.message.includes('attachedRoutes')).length).toBe(1);
  });

  it('with Namespaces captured (kind present, apps not labelled) the route is NotAllowedByListeners: drift', () => {
    const withNs = `${text(1)}---
apiVersion: v1
kind: Namespace
metadata: {name: apps, labels: {team: web}}
`;
    const r = analyzeCapture(captureOf(withNs, [...kinds, 'Namespace']));
    expect(r.findings.filter((f) => f.code === 'STATUS_DRIFT').length).toBeGreaterThan(0);
    expect(r.findings.filter((f) => f.code === 'CAPTURE_INCOMPLETE')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { captureOf, ok } from '../helpers/capture.ts';

// Bug: Istio's bookinfo mesh routes (parentRef kind Service, status written by istio.io/mesh-controller) were
// reported as "not handled by a gateway controller; no status is written" although the capture holds that status;
// and when the capture also held the waypoint GatewayClass (controllerName istio.io/mesh-controller) the recorded
// Service parent became STATUS_DRIFT ("a conformant controller writes none").
describe('regression: mesh (GAMMA) Service parents are recorded facts', () => {
  const text = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: istio-waypoint}
spec: {controllerName: istio.io/mesh-controller}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec: {ports: [{port: 9080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: default, generation: 1}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
  rules: [{backendRefs: [{name: reviews, port: 9080}]}]
status:
  parents:
  - parentRef: {group: "", kind: Service, name: reviews, port: 9080}
    controllerName: istio.io/mesh-controller
    conditions: [${JSON.stringify(ok('Accepted'))}, ${JSON.stringify(ok('ResolvedRefs'))}]
`;

  it('shows the recorded status as STATUS_OTHER_CONTROLLER, with no drift and no "no status is written"', () => {
    const f = analyzeCapture(captureOf(text)).findings;
    expect(f.filter((x) => x.code === 'STATUS_DRIFT' || x.code === 'PARENT_KIND_UNSUPPORTED')).toEqual([]);
    const other = f.filter((x) => x.code === 'STATUS_OTHER_CONTROLLER');
    expect(other).toHaveLength(1);
    expect(other[0]!.message).toContain('istio.io/mesh-controller');
    expect(other[0]!.message).toContain('Accepted=True');
  });

  it('without recorded status, the resolver still says why no status is written', () => {
    const f = analyzeCapture(captureOf(text.slice(0, text.indexOf('status:')))).findings;
    expect(f.some((x) => x.code === 'PARENT_KIND_UNSUPPORTED')).toBe(true);
  });
});

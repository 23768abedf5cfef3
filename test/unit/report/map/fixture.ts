/** A capture for the exposure-map tests: an HTTP listener that only redirects, recorded status that differs. */
import { captureOf } from '../../../helpers/capture.ts';
import { buildReportModel, type ReportModel } from '../../../../src/report/index.ts';
import { analyzeCapture } from '../../../../src/verify/analysis.ts';

export const MAP_YAML = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc, generation: 1}
spec: {controllerName: example.com/gc}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 1}
spec:
  gatewayClassName: gc
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - {name: https, port: 443, protocol: HTTPS, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}, tls: {mode: Terminate, certificateRefs: [{name: missing-cert}]}}
status:
  listeners:
  - {name: https, attachedRoutes: 5, supportedKinds: [{group: gateway.networking.k8s.io, kind: HTTPRoute}, {group: gateway.networking.k8s.io, kind: GRPCRoute}], conditions: []}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: to-https, namespace: shop, generation: 1}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - filters:
    - {type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: away, namespace: shop, generation: 1}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [old.example.org]
  rules:
  - filters:
    - {type: RequestRedirect, requestRedirect: {scheme: https, hostname: new.example.net}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: legacy, namespace: shop, generation: 1}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [legacy.example.com]
  rules:
  - backendRefs: [{name: legacy, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop, generation: 1}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ghost, namespace: shop, generation: 1}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: https}]
  hostnames: [ghost.other.org]
  rules:
  - backendRefs: [{name: web, port: 8080}]
status:
  parents:
  - parentRef: {name: gw, namespace: infra, sectionName: https}
    controllerName: example.com/gc
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
    - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, observedGeneration: 1}
`;

export function modelOf(text: string = MAP_YAML): ReportModel {
  const capture = captureOf(text);
  const a = analyzeCapture(capture);
  return buildReportModel({ capture, resolution: a.resolution, analysisFindings: a.findings, bundleId: 'sha256:00', toolVersion: '0.1.0' });
}

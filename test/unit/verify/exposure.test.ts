import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/index.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { analyzeExposure, classifyService } from '../../../src/verify/exposure.ts';

function objects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);
}

const CLUSTER = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: infra}
---
apiVersion: v1
kind: Namespace
metadata: {name: models, labels: {gateway-evidence.io/service-type: internal-inference}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops, annotations: {gateway-evidence.io/service-type: admin}}
---
apiVersion: v1
kind: Service
metadata: {name: chat, namespace: models, labels: {gateway-evidence.io/service-type: public-model-endpoint}}
spec: {ports: [{port: 8000}]}
---
apiVersion: v1
kind: Service
metadata: {name: batch, namespace: models}
spec: {ports: [{port: 8000}]}
---
apiVersion: v1
kind: Service
metadata: {name: console, namespace: ops}
spec: {ports: [{port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra, annotations: {gateway-evidence.io/service-type: retrieval-ish}}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Secret
metadata: {name: cert, namespace: infra}
type: kubernetes.io/tls
dataKeys: [tls.crt, tls.key]
certificateMetadata:
  tls.crt: {status: valid, chain: [{subject: CN=x, issuer: CN=ca, serialNumber: "1", dnsNames: ["*.example.com"], ipAddresses: [], notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z", publicKeyAlgorithm: ec, signatureAlgorithm: ecdsa-with-SHA256, sha256Fingerprint: "00", isCA: false}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: plain.example.com}
  - {name: https, port: 443, protocol: HTTPS, hostname: secure.example.com, tls: {certificateRefs: [{name: cert}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: front, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - {name: chat, namespace: models, port: 8000, weight: 90}
    - {name: batch, namespace: models, port: 8000, weight: 10}
  - matches: [{path: {type: PathPrefix, value: /admin}}]
    backendRefs: [{name: console, namespace: ops, port: 9090}]
  - matches: [{path: {type: PathPrefix, value: /web}}]
    backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: from-infra, namespace: models}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
  to: [{group: "", kind: Service}]
`;

describe('analyzeExposure', () => {
  const objs = objects(CLUSTER);
  const { findings, summary } = analyzeExposure(resolve(objs), objs);

  it('reports hostnames reachable on listeners without TLS, and not those behind HTTPS', () => {
    const plain = findings.filter((f) => f.code === 'EXPOSURE_PLAINTEXT_HOSTNAME');
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({
      severity: 'warning',
      subject: 'Gateway infra/gw listener http',
      message: 'hostname plain.example.com is reachable without TLS on Gateway infra/gw listener http (HTTP port 80) through HTTPRoute infra/front',
    });
  });

  it('reports cross-namespace backends with the grant that allows them; invalid (ungranted) backends carry no traffic and are left out', () => {
    const cross = findings.filter((f) => f.code === 'EXPOSURE_CROSS_NAMESPACE_BACKEND').map((f) => f.message);
    expect(cross).toEqual([
      'HTTPRoute infra/front reaches Service models/chat:8000 in another namespace, allowed by ReferenceGrant models/from-infra',
      'HTTPRoute infra/front reaches Service models/batch:8000 in another namespace, allowed by ReferenceGrant models/from-infra',
    ]);
    // ops/console has no grant: RefNotPermitted, so it is not an exposure.
    expect(findings.some((f) => f.message.includes('ops/console'))).toBe(false);
  });

  it('classifies Services by label/annotation on the Service, then its Namespace; unknown values are unclassified', () => {
    const types = findings.filter((f) => f.code === 'EXPOSURE_SERVICE_TYPE').map((f) => f.message);
    expect(types).toEqual([
      'HTTPRoute infra/front routes to Service models/chat:8000, service type public-model-endpoint (from the Service label)',
      'HTTPRoute infra/front routes to Service models/batch:8000, service type internal-inference (from the Namespace label)',
      'HTTPRoute infra/front routes to Service infra/web:8080, service type unclassified (unknown gateway-evidence.io/service-type value "retrieval-ish")',
    ]);
    expect(summary.servicesByType['public-model-endpoint']).toEqual(['Service models/chat:8000']);
    expect(summary.servicesByType['internal-inference']).toEqual(['Service models/batch:8000']);
    expect(summary.servicesByType.unclassified).toEqual(['Service infra/web:8080']);
    // each path appears once per listener/hostname it is reachable on
    expect(summary.paths.filter((p) => p.backend === 'Service models/chat:8000').map((p) => `${p.listener}:${p.hostname}:${p.tls}`)).toEqual([
      'http:plain.example.com:false',
      'https:secure.example.com:true',
    ]);
  });

  it('warns for admin Services and uses the Namespace annotation as a source', () => {
    const grant = CLUSTER + `---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: from-infra, namespace: ops}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
  to: [{group: "", kind: Service, name: console}]
`;
    const o = objects(grant);
    const f = analyzeExposure(resolve(o), o).findings.find((x) => x.code === 'EXPOSURE_SERVICE_TYPE' && x.message.includes('ops/console'));
    expect(f).toMatchObject({ severity: 'warning', message: 'HTTPRoute infra/front routes to Service ops/console:9090, service type admin (from the Namespace annotation)' });
  });

  it('classifyService precedence: Service label, Service annotation, Namespace label, Namespace annotation', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { 'gateway-evidence.io/service-type': 'evaluation' } } } as KubeObject;
    expect(classifyService({ labels: { 'gateway-evidence.io/service-type': 'admin' }, annotations: { 'gateway-evidence.io/service-type': 'retrieval' } }, ns)).toEqual({ type: 'admin', source: 'Service label' });
    expect(classifyService({ annotations: { 'gateway-evidence.io/service-type': 'retrieval' } }, ns)).toEqual({ type: 'retrieval', source: 'Service annotation' });
    expect(classifyService({}, ns)).toEqual({ type: 'evaluation', source: 'Namespace label' });
    expect(classifyService({}, undefined)).toEqual({ type: 'unclassified' });
    expect(classifyService({ labels: { 'gateway-evidence.io/service-type': 'agent-tool-gateway' } }, undefined).type).toBe('agent-tool-gateway');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Capture } from '../../../src/model/index.ts';
import { analyzeCapture } from '../../../src/verify/analysis.ts';
import { captureOf } from '../../helpers/capture.ts';

const capture = (text: string, capturedAt: string): Capture => captureOf(text, undefined, capturedAt);

const CTL = 'gateway.envoyproxy.io/gatewayclass-controller';
const CLUSTER = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg, generation: 1}
spec: {controllerName: ${CTL}}
status:
  conditions: [{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}]
---
apiVersion: v1
kind: Namespace
metadata: {name: infra}
---
apiVersion: v1
kind: Namespace
metadata: {name: tools, labels: {gateway-evidence.io/service-type: agent-tool-gateway}}
---
apiVersion: v1
kind: Service
metadata: {name: agent, namespace: tools}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Secret
metadata: {name: cert, namespace: infra}
type: kubernetes.io/tls
dataKeys: [tls.crt, tls.key]
certificateMetadata:
  tls.crt: {status: valid, chain: [{subject: CN=shared, issuer: CN=ca, serialNumber: "1", dnsNames: ["*.example.com"], ipAddresses: [], notBefore: "2020-01-01T00:00:00Z", notAfter: "2030-01-01T00:00:00Z", publicKeyAlgorithm: ec, signatureAlgorithm: ecdsa-with-SHA256, sha256Fingerprint: "00", isCA: false}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gw, namespace: infra, generation: 1}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: tools.example.com, allowedRoutes: {namespaces: {from: Same}}}
  - {name: https, port: 443, protocol: HTTPS, hostname: tools.example.com, allowedRoutes: {namespaces: {from: All}}, tls: {certificateRefs: [{name: cert}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: agent-tools, namespace: tools, generation: 1}
spec:
  parentRefs: [{name: shared-gw, namespace: infra, sectionName: http}]
  rules:
  - backendRefs: [{name: agent, port: 8080}]
status:
  parents:
  - parentRef: {name: shared-gw, namespace: infra, sectionName: http}
    controllerName: ${CTL}
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
    - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, observedGeneration: 1}
`;

afterEach(() => {
  vi.useRealTimers();
});

describe('analyzeCapture', () => {
  it('recomputes, compares, and returns drift, exposure and sorted findings as data', () => {
    const r = analyzeCapture(capture(CLUSTER, '2026-06-01T00:00:00Z'));
    expect(r.driftSummary.disagree).toBe(1);
    expect(r.driftSummary['recorded-missing']).toBeGreaterThan(0);
    const drift = r.findings.filter((f) => f.code === 'STATUS_DRIFT');
    expect(drift.map((f) => f.message)).toEqual([
      'HTTPRoute tools/agent-tools parent infra/shared-gw#http: recorded Accepted=True, predicted Accepted=False (NotAllowedByListeners)',
    ]);
    expect(drift[0]!.severity).toBe('error');
    expect(r.resolution.routes).toHaveLength(1);
    // findings sorted by severity, then code
    const ranks = r.findings.map((f) => ({ error: 0, warning: 1, info: 2 })[f.severity]);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    // the route is not accepted anywhere, so nothing is exposed
    expect(r.exposure.paths).toEqual([]);
  });

  it('exposes the route once it attaches, with its service type', () => {
    const attached = CLUSTER.replaceAll('sectionName: http}', 'sectionName: https}');
    const r = analyzeCapture(capture(attached, '2026-06-01T00:00:00Z'));
    expect(r.exposure.servicesByType['agent-tool-gateway']).toEqual(['Service tools/agent:8080']);
    expect(r.findings.filter((f) => f.code === 'STATUS_DRIFT')).toEqual([]);
  });

  it('reads no clock: expiry follows the capture time, whatever the system time is', () => {
    const attached = CLUSTER.replaceAll('sectionName: http}', 'sectionName: https}');
    const expiryCodes = (capturedAt: string) =>
      analyzeCapture(capture(attached, capturedAt), { expiryWindowDays: 30 })
        .findings.filter((f) => f.code === 'CERT_EXPIRED' || f.code === 'CERT_EXPIRING' || f.code === 'CERT_NOT_YET_VALID')
        .map((f) => f.code);

    vi.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z') });
    const mid = analyzeCapture(capture(attached, '2026-06-01T00:00:00Z'));
    const past = expiryCodes('2019-06-01T00:00:00Z');
    const future = expiryCodes('2031-06-01T00:00:00Z');
    const nearEnd = expiryCodes('2029-12-20T00:00:00Z');

    // A system clock 100 years ahead must change nothing.
    vi.setSystemTime(new Date('2126-01-01T00:00:00Z'));
    expect(analyzeCapture(capture(attached, '2026-06-01T00:00:00Z'))).toEqual(mid);
    expect(expiryCodes('2019-06-01T00:00:00Z')).toEqual(past);

    expect(mid.findings.some((f) => f.code.startsWith('CERT_EXPIR'))).toBe(false);
    expect(past).toEqual(['CERT_NOT_YET_VALID']);
    expect(future).toEqual(['CERT_EXPIRED']);
    expect(nearEnd).toEqual(['CERT_EXPIRING']);
  });

  it('passes attachedRoutes semantics through to the engine', () => {
    const text = CLUSTER.replace('hostname: tools.example.com, allowedRoutes: {namespaces: {from: Same}}', 'hostname: tools.example.com, allowedRoutes: {namespaces: {from: All}}').replace(
      'rules:\n  - backendRefs: [{name: agent, port: 8080}]\nstatus:',
      'hostnames: [other.example.com]\n  rules:\n  - backendRefs: [{name: agent, port: 8080}]\nstatus:',
    );
    const count = (semantics: 'v1.4' | 'v1.5') =>
      analyzeCapture(capture(text, '2026-06-01T00:00:00Z'), { attachedRoutesSemantics: semantics }).resolution.gateways[0]!.listeners.find((l) => l.name === 'http')!.attachedRoutes;
    expect(count('v1.5')).toBe(0);
    expect(count('v1.4')).toBe(1);
  });
});

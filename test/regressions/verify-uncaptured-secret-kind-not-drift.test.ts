import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/verify/analysis.ts';
import { captureOf, ok } from '../helpers/capture.ts';

// Bug: a capture from a dump that held no Secrets at all (the README's old kubectl line) gave a cascade of drift
// errors: every listener certificateRef "not found" (ResolvedRefs, Programmed, the Gateway's ResolvedRefs), though
// the Secrets exist in the cluster. A kind the capture did not hold is unknown, not missing: one CAPTURE_INCOMPLETE.
describe('regression: a capture without any Secret is CAPTURE_INCOMPLETE, not drift', () => {
  const status = JSON.stringify({
    conditions: [ok('Accepted'), ok('Programmed'), ok('ResolvedRefs')],
    listeners: [{ name: 'https', attachedRoutes: 0, supportedKinds: [{ kind: 'HTTPRoute' }, { kind: 'GRPCRoute' }], conditions: [ok('Accepted'), ok('ResolvedRefs'), ok('Programmed')] }],
  });
  const text = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/gc}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 1}
spec:
  gatewayClassName: gc
  listeners:
  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: a}, {name: b}]}}
status: ${status}
`;
  const kinds = ['gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway', 'Service', 'Namespace'];

  it('predicts Unknown/CaptureIncomplete and reports the kind once', () => {
    const r = analyzeCapture(captureOf(text, kinds));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.filter((f) => f.code === 'CAPTURE_INCOMPLETE').map((f) => f.subject)).toEqual(['Secret']);
    const l = r.specResolution.gateways[0]!.listeners[0]!;
    expect(l.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({ status: 'Unknown', reason: 'CaptureIncomplete' });
    expect(r.driftSummary['unknown-offline']).toBeGreaterThanOrEqual(2);
  });

  it('with Secrets captured (kind present, these two absent) the missing certificates are drift', () => {
    const r = analyzeCapture(captureOf(text, [...kinds, 'Secret']));
    expect(r.findings.filter((f) => f.code === 'STATUS_DRIFT').length).toBeGreaterThan(0);
  });
});

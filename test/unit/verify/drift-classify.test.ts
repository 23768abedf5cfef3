/**
 * verify's drift classification (src/verify/drift-classify.ts, issue 11 section 4): every disagreement of the
 * recorded status with the spec prediction is drift, a known controller departure, not derivable offline, unknown
 * offline (a kind not captured), or not defined by the captured CRD version.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../src/verify/analysis.ts';
import { captureOf as capture } from '../../helpers/capture.ts';

const EG = 'gateway.envoyproxy.io/gatewayclass-controller';
const ISTIO = 'istio.io/gateway-controller';


const cond = (type: string, status: string, reason: string) => `{type: ${type}, status: "${status}", reason: ${reason}, observedGeneration: 1}`;

function cluster(opts: { controller?: string; gatewayConditions?: string[]; listener?: string; listenerConditions?: string[]; supportedKinds?: string; crdVersion?: string; tls?: boolean } = {}): string {
  const ctl = opts.controller ?? EG;
  const gwConds = opts.gatewayConditions ?? [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')];
  const lConds = opts.listenerConditions ?? [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs'), cond('Programmed', 'True', 'Programmed')];
  const listener = opts.listener ?? '{name: http, port: 80, protocol: HTTP}';
  return `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc, generation: 1}
spec: {controllerName: ${ctl}}
status:
  conditions: [${cond('Accepted', 'True', 'Accepted')}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 1}
spec:
  gatewayClassName: gc
  listeners:
  - ${listener}
status:
  conditions: [${gwConds.join(', ')}]
  listeners:
  - name: ${/name: (\S+?),/.exec(listener)![1]}
    attachedRoutes: 0
    supportedKinds: ${opts.supportedKinds ?? '[{kind: HTTPRoute}, {kind: GRPCRoute}]'}
    conditions: [${lConds.join(', ')}]
${
  opts.crdVersion
    ? `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gateways.gateway.networking.k8s.io, annotations: {gateway.networking.k8s.io/bundle-version: ${opts.crdVersion}}}
spec: {group: gateway.networking.k8s.io, names: {kind: Gateway, plural: gateways}, scope: Namespaced, versions: [{name: v1, served: true, storage: true}]}
`
    : ''
}`;
}

const codes = (text: string, kindsPresent?: string[], semantics?: 'spec' | 'auto') => analyzeCapture(capture(text, kindsPresent), semantics ? { semantics } : {}).findings;

describe('drift classification', () => {
  const invalidKinds = {
    listener: '{name: http, port: 80, protocol: HTTP, allowedRoutes: {kinds: [{kind: HTTPRoute}, {kind: TCPRoute}]}}',
    supportedKinds: '[{kind: HTTPRoute}]',
    listenerConditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'False', 'InvalidRouteKinds'), cond('Programmed', 'False', 'Invalid')],
  };

  it('a recorded value the controller profile predicts is a known departure (info), naming the switch, its source and the spec text', () => {
    const f = codes(cluster(invalidKinds));
    expect(f.filter((x) => x.code === 'STATUS_DRIFT')).toEqual([]);
    const d = f.find((x) => x.code === 'STATUS_CONTROLLER_DEPARTURE' && x.subject === 'Gateway infra/gw listener http')!;
    expect(d.severity).toBe('info');
    expect(d.message).toContain('eg-listener-programmed-any-problem');
    expect(d.message).toContain('internal/gatewayapi/listener.go');
    expect(d.message).toContain('the spec:');
    expect(d.detail).toMatchObject({ field: 'Programmed', profile: 'envoy-gateway', switches: ['eg-listener-programmed-any-problem'] });
  });

  it('the same recorded value is drift when only the spec is compared (--semantics spec), and for a controller without a profile', () => {
    expect(codes(cluster(invalidKinds), undefined, 'spec').some((x) => x.code === 'STATUS_DRIFT' && x.subject === 'Gateway infra/gw listener http')).toBe(true);
    expect(codes(cluster({ ...invalidKinds, controller: 'example.com/other' })).some((x) => x.code === 'STATUS_DRIFT')).toBe(true);
  });

  it('a value that matches neither the spec nor the profile stays drift (error)', () => {
    const f = codes(cluster({ ...invalidKinds, listenerConditions: [cond('Accepted', 'False', 'UnsupportedProtocol'), cond('ResolvedRefs', 'False', 'InvalidRouteKinds'), cond('Programmed', 'False', 'Invalid')] }));
    expect(f.filter((x) => x.code === 'STATUS_DRIFT').map((x) => x.message)).toEqual(['Gateway infra/gw listener http: recorded Accepted=False, predicted Accepted=True (Accepted)']);
  });

  it('a Gateway without Accepted/Programmed is what the Envoy Gateway translator writes: a departure, not recorded-missing', () => {
    const f = codes(cluster({ gatewayConditions: [] }));
    expect(f.filter((x) => x.code === 'STATUS_RECORDED_MISSING' && x.subject === 'Gateway infra/gw')).toEqual([]);
    expect(f.filter((x) => x.code === 'STATUS_CONTROLLER_DEPARTURE' && x.subject === 'Gateway infra/gw').map((x) => (x.detail as { field: string }).field).sort()).toEqual(['Accepted', 'Programmed']);
    // Istio has no such switch: the same capture is recorded-missing.
    expect(codes(cluster({ gatewayConditions: [], controller: ISTIO })).some((x) => x.code === 'STATUS_RECORDED_MISSING' && x.subject === 'Gateway infra/gw')).toBe(true);
  });

  it('Programmed=False with a data-plane reason is a recorded fact (STATUS_NOT_DERIVABLE), never drift', () => {
    for (const reason of ['AddressNotAssigned', 'AddressNotUsable', 'NoResources', 'Pending']) {
      const f = codes(cluster({ controller: ISTIO, gatewayConditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', reason)] }));
      expect(f.filter((x) => x.code === 'STATUS_DRIFT'), reason).toEqual([]);
      const nd = f.find((x) => x.code === 'STATUS_NOT_DERIVABLE')!;
      expect(nd.severity).toBe('info');
      expect(nd.message).toContain(`Programmed=False (${reason})`);
    }
    // Another reason is not a data-plane fact: drift.
    expect(codes(cluster({ controller: ISTIO, gatewayConditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'False', 'Invalid')] })).some((x) => x.code === 'STATUS_DRIFT')).toBe(true);
  });

  const unresolvedTls = {
    controller: ISTIO,
    listener: '{name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}',
    gatewayConditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')],
    listenerConditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs'), cond('Programmed', 'True', 'Programmed')],
  };

  it('a reference into a kind the capture did not hold is unknown offline: no drift, one CAPTURE_INCOMPLETE per kind', () => {
    const present = ['gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway'];
    const f = codes(cluster(unresolvedTls), present);
    expect(f.filter((x) => x.severity === 'error')).toEqual([]);
    const ci = f.filter((x) => x.code === 'CAPTURE_INCOMPLETE');
    expect(ci.map((x) => x.subject)).toEqual(['Secret']);
    expect(ci[0]!.severity).toBe('warning');
    expect(ci[0]!.message).toContain('kubectl get secrets');
    // The same capture with Secrets captured (none named "cert"): the missing Secret is real drift.
    expect(codes(cluster(unresolvedTls), [...present, 'Secret']).some((x) => x.code === 'STATUS_DRIFT' && x.message.includes('ResolvedRefs'))).toBe(true);
    // A bundle without kindsPresent (older, or live) keeps the old meaning: every kind present.
    expect(codes(cluster(unresolvedTls)).some((x) => x.code === 'STATUS_DRIFT')).toBe(true);
  });

  it('a hostile kindsPresent that is not a list of strings is ignored (only more drift, never less)', () => {
    const c = capture(cluster(unresolvedTls));
    (c.record as unknown as Record<string, unknown>)['kindsPresent'] = 'everything';
    expect(analyzeCapture(c).findings.some((x) => x.code === 'STATUS_DRIFT')).toBe(true);
  });

  it('a condition the captured CRD bundle-version does not define is not expected (Gateway ResolvedRefs before v1.5)', () => {
    const noGatewayResolvedRefs = { ...unresolvedTls, controller: 'example.com/other', listenerConditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'False', 'InvalidCertificateRef'), cond('Programmed', 'False', 'Invalid')] };
    const old = analyzeCapture(capture(cluster({ ...noGatewayResolvedRefs, crdVersion: 'v1.4.0' })));
    expect(old.findings.filter((x) => x.subject === 'Gateway infra/gw' && x.code.startsWith('STATUS_'))).toEqual([]);
    expect(old.driftSummary['not-defined']).toBe(1);
    const current = analyzeCapture(capture(cluster({ ...noGatewayResolvedRefs, crdVersion: 'v1.5.0' })));
    expect(current.findings.some((x) => x.code === 'STATUS_RECORDED_MISSING' && x.subject === 'Gateway infra/gw' && x.message.includes('ResolvedRefs'))).toBe(true);
  });

  it('route parents of another controller (a mesh Service parent) are recorded facts, not "no status written" nor drift', () => {
    const text = `${cluster({ controller: ISTIO })}---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: infra}
spec: {ports: [{port: 9080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: infra, generation: 1}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
  rules: [{backendRefs: [{name: reviews, port: 9080}]}]
status:
  parents:
  - parentRef: {group: "", kind: Service, name: reviews, port: 9080}
    controllerName: ${ISTIO}
    conditions: [${cond('Accepted', 'True', 'Accepted')}]
`;
    const f = codes(text);
    expect(f.filter((x) => x.code === 'STATUS_DRIFT' || x.code === 'PARENT_KIND_UNSUPPORTED')).toEqual([]);
    const other = f.find((x) => x.code === 'STATUS_OTHER_CONTROLLER')!;
    expect(other.subject).toBe('HTTPRoute infra/reviews');
    expect(other.message).toContain('mesh (GAMMA) Service parent');
  });

  it('labels every recomputed value as a prediction', () => {
    const f = codes(cluster({ ...invalidKinds, controller: 'example.com/other' }));
    const d = f.find((x) => x.code === 'STATUS_DRIFT')!;
    expect(d.message).toContain('predicted');
    expect(d.detail).toMatchObject({ prediction: true });
  });
});

import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/index.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { compareStatus, driftFindings, type DriftEntry } from '../../../src/verify/drift.ts';

const CTL = 'gateway.envoyproxy.io/gatewayclass-controller';

function objects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter(Boolean);
}

const BASE = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg, generation: 1}
spec: {controllerName: ${CTL}}
status:
  conditions: [{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}]
---
apiVersion: v1
kind: Namespace
metadata: {name: infra, labels: {kubernetes.io/metadata.name: infra}}
---
apiVersion: v1
kind: Namespace
metadata: {name: tools, labels: {kubernetes.io/metadata.name: tools}}
---
apiVersion: v1
kind: Service
metadata: {name: agent, namespace: tools}
spec: {ports: [{port: 8080}]}
`;

function gateway(status: string, generation = 1): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gw, namespace: infra, generation: ${generation}}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, port: 80, protocol: HTTP}
${status}
`;
}

function route(status: string, generation = 1): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: agent-tools, namespace: tools, generation: ${generation}}
spec:
  parentRefs: [{name: shared-gw, namespace: infra}]
  rules:
  - backendRefs: [{name: agent, port: 8080}]
${status}
`;
}

function drift(text: string): DriftEntry[] {
  const objs = objects(text);
  return compareStatus(objs, resolve(objs));
}

const GOOD_GW_STATUS = `status:
  conditions:
  - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
  - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}
  listeners:
  - name: http
    attachedRoutes: 0
    supportedKinds: [{group: gateway.networking.k8s.io, kind: HTTPRoute}, {group: gateway.networking.k8s.io, kind: GRPCRoute}]
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
    - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, observedGeneration: 1}
    - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}`;

const ROUTE_CLAIMS_ACCEPTED = `status:
  parents:
  - parentRef: {name: shared-gw, namespace: infra}
    controllerName: ${CTL}
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}
    - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, observedGeneration: 1}`;

describe('compareStatus / driftFindings', () => {
  it('turns a recorded Accepted=True that a conformant controller would not write into an error with both values', () => {
    // The route is in tools, the listener allows only Same (infra): recomputed NotAllowedByListeners.
    const entries = drift(BASE + gateway(GOOD_GW_STATUS) + route(ROUTE_CLAIMS_ACCEPTED));
    const accepted = entries.find((e) => e.subject === 'HTTPRoute tools/agent-tools parent infra/shared-gw' && e.field === 'Accepted');
    expect(accepted?.state).toBe('disagree');
    expect(accepted?.recorded).toEqual({ type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 });
    expect(accepted?.recomputed).toEqual({ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' });
    const f = driftFindings(entries).filter((x) => x.code === 'STATUS_DRIFT');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      severity: 'error',
      subject: 'HTTPRoute tools/agent-tools parent infra/shared-gw',
      message: 'HTTPRoute tools/agent-tools parent infra/shared-gw: recorded Accepted=True, predicted Accepted=False (NotAllowedByListeners)',
    });
  });

  it('reports agreement for every condition, listener count and kind list when the recorded status is right', () => {
    const goodRoute = ROUTE_CLAIMS_ACCEPTED.replace('{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}', '{type: Accepted, status: "False", reason: NotAllowedByListeners, observedGeneration: 1}');
    const entries = drift(BASE + gateway(GOOD_GW_STATUS) + route(goodRoute));
    expect(entries.filter((e) => e.state !== 'agree')).toEqual([]);
    expect(entries.map((e) => `${e.subject}|${e.field}`)).toEqual(
      expect.arrayContaining([
        'GatewayClass eg|Accepted',
        'Gateway infra/shared-gw|Accepted',
        'Gateway infra/shared-gw listener http|attachedRoutes',
        'Gateway infra/shared-gw listener http|supportedKinds',
        'Gateway infra/shared-gw listener http|ResolvedRefs',
        'HTTPRoute tools/agent-tools parent infra/shared-gw|Accepted',
        'HTTPRoute tools/agent-tools parent infra/shared-gw|ResolvedRefs',
      ]),
    );
    expect(driftFindings(entries)).toEqual([]);
  });

  it('a reason-only difference is a disagreement and shows both reasons', () => {
    const wrongReason = ROUTE_CLAIMS_ACCEPTED.replace('{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}', '{type: Accepted, status: "False", reason: NoMatchingParent, observedGeneration: 1}');
    const f = driftFindings(drift(BASE + gateway(GOOD_GW_STATUS) + route(wrongReason))).find((x) => x.code === 'STATUS_DRIFT');
    expect(f?.message).toBe('HTTPRoute tools/agent-tools parent infra/shared-gw: recorded Accepted=False (NoMatchingParent), predicted Accepted=False (NotAllowedByListeners)');
  });

  it('marks objects without recorded status as recorded-missing: one warning per subject', () => {
    const entries = drift(BASE + gateway('') + route(''));
    const missing = entries.filter((e) => e.state === 'recorded-missing');
    expect(missing.length).toBeGreaterThan(5);
    const f = driftFindings(entries);
    expect(f.every((x) => x.code === 'STATUS_RECORDED_MISSING' && x.severity === 'warning')).toBe(true);
    expect(f.map((x) => x.subject).sort()).toEqual([
      'Gateway infra/shared-gw',
      'Gateway infra/shared-gw listener http',
      'HTTPRoute tools/agent-tools parent infra/shared-gw',
    ]);
    expect(f.find((x) => x.subject === 'Gateway infra/shared-gw listener http')?.message).toContain('no recorded attachedRoutes, supportedKinds');
  });

  it('marks a condition whose observedGeneration is behind metadata.generation as stale (warning), even when it agrees', () => {
    const entries = drift(BASE + gateway(GOOD_GW_STATUS, 3));
    const stale = entries.filter((e) => e.state === 'stale');
    expect(stale.map((e) => `${e.subject}|${e.field}`)).toContain('Gateway infra/shared-gw|Accepted');
    expect(stale.find((e) => e.subject === 'Gateway infra/shared-gw' && e.field === 'Accepted')?.valuesAgree).toBe(true);
    const f = driftFindings(entries).find((x) => x.code === 'STATUS_STALE' && x.subject === 'Gateway infra/shared-gw');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('recorded Accepted is for generation 1, object is at generation 3');
  });

  it('compares listener attachedRoutes and supportedKinds', () => {
    const wrong = GOOD_GW_STATUS.replace('attachedRoutes: 0', 'attachedRoutes: 4').replace(', {group: gateway.networking.k8s.io, kind: GRPCRoute}', ', {kind: TCPRoute}');
    const f = driftFindings(drift(BASE + gateway(wrong))).filter((x) => x.code === 'STATUS_DRIFT');
    expect(f.map((x) => x.message)).toEqual([
      'Gateway infra/shared-gw listener http: recorded attachedRoutes=4, predicted attachedRoutes=0',
      'Gateway infra/shared-gw listener http: recorded supportedKinds=[gateway.networking.k8s.io/HTTPRoute, gateway.networking.k8s.io/TCPRoute], predicted supportedKinds=[gateway.networking.k8s.io/GRPCRoute, gateway.networking.k8s.io/HTTPRoute]',
    ]);
  });

  it('flags a recorded True negative-polarity condition and a recorded parent entry that a conformant controller would not write', () => {
    const gwStatus = GOOD_GW_STATUS.replace(
      '    - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}',
      '    - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}\n    - {type: Conflicted, status: "True", reason: HostnameConflict, observedGeneration: 1}\n    - {type: OverlappingTLSConfig, status: "True", reason: OverlappingHostnames, observedGeneration: 1}',
    );
    const extraParent = ROUTE_CLAIMS_ACCEPTED + `
  - parentRef: {name: old-gw, namespace: infra, sectionName: web}
    controllerName: ${CTL}
    conditions: [{type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}]
  - parentRef: {name: other, namespace: infra}
    controllerName: example.com/not-in-snapshot
    conditions: [{type: Accepted, status: "True", reason: Accepted}]`;
    const entries = drift(BASE + gateway(gwStatus) + route(extraParent));
    const msgs = driftFindings(entries).filter((x) => x.code === 'STATUS_DRIFT').map((x) => x.message);
    expect(msgs).toContain('Gateway infra/shared-gw listener http: recorded Conflicted=True, predicted Conflicted=False (NoConflicts)');
    expect(msgs).toContain('Gateway infra/shared-gw listener http: recorded OverlappingTLSConfig=True, predicted no entry');
    expect(msgs).toContain('HTTPRoute tools/agent-tools parent infra/old-gw#web: recorded a status entry with Accepted=True (Accepted), predicted no entry (a conformant controller writes none)');
    // Entries written by a controller that is not in the snapshot are not ours to judge.
    expect(msgs.some((m) => m.includes('infra/other'))).toBe(false);
  });

  it('compares ListenerSet status and BackendTLSPolicy ancestor status too', () => {
    const text = BASE + `---
apiVersion: v1
kind: ConfigMap
metadata: {name: ca, namespace: infra}
data:
  ca.crt: "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra}
spec: {ports: [{port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gw, namespace: infra}
spec:
  gatewayClassName: eg
  allowedListeners: {namespaces: {from: Same}}
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: extra, namespace: infra}
spec:
  parentRef: {name: shared-gw}
  listeners:
  - {name: extra-http, port: 8080, protocol: HTTP}
status:
  listeners:
  - {name: extra-http, attachedRoutes: 5, conditions: []}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs: [{kind: ListenerSet, name: extra}]
  rules:
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: web-tls, namespace: infra}
spec:
  targetRefs: [{group: "", kind: Service, name: web}]
  validation: {hostname: web.infra.svc, caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]}
status:
  ancestors:
  - ancestorRef: {group: gateway.networking.k8s.io, kind: Gateway, name: shared-gw, namespace: infra}
    controllerName: ${CTL}
    conditions: [{type: Accepted, status: "False", reason: Invalid}]
`;
    const entries = drift(text);
    const msgs = driftFindings(entries).filter((x) => x.code === 'STATUS_DRIFT').map((x) => x.message);
    expect(msgs).toContain('ListenerSet infra/extra listener extra-http: recorded attachedRoutes=5, predicted attachedRoutes=1');
    expect(msgs.some((m) => m.startsWith('BackendTLSPolicy infra/web-tls ancestor infra/shared-gw: recorded Accepted=False'))).toBe(true);
  });
});

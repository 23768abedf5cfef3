import { describe, expect, it } from 'vitest';
import { reduceAuditEvent, resourceOfKind, type AuditScope } from '../../../src/audit/reduce.ts';
import { createAuditAccumulator } from '../../../src/audit/ingest.ts';
import { auditEvent } from '../../helpers/audit.ts';
import type { AuditFileRecord } from '../../../src/model/operational.ts';

const GW = 'gateway.networking.k8s.io';
const scope: AuditScope = { groups: new Set([GW]), resources: new Set(['/services', '/namespaces']), objects: new Set(['/secrets/infra/tls-cert']) };
const window = { since: Date.parse('2026-11-01T00:00:00Z'), until: Date.parse('2026-12-01T00:00:00Z') };

describe('reduceAuditEvent', () => {
  it('keeps only the listed fields: no body, no event annotations, no requestURI, no user.extra, no status message', () => {
    const r = reduceAuditEvent(auditEvent({ id: 'a1', at: '2026-11-10T10:00:00.123456Z', resource: 'httproutes', group: GW, namespace: 'chat', name: 'r', requestObject: { spec: { x: 1 } }, responseObject: { b: 2, a: 1 } }), scope, window);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.event).sort()).toEqual(['auditID', 'objectRef', 'requestObjectSha256', 'requestReceivedTimestamp', 'responseObjectSha256', 'responseStatus', 'sourceIPs', 'stage', 'user', 'userAgent', 'verb']);
    expect(r.event.user).toEqual({ username: 'alice@example.com', groups: ['system:authenticated'] });
    expect(r.event.responseStatus).toEqual({ code: 200 });
    // sha256 of the RFC 8785 canonical JSON {"a":1,"b":2}
    expect(r.event.responseObjectSha256).toBe('43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777');
  });

  it('keeps no digest of a Secret body, in scope only when the Secret is captured', () => {
    const body = { kind: 'Secret', data: { 'tls.key': 'c2VjcmV0' } };
    const r = reduceAuditEvent(auditEvent({ id: 's', at: '2026-11-10T10:00:00Z', resource: 'secrets', namespace: 'infra', name: 'tls-cert', level: 'RequestResponse', requestObject: body, responseObject: body }), scope, window);
    expect(r.ok && r.event.requestObjectSha256 === undefined && r.event.responseObjectSha256 === undefined).toBe(true);
    expect(reduceAuditEvent(auditEvent({ id: 's2', at: '2026-11-10T10:00:00Z', resource: 'secrets', namespace: 'infra', name: 'other' }), scope, window)).toEqual({ ok: false, reason: 'out-of-scope' });
  });

  it('drops reads, events outside the window and the scope, and lines that are not audit Events', () => {
    expect(reduceAuditEvent(auditEvent({ id: 'g', at: '2026-11-10T10:00:00Z', verb: 'get', resource: 'gateways', group: GW }), scope, window)).toEqual({ ok: false, reason: 'read-only' });
    expect(reduceAuditEvent(auditEvent({ id: 'o', at: '2026-10-10T10:00:00Z', resource: 'gateways', group: GW, name: 'g' }), scope, window)).toEqual({ ok: false, reason: 'out-of-window' });
    expect(reduceAuditEvent(auditEvent({ id: 'p', at: '2026-11-10T10:00:00Z', resource: 'pods', namespace: 'x', name: 'p' }), scope, window)).toEqual({ ok: false, reason: 'out-of-scope' });
    expect(reduceAuditEvent({ kind: 'Event', apiVersion: 'audit.k8s.io/v1' }, scope, window)).toEqual({ ok: false, reason: 'malformed' });
    expect(reduceAuditEvent([1], scope, window)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('maps kinds to audit resources', () => {
    expect(['Gateway', 'HTTPRoute', 'BackendTLSPolicy', 'GatewayClass', 'Service', 'InferencePool', 'ReferenceGrant'].map(resourceOfKind)).toEqual(['gateways', 'httproutes', 'backendtlspolicies', 'gatewayclasses', 'services', 'inferencepools', 'referencegrants']);
  });
});

describe('AuditAccumulator', () => {
  it('keeps the most complete stage of a request once, counts malformed lines and coverage', () => {
    const acc = createAuditAccumulator(scope, window);
    const file: AuditFileRecord = { name: 'a.log', sha256: '', bytes: 0, gzip: false, lines: 0, malformed: 0, kept: 0 };
    acc.beginFile(file);
    acc.addLine(JSON.stringify(auditEvent({ id: 'x', at: '2026-11-10T10:00:00Z', stage: 'RequestReceived', resource: 'gateways', group: GW, name: 'g', namespace: 'n' })));
    acc.addLine(JSON.stringify(auditEvent({ id: 'x', at: '2026-11-10T10:00:00Z', stage: 'ResponseComplete', resource: 'gateways', group: GW, name: 'g', namespace: 'n' })));
    acc.addLine('{not json');
    acc.addLine('');
    acc.addLine(JSON.stringify(auditEvent({ id: 'y', at: '2026-11-09T10:00:00Z', verb: 'get', resource: 'gateways', group: GW })));
    const events = acc.events();
    expect(events.map((e) => `${e.auditID} ${e.stage}`)).toEqual(['x ResponseComplete']);
    expect(file).toMatchObject({ lines: 4, malformed: 1, kept: 1, first: '2026-11-09T10:00:00Z', last: '2026-11-10T10:00:00Z' });
    expect(acc.droppedCounts()).toEqual({ malformed: 1, 'read-only': 1 });
  });
});

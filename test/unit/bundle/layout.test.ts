import { describe, expect, it } from 'vitest';
import { captureToPayload, objectPath, payloadToCapture, readPayload } from '../../../src/bundle/layout.ts';
import { canonicalBytes } from '../../../src/bundle/canonical.ts';
import { sampleCapture } from './fixture.ts';

describe('objectPath', () => {
  it('follows data/objects/<group|core>/<kind>/<namespace|_cluster>/<name>.json', () => {
    expect(objectPath({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'n' } })).toBe('data/objects/core/service/n/a.json');
    expect(objectPath({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'gc' } })).toBe('data/objects/gateway.networking.k8s.io/gatewayclass/_cluster/gc.json');
  });
  it('hashes segments outside the charset or too long', () => {
    const p = objectPath({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Has_Upper', namespace: 'n' } });
    expect(p).toMatch(/^data\/objects\/core\/configmap\/n\/_h[0-9a-f]{32}\.json$/);
    expect(objectPath({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a'.repeat(101) } })).toMatch(/_h[0-9a-f]{32}\.json$/);
  });
});

describe('captureToPayload / payloadToCapture', () => {
  it('round-trips a capture', () => {
    const cap = sampleCapture();
    const { payload, collection } = captureToPayload(cap);
    const files = new Map(payload);
    files.set('collection.json', collection);
    const back = payloadToCapture(files);
    expect(back.snapshot.objects).toEqual(cap.snapshot.objects);
    expect(back.snapshot.conformanceReports).toEqual(cap.snapshot.conformanceReports);
    expect(back.record).toEqual(cap.record);
  });
  it('records the original conformance report name in collection.json', () => {
    const { collection } = captureToPayload(sampleCapture());
    const rec = JSON.parse(new TextDecoder().decode(collection));
    expect(rec.conformanceReportFiles).toEqual([{ name: 'Standard v1.3.0 Report.yaml', path: 'data/conformance-reports/standard-v1.3.0-report.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });
  it('reports an object stored at the wrong path and non-canonical JSON', () => {
    const { payload, collection } = captureToPayload(sampleCapture());
    const files = new Map(payload);
    files.set('collection.json', collection);
    const obj = files.get('data/objects/core/service/chat/chat-v1.json')!;
    files.delete('data/objects/core/service/chat/chat-v1.json');
    files.set('data/objects/core/service/chat/other.json', obj);
    files.set('data/objects/core/service/chat/spaced.json', new TextEncoder().encode('{ "apiVersion": "v1", "kind": "Service", "metadata": {"name": "spaced", "namespace": "chat"}}'));
    const r = readPayload(files);
    expect(r.findings.map((f) => f.code).sort()).toEqual(['JSON_NOT_CANONICAL', 'OBJECT_PATH_MISMATCH']);
  });
  it('rejects two objects with the same path', () => {
    const cap = sampleCapture();
    cap.snapshot.objects.push({ ...cap.snapshot.objects[0]! });
    expect(() => captureToPayload(cap)).toThrow(/two objects map to the bundle path/);
  });
  it('writes objects as canonical JSON', () => {
    const cap = sampleCapture();
    const { payload } = captureToPayload(cap);
    expect(payload.get('data/objects/core/service/chat/chat-v1.json')).toEqual(canonicalBytes(cap.snapshot.objects[3]));
  });
});

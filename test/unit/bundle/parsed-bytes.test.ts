// Issue 13: diffObjects skips objects parsed from equal bytes (bundle/layout.ts parsedBytesOf), so readPayload must
// record, for every object it returns, the exact bytes it parsed, and nothing for objects from elsewhere.
import { describe, expect, it } from 'vitest';
import { captureToPayload, parsedBytesOf, readPayload } from '../../../src/bundle/layout.ts';
import { diffObjects } from '../../../src/diff/objects.ts';
import type { Capture } from '../../../src/model/collection.ts';
import { captureOf } from '../../helpers/capture.ts';

const svc = (name: string, port: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec: { ports: [{ port }] } });
/** A capture of these objects (captureOf reads YAML; JSON documents are YAML). */
const capture = (...objs: object[]): Capture => captureOf(objs.map((o) => JSON.stringify(o)).join('\n---\n'));

function roundTrip(c: Capture): Capture {
  const { payload, collection } = captureToPayload(c);
  const files = new Map(payload);
  files.set('collection.json', collection);
  return readPayload(files, false).capture;
}

describe('parsedBytesOf (issue 13: diff without re-serialising unchanged objects)', () => {
  it('gives each object read from a bundle the bytes it was parsed from, and nothing for other objects', () => {
    const c = roundTrip(capture(svc('a', 80), svc('b', 81)));
    for (const o of c.snapshot.objects) {
      const bytes = parsedBytesOf(o);
      expect(bytes).toBeDefined();
      expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(o);
    }
    expect(parsedBytesOf(svc('a', 80))).toBeUndefined();
  });

  it('diffObjects still reports a change between objects read from different bytes, and none for equal bytes', () => {
    const before = roundTrip(capture(svc('a', 80), svc('b', 81)));
    const after = roundTrip(capture(svc('a', 80), svc('b', 82)));
    const d = diffObjects(before.snapshot.objects, after.snapshot.objects);
    expect(d.modified.map((m) => m.name)).toEqual(['b']);
    expect(d.modified[0]!.changes).toEqual([{ path: '$.spec.ports[0].port', op: 'changed', old: 81, new: 82 }]);
    expect(diffObjects(before.snapshot.objects, roundTrip(capture(svc('a', 80), svc('b', 81))).snapshot.objects).modified).toEqual([]);
  });
});

// Issue 13: drift entries are built property by property (drift.ts driftEntry), not with a spread, for speed. They
// must be the spread's objects: the same keys in the same order, no key for an absent value.
import { describe, expect, it } from 'vitest';
import { driftEntry, type DriftEntry } from '../../../src/verify/drift.ts';
import { classifyDrift } from '../../../src/verify/drift-classify.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { captureOf } from '../../helpers/capture.ts';

const object = { kind: 'Gateway', namespace: 'infra', name: 'gw', generation: 2 };
const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' };
const bases: Pick<DriftEntry, 'subject' | 'object' | 'listener' | 'parentRef'>[] = [
  { subject: 'Gateway infra/gw', object },
  { subject: 'Gateway infra/gw listener http', object, listener: 'http' },
  { subject: 'HTTPRoute a/r parent infra/gw', object: { kind: 'HTTPRoute', namespace: 'a', name: 'r' }, parentRef },
];

describe('driftEntry', () => {
  it('is {...base, field, state, recorded, recomputed, valuesAgree} without the undefined ones, keys in that order', () => {
    const rec = { type: 'Accepted', status: 'True', reason: 'Accepted' };
    const pred = { type: 'Accepted', status: 'False', reason: 'Invalid' };
    for (const base of bases) {
      const cases: [DriftEntry, DriftEntry][] = [
        [driftEntry(base, 'Accepted', 'disagree', rec, pred), { ...base, field: 'Accepted', state: 'disagree', recorded: rec, recomputed: pred }],
        [driftEntry(base, 'Accepted', 'stale', rec, pred, false), { ...base, field: 'Accepted', state: 'stale', recorded: rec, recomputed: pred, valuesAgree: false }],
        [driftEntry(base, 'attachedRoutes', 'recorded-missing', undefined, { attachedRoutes: 1 }), { ...base, field: 'attachedRoutes', state: 'recorded-missing', recomputed: { attachedRoutes: 1 } }],
      ];
      for (const [built, spread] of cases) {
        expect(Object.keys(built)).toEqual(Object.keys(spread));
        expect(built).toStrictEqual(spread);
      }
    }
  });
});

describe('classifyDrift entries', () => {
  it('keep the compared entry keys in order and append note/departure, as {...e, state, note} did', () => {
    // A Gateway of a class that is not in the capture: its conditions are recorded-missing / disagree; a stale one.
    const c = captureOf(`apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/gc}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 3}
spec:
  gatewayClassName: gc
  listeners: [{name: http, port: 80, protocol: HTTP}]
status:
  conditions:
  - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 2}
  - {type: Programmed, status: "False", reason: AddressNotAssigned, observedGeneration: 3}
`);
    const objects = c.snapshot.objects;
    const res = resolve(objects, { semantics: 'spec' });
    const entries = classifyDrift(objects, res, res);
    const order = ['subject', 'object', 'listener', 'parentRef', 'field', 'state', 'recorded', 'recomputed', 'valuesAgree', 'departure', 'note'];
    for (const e of entries) {
      const keys = Object.keys(e);
      expect(keys).toEqual(order.filter((k) => keys.includes(k)));
      for (const k of keys) expect((e as unknown as Record<string, unknown>)[k]).not.toBeUndefined();
    }
    expect(entries.find((e) => e.subject === 'Gateway infra/gw' && e.field === 'Programmed')).toMatchObject({ state: 'not-derivable', note: expect.stringContaining('AddressNotAssigned') });
    expect(entries.find((e) => e.subject === 'Gateway infra/gw' && e.field === 'Accepted')).toMatchObject({ state: 'stale', valuesAgree: true });
  });
});

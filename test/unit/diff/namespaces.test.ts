/**
 * allowedNamespaces asks selectorMatches once per distinct set of values of the label keys a selector reads
 * (issue 13); the namespaces it allows must be exactly those selectorMatches allows on each namespace's own labels.
 */
import { describe, expect, it } from 'vitest';
import { allowedNamespaces, namespaceLabels } from '../../../src/diff/namespaces.ts';
import { selectorMatches, type LabelSelector } from '../../../src/resolve/labels.ts';
import { compareStrings, type KubeObject } from '../../../src/model/object.ts';

/** A small deterministic PRNG (mulberry32): the same cases on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['tier', 'team', 'env', 'toString', 'kubernetes.io/metadata.name', 'bad key!'];
const VALUES = ['internal', 'public', 'a', 'b', '', 'ns-1', 'ns-2'];
const OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'];

describe('allowedNamespaces: Selector listeners', () => {
  it('allows exactly the namespaces selectorMatches allows on their own labels (random selectors and labels)', () => {
    const r = rng(13);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let round = 0; round < 200; round++) {
      const objects: KubeObject[] = [];
      for (let i = 0; i < 12; i++) {
        const labels: Record<string, string> = {};
        for (let j = Math.floor(r() * 4); j > 0; j--) labels[pick(KEYS.slice(0, 4))] = pick(VALUES);
        objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}`, labels } });
      }
      // A namespace known only because an object lives in it (no Namespace object).
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'orphan' } });
      const selectors: LabelSelector[] = [];
      for (let l = 0; l < 4; l++) {
        const sel: LabelSelector = {};
        if (r() < 0.5) {
          sel.matchLabels = {};
          for (let j = Math.floor(r() * 3); j > 0; j--) sel.matchLabels[pick(KEYS)] = pick(VALUES);
        }
        if (r() < 0.7) {
          sel.matchExpressions = [];
          for (let j = 1 + Math.floor(r() * 2); j > 0; j--) {
            const operator = pick(OPS);
            sel.matchExpressions.push({ key: pick(KEYS), operator, ...(operator === 'In' || operator === 'NotIn' || r() < 0.2 ? { values: [pick(VALUES), pick(VALUES)] } : {}) } as never);
          }
        }
        selectors.push(sel);
      }
      objects.push({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: 'ns-0' },
        spec: { listeners: selectors.map((selector, i) => ({ name: `l${i}`, allowedRoutes: { namespaces: { from: 'Selector', selector } } })) },
      });
      const nsLabels = namespaceLabels(objects);
      const got = allowedNamespaces(objects);
      expect(got.map((l) => l.listener)).toEqual(selectors.map((_, i) => `l${i}`));
      selectors.forEach((sel, i) => {
        const want = [...nsLabels].filter(([, labels]) => selectorMatches(sel, labels)).map(([n]) => n).sort(compareStrings);
        expect(got[i]!.namespaces, JSON.stringify({ round, sel })).toEqual(want);
      });
    }
  });
});

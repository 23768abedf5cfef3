import { describe, expect, it } from 'vitest';
import { effectiveHostnames, intersectHostnames, selectorMatches, wildcardMatches } from '../../../src/resolve/index.ts';
import { HostnameSet } from '../../../src/resolve/hostnames.ts';
import { labelSelectorProblem } from '../../../src/resolve/labels.ts';

describe('hostname intersection (hostnames.md)', () => {
  it.each([
    ['a.example.com', 'a.example.com', 'a.example.com'],
    ['a.example.com', 'b.example.com', undefined],
    ['*.example.com', 'a.example.com', 'a.example.com'],
    ['*.example.com', 'a.b.example.com', 'a.b.example.com'],
    ['*.example.com', 'example.com', undefined],
    ['*.com', 'example.com', 'example.com'],
    ['a.example.com', '*.example.com', 'a.example.com'],
    ['*.example.com', '*.example.com', '*.example.com'],
    ['*.example.com', '*.foo.example.com', '*.foo.example.com'],
    ['*.foo.example.com', '*.example.com', '*.foo.example.com'],
    ['*.a.com', '*.b.com', undefined],
    [undefined, 'x.test', 'x.test'],
    ['x.test', undefined, 'x.test'],
    [undefined, undefined, '*'],
    ['X.Test', 'x.TEST', 'x.test'],
  ])('listener %s x route %s -> %s', (l, r, want) => {
    expect(intersectHostnames(l, r)).toBe(want);
  });
  it('wildcard matches one or more labels', () => {
    expect(wildcardMatches('*.example.com', 'a.b.c.example.com')).toBe(true);
    expect(wildcardMatches('*.example.com', 'notexample.com')).toBe(false);
  });
  it('effective hostnames are sorted and de-duplicated; no route hostnames = listener hostname', () => {
    expect(effectiveHostnames('*.example.com', ['b.example.com', 'a.example.com', 'a.example.com', 'other.org'])).toEqual(['a.example.com', 'b.example.com']);
    expect(effectiveHostnames('*.example.com', [])).toEqual(['*.example.com']);
    expect(effectiveHostnames(undefined, [])).toEqual(['*']);
  });
});

describe('label selectors (metav1.LabelSelector)', () => {
  const labels = { env: 'prod', team: 'a' };
  it.each([
    [{}, true],
    [{ matchLabels: { env: 'prod' } }, true],
    [{ matchLabels: { env: 'dev' } }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['b'] }] }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'Bogus' }] }, false],
    // Rejected by LabelSelectorAsSelector: selects nothing (NotIn [] would otherwise match everything).
    [{ matchExpressions: [{ key: 'team', operator: 'NotIn', values: [] }] }, false],
    [{ matchExpressions: [{ key: 'team', operator: 'NotIn' }] }, false],
    [{ matchExpressions: [{ key: 'absent', operator: 'DoesNotExist', values: ['x'] }] }, false],
    [{ matchLabels: { 'bad key!': 'prod' } }, false],
    [{ matchLabels: { env: 'not a label value' } }, false],
  ])('%j -> %s', (sel, want) => {
    expect(selectorMatches(sel, labels)).toBe(want);
  });
  it.each([
    [{ matchExpressions: [{ key: 'env', operator: 'In' }] }, /In needs at least one value/],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists', values: ['a'] }] }, /Exists takes no values/],
    [{ matchExpressions: [{ key: 'example.com/env', operator: 'Exists' }] }, undefined],
    [{ matchLabels: { 'Example.com/env': 'x' } }, /prefix must be a DNS subdomain/],
    [{ matchLabels: { env: '' } }, undefined],
    [{}, undefined],
  ])('labelSelectorProblem(%j) -> %s', (sel, want) => {
    const p = labelSelectorProblem(sel);
    if (want === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(want);
  });
  it('a nil selector matches nothing', () => {
    expect(selectorMatches(undefined, labels)).toBe(false);
  });
});

describe('HostnameSet (HTTPRoute/GRPCRoute clash index) agrees with intersectHostnames', () => {
  const names = ['*', 'a.example.com', 'b.example.com', 'a.b.example.com', 'example.com', '*.example.com', '*.b.example.com', '*.com', '*.org', 'x.org', 'com', '*.a.b.example.com', 'other.net'];
  it('for every member set of size 1 and 2 and every probe', () => {
    const sets: string[][] = [];
    for (const a of names) {
      sets.push([a]);
      for (const b of names) sets.push([a, b]);
    }
    for (const members of sets) {
      const s = new HostnameSet();
      for (const m of members) s.add(m);
      for (const probe of names) {
        const expected = members.some((m) => intersectHostnames(m, probe) !== undefined);
        expect([members, probe, s.intersects(probe)]).toEqual([members, probe, expected]);
      }
    }
  });
  it('an empty set intersects nothing', () => {
    expect(new HostnameSet().intersects('*')).toBe(false);
  });
});

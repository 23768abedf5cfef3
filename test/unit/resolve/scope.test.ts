import { describe, expect, it } from 'vitest';
import { objectInScope, parseSelector, subjectNamespace } from '../../../src/resolve/scope.ts';
import { selectorMatches } from '../../../src/resolve/labels.ts';
import type { KubeObject } from '../../../src/model/object.ts';

const obj = (kind: string, ns: string | undefined, labels: Record<string, string> = {}, apiVersion = 'gateway.networking.k8s.io/v1'): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', ...(ns !== undefined ? { namespace: ns } : {}), labels },
});

describe('parseSelector (k8s.io/apimachinery labels.Parse syntax)', () => {
  const ok = (s: string): ReturnType<typeof parseSelector> & { ok: true } => {
    const p = parseSelector(s);
    if (!p.ok) throw new Error(p.error);
    return p;
  };
  it('equality, inequality, set-based, exists and not-exists, ANDed', () => {
    const { selector } = ok('app=web, tier!=db,env in (prod, staging),team notin (x),canary,!legacy');
    expect(selector).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'team', operator: 'NotIn', values: ['x'] },
        { key: 'canary', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    const m = (labels: Record<string, string>): boolean => selectorMatches(selector, labels);
    expect(m({ app: 'web', env: 'prod', canary: '' })).toBe(true);
    expect(m({ app: 'web', env: 'prod', canary: '', tier: 'db' })).toBe(false);
    expect(m({ app: 'web', env: 'dev', canary: '' })).toBe(false);
    expect(m({ app: 'web', env: 'prod', canary: '', legacy: 'y' })).toBe(false);
    expect(m({ app: 'web', env: 'prod' })).toBe(false);
  });
  it('== is =, prefixed keys are allowed, the same key twice must hold twice', () => {
    expect(ok('gateway-evidence.io/service-type==admin').selector).toEqual({ matchLabels: { 'gateway-evidence.io/service-type': 'admin' } });
    const twice = ok('a=b,a=c').selector;
    expect(selectorMatches(twice, { a: 'b' })).toBe(false);
    expect(selectorMatches(twice, { a: 'c' })).toBe(false);
  });
  it('rejects malformed selectors with a reason', () => {
    for (const [s, why] of [
      ['a in (b', 'unbalanced "("'],
      ['a)', 'unbalanced ")"'],
      ['a=b,,c', 'empty requirement'],
      ['a=b c', 'expected k=v'],
      ['-bad=x', 'invalid label key'],
      ['a=b/c', 'invalid label value'],
      ['a=-x', 'invalid label value'],
    ] as const) {
      const p = parseSelector(s);
      expect(p.ok, s).toBe(false);
      if (!p.ok) expect(p.error, s).toContain(why);
    }
  });
});

describe('objectInScope', () => {
  it('namespaces apply to namespaced objects; cluster-scoped objects and controllers stay', () => {
    const s = { namespaces: ['a'] };
    expect(objectInScope(obj('HTTPRoute', 'a'), s)).toBe(true);
    expect(objectInScope(obj('HTTPRoute', 'b'), s)).toBe(false);
    expect(objectInScope(obj('GatewayClass', undefined), s)).toBe(true);
    expect(objectInScope(obj('Namespace', undefined, {}, 'v1'), s)).toBe(true);
    expect(objectInScope(obj('Deployment', 'envoy-gateway-system', {}, 'apps/v1'), s)).toBe(true);
    expect(objectInScope(obj('Service', 'a', {}, 'v1'), { excludeNamespaces: ['a'] })).toBe(false);
    expect(objectInScope(obj('Service', undefined, {}, 'v1'), { namespaces: ['default'] })).toBe(true); // no namespace = default
  });
  it('the selector applies to Gateway API objects and Services, not to Secrets or Namespaces', () => {
    const s = { selector: { matchLabels: { app: 'web' } } };
    expect(objectInScope(obj('HTTPRoute', 'a', { app: 'web' }), s)).toBe(true);
    expect(objectInScope(obj('HTTPRoute', 'a'), s)).toBe(false);
    expect(objectInScope(obj('Service', 'a', {}, 'v1'), s)).toBe(false);
    expect(objectInScope(obj('Secret', 'a', {}, 'v1'), s)).toBe(true);
    expect(objectInScope(obj('Namespace', undefined, {}, 'v1'), s)).toBe(true);
  });
  it('subjectNamespace reads finding subjects', () => {
    expect(subjectNamespace('HTTPRoute chatbot/chat-public')).toBe('chatbot');
    expect(subjectNamespace('Gateway infra/gw listener https')).toBe('infra');
    expect(subjectNamespace('GatewayClass envoy')).toBeUndefined();
    expect(subjectNamespace('data/objects/x.json')).toBeUndefined();
    expect(subjectNamespace(undefined)).toBeUndefined();
  });
});

// The oracle's checker must be able to fail: feed it a synthetic resolution and wrong expectations.
import { describe, expect, it } from 'vitest';
import type { Resolution } from '../../../src/resolve/types.ts';
import { checkExpectation, CONTROLLER, type Expectation } from './expect.ts';

const cond = (type: string, status: 'True' | 'False', reason: string, message = '') => ({ type, status, reason, message });

const res: Resolution = {
  gatewayClasses: [{ name: 'eg', controllerName: CONTROLLER, semantics: 'spec', conditions: [cond('Accepted', 'True', 'Accepted')] }],
  gateways: [
    {
      namespace: 'infra',
      name: 'gw',
      gatewayClassName: 'eg',
      semantics: 'spec',
      conditions: [cond('Accepted', 'True', 'Accepted')],
      listeners: [{ name: 'http', attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], conditions: [cond('Accepted', 'True', 'Accepted')] }],
    },
  ],
  routes: [
    {
      kind: 'HTTPRoute',
      namespace: 'infra',
      name: 'web',
      parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' }, controllerName: CONTROLLER, conditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'False', 'BackendNotFound')] }],
    },
  ],
  routing: [
    {
      gateway: { namespace: 'infra', name: 'gw' },
      listener: 'http',
      port: 80,
      protocol: 'HTTP',
      listenerAccepted: true,
      listenerProgrammed: true,
      certificateRefs: [],
      addresses: [],
      hostnames: [
        {
          hostname: '*',
          routes: [
            {
              kind: 'HTTPRoute',
              namespace: 'infra',
              name: 'web',
              servesTraffic: true,
              precedence: 0,
              rules: [{ index: 0, matches: [], backends: [{ group: '', kind: 'Service', namespace: 'infra', name: 'web', port: 8080, weight: 90, percent: 90, valid: false, reason: 'BackendNotFound', crossNamespace: false }] }],
            },
          ],
        },
      ],
    },
  ],
  findings: [{ code: 'PARENT_NOT_FOUND', severity: 'warning', subject: 'HTTPRoute infra/x', message: 'gateway infra/missing not found' }],
};

const base: Expectation = { description: 'x', digest: '§1' };

describe('checkExpectation', () => {
  it('passes a matching expectation', () => {
    const e: Expectation = {
      ...base,
      gatewayClasses: [{ name: 'eg', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }] }],
      gateways: [{ namespace: 'infra', name: 'gw', listenersExact: true, listeners: [{ name: 'http', attachedRoutes: 1, supportedKinds: [{ kind: 'HTTPRoute' }], conditions: [{ type: 'Conflicted', status: 'NotTrue' }, { type: 'OverlappingTLSConfig', status: 'absent' }] }] }],
      routes: [{ kind: 'HTTPRoute', namespace: 'infra', name: 'web', parent: { namespace: 'infra', name: 'gw' }, parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' }, conditions: [{ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' }] }],
      routing: [{ gateway: 'infra/gw', listener: 'http', hostname: '*', route: 'HTTPRoute infra/web', backends: [{ name: 'web', percent: 90, valid: false }] }],
      findings: [{ messageContains: 'infra/missing' }],
    };
    expect(checkExpectation(res, e)).toEqual([]);
  });

  it('reports each kind of mismatch with expected and got', () => {
    const e: Expectation = {
      ...base,
      gateways: [
        { namespace: 'infra', name: 'gw', listeners: [{ name: 'http', attachedRoutes: 2, supportedKinds: [], conditions: [{ type: 'Accepted', status: 'False', reason: 'UnsupportedProtocol' }] }] },
        { namespace: 'infra', name: 'gw', absent: true },
      ],
      routes: [
        { kind: 'HTTPRoute', namespace: 'infra', name: 'web', parent: { namespace: 'infra', name: 'gw' }, conditions: [{ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' }] },
        { kind: 'HTTPRoute', namespace: 'infra', name: 'web', parent: { namespace: 'infra', name: 'gw' }, noEntry: true },
        { kind: 'HTTPRoute', namespace: 'infra', name: 'nope', parent: { namespace: 'infra', name: 'gw' } },
      ],
      routing: [
        { gateway: 'infra/gw', listener: 'http', hostname: '*', route: 'HTTPRoute infra/web', backends: [{ name: 'web', percent: 10 }] },
        { gateway: 'infra/gw', listener: 'http', hostname: '*', absent: true },
        { gateway: 'infra/gw', listener: 'http', route: 'HTTPRoute infra/web', routeAbsent: true },
      ],
      findings: [{ code: 'NOPE' }],
    };
    const errs = checkExpectation(res, e);
    expect(errs).toHaveLength(11);
    expect(errs[0]).toBe('Gateway infra/gw listener http: expected attachedRoutes 2, got 1');
    expect(errs.join('\n')).toContain('expected supportedKinds exactly []');
    expect(errs.join('\n')).toContain('expected Accepted=False/NotAllowedByListeners, got Accepted=True/Accepted');
  });
});

describe('checkExpectation routeOrder', () => {
  it('accepts the exact order and reports a different one', () => {
    const ok: Expectation = { ...base, routing: [{ gateway: 'infra/gw', listener: 'http', hostname: '*', routeOrder: ['HTTPRoute infra/web'] }] };
    expect(checkExpectation(res, ok)).toEqual([]);
    const bad: Expectation = { ...base, routing: [{ gateway: 'infra/gw', listener: 'http', hostname: '*', routeOrder: ['HTTPRoute infra/other', 'HTTPRoute infra/web'] }] };
    expect(checkExpectation(res, bad).join('\n')).toContain('expected routes in order [HTTPRoute infra/other, HTTPRoute infra/web], got [HTTPRoute infra/web]');
  });
});

describe('compareOrUpdate (golden files)', async () => {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { compareOrUpdate } = await import('../../helpers/golden.ts');
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));

  it('fails on a missing golden under CI=true, writes it otherwise', () => {
    const p = join(dir, 'missing.out.yaml');
    expect(() => compareOrUpdate(p, 'a: 1\n', { CI: 'true' })).toThrow(/missing\.out\.yaml is missing/);
    expect(compareOrUpdate(p, 'a: 1\n', {})).toEqual({ status: 'written' });
    expect(readFileSync(p, 'utf8')).toBe('a: 1\n');
  });

  it('fails on a difference naming the line, and rewrites with UPDATE_GOLDEN=1', () => {
    const p = join(dir, 'x.out.yaml');
    writeFileSync(p, 'a: 1\nb: 2\n');
    expect(compareOrUpdate(p, 'a: 1\nb: 2\n', { CI: 'true' })).toEqual({ status: 'match' });
    expect(() => compareOrUpdate(p, 'a: 1\nb: 3\n', { CI: 'true' })).toThrow('differs at line 2: expected "b: 2", got "b: 3"');
    expect(compareOrUpdate(p, 'a: 1\nb: 3\n', { UPDATE_GOLDEN: '1', CI: 'true' })).toEqual({ status: 'written' });
    expect(readFileSync(p, 'utf8')).toBe('a: 1\nb: 3\n');
  });
});

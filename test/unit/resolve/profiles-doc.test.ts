/** Every controller profile switch is documented (docs/resolution.md) with the controller source it copies. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PROFILE_CONTROLLERS, PROFILE_SWITCHES, profileFor, switchesOf } from '../../../src/resolve/index.ts';

const doc = readFileSync(new URL('../../../docs/resolution.md', import.meta.url), 'utf8');

describe('controller profiles', () => {
  it('documents every switch with its source file', () => {
    for (const s of Object.values(PROFILE_SWITCHES)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${s.id}\``));
      expect(row, s.id).toBeDefined();
      expect(row).toContain(s.source.split(' ')[0]!);
      expect(s.source).toMatch(s.profile === 'istio' ? /^pilot\/pkg\// : /^internal\//);
    }
  });

  it('auto maps the known controllerNames and leaves every other controller to the spec', () => {
    expect(profileFor('auto', 'gateway.envoyproxy.io/gatewayclass-controller')).toBe('envoy-gateway');
    expect(profileFor('auto', 'istio.io/gateway-controller')).toBe('istio');
    expect(profileFor('auto', 'example.com/anything')).toBe('spec');
    expect(profileFor('spec', 'istio.io/gateway-controller')).toBe('spec');
    expect(profileFor('istio', 'example.com/anything')).toBe('istio');
    for (const p of Object.values(PROFILE_CONTROLLERS)) expect(switchesOf(p).length).toBeGreaterThan(0);
    expect(switchesOf('spec')).toEqual([]);
  });
});

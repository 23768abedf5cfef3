// Issue 13: the report model hands evaluatePolicy the object index and exposure paths it already built.
// evaluatePolicy must give the same findings with them as when it builds them itself, and must use them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../src/policy/evaluate.ts';
import { exposurePaths, objectIndex } from '../../../src/policy/exposure.ts';
import { loadPolicy } from '../../../src/policy/load.ts';
import { fixture } from './fixture.ts';

const policies = {
  'samples/policy.yaml': loadPolicy(readFileSync('samples/policy.yaml', 'utf8'), 'samples/policy.yaml'),
  inline: loadPolicy(
    `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
public: [{ gatewayLabels: { exposure: public } }]
serviceTypes:
  - type: agent-tool-gateway
    namespaces: [tools]
rules:
  - { id: no-admin-public, type: service-exposure, listeners: { public: true }, denyServiceTypes: [admin] }
  - { id: certs, type: certificate-expiry, minDaysValid: 30 }
  - { id: xns, type: cross-namespace, expected: [] }
  - { id: tls, type: tls-required, listeners: { public: true } }
`,
    'inline.yaml',
  ),
};

describe('evaluatePolicy with a precomputed index and exposure paths', () => {
  for (const [name, policy] of Object.entries(policies)) {
    it(`gives the same findings as without them: ${name}`, () => {
      const { capture, resolution } = fixture();
      const alone = evaluatePolicy({ capture, resolution }, policy);
      const index = objectIndex(capture);
      const paths = exposurePaths(capture, resolution, policy, index);
      expect(alone.length).toBeGreaterThan(0);
      expect(evaluatePolicy({ capture, resolution }, policy, { index, paths })).toEqual(alone);
      // Read only: the paths handed over are unchanged, so the caller can keep using them.
      expect(paths).toEqual(exposurePaths(capture, resolution, policy, objectIndex(capture)));
    });
  }

  it('uses the paths it is given instead of building its own', () => {
    const { capture, resolution } = fixture();
    const policy = policies.inline;
    const index = objectIndex(capture);
    const withPaths = evaluatePolicy({ capture, resolution }, policy, { index, paths: exposurePaths(capture, resolution, policy, index) });
    const withNone = evaluatePolicy({ capture, resolution }, policy, { index, paths: [] });
    expect(withPaths.some((f) => f.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED')).toBe(true);
    expect(withNone.some((f) => f.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED')).toBe(false);
  });
});

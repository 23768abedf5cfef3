import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/index.ts';
import { resolve } from '../../src/resolve/index.ts';
import { compareStatus } from '../../src/verify/drift.ts';

// Bug: once the resolver started writing the experimental GatewayClass SupportedVersion condition, every
// bundle from a standard-channel controller (which never writes it) got a STATUS_RECORDED_MISSING warning
// on its GatewayClass. Absence of SupportedVersion=True is not drift; a recorded False still is compared.
describe('regression: SupportedVersion missing from a recorded GatewayClass status', () => {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gateways.gateway.networking.k8s.io', annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.4.0', 'gateway.networking.k8s.io/channel': 'standard' } },
    spec: { group: 'gateway.networking.k8s.io', names: { kind: 'Gateway' }, versions: [{ name: 'v1', served: true, storage: true }] },
  };
  const gc = (conditions: unknown[]): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'eg', generation: 1 },
    spec: { controllerName: 'example.com/eg' },
    status: { conditions },
  });

  it('treats an absent SupportedVersion=True as agreement', () => {
    const objects = [crd, gc([{ type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 }])];
    const res = resolve(objects);
    expect(res.gatewayClasses[0]!.conditions.some((c) => c.type === 'SupportedVersion')).toBe(true);
    const entry = compareStatus(objects, res).find((e) => e.object.kind === 'GatewayClass' && e.field === 'SupportedVersion');
    expect(entry?.state).toBe('agree');
  });

  it('still reports a recorded SupportedVersion that disagrees', () => {
    const objects = [crd, gc([
      { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
      { type: 'SupportedVersion', status: 'False', reason: 'UnsupportedVersion', observedGeneration: 1 },
    ])];
    const entry = compareStatus(objects, resolve(objects)).find((e) => e.object.kind === 'GatewayClass' && e.field === 'SupportedVersion');
    expect(entry?.state).toBe('disagree');
  });
});

/**
 * Diff covers InferencePools (issue 12): a route moved to a new pool is traffic moved to a new model, shown as a
 * hostname whose backends changed (kind-prefixed `InferencePool ns/name`), with the pools' service types, and the
 * pool objects themselves as added/removed objects.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/object.ts';
import { diffCaptures } from '../../../src/diff/index.ts';
import { platform, sortObjects } from './fixtures.ts';

const pool = (name: string, model: string): KubeObject => ({
  apiVersion: 'inference.networking.k8s.io/v1',
  kind: 'InferencePool',
  metadata: { namespace: 'models', name, labels: { 'gateway-evidence.io/service-type': 'public-model-endpoint', 'model.example/name': model } },
  spec: { selector: { matchLabels: { app: name } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { name: 'epp', port: { number: 9002 } } },
});
const epp: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'models', name: 'epp' }, spec: { ports: [{ port: 9002 }] } };
const poolRoute = (target: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { namespace: 'models', name: 'completions' },
  spec: {
    parentRefs: [{ name: 'shared', namespace: 'infra' }],
    hostnames: ['llm.example.com'],
    rules: [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: target }] }],
  },
});

function withPools(target: string, pools: KubeObject[]) {
  const c = platform();
  c.snapshot.objects = sortObjects([...c.snapshot.objects, epp, ...pools, poolRoute(target)]);
  return c;
}

describe('diff on InferencePools', () => {
  it('a route moved to a new pool shows as the hostname now reaching the new pool', () => {
    const d = diffCaptures(withPools('llama-3', [pool('llama-3', 'llama-3-8b')]), withPools('llama-4', [pool('llama-4', 'llama-4-scout')]));
    const h = d.routing.hostnames.find((x) => x.hostname === 'llm.example.com');
    expect(h?.op).toBe('changed');
    expect(h?.oldBackends.map((b) => [b.backend, b.serviceType, b.percent])).toEqual([['InferencePool models/llama-3', 'public-model-endpoint', 100]]);
    expect(h?.newBackends.map((b) => [b.backend, b.serviceType, b.percent])).toEqual([['InferencePool models/llama-4', 'public-model-endpoint', 100]]);
    const objs = JSON.stringify(d.objects);
    expect(objs).toContain('llama-3');
    expect(objs).toContain('llama-4');
  });
});

/**
 * Live capture of the Inference Extension and adjacent policy kinds (issue 12): InferencePools and
 * InferenceObjectives are listed where served, policy kinds of the built-in table too, a kind declared by a CRD
 * labelled gateway.networking.k8s.io/policy is discovered from the CRD list, kinds that are neither are never
 * listed, and the Secrets a policy names are never read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfigFile } from '../../src/collector/live/kubeconfig-model.ts';
import { readLive } from '../../src/collector/live/source.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';

let server: FakeApiServer;

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  const labelledCrd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'quotapolicies.policy.example.com', labels: { 'gateway.networking.k8s.io/policy': 'Inherited' } },
    spec: { group: 'policy.example.com', names: { kind: 'QuotaPolicy', plural: 'quotapolicies' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] },
  };
  const quota = { apiVersion: 'policy.example.com/v1', kind: 'QuotaPolicy', metadata: { name: 'q', namespace: 'apps' }, spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared' } } };
  server = await startFakeApiServer({
    token: TOKEN,
    resources: [...RESOURCES, { group: 'policy.example.com', version: 'v1', resource: 'quotapolicies', kind: 'QuotaPolicy', namespaced: true }],
    objects: [...makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }), labelledCrd, quota],
  });
});
afterAll(async () => {
  await server?.close();
});

describe('live capture: InferencePools and adjacent policies', () => {
  it('lists the Inference Extension kinds, the table policy kinds and labelled-CRD kinds; never other kinds or the Secrets policies name', async () => {
    const kc = loadKubeConfigFile(server.kubeconfigPath);
    const live = await readLive({ kubeConfig: kc, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => undefined });
    expect(live.gaps).toEqual([]);
    const kinds = live.input.objects.map((o) => `${String(o.object['kind'])} ${String((o.object['metadata'] as Record<string, unknown>)['name'])}`);
    expect(kinds).toContain('InferencePool chat-pool');
    expect(kinds).toContain('InferenceObjective chat-default');
    expect(kinds).toContain('SecurityPolicy chat-jwt');
    expect(kinds).toContain('QuotaPolicy q');
    expect(kinds).toContain('CustomResourceDefinition quotapolicies.policy.example.com');
    expect(kinds.filter((k) => k.startsWith('EnvoyProxy') || k.startsWith('PeerAuthentication'))).toEqual([]);
    const paths = server.log.map((l) => l.path);
    expect(paths).toContain('/apis/policy.example.com/v1/quotapolicies');
    expect(paths.filter((p) => /envoyproxies|peerauthentications/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.includes('/secrets/api-keys'))).toEqual([]);
  });
});

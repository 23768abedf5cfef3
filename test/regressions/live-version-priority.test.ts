// Live capture: a kind served at several non-preferred versions was read at whichever version the
// discovery document listed first, not the highest-priority one (TLSRoute at v1alpha2 when v1alpha3 is
// served). Now the preferred version comes first, then Kubernetes version priority. The fake API server
// also lists a group's versions by priority, as a real one does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfigFile } from '../../src/collector/live/kubeconfig-model.ts';
import { readLive } from '../../src/collector/live/source.ts';
import { compareKubeVersions } from '../../src/collector/live/kinds.ts';
import { startFakeApiServer, type FakeApiServer, type FakeResource } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from '../live/fixtures.ts';

const GW = 'gateway.networking.k8s.io';
const extra: FakeResource[] = [
  { group: GW, version: 'v1', resource: 'referencegrants', kind: 'ReferenceGrant', namespaced: true },
  { group: GW, version: 'v1alpha3', resource: 'tlsroutes', kind: 'TLSRoute', namespaced: true },
];
const servers: FakeApiServer[] = [];
let objects: Record<string, unknown>[];

beforeAll(() => {
  const t = makeTls('x.example.com', 'ec');
  objects = makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t });
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function read(groupVersions?: Record<string, string[]>) {
  const s = await startFakeApiServer({ token: TOKEN, resources: [...RESOURCES, ...extra], objects, ...(groupVersions ? { groupVersions } : {}) });
  servers.push(s);
  const kc = loadKubeConfigFile(s.kubeconfigPath);
  const live = await readLive({ kubeConfig: kc, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => undefined });
  const at = (kind: string) => live.input.objects.filter((o) => o.object['kind'] === kind).map((o) => o.object['apiVersion']);
  return { live, at, server: s };
}

describe('preferred and highest-priority versions', () => {
  it('orders versions as Kubernetes does', () => {
    expect(['v1alpha2', 'v1beta1', 'foo', 'v1alpha3', 'v2', 'v1', 'v1beta2'].sort(compareKubeVersions)).toEqual(['v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha3', 'v1alpha2', 'foo']);
  });

  it('reads ReferenceGrant at v1 (not v1beta1) and TLSRoute at v1alpha3 (not v1alpha2)', async () => {
    const { live, at, server } = await read();
    expect(live.gaps).toEqual([]);
    expect(at('ReferenceGrant')).toEqual([`${GW}/v1`]);
    expect(at('TLSRoute')).toEqual([`${GW}/v1alpha3`]);
    expect(server.log.some((l) => l.path === `/apis/${GW}/v1alpha2/tlsroutes`)).toBe(false);
    expect(server.log.some((l) => l.path === `/apis/${GW}/v1beta1/referencegrants`)).toBe(false);
  });

  it('does not depend on the order of the discovery document', async () => {
    const { at } = await read({ [GW]: ['v1', 'v1alpha2', 'v1beta1', 'v1alpha3'], 'gateway.networking.x-k8s.io': ['v1alpha1'] });
    expect(at('TLSRoute')).toEqual([`${GW}/v1alpha3`]);
    expect(at('ReferenceGrant')).toEqual([`${GW}/v1`]);
  });
});

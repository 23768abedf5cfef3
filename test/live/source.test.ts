import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfigFile } from '../../src/collector/live/kubeconfig-model.ts';
import { readLive } from '../../src/collector/live/source.ts';
import { InputError } from '../../src/errors.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { FAULTS, RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';

const GW = 'gateway.networking.k8s.io';
let server: FakeApiServer;
let objects: Record<string, unknown>[];

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

beforeAll(async () => {
  const tls = { gw: makeTls('gw.example.com', 'rsa'), app: makeTls('app.example.com', 'ec'), clientCa: makeTls('client-ca', 'ec'), backendCa: makeTls('backend-ca', 'ec'), unreferenced: makeTls('unused', 'ec') };
  objects = makeObjects(tls);
  server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects, faults: FAULTS });
});
afterAll(async () => {
  await server?.close();
});

describe('readLive against the fake API server (paging and every fault of issue 4)', () => {
  it('reads every kind at its preferred version, records gaps for 403/404, and retries through 429/500/410/reset', async () => {
    const sleeps: number[] = [];
    const kc = loadKubeConfigFile(server.kubeconfigPath);
    const live = await readLive({ kubeConfig: kc, pageSize: 2, retry: fast, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

    // Gaps: TCPRoute forbidden, UDPRoute not served; nothing else.
    expect(live.gaps.map((g) => [g.kind, g.apiVersion, g.status])).toEqual([
      ['TCPRoute', `${GW}/v1alpha2`, 403],
      ['UDPRoute', `${GW}/v1alpha2`, 404],
    ]);
    expect(live.gaps[0]!.message).toMatch(/forbidden/);
    expect(live.gaps[1]!.message).toMatch(/could not find the requested resource/);

    // 429 Retry-After: 2 was honoured (2000 ms asked of the injected sleep), not the 1 ms backoff.
    expect(sleeps).toContain(2000);
    expect(Math.max(...sleeps.filter((s) => s !== 2000))).toBeLessThanOrEqual(4);

    const kinds = (k: string) => live.input.objects.filter((o) => o.object['kind'] === k);
    // 5 HTTPRoutes over 3 pages of 2, the second page's continue token answered 410 once: restarted, none doubled.
    expect(kinds('HTTPRoute').map((o) => (o.object['metadata'] as { name: string }).name).sort()).toEqual(['admin', 'chat', 'eval', 'inference', 'retrieval']);
    expect(live.warnings.some((w) => w.code === 'LIVE_LIST_RESTARTED' && w.message.includes('httproutes'))).toBe(true);
    const httpLog = server.log.filter((l) => l.path === `/apis/${GW}/v1/httproutes`);
    expect(httpLog.map((l) => l.status)).toEqual([429, 200, 410, 200, 200, 200]);
    // Services survived the 500, Gateways the connection reset.
    expect(kinds('Service')).toHaveLength(7);
    expect(kinds('Gateway')).toHaveLength(1);
    expect(server.log.filter((l) => l.path === '/api/v1/services').map((l) => l.status)).toEqual([500, 200, 200, 200, 200]);

    // Preferred / first-serving version per kind; kind/apiVersion set on list items (the API omits them).
    expect(kinds('Gateway')[0]!.object['apiVersion']).toBe(`${GW}/v1`);
    expect(kinds('ReferenceGrant')[0]!.object['apiVersion']).toBe(`${GW}/v1beta1`);
    expect(kinds('TLSRoute')[0]!.object['apiVersion']).toBe(`${GW}/v1alpha2`);
    expect(kinds('XListenerSet')[0]!.object['apiVersion']).toBe('gateway.networking.x-k8s.io/v1alpha1');
    expect(kinds('GatewayClass')).toHaveLength(1);
    // Only Gateway API CRDs; the cert-manager CRD is filtered out.
    expect(kinds('CustomResourceDefinition').map((o) => (o.object['metadata'] as { name: string }).name)).not.toContain('certificates.cert-manager.io');
    expect(kinds('CustomResourceDefinition')).toHaveLength(10);

    // Controllers: envoy-gateway Deployment and Pod (matched by two selectors, kept once); the app Deployment never.
    expect(kinds('Deployment').map((o) => (o.object['metadata'] as { name: string }).name)).toEqual(['envoy-gateway']);
    expect(kinds('Pod')).toHaveLength(1);

    // Secrets: only the two referenced ones, by name; never a list; never the unreferenced one.
    expect(server.log.filter((l) => /secrets$/.test(l.path))).toEqual([]);
    const secretGets = server.log.filter((l) => l.path.includes('/secrets/')).map((l) => l.path);
    expect(secretGets.sort()).toEqual(['/api/v1/namespaces/apps/secrets/app-tls', '/api/v1/namespaces/infra/secrets/gw-tls', '/api/v1/namespaces/tools/secrets/missing-tls']);
    expect(live.reducedSecrets.map((s) => `${s.secret.metadata.namespace}/${s.secret.metadata.name}`)).toEqual(['apps/app-tls', 'infra/gw-tls']);
    expect(kinds('Secret')).toEqual([]); // raw Secrets are never handed on
    const gwTls = live.reducedSecrets.find((s) => s.secret.metadata.name === 'gw-tls')!.secret;
    expect(gwTls.dataKeys).toEqual(['tls.crt', 'tls.key']);
    expect(gwTls.certificateMetadata['tls.crt']?.status).toBe('valid');
    expect(JSON.stringify(live)).not.toMatch(/PRIVATE KEY/);
    expect(live.warnings.some((w) => w.code === 'LIVE_REFERENCED_OBJECT_MISSING' && w.message.includes('tools/missing-tls'))).toBe(true);

    // CA ConfigMaps by name only.
    expect(kinds('ConfigMap').map((o) => (o.object['metadata'] as { name: string }).name).sort()).toEqual(['backend-ca', 'client-ca']);
    expect(server.log.some((l) => /configmaps$/.test(l.path))).toBe(false);

    // Sources: one per list with apiVersion, kind, resourceVersion and object count.
    const httpSrc = live.input.sources.find((s) => s.name === `/apis/${GW}/v1/httproutes`)!;
    expect(httpSrc).toMatchObject({ apiVersion: `${GW}/v1`, kind: 'HTTPRouteList', objects: 5 });
    expect(httpSrc.resourceVersion).toMatch(/^\d+$/);
    for (const s of live.input.sources) expect(s.resourceVersion, s.name).toMatch(/^\d+$/);

    expect(live.cluster.serverVersion).toBe('v1.33.2');
    expect(live.cluster.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(live.cluster.context).toBe('fake');
  });

  it('fails with a clear error when the credentials are rejected (401), without a bundle of gaps', async () => {
    const kc = loadKubeConfigFile(server.anonymousKubeconfigPath);
    const err = await readLive({ kubeConfig: kc, retry: fast, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/rejected the credentials \(HTTP 401\) of context "fake"/);
    // A failing exec credential plugin stops the capture too, naming the plugin's error.
    const exec = loadKubeConfigFile(server.anonymousKubeconfigPath);
    exec.users[0] = { name: 'collector', source: server.anonymousKubeconfigPath, exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'false', args: [], env: [], provideClusterInfo: false, interactiveMode: 'Never' } };
    const execErr = await readLive({ kubeConfig: exec, retry: fast, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(execErr).toBeInstanceOf(InputError);
    expect((execErr as Error).message).toMatch(/cannot get credentials from the kubeconfig/);
  });

  it('limits namespaced lists to --namespace and drops --exclude-namespace objects', async () => {
    const kc = loadKubeConfigFile(server.kubeconfigPath);
    const before = server.log.length;
    const live = await readLive({ kubeConfig: kc, namespaces: ['apps', 'infra'], excludeNamespaces: ['infra'], retry: fast, sleep: async () => undefined });
    const paths = server.log.slice(before).map((l) => l.path);
    const nss = new Set(live.input.objects.filter((o) => o.object['kind'] !== 'Deployment' && o.object['kind'] !== 'Pod').map((o) => (o.object['metadata'] as { namespace?: string }).namespace).filter((n) => n !== undefined));
    expect([...nss]).toEqual(['apps']);
    // Controllers are outside the routing scope: still found (only --exclude-namespace drops them).
    expect(live.input.objects.filter((o) => o.object['kind'] === 'Deployment').map((o) => (o.object['metadata'] as { namespace: string }).namespace)).toEqual(['envoy-gateway-system']);
    const excluded = await readLive({ kubeConfig: kc, excludeNamespaces: ['envoy-gateway-system'], controllerNamespaces: ['envoy-gateway-system'], retry: fast, sleep: async () => undefined });
    expect(excluded.input.objects.filter((o) => o.object['kind'] === 'Deployment')).toEqual([]);
    expect(server.log.some((l) => l.path === '/apis/apps/v1/namespaces/envoy-gateway-system/deployments')).toBe(true);
    // Secrets referenced from an out-of-scope namespace are not read, with a warning.
    expect(live.warnings.some((w) => w.code === 'LIVE_REFERENCE_OUT_OF_SCOPE')).toBe(false);
    const mark = server.log.length;
    const infraOnly = await readLive({ kubeConfig: kc, namespaces: ['infra'], retry: fast, sleep: async () => undefined });
    expect(infraOnly.warnings.find((w) => w.code === 'LIVE_REFERENCE_OUT_OF_SCOPE')?.message).toMatch(/Secret apps\/app-tls referenced by Gateway infra\/shared is outside the collection scope/);
    expect(server.log.slice(mark).some((l) => l.path.endsWith('/secrets/app-tls'))).toBe(false);
    expect(infraOnly.reducedSecrets.map((x) => x.secret.metadata.name)).toEqual(['gw-tls']);
    expect(paths).toContain(`/apis/${GW}/v1/namespaces/apps/httproutes`);
    expect(paths).not.toContain(`/apis/${GW}/v1/httproutes`);
    expect(live.input.objects.filter((o) => o.object['kind'] === 'Namespace').map((o) => (o.object['metadata'] as { name: string }).name)).toEqual(['apps']);
  });

  it('a request that never answers times out, is retried, and becomes a gap; the deadline stops everything', async () => {
    const hang = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects, faults: [{ path: '/api/v1/services', kind: 'hang', times: 10 }] });
    try {
      const kc = loadKubeConfigFile(hang.kubeconfigPath);
      const t0 = Date.now();
      const live = await readLive({ kubeConfig: kc, requestTimeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => undefined });
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(live.gaps).toHaveLength(1);
      expect(live.gaps[0]).toMatchObject({ kind: 'Service', apiVersion: 'v1' });
      expect(live.gaps[0]!.message).toMatch(/no complete response within 150 ms/);
      expect(hang.log.filter((l) => l.path === '/api/v1/services')).toHaveLength(2);

      // An overall deadline already passed: every read is a gap, and nothing hangs.
      let t = 0;
      const late = await readLive({ kubeConfig: kc, deadlineMs: 10, clockMs: () => (t += 20), retry: fast, sleep: async () => undefined });
      expect(late.gaps.length).toBeGreaterThan(0);
      expect(late.gaps.every((g) => /deadline/.test(g.message))).toBe(true);
      expect(late.input.objects).toEqual([]);
    } finally {
      await hang.close();
    }
  });
});

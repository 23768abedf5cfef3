/**
 * Issue 4 requirements not covered elsewhere, each against the fake API server: controllers found by
 * --controller-selector/--controller-namespace (and the warning for an unknown controllerName), the page
 * size reaching the server as `limit`, Retry-After as an HTTP-date honoured end to end, and the signing
 * key (a mounted Secret in the CronJob) never entering the bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadKubeConfigFile, type KubeConfig } from '../../src/collector/live/kubeconfig-model.ts';
import { readLive } from '../../src/collector/live/source.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { memoryIO } from '../helpers/io.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';

const GW = 'gateway.networking.k8s.io';
const servers: FakeApiServer[] = [];
let objects: Record<string, unknown>[];
let dir: string;

/** A private controller no well-known label table knows. */
const privateController: Record<string, unknown>[] = [
  { apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: { name: 'private' }, spec: { controllerName: 'example.com/private-controller' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'private-system' } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'private-gw', namespace: 'private-system', labels: { 'example.com/component': 'gateway-controller' } },
    spec: { selector: { matchLabels: { app: 'private-gw' } }, template: { metadata: { labels: { app: 'private-gw' } }, spec: { containers: [{ name: 'c', image: 'registry.example.com/private-gw:2.0.1' }] } } },
  },
  // Same label elsewhere: only found when --controller-namespace does not limit the lookup.
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'decoy', namespace: 'apps', labels: { 'example.com/component': 'gateway-controller' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } } },
];

beforeAll(() => {
  const t = makeTls('x.example.com', 'ec');
  objects = [...makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }), ...privateController];
  dir = mkdtempSync(join(tmpdir(), 'gwe-live-checks-'));
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function start(faults: Parameters<typeof startFakeApiServer>[0]['faults'] = []): Promise<{ server: FakeApiServer; kc: KubeConfig }> {
  const server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects, faults });
  servers.push(server);
  const kc = loadKubeConfigFile(server.kubeconfigPath);
  return { server, kc };
}
const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const names = (live: Awaited<ReturnType<typeof readLive>>, kind: string): string[] =>
  live.input.objects.filter((o) => o.object['kind'] === kind).map((o) => `${(o.object['metadata'] as { namespace?: string }).namespace}/${(o.object['metadata'] as { name: string }).name}`).sort();

describe('controllers', () => {
  it('an unknown controllerName is a warning naming --controller-selector; well-known labels still find Envoy Gateway', async () => {
    const { kc } = await start();
    const live = await readLive({ kubeConfig: kc, retry: fast, sleep: async () => undefined });
    expect(live.warnings.find((w) => w.code === 'LIVE_CONTROLLER_UNKNOWN')?.message).toMatch(/"example\.com\/private-controller" is not a known implementation; use --controller-selector/);
    expect(names(live, 'Deployment')).toEqual(['envoy-gateway-system/envoy-gateway']);
  });

  it('--controller-selector finds it, --controller-namespace limits where (one list per namespace)', async () => {
    const { server, kc } = await start();
    const all = await readLive({ kubeConfig: kc, controllerSelectors: ['example.com/component=gateway-controller'], retry: fast, sleep: async () => undefined });
    expect(names(all, 'Deployment')).toEqual(['apps/decoy', 'envoy-gateway-system/envoy-gateway', 'private-system/private-gw']);
    expect(all.warnings.some((w) => w.code === 'LIVE_CONTROLLER_UNKNOWN')).toBe(false);

    const mark = server.log.length;
    const scoped = await readLive({ kubeConfig: kc, controllerSelectors: ['example.com/component=gateway-controller'], controllerNamespaces: ['private-system'], retry: fast, sleep: async () => undefined });
    expect(names(scoped, 'Deployment')).toEqual(['private-system/private-gw']);
    const deploymentLists = server.log.slice(mark).filter((l) => l.path.endsWith('/deployments'));
    expect(new Set(deploymentLists.map((l) => l.path))).toEqual(new Set(['/apis/apps/v1/namespaces/private-system/deployments']));
    expect(deploymentLists.some((l) => l.query['labelSelector'] === 'example.com/component=gateway-controller')).toBe(true);
  });
});

describe('how it reads', () => {
  it('--page-size is the `limit` of every list request, and pages are followed', async () => {
    const { server } = await start();
    const key = join(dir, 'k.pem');
    writeFileSync(key, privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))));
    const io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--kubeconfig', server.kubeconfigPath, '--out', 'paged.tar.gz', '--key', key, '--page-size', '2', '--quiet'], io)).toBe(0);
    const lists = server.log.filter((l) => l.query['limit'] !== undefined);
    expect(lists.length).toBeGreaterThan(10);
    expect(lists.every((l) => l.query['limit'] === '2')).toBe(true);
    expect(server.log.filter((l) => l.path === `/apis/${GW}/v1/httproutes`).map((l) => l.query['continue'] !== undefined)).toEqual([false, true, true]);
  });

  it('Retry-After as an HTTP-date is waited for (not the short backoff)', async () => {
    const { kc } = await start([{ path: `/apis/${GW}/v1/gateways`, kind: 429, retryAfter: () => new Date(Date.now() + 3000).toUTCString() }]);
    const sleeps: number[] = [];
    const live = await readLive({ kubeConfig: kc, retry: fast, sleep: async (ms) => void sleeps.push(ms) });
    expect(live.gaps).toEqual([]);
    // The date has one-second resolution: 2-3 s remain when the header is read.
    expect(sleeps.some((ms) => ms >= 1000 && ms <= 3000)).toBe(true);
  });
});

describe('signing key', () => {
  it('the collector signing key (PEM, base64 body, raw bytes) never enters the live bundle', async () => {
    const { server } = await start();
    const pem = privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n))));
    const key = join(dir, 'signer.pem');
    writeFileSync(key, pem, { mode: 0o600 });
    const io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--kubeconfig', server.kubeconfigPath, '--out', 'signed.tar.gz', '--key', key, '--quiet'], io)).toBe(0);
    const gz = readFileSync(join(dir, 'signed.tar.gz'));
    const tar = gunzipSync(gz);
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    const seed = der.subarray(der.length - 32); // PKCS#8 ed25519: the 32-byte seed is last
    for (const [name, bytes] of [['PEM', Buffer.from(pem.trim())], ['base64 body', Buffer.from(body)], ['DER', der], ['seed', seed], ['seed hex', Buffer.from(seed.toString('hex'))], ['seed base64', Buffer.from(seed.toString('base64'))]] as const) {
      expect(tar.includes(bytes), `${name} of the signing key found in the bundle`).toBe(false);
    }
    expect(tar.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
  });
});

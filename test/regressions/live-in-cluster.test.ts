// Live capture in a Pod: in-cluster config was only taken when /var/run/secrets/.../token existed (the
// KUBERNETES_SERVICE_HOST/PORT variables were not checked, giving "https://undefined:undefined"), it
// could not be tested, and a token file ending in a newline (client-go trims it) made every request fail
// with an invalid Authorization header. Now: host/port + token file, the directory injectable, token trimmed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLive } from '../../src/collector/live/source.ts';
import { UsageError } from '../../src/errors.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from '../live/fixtures.ts';

let server: FakeApiServer;
let sa: string;
let home: string;
const fast = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  sa = mkdtempSync(join(tmpdir(), 'gwe-sa-'));
  writeFileSync(join(sa, 'token'), `${TOKEN}\n`);
  writeFileSync(join(sa, 'ca.crt'), server.caPem);
  writeFileSync(join(sa, 'namespace'), 'gateway-evidence');
  home = mkdtempSync(join(tmpdir(), 'gwe-sa-home-')); // no ~/.kube/config
});
afterAll(async () => {
  await server?.close();
});

it('uses the service account token and CA with KUBERNETES_SERVICE_HOST/PORT when there is no kubeconfig', async () => {
  const env = { HOME: home, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(server.port) };
  const lines: string[] = [];
  const live = await readLive({ env, serviceAccountDir: sa, retry: fast, sleep: async () => undefined, onDebug: (l) => lines.push(l) });
  expect(live.gaps).toEqual([]);
  expect(live.cluster.context).toBe('inClusterContext');
  expect(live.reducedSecrets.length).toBe(2);
  expect(lines[0]).toMatch(/^kubeconfig: in-cluster service account .*gwe-sa-.*, context "inClusterContext", server https:\/\/127\.0\.0\.1:\d+$/);
  expect(server.log.every((l) => l.authorized)).toBe(true);
});

it('a token file alone (no KUBERNETES_SERVICE_HOST) is not a cluster: usage error naming both', async () => {
  const err = await readLive({ env: { HOME: home }, serviceAccountDir: sa }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(/not a Pod with a service account \(KUBERNETES_SERVICE_HOST\/PORT and .*gwe-sa-.*\/token\)/);
});

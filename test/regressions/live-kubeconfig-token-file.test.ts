// Live capture: a kubeconfig user with `tokenFile` (client-go's field; client-node only knows a
// non-standard `token-file`) was sent with no credentials, so the capture failed with 401. Now the file is
// read (relative to the kubeconfig's directory, trailing newline trimmed) and re-read every minute.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLive } from '../../src/collector/live/source.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from '../live/fixtures.ts';

let server: FakeApiServer;
let dir: string;

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  dir = mkdtempSync(join(tmpdir(), 'gwe-token-file-'));
});
afterAll(async () => {
  await server?.close();
});

it('sends the token from a kubeconfig tokenFile (relative to the kubeconfig)', async () => {
  mkdirSync(join(dir, 'kube'));
  writeFileSync(join(dir, 'kube', 'token'), `${TOKEN}\n`);
  const cfg = JSON.parse(readFileSync(server.anonymousKubeconfigPath, 'utf8')) as Record<string, any>;
  cfg['users'][0]['user'] = { tokenFile: 'token' };
  writeFileSync(join(dir, 'kube', 'config'), JSON.stringify(cfg));
  const before = server.log.length;
  const live = await readLive({ kubeconfigPath: join(dir, 'kube', 'config'), env: {}, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  expect(live.gaps).toEqual([]);
  expect(server.log.slice(before).every((l) => l.authorized)).toBe(true);
  expect(live.reducedSecrets).toHaveLength(2);
});

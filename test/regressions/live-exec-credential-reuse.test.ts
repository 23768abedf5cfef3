// Live capture: with an exec plugin whose ExecCredential has no expirationTimestamp, client-node ran the
// plugin again for EVERY request (39 runs for the small fixture cluster; seconds each for some cloud
// plugins). Now the credential is reused, and a 401 on a reused credential runs the plugin again once, as
// client-go does.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLive } from '../../src/collector/live/source.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, makeObjects, makeTls } from '../live/fixtures.ts';

let server: FakeApiServer;
let dir: string;
let valid = 'token-a';

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  server = await startFakeApiServer({ token: 'unused', acceptToken: (tok) => tok === valid, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  dir = mkdtempSync(join(tmpdir(), 'gwe-exec-reuse-'));
});
afterAll(async () => {
  await server?.close();
});

/** A kubeconfig whose exec plugin prints the token in `tokenFile` (no expirationTimestamp) and logs each run. */
function setup(name: string): { kubeconfigPath: string; calls: () => number; tokenFile: string } {
  const calls = join(dir, `${name}.calls`);
  const tokenFile = join(dir, `${name}.token`);
  writeFileSync(calls, '');
  writeFileSync(tokenFile, valid);
  const plugin = join(dir, `${name}.sh`);
  writeFileSync(plugin, `#!/bin/sh\necho run >> '${calls}'\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat '${tokenFile}')"\n`);
  chmodSync(plugin, 0o755);
  const cfg = JSON.parse(readFileSync(server.anonymousKubeconfigPath, 'utf8')) as Record<string, any>;
  cfg['users'][0]['user'] = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } };
  const kubeconfigPath = join(dir, `${name}.yaml`);
  writeFileSync(kubeconfigPath, JSON.stringify(cfg));
  return { kubeconfigPath, tokenFile, calls: () => readFileSync(calls, 'utf8').split('\n').filter((l) => l !== '').length };
}

it('runs the plugin once for a whole capture', async () => {
  const s = setup('once');
  const live = await readLive({ kubeconfigPath: s.kubeconfigPath, env: {}, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  expect(live.gaps).toEqual([]);
  expect(live.requests).toBeGreaterThan(30);
  expect(s.calls()).toBe(1);
});

it('a 401 on the reused credential runs the plugin again and the capture goes on', async () => {
  const s = setup('rotate');
  let rotated = false;
  const live = await readLive({
    kubeconfigPath: s.kubeconfigPath,
    env: {},
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    onProgress: (p) => {
      if (!rotated && p.step === 'GatewayClass') {
        // The server rotates: the old token is now rejected, the plugin hands out the new one.
        rotated = true;
        valid = 'token-b';
        writeFileSync(s.tokenFile, valid);
      }
    },
  });
  expect(rotated).toBe(true);
  expect(live.gaps).toEqual([]);
  expect(s.calls()).toBe(2);
  expect(server.log.filter((l) => l.status === 401)).toHaveLength(1);
});

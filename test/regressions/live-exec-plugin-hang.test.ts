// Live capture: an exec credential plugin that never exits (e.g. waiting for an interactive login) hung
// the capture forever: client-node (used then) spawned it with no time limit, before our per-request timer started.
// Now credentials are bounded by the per-request timeout and the deadline, and the capture stops with an
// error naming the cause. An exec plugin that exits non-zero without output gave an empty message.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKubeConfig, type KubeConfig } from '../../src/collector/live/kubeconfig-model.ts';
import { readLive } from '../../src/collector/live/source.ts';
import { InputError } from '../../src/errors.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from '../live/fixtures.ts';

let server: FakeApiServer;
let dir: string;

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  dir = mkdtempSync(join(tmpdir(), 'gwe-exec-hang-'));
});
afterAll(async () => {
  await server?.close();
});

function execConfig(script: string): KubeConfig {
  const file = join(dir, `plugin-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  const cfg = JSON.parse(readFileSync(server.anonymousKubeconfigPath, 'utf8')) as Record<string, any>;
  cfg['users'][0]['user'] = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: file, interactiveMode: 'Never' } };
  return parseKubeConfig(JSON.stringify(cfg), join(dir, 'kubeconfig'));
}

it('a plugin that never answers stops the capture within the request timeout', async () => {
  const t0 = Date.now();
  const err = await readLive({ kubeConfig: execConfig('exec sleep 5'), requestTimeoutMs: 300, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e: unknown) => e);
  expect(Date.now() - t0).toBeLessThan(3000);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(/cannot get credentials from the kubeconfig: no credentials within 300 ms/);
});

it('a plugin that exits non-zero without output is named as such', async () => {
  const err = await readLive({ kubeConfig: execConfig('exit 3'), retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(/cannot get credentials from the kubeconfig: exec plugin ".*plugin-.*\.sh" \(user "collector"\) exited with code 3 and wrote nothing on stderr/);
});

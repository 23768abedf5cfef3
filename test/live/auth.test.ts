/**
 * Credentials from the kubeconfig through @kubernetes/client-node: a bearer token (the fake server's
 * kubeconfig; a kubeconfig tokenFile is in test/regressions/live-kubeconfig-token-file.test.ts) and an exec credential plugin (a script printing an ExecCredential, as
 * `aws eks get-token` or `kubelogin` do), end to end against the fake API server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLive } from '../../src/collector/live/source.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';

let server: FakeApiServer;
let dir: string;
const fast = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  dir = mkdtempSync(join(tmpdir(), 'gwe-live-auth-'));
});
afterAll(async () => {
  await server?.close();
});

/** A kubeconfig file for the fake server with the given user entry. */
function kubeconfigWith(name: string, user: Record<string, unknown>): string {
  const cfg = JSON.parse(readFileSync(server.anonymousKubeconfigPath, 'utf8')) as Record<string, any>;
  cfg['users'][0]['user'] = user;
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(cfg), { mode: 0o600 });
  return file;
}

describe('credentials', () => {
  it('exec plugin: the ExecCredential token is sent on every request, the plugin gets its args and env, and runs once while the credential is valid', async () => {
    const calls = join(dir, 'calls.txt');
    const plugin = join(dir, 'get-token.sh');
    writeFileSync(plugin, [
      '#!/bin/sh',
      `echo "$1 $GWE_TEST_AUDIENCE" >> '${calls}'`,
      `printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${TOKEN}","expirationTimestamp":"2099-01-01T00:00:00Z"}}'`,
      '',
    ].join('\n'));
    chmodSync(plugin, 0o755);
    const kubeconfigPath = kubeconfigWith('exec.yaml', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, args: ['token'], env: [{ name: 'GWE_TEST_AUDIENCE', value: 'fake' }], interactiveMode: 'Never' },
    });
    const before = server.log.length;
    const live = await readLive({ kubeconfigPath, env: {}, retry: fast, sleep: async () => undefined });
    expect(live.gaps).toEqual([]);
    expect(live.input.objects.some((o) => o.object['kind'] === 'HTTPRoute')).toBe(true);
    const mine = server.log.slice(before);
    expect(mine.length).toBeGreaterThan(20);
    expect(mine.every((l) => l.authorized)).toBe(true);
    expect(existsSync(calls)).toBe(true);
    expect(readFileSync(calls, 'utf8')).toBe('token fake\n'); // once: cached until expirationTimestamp
  });
});

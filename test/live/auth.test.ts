/**
 * Credentials and TLS from the kubeconfig (src/collector/live/auth.ts): end to end against the fake API
 * server (an exec credential plugin, as `aws eks get-token` or `kubelogin` are; a bearer token is the fake
 * server's own kubeconfig; a tokenFile is in test/regressions/live-kubeconfig-token-file.test.ts), and
 * request by request against a local HTTPS server with a test CA (tls-server.ts): CA file and data,
 * tls-server-name, insecure-skip-tls-verify, client certificates, basic auth, impersonation, OIDC id-tokens,
 * the removed auth-providers, proxy-url.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLive } from '../../src/collector/live/source.ts';
import { ApiError, KubeClient } from '../../src/collector/live/client.ts';
import { parseKubeConfig, type KubeConfig } from '../../src/collector/live/kubeconfig-model.ts';
import { InputError } from '../../src/errors.ts';
import { makePki, startConnectProxy, startTlsServer, type SeenRequest, type TestServer } from './tls-server.ts';
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

// ---- Request by request, against a local HTTPS server that checks client certificates (tls-server.ts).

const pki = makePki();
const accepted: Array<(r: SeenRequest) => boolean> = [];
let tls: TestServer;
let sniServer: TestServer;
beforeAll(async () => {
  tls = await startTlsServer(pki, (r) => accepted.every((f) => f(r)));
  sniServer = await startTlsServer(pki, () => true, { sniOnly: true });
});
afterAll(async () => {
  await tls?.close();
  await sniServer?.close();
});

/** A one-context kubeconfig (file `name` in the test directory) for the local TLS server. */
function config(cluster: Record<string, unknown>, user: Record<string, unknown>, name = 'kc.yaml'): KubeConfig {
  const file = join(pki.dir, name);
  const text = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: tls.url, ...cluster } }],
    users: [{ name: 'me', user }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'me' } }],
    'current-context': 'local',
  });
  writeFileSync(file, text);
  return parseKubeConfig(text, file);
}
const caData = (): string => Buffer.from(pki.caPem).toString('base64');

async function version(kc: KubeConfig, server: TestServer = tls): Promise<{ body: Record<string, unknown>; seen: SeenRequest }> {
  const client = new KubeClient({ kubeConfig: kc, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, requestTimeoutMs: 5000 });
  try {
    const before = server.seen.length;
    const body = await client.getJSON('/version');
    return { body, seen: server.seen[before]! };
  } finally {
    client.close();
  }
}
const failure = (p: Promise<unknown>): Promise<Error> => p.then(() => new Error('expected a failure'), (e: unknown) => e as Error);

describe('cluster TLS', () => {
  it('verifies the server against certificate-authority-data, or a certificate-authority file (relative to the kubeconfig)', async () => {
    expect((await version(config({ 'certificate-authority-data': caData() }, {}))).body['gitVersion']).toBe('v1.33.2');
    expect((await version(config({ 'certificate-authority': 'ca.crt' }, {}))).body['gitVersion']).toBe('v1.33.2');
  });

  it('refuses a server its CA did not sign (no silent fallback to no verification)', async () => {
    const other = readFileSync(join(pki.dir, 'other-ca.crt'));
    const err = await failure(version(config({ 'certificate-authority-data': other.toString('base64') }, {})));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toMatch(/certificate|self[- ]signed|unable to verify/i);
  });

  it('tls-server-name: checks the certificate against that name instead of the address', async () => {
    const cluster = { server: sniServer.url, 'certificate-authority-data': caData() };
    const without = await failure(version(config(cluster, {}), sniServer));
    expect(without.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list|altnames/);
    expect((await version(config({ ...cluster, 'tls-server-name': 'kube.test' }, {}), sniServer)).body['gitVersion']).toBe('v1.33.2');
  });

  it('insecure-skip-tls-verify connects without a CA, and the capture records a LIVE_TLS_INSECURE warning', async () => {
    expect((await version(config({ 'insecure-skip-tls-verify': true }, {}))).body['gitVersion']).toBe('v1.33.2');
    const cfg = JSON.parse(readFileSync(server.kubeconfigPath, 'utf8')) as Record<string, any>;
    delete cfg['clusters'][0]['cluster']['certificate-authority-data'];
    cfg['clusters'][0]['cluster']['insecure-skip-tls-verify'] = true;
    const file = join(dir, 'insecure.yaml');
    writeFileSync(file, JSON.stringify(cfg));
    const live = await readLive({ kubeconfigPath: file, env: {}, retry: fast, sleep: async () => undefined });
    expect(live.gaps).toEqual([]);
    expect(live.warnings.filter((w) => w.code === 'LIVE_TLS_INSECURE')).toEqual([
      { code: 'LIVE_TLS_INSECURE', message: `cluster "fake" sets insecure-skip-tls-verify: the API server's certificate was not verified, so this capture cannot show it came from ${server.url}` },
    ]);
  });

  it('proxy-url: an http:// proxy tunnels the TLS connection (CONNECT, with its user:password)', async () => {
    const proxy = await startConnectProxy();
    try {
      const u = new URL(proxy.url);
      u.username = 'gwe';
      u.password = 's3cret';
      const r = await version(config({ 'certificate-authority-data': caData(), 'proxy-url': u.toString() }, { token: 'via-proxy' }));
      expect(r.body['gitVersion']).toBe('v1.33.2');
      expect(r.seen.authorization).toBe('Bearer via-proxy');
      expect(proxy.tunnels).toEqual([{ target: `127.0.0.1:${tls.port}`, auth: `Basic ${Buffer.from('gwe:s3cret').toString('base64')}` }]);
    } finally {
      await proxy.close();
    }
  });
});

describe('user credentials', () => {
  it('client-certificate-data / client-key-data, and client-certificate / client-key files relative to the kubeconfig', async () => {
    const data = await version(config({ 'certificate-authority-data': caData() }, { 'client-certificate-data': Buffer.from(pki.clientCertPem).toString('base64'), 'client-key-data': Buffer.from(pki.clientKeyPem).toString('base64') }));
    expect(data.seen.clientCN).toBe('alice');
    expect(data.seen.authorization).toBeUndefined();
    const files = await version(config({ 'certificate-authority': 'ca.crt' }, { 'client-certificate': 'client.crt', 'client-key': './client.key' }));
    expect(files.seen.clientCN).toBe('alice');
  });

  it('token and basic auth (username/password) become the Authorization header', async () => {
    expect((await version(config({ 'certificate-authority-data': caData() }, { token: 'abc.def' }))).seen.authorization).toBe('Bearer abc.def');
    const basic = await version(config({ 'certificate-authority-data': caData() }, { username: 'auditor', password: 'p:ss' }));
    expect(basic.seen.authorization).toBe(`Basic ${Buffer.from('auditor:p:ss').toString('base64')}`);
  });

  it('a tokenFile wins over token and is re-read after a minute (trimmed); token is the fallback when the file goes away', async () => {
    const tokenFile = join(pki.dir, 'rotating.token');
    writeFileSync(tokenFile, 'from-file-1\n');
    let t = 1_000_000;
    const kc = config({ 'certificate-authority-data': caData() }, { token: 'inline', tokenFile: 'rotating.token' });
    const client = new KubeClient({ kubeConfig: kc, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, now: () => t });
    try {
      const auth = async (): Promise<string | undefined> => {
        const before = tls.seen.length;
        await client.getJSON('/version');
        return tls.seen[before]!.authorization;
      };
      expect(await auth()).toBe('Bearer from-file-1');
      writeFileSync(tokenFile, 'from-file-2\n');
      t += 30_000;
      expect(await auth()).toBe('Bearer from-file-1'); // not re-read within the minute
      t += 30_000;
      expect(await auth()).toBe('Bearer from-file-2');
      rmSync(tokenFile);
      t += 60_000;
      expect(await auth()).toBe('Bearer from-file-2'); // a failed re-read keeps the last token (token_source.go)
    } finally {
      client.close();
    }
  });

  it('as / as-uid / as-groups / as-user-extra become Impersonate-* headers', async () => {
    const r = await version(config({ 'certificate-authority-data': caData() }, { token: 't', as: 'auditor', 'as-uid': '42', 'as-groups': ['g1', 'g2'], 'as-user-extra': { 'reason/why': ['audit'] } }));
    expect(r.seen.impersonate).toEqual({ 'impersonate-user': 'auditor', 'impersonate-uid': '42', 'impersonate-group': 'g1, g2', 'impersonate-extra-reason%2fwhy': 'audit' });
  });
});

describe('auth-provider', () => {
  const jwt = (claims: Record<string, unknown>): string => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  const oidc = (idToken: string): Record<string, unknown> => ({ 'auth-provider': { name: 'oidc', config: { 'idp-issuer-url': 'https://issuer.example', 'client-id': 'gwe', 'id-token': idToken, 'refresh-token': 'r' } } });

  it('oidc: a valid static id-token is sent as the bearer token', async () => {
    const token = jwt({ iss: 'https://issuer.example', exp: Math.floor(Date.now() / 1000) + 3600 });
    expect((await version(config({ 'certificate-authority-data': caData() }, oidc(token)))).seen.authorization).toBe(`Bearer ${token}`);
  });

  it('oidc: an expired id-token (or one without exp) is a clear error pointing at an exec plugin such as kubelogin; nothing is sent', async () => {
    const before = tls.seen.length;
    const expired = await failure(version(config({ 'certificate-authority-data': caData() }, oidc(jwt({ exp: Math.floor(Date.now() / 1000) - 60 })))));
    expect(expired).toBeInstanceOf(ApiError);
    expect(expired.message).toMatch(/cannot get credentials from the kubeconfig: user "me" \(kubeconfig ".*kc\.yaml"\): the oidc auth-provider's id-token expired at \d{4}-\d\d-\d\dT.*would need a refresh; gwe does not refresh OIDC tokens.*kubelogin/);
    const noExp = await failure(version(config({ 'certificate-authority-data': caData() }, oidc(jwt({ sub: 'x' })))));
    expect(noExp.message).toMatch(/id-token has no exp claim/);
    expect(tls.seen.length).toBe(before);
    const notJwt = await failure(version(config({ 'certificate-authority-data': caData() }, oidc('not-a-jwt'))));
    expect(notJwt).toBeInstanceOf(InputError);
    expect(notJwt.message).toMatch(/kubeconfig ".*kc\.yaml": user "me"\.auth-provider\.config\.id-token: expected a JWT/);
  });

  it('gcp and azure (removed from client-go) and unknown providers name their exec plugin replacement', async () => {
    const ap = (name: string): Record<string, unknown> => ({ 'auth-provider': { name, config: {} } });
    expect((await failure(version(config({}, ap('gcp'))))).message).toMatch(/gcp auth-provider was removed from client-go.*gke-gcloud-auth-plugin/);
    expect((await failure(version(config({}, ap('azure'))))).message).toMatch(/azure auth-provider was removed.*kubelogin/);
    expect((await failure(version(config({}, ap('openstack'))))).message).toMatch(/auth-provider "openstack" is not supported; use an exec credential plugin/);
  });
});

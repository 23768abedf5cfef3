/**
 * Live capture through proxies (src/collector/live/proxy.ts, client.ts), end to end against a local HTTPS
 * API server with a test CA (tls-server.ts) and real local proxies that count the tunnels they carry
 * (proxies.ts: HTTP CONNECT and SOCKS5). Everything listens on 127.0.0.1; the server is addressed as
 * `kube.test` (in its certificate), which the proxies map to 127.0.0.1 and so does the client's injected
 * lookup for direct connections: loopback servers are never proxied from the environment (httpproxy useProxy),
 * so a name is needed to see HTTPS_PROXY at work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookup as dnsLookup } from 'node:dns';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { ApiError, KubeClient } from '../../src/collector/live/client.ts';
import { collectLive } from '../../src/collector/live/collect-live.ts';
import { parseKubeConfig, type KubeConfig } from '../../src/collector/live/kubeconfig-model.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { InputError } from '../../src/errors.ts';
import { makePki, startTlsServer, type TestServer } from './tls-server.ts';
import { startConnectProxy, startSocks5Proxy, type TestProxy } from './proxies.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

const pki = makePki();
const HOSTS = { 'kube.test': '127.0.0.1', 'api.kube.test': '127.0.0.1' };
let tls: TestServer;
let http: TestProxy;
let other: TestProxy;
let socks: TestProxy;
let socksAuth: TestProxy;

beforeAll(async () => {
  tls = await startTlsServer(pki, () => true);
  http = await startConnectProxy({ hosts: HOSTS });
  other = await startConnectProxy({ hosts: HOSTS });
  socks = await startSocks5Proxy({ hosts: HOSTS });
  socksAuth = await startSocks5Proxy({ hosts: HOSTS, user: 'gwe', password: 's3cret' });
});
afterAll(async () => {
  for (const p of [http, other, socks, socksAuth]) await p?.close();
  await tls?.close();
});

/** The client's "hosts file" for direct connections (a test name is not in DNS). */
const lookup = ((hostname: string, options: unknown, cb: (...a: unknown[]) => void) => {
  const address = (HOSTS as Record<string, string>)[hostname];
  if (address === undefined) return dnsLookup(hostname, options as never, cb as never);
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  if (all) cb(null, [{ address, family: 4 }]);
  else cb(null, address, 4);
}) as LookupFunction;

const caData = (ca = pki.caPem): string => Buffer.from(ca).toString('base64');

function config(cluster: Record<string, unknown>, user: Record<string, unknown> = { token: 't' }): KubeConfig {
  const file = join(pki.dir, 'proxy-kc.yaml');
  const text = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: `https://kube.test:${tls.port}`, 'certificate-authority-data': caData(), ...cluster, ...(cluster['server'] === 'API' ? { server: `https://api.kube.test:${tls.port}`, 'tls-server-name': 'kube.test' } : {}) } }],
    users: [{ name: 'me', user }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'me' } }],
    'current-context': 'local',
  });
  writeFileSync(file, text);
  return parseKubeConfig(text, file);
}

/** GET /version; returns what each proxy carried during the call and whether the server saw the request. */
async function version(kc: KubeConfig, env: Record<string, string>): Promise<{ gitVersion: unknown; tunnels: Record<string, number>; reached: boolean; client: KubeClient }> {
  const before = { http: http.tunnels.length, other: other.tunnels.length, socks: socks.tunnels.length, socksAuth: socksAuth.tunnels.length };
  const seen = tls.seen.length;
  const client = new KubeClient({ kubeConfig: kc, env, lookup, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, requestTimeoutMs: 5000 });
  try {
    const body = await client.getJSON('/version');
    return {
      gitVersion: body['gitVersion'],
      tunnels: { http: http.tunnels.length - before.http, other: other.tunnels.length - before.other, socks: socks.tunnels.length - before.socks, socksAuth: socksAuth.tunnels.length - before.socksAuth },
      reached: tls.seen.length > seen,
      client,
    };
  } finally {
    client.close();
  }
}
const failure = (p: Promise<unknown>): Promise<Error> => p.then(() => new Error('expected a failure'), (e: unknown) => e as Error);
const NONE = { http: 0, other: 0, socks: 0, socksAuth: 0 };

/** A temporary directory with a signing key, and a fake API server holding a small Gateway capture. */
async function captureSetup(prefix: string): Promise<{ dir: string; keyFile: string; server: FakeApiServer }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const keyFile = join(dir, 'signer.pem');
  writeFileSync(keyFile, privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))), { mode: 0o600 });
  const t = makeTls('x.example.com', 'ec');
  const server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  return { dir, keyFile, server };
}

describe('HTTPS_PROXY / HTTP_PROXY from the environment (no proxy-url)', () => {
  it('HTTPS_PROXY carries the TLS connection to an https:// server, as a CONNECT to the server name', async () => {
    const r = await version(config({}), { HTTPS_PROXY: http.url });
    expect(r.gitVersion).toBe('v1.33.2');
    expect(r.tunnels).toEqual({ ...NONE, http: 1 });
    expect(http.tunnels.at(-1)).toEqual({ target: `kube.test:${tls.port}` });
    expect(r.client.transport.proxySource).toBe('HTTPS_PROXY');
  });

  it('https_proxy (lower case) too, and a value without a scheme means http://', async () => {
    const r = await version(config({}), { https_proxy: `127.0.0.1:${http.port}` });
    expect(r.tunnels).toEqual({ ...NONE, http: 1 });
    expect(r.client.transport.proxySource).toBe('https_proxy');
  });

  it('HTTP_PROXY alone is not used for an https:// server (httpproxy: only HTTPS_PROXY for https)', async () => {
    const r = await version(config({}), { HTTP_PROXY: http.url });
    expect(r.gitVersion).toBe('v1.33.2');
    expect(r.tunnels).toEqual(NONE);
    expect(r.reached).toBe(true);
  });

  it('HTTPS_PROXY=socks5://... goes through the SOCKS5 proxy', async () => {
    const r = await version(config({}), { HTTPS_PROXY: socks.url });
    expect(r.gitVersion).toBe('v1.33.2');
    expect(r.tunnels).toEqual({ ...NONE, socks: 1 });
  });
});

describe('proxy-url beats the environment', () => {
  it('a kubeconfig proxy-url is used and HTTPS_PROXY is not', async () => {
    const r = await version(config({ 'proxy-url': other.url }), { HTTPS_PROXY: http.url });
    expect(r.tunnels).toEqual({ ...NONE, other: 1 });
    expect(r.client.transport.proxySource).toBe('proxy-url');
  });

  it('a proxy-url also applies where NO_PROXY would not proxy (client-go: http.ProxyURL for every request)', async () => {
    const r = await version(config({ 'proxy-url': other.url }), { HTTPS_PROXY: http.url, NO_PROXY: '*' });
    expect(r.tunnels).toEqual({ ...NONE, other: 1 });
  });
});

describe('NO_PROXY, localhost and loopback bypass HTTPS_PROXY (a direct connection that succeeds)', () => {
  /** api.kube.test, checked against the certificate's kube.test name (tls-server-name). */
  const API = { server: 'API' };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a host name', {}, 'kube.test'],
    ['a domain, for its subdomain', API, 'kube.test'],
    ['a leading-dot suffix', API, '.kube.test'],
    ['a *. suffix', API, '*.kube.test'],
    ['a host with its port', {}, 'kube.test:PORT'],
    ['"*"', {}, '*'],
    ['one entry of a list, in any case', {}, ' example.com , KUBE.TEST '],
  ];
  for (const [what, cluster, noProxy] of cases) {
    it(`NO_PROXY ${what} (${JSON.stringify(noProxy)})`, async () => {
      const r = await version(config(cluster), { HTTPS_PROXY: http.url, NO_PROXY: noProxy.replace('PORT', String(tls.port)) });
      expect(r.gitVersion).toBe('v1.33.2');
      expect(r.tunnels).toEqual(NONE);
      expect(r.reached).toBe(true);
      expect(r.client.transport.proxy).toBeUndefined();
    });
  }

  it('no_proxy (lower case) when NO_PROXY is unset', async () => {
    const r = await version(config({}), { HTTPS_PROXY: http.url, no_proxy: 'kube.test' });
    expect(r.tunnels).toEqual(NONE);
  });

  it('localhost and 127.0.0.1 are never proxied, even with an empty NO_PROXY', async () => {
    for (const server of [`https://localhost:${tls.port}`, `https://127.0.0.1:${tls.port}`]) {
      const r = await version(config({ server }), { HTTPS_PROXY: http.url });
      expect(r.gitVersion).toBe('v1.33.2');
      expect(r.tunnels).toEqual(NONE);
    }
  });

  it('entries that do not match leave the proxy in use: another port, a partial label, a leading dot for the bare name, a CIDR for a name', async () => {
    for (const [cluster, noProxy] of [
      [{}, 'kube.test:1'],
      [{}, 'ube.test'],
      [{}, '.kube.test'],
      [{}, '127.0.0.0/8'],
    ] as Array<[Record<string, unknown>, string]>) {
      const r = await version(config(cluster), { HTTPS_PROXY: http.url, NO_PROXY: noProxy });
      expect(r.tunnels, noProxy).toEqual({ ...NONE, http: 1 });
    }
  });

  // A CIDR matches IP hosts only; a non-loopback IP server cannot be reached from a test that stays on
  // 127.0.0.1, so the client's decision is checked (client.transport: made before any connection).
  it('a CIDR entry sends an IP server direct (the client\'s decision), and only when it contains the IP', () => {
    const decide = (server: string, noProxy: string): URL | undefined => new KubeClient({ kubeConfig: config({ server }), env: { HTTPS_PROXY: http.url, NO_PROXY: noProxy } }).transport.proxy;
    expect(decide('https://10.20.30.40:6443', '10.0.0.0/8')).toBeUndefined();
    expect(decide('https://10.20.30.40:6443', '192.168.0.0/16,10.20.30.0/24')).toBeUndefined();
    expect(decide('https://10.20.30.40:6443', '192.168.0.0/16')?.href).toBe(`${http.url}/`);
    expect(decide('https://[2001:db8::10]:6443', '2001:db8::/32')).toBeUndefined();
    expect(decide('https://[2001:db8::10]:6443', '2001:db9::/32')?.href).toBe(`${http.url}/`);
  });
});

describe('SOCKS5 (proxy-url socks5:// and socks5h://)', () => {
  it('socks5 carries the request with the server certificate verified against the cluster CA, a client certificate and the host name sent to the proxy', async () => {
    for (const scheme of ['socks5', 'socks5h']) {
      const url = socksAuth.url.replace('socks5://', `${scheme}://gwe:s3cret@`);
      const before = tls.seen.length;
      const r = await version(config({ 'proxy-url': url }, { 'client-certificate-data': caData(pki.clientCertPem), 'client-key-data': caData(pki.clientKeyPem) }), {});
      expect(r.gitVersion).toBe('v1.33.2');
      expect(r.tunnels).toEqual({ ...NONE, socksAuth: 1 });
      // Go's SOCKS dialer sends the name, not a local resolution, for socks5 as for socks5h.
      expect(socksAuth.tunnels.at(-1)).toEqual({ target: `kube.test:${tls.port}`, addressType: 'domain', auth: 'gwe:s3cret' });
      expect(tls.seen[before]?.clientCN).toBe('alice');
    }
  });

  it('tls-server-name holds through socks5', async () => {
    const r = await version(config({ server: `https://api.kube.test:${tls.port}`, 'tls-server-name': 'kube.test', 'proxy-url': socks.url }), {});
    expect(r.gitVersion).toBe('v1.33.2');
    expect(socks.tunnels.at(-1)?.target).toBe(`api.kube.test:${tls.port}`);
  });

  it('a wrong CA still fails through socks5 (no verification is lost in the tunnel)', async () => {
    const before = socks.tunnels.length;
    const other = readFileSync(join(pki.dir, 'other-ca.crt'), 'utf8');
    const err = await failure(version(config({ 'proxy-url': socks.url, 'certificate-authority-data': caData(other) }), {}));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toMatch(/certificate|self[- ]signed|unable to verify/i);
    expect(socks.tunnels.length).toBe(before + 1);
  });

  it('a server name the certificate does not hold fails through socks5 too', async () => {
    const err = await failure(version(config({ server: `https://api.kube.test:${tls.port}`, 'proxy-url': socks.url }), {}));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toMatch(/api\.kube\.test|altnames|Hostname/i);
  });

  it('socks4 stays refused, naming the field', () => {
    expect(() => new KubeClient({ kubeConfig: config({ 'proxy-url': 'socks4://127.0.0.1:1080' }) })).toThrow(InputError);
    expect(() => new KubeClient({ kubeConfig: config({ 'proxy-url': 'socks4://127.0.0.1:1080' }) })).toThrow(/cluster "local"\.proxy-url: a socks4 proxy is not supported/);
    expect(() => new KubeClient({ kubeConfig: config({}), env: { HTTPS_PROXY: 'socks4://127.0.0.1:1080' } })).toThrow(/\$HTTPS_PROXY: a socks4 proxy is not supported/);
  });
});

describe('proxy credentials never reach an error, a log line or the bundle', () => {
  const SECRETS = ['s3cret', 'wr0ng-pass', Buffer.from('gwe:s3cret').toString('base64'), Buffer.from('gwe:wr0ng-pass').toString('base64')];
  const clean = (text: string): void => {
    for (const s of SECRETS) expect(text).not.toContain(s);
  };

  it('a CONNECT proxy that refuses the credentials (407): the error names the proxy without them', async () => {
    const guarded = await startConnectProxy({ hosts: HOSTS, requireAuth: `Basic ${Buffer.from('gwe:s3cret').toString('base64')}` });
    try {
      const u = new URL(guarded.url);
      u.username = 'gwe';
      u.password = 'wr0ng-pass';
      const err = await failure(version(config({ 'proxy-url': u.href }), {}));
      expect(err).toBeInstanceOf(ApiError);
      expect(err.message).toContain(`through proxy http://xxxxx@127.0.0.1:${guarded.port}/ (from the kubeconfig proxy-url)`);
      clean(err.message);
      clean(String(err.stack));
      expect(guarded.tunnels).toEqual([{ target: `kube.test:${tls.port}`, auth: `Basic ${Buffer.from('gwe:wr0ng-pass').toString('base64')}` }]);
    } finally {
      await guarded.close();
    }
  });

  it('a SOCKS5 proxy that refuses them, from $HTTPS_PROXY', async () => {
    const err = await failure(version(config({}), { HTTPS_PROXY: socksAuth.url.replace('socks5://', 'socks5://gwe:wr0ng-pass@') }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toContain(`through proxy socks5://xxxxx@127.0.0.1:${socksAuth.port} (from $HTTPS_PROXY)`);
    clean(err.message);
  });

  it('an unusable proxy-url or $HTTPS_PROXY with credentials is reported redacted', () => {
    for (const [cluster, env] of [
      [{ 'proxy-url': 'ftp://gwe:s3cret@proxy:21' }, {}],
      [{ 'proxy-url': 'http://gwe:s3cret@[bad' }, {}],
      [{}, { HTTPS_PROXY: 'http://gwe:s3cret@[bad' }],
      [{}, { HTTPS_PROXY: 'http://gwe:s3cret@proxy:3128/a/path' }],
    ] as Array<[Record<string, unknown>, Record<string, string>]>) {
      let message = '';
      try {
        new KubeClient({ kubeConfig: config(cluster), env });
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      clean(message);
    }
  });

  it('a whole capture through an authenticating proxy: the bundle and the --verbose lines hold no credential', async () => {
    const { dir, keyFile, server } = await captureSetup('gwe-live-proxy-');
    const guarded = await startConnectProxy({ requireAuth: `Basic ${Buffer.from('gwe:s3cret').toString('base64')}` });
    try {
      const cfg = JSON.parse(readFileSync(server.kubeconfigPath, 'utf8')) as Record<string, any>;
      cfg['clusters'][0]['cluster']['proxy-url'] = guarded.url.replace('http://', 'http://gwe:s3cret@');
      const kubeconfigPath = join(dir, 'kc.json');
      writeFileSync(kubeconfigPath, JSON.stringify(cfg), { mode: 0o600 });
      const lines: string[] = [];
      const out = join(dir, 'live.tar.gz');
      const result = await collectLive({ kubeconfigPath, env: {}, out, keyFile, capturedAt: '2026-11-01T10:00:00Z', cwd: dir, onDebug: (l) => lines.push(l), onWarning: (l) => lines.push(l) });
      expect(result.partial).toBe(false);
      expect(guarded.tunnels.length).toBeGreaterThan(0);
      expect(guarded.tunnels.every((x) => x.auth === `Basic ${Buffer.from('gwe:s3cret').toString('base64')}`)).toBe(true);
      expect(lines).toContain(`proxy: http://xxxxx@127.0.0.1:${guarded.port}/ (from the kubeconfig proxy-url)`);
      clean(lines.join('\n'));
      clean(JSON.stringify(result.record));
      const bytes = readFileSync(out);
      clean(gunzipSync(bytes).toString('latin1'));
      const archive = readArchive(new Uint8Array(bytes));
      expect(archive.fatal).toBe(false);
      expect(archive.files.size).toBeGreaterThan(5);
      for (const [name, data] of archive.files) {
        const text = Buffer.from(data).toString('latin1');
        for (const s of SECRETS) expect(text, name).not.toContain(s);
      }
    } finally {
      await guarded.close();
      await server.close();
    }
  });

  it('gwe collect takes HTTPS_PROXY from its environment (io.env), says which proxy with --verbose, and never its password', async () => {
    const { dir, keyFile, server } = await captureSetup('gwe-live-proxy-cli-');
    // The fake server's certificate names localhost: it is addressed as gwe-api.test (a name the proxy maps to
    // 127.0.0.1; a loopback address would never be proxied from the environment) and checked as localhost.
    const guarded = await startConnectProxy({ hosts: { 'gwe-api.test': '127.0.0.1' }, requireAuth: `Basic ${Buffer.from('gwe:s3cret').toString('base64')}` });
    try {
      const cfg = JSON.parse(readFileSync(server.kubeconfigPath, 'utf8')) as Record<string, any>;
      cfg['clusters'][0]['cluster']['server'] = `https://gwe-api.test:${server.port}`;
      cfg['clusters'][0]['cluster']['tls-server-name'] = 'localhost';
      const kubeconfigPath = join(dir, 'kc.json');
      writeFileSync(kubeconfigPath, JSON.stringify(cfg), { mode: 0o600 });
      const io = memoryIO({ cwd: dir, env: { HTTPS_PROXY: `gwe:s3cret@127.0.0.1:${guarded.port}`, NO_PROXY: 'example.com,10.0.0.0/8' } });
      const code = await main(['collect', '--kubeconfig', kubeconfigPath, '--out', 'cli.tar.gz', '--key', keyFile, '--captured-at', '2026-11-01T10:00:00Z', '--verbose'], io);
      expect(code, io.err()).toBe(0);
      expect(io.err()).toContain(`collect: proxy: http://xxxxx@127.0.0.1:${guarded.port}/ (from $HTTPS_PROXY)`);
      expect(guarded.tunnels.length).toBeGreaterThan(0);
      expect(guarded.tunnels.every((x) => x.target === `gwe-api.test:${server.port}`)).toBe(true);
      clean(io.err() + io.out());
      clean(gunzipSync(readFileSync(join(dir, 'cli.tar.gz'))).toString('latin1'));
    } finally {
      await guarded.close();
      await server.close();
    }
  });
});

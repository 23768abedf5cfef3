/**
 * Exec credential plugins (src/collector/live/exec-credential.ts) against a local HTTPS server with a test CA:
 * client.authentication.k8s.io v1 and v1beta1, caching until expirationTimestamp, KUBERNETES_EXEC_INFO with
 * and without provideClusterInfo, client certificates from the plugin, the time limit, a re-run after a 401
 * on a cached credential (once), interactiveMode, installHint, and malformed plugin output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, KubeClient } from '../../src/collector/live/client.ts';
import { parseKubeConfig, type KubeConfig } from '../../src/collector/live/kubeconfig-model.ts';
import { parseExecCredential } from '../../src/collector/live/exec-credential.ts';
import { InputError } from '../../src/errors.ts';
import { makePki, startTlsServer, type SeenRequest, type TestServer } from './tls-server.ts';

const pki = makePki();
let server: TestServer;
let accept: (r: SeenRequest) => boolean = () => true;
beforeAll(async () => {
  server = await startTlsServer(pki, (r) => accept(r));
});
afterAll(async () => {
  await server?.close();
});

let n = 0;
/** A plugin script; each run appends a line to its .calls file. Returns the kubeconfig and a run counter. */
function plugin(body: string, exec: Record<string, unknown> = {}, cluster: Record<string, unknown> = {}): { kc: KubeConfig; runs: () => number; name: string } {
  const name = `plugin-${++n}`;
  const script = join(pki.dir, `${name}.sh`);
  const calls = join(pki.dir, `${name}.calls`);
  writeFileSync(calls, '');
  writeFileSync(script, `#!/bin/sh\necho run >> '${calls}'\n${body}\n`);
  chmodSync(script, 0o755);
  const file = join(pki.dir, `${name}.yaml`);
  const text = JSON.stringify({
    clusters: [{ name: 'local', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(pki.caPem).toString('base64'), ...cluster } }],
    users: [{ name: 'me', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: `./${name}.sh`, interactiveMode: 'Never', ...exec } } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'me' } }],
    'current-context': 'local',
  });
  writeFileSync(file, text);
  return { kc: parseKubeConfig(text, file), runs: () => readFileSync(calls, 'utf8').split('\n').filter((l) => l !== '').length, name };
}

const credential = (apiVersion: string, status: Record<string, unknown>): string => `cat <<'EOF'\n${JSON.stringify({ apiVersion, kind: 'ExecCredential', status })}\nEOF`;
const client = (kc: KubeConfig, now: () => number = Date.now, requestTimeoutMs = 5000): KubeClient => new KubeClient({ kubeConfig: kc, now, requestTimeoutMs, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
const failure = (p: Promise<unknown>): Promise<Error> => p.then(() => new Error('expected a failure'), (e: unknown) => e as Error);

describe('exec credential plugins', () => {
  for (const apiVersion of ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']) {
    it(`${apiVersion}: the token is reused until expirationTimestamp, then the plugin runs again`, async () => {
      const exp = Date.parse('2030-01-01T00:00:00Z');
      const exec = apiVersion.endsWith('v1beta1') ? { apiVersion, interactiveMode: undefined } : { apiVersion };
      const p = plugin(credential(apiVersion, { token: 'tok-1', expirationTimestamp: '2030-01-01T00:00:00Z' }), exec);
      let t = exp - 60_000;
      const c = client(p.kc, () => t);
      try {
        await c.getJSON('/version');
        t = exp - 1;
        await c.getJSON('/version');
        expect(p.runs()).toBe(1);
        t = exp + 1;
        await c.getJSON('/version');
        expect(p.runs()).toBe(2);
        expect(server.seen.slice(-3).map((s) => s.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
      } finally {
        c.close();
      }
    });
  }

  it('without expirationTimestamp the credential is kept until the server answers 401, then the plugin runs again once', async () => {
    const tokenFile = join(pki.dir, 'exec-rotating.token');
    writeFileSync(tokenFile, 'old');
    let valid = 'old';
    accept = (r) => r.authorization === `Bearer ${valid}`;
    const p = plugin(`printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat '${tokenFile}')"`);
    const c = client(p.kc);
    try {
      for (let i = 0; i < 5; i++) await c.getJSON('/version');
      expect(p.runs()).toBe(1);
      valid = 'new';
      writeFileSync(tokenFile, 'new');
      await c.getJSON('/version'); // 401 with the cached "old", plugin again, retried with "new"
      expect(p.runs()).toBe(2);
      expect(server.seen.slice(-2).map((s) => s.authorization)).toEqual(['Bearer old', 'Bearer new']);
      // A fresh credential that is rejected is final: no loop of plugin runs.
      valid = 'never';
      writeFileSync(tokenFile, 'still-wrong');
      const err = await failure(c.getJSON('/version'));
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(401);
      expect(p.runs()).toBe(3);
    } finally {
      accept = () => true;
      c.close();
    }
  });

  it('a client certificate and key from the plugin are used for TLS', async () => {
    const p = plugin(credential('client.authentication.k8s.io/v1', { clientCertificateData: pki.clientCertPem, clientKeyData: pki.clientKeyPem }));
    const c = client(p.kc);
    try {
      const before = server.seen.length;
      await c.getJSON('/version');
      expect(server.seen[before]).toMatchObject({ clientCN: 'alice' });
      expect(server.seen[before]!.authorization).toBeUndefined();
    } finally {
      c.close();
    }
  });

  it('KUBERNETES_EXEC_INFO: spec.interactive false; spec.cluster only with provideClusterInfo (server, CA data, extension config)', async () => {
    const out = join(pki.dir, 'exec-info.json');
    const body = `printf '%s' "$KUBERNETES_EXEC_INFO" > '${out}'\necho "$1 $GWE_ENV" >> '${out}.args'\n${credential('client.authentication.k8s.io/v1', { token: 't' })}`;
    const plain = plugin(body, { args: ['one'], env: [{ name: 'GWE_ENV', value: 'env-value' }] });
    const c1 = client(plain.kc);
    await c1.getJSON('/version').finally(() => c1.close());
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
    expect(readFileSync(`${out}.args`, 'utf8')).toBe('one env-value\n');

    const withInfo = plugin(body, { provideClusterInfo: true }, { 'tls-server-name': 'kube.test', extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'gwe' } }, { name: 'other', extension: {} }] });
    const c2 = client(withInfo.kc);
    await c2.getJSON('/version').finally(() => c2.close());
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: server.url, 'tls-server-name': 'kube.test', 'certificate-authority-data': Buffer.from(pki.caPem).toString('base64'), config: { audience: 'gwe' } } },
    });
  });

  it('a plugin that does not exit is killed at the request timeout, with an error naming it', async () => {
    const p = plugin('exec sleep 30');
    const t0 = Date.now();
    const err = await failure(client(p.kc, Date.now, 300).getJSON('/version'));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toMatch(/cannot get credentials from the kubeconfig: no credentials within 300 ms \(an exec credential plugin that does not exit\? exec plugin ".*plugin-\d+\.sh" \(user "me"\) is still running/);
  });

  it('failures name the plugin: exit code with its stderr, a missing executable with the installHint, interactiveMode Always', async () => {
    const failing = plugin("echo 'login required: run aws sso login' >&2\nexit 2");
    expect((await failure(client(failing.kc).getJSON('/version'))).message).toMatch(/exec plugin ".*" \(user "me"\) exited with code 2: login required: run aws sso login/);
    const missing = plugin('true', { command: 'gwe-no-such-credential-plugin', installHint: 'Install it with: brew install gwe-plugin' });
    expect((await failure(client(missing.kc).getJSON('/version'))).message).toMatch(/exec plugin "gwe-no-such-credential-plugin" \(user "me"\): executable not found\. Install it with: brew install gwe-plugin/);
    const always = plugin(credential('client.authentication.k8s.io/v1', { token: 't' }), { interactiveMode: 'Always' });
    expect((await failure(client(always.kc).getJSON('/version'))).message).toMatch(/interactiveMode Always and needs a terminal; a capture runs without one/);
    expect(always.runs()).toBe(0);
  });

  it('the kubeconfig exec block is checked before anything runs (command, apiVersion, interactiveMode, env names)', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ command: '' }, /exec\.command: expected the plugin command, found none/],
      [{ apiVersion: 'client.authentication.k8s.io/v1alpha1' }, /exec\.apiVersion: expected client\.authentication\.k8s\.io\/v1 or v1beta1, found "client\.authentication\.k8s\.io\/v1alpha1"/],
      [{ apiVersion: undefined }, /exec\.apiVersion: expected client\.authentication\.k8s\.io\/v1 or v1beta1, found none/],
      [{ interactiveMode: undefined }, /exec\.interactiveMode: expected Never, IfAvailable or Always \(required for client\.authentication\.k8s\.io\/v1\), found none/],
      [{ env: [{ value: 'x' }] }, /exec\.env\[0\]\.name: expected a variable name, found none/],
    ];
    for (const [exec, re] of cases) {
      const p = plugin('true', exec);
      let err: unknown;
      try {
        client(p.kc);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(exec)).toBeInstanceOf(InputError);
      expect((err as Error).message, JSON.stringify(exec)).toMatch(new RegExp(`kubeconfig ".*${p.name}\\.yaml": user "me"\\.${re.source}`));
    }
  });
});

describe('ExecCredential output', () => {
  const v1 = 'client.authentication.k8s.io/v1';
  const parse = (o: unknown): (() => unknown) => () => parseExecCredential(typeof o === 'string' ? o : JSON.stringify(o), v1, 'exec plugin "p"');
  it('refuses what client-go refuses', () => {
    expect(parse('')).toThrow(/expected an ExecCredential as JSON on stdout, found nothing/);
    expect(parse('token: x')).toThrow(/found unparseable output/);
    expect(parse({ apiVersion: v1, kind: 'Secret', status: { token: 't' } })).toThrow(/expected kind ExecCredential, found "Secret"/);
    expect(parse({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 't' } })).toThrow(/is configured for client\.authentication\.k8s\.io\/v1 but returned "client\.authentication\.k8s\.io\/v1beta1"/);
    expect(parse({ apiVersion: v1, kind: 'ExecCredential' })).toThrow(/has no status/);
    expect(parse({ apiVersion: v1, kind: 'ExecCredential', status: {} })).toThrow(/returned neither status\.token nor status\.clientCertificateData\/clientKeyData/);
    expect(parse({ apiVersion: v1, kind: 'ExecCredential', status: { clientCertificateData: 'x' } })).toThrow(/returned only clientCertificateData; expected both or neither/);
    expect(parse({ apiVersion: v1, kind: 'ExecCredential', status: { token: 't', expirationTimestamp: 'tomorrow' } })).toThrow(/status\.expirationTimestamp: expected an RFC 3339 time, found "tomorrow"/);
    expect(parse({ apiVersion: v1, kind: 'ExecCredential', status: { token: 7 } })).toThrow(/status\.token: expected a string, found number/);
  });
  it('reads the token and the expiry', () => {
    expect(parse({ apiVersion: v1, kind: 'ExecCredential', status: { token: 't', expirationTimestamp: '2030-01-01T00:00:00+01:00' } })()).toEqual({ token: 't', expiresAt: Date.parse('2029-12-31T23:00:00Z') });
  });
});

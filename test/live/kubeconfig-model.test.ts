/**
 * Our kubeconfig model (src/collector/live/kubeconfig-model.ts): typed fields from YAML or JSON, relative
 * paths resolved against the file that defined them (client-go ResolveLocalPaths, also across merged
 * $KUBECONFIG files), and a clear error naming the file and the field for each kind of malformed kubeconfig,
 * through the model, the client (TLS and credential checks before the first request) and the CLI (exit 65).
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeClient } from '../../src/collector/live/client.ts';
import { loadKubeConfig } from '../../src/collector/live/kubeconfig.ts';
import { loadKubeConfigFile, parseKubeConfig } from '../../src/collector/live/kubeconfig-model.ts';
import { InputError, UsageError } from '../../src/errors.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { makePki } from './tls-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-kc-model-'));
const pki = makePki();
const FILE = join(dir, 'config');

/** `run` throws an InputError naming FILE whose message matches `re`. */
function expectInputError(run: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).file).toBe(FILE);
  expect((err as Error).message).toMatch(re);
}

/** A valid one-context kubeconfig, edited by `edit`. */
function base(edit: (c: Record<string, any>) => void = () => undefined): Record<string, any> {
  const c: Record<string, any> = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prod', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(pki.caPem).toString('base64') } }],
    users: [{ name: 'auditor', user: { token: 't' } }],
    contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'auditor', namespace: 'infra' } }],
    'current-context': 'prod',
  };
  edit(c);
  return c;
}
const parse = (c: unknown): (() => unknown) => () => parseKubeConfig(typeof c === 'string' ? c : JSON.stringify(c), FILE);
const select = (c: unknown): (() => unknown) => () => parseKubeConfig(JSON.stringify(c), FILE).select();

describe('parsing', () => {
  it('reads YAML into typed clusters, users and contexts (unknown fields ignored, as client-go does)', () => {
    const kc = parseKubeConfig(
      [
        'apiVersion: v1',
        'kind: Config',
        'preferences: {colors: true}',
        'clusters:',
        '- name: prod',
        '  cluster:',
        '    server: https://api.example.com:6443',
        '    tls-server-name: api.internal',
        '    insecure-skip-tls-verify: false',
        '    proxy-url: http://proxy:3128',
        '    something-new: 1',
        'users:',
        '- name: eks',
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        '      command: aws',
        '      args: [eks, get-token, --cluster-name, prod]',
        '      env: [{name: AWS_PROFILE, value: audit}]',
        'contexts:',
        '- name: prod',
        '  context: {cluster: prod, user: eks, namespace: infra}',
        'current-context: prod',
      ].join('\n'),
      FILE,
    );
    const sel = kc.select();
    expect(sel.cluster).toEqual({ name: 'prod', source: FILE, server: 'https://api.example.com:6443', insecureSkipTlsVerify: false, tlsServerName: 'api.internal', proxyUrl: 'http://proxy:3128' });
    // exec command "aws" has no path separator: looked up on PATH, not made relative (loader.go).
    expect(sel.user.exec).toEqual({ command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'], env: [{ name: 'AWS_PROFILE', value: 'audit' }], apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: false, interactiveMode: 'IfAvailable' });
    expect(sel.context).toEqual({ name: 'prod', source: FILE, cluster: 'prod', user: 'eks', namespace: 'infra' });
  });

  it('an empty file is an empty config; null sections are empty', () => {
    expect(parseKubeConfig('', FILE).getContexts()).toEqual([]);
    expect(parseKubeConfig('clusters: null\nusers: ~\n', FILE).getClusters()).toEqual([]);
  });

  it('relative paths are relative to the file that defined them; absolute ones are kept', () => {
    const sub = join(dir, 'kube');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'config'), JSON.stringify(base((c) => {
      c['clusters'][0]['cluster'] = { server: 'https://h', 'certificate-authority': 'pki/ca.crt' };
      c['users'][0]['user'] = { 'client-certificate': 'pki/u.crt', 'client-key': '/abs/u.key', tokenFile: '../token', exec: { command: 'bin/plugin', apiVersion: 'client.authentication.k8s.io/v1' } };
    })));
    const kc = loadKubeConfigFile(join(sub, 'config'));
    expect(kc.getCurrentCluster()?.certificateAuthority).toBe(join(sub, 'pki/ca.crt'));
    expect(kc.getCurrentUser()).toMatchObject({ clientCertificate: join(sub, 'pki/u.crt'), clientKey: '/abs/u.key', tokenFile: join(dir, 'token'), exec: { command: join(sub, 'bin/plugin') } });
  });

  it('merged $KUBECONFIG files each resolve against their own directory, and the client reads them (TLS to a real CA works)', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    writeFileSync(join(a, 'ca.crt'), pki.caPem);
    writeFileSync(join(b, 'client.crt'), pki.clientCertPem);
    writeFileSync(join(b, 'client.key'), pki.clientKeyPem);
    writeFileSync(join(a, 'config'), JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': 'ca.crt' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' }));
    writeFileSync(join(b, 'config'), JSON.stringify({ users: [{ name: 'u', user: { 'client-certificate': 'client.crt', 'client-key': 'client.key' } }] }));
    const kc = await loadKubeConfig({ env: { KUBECONFIG: [join(a, 'config'), join(b, 'config')].join(delimiter) } });
    expect(kc.getCurrentCluster()?.certificateAuthority).toBe(join(a, 'ca.crt'));
    expect(kc.getCurrentUser()?.clientCertificate).toBe(join(b, 'client.crt'));
    const client = new KubeClient({ kubeConfig: kc });
    expect(client.transport.ca?.toString()).toBe(pki.caPem);
    client.close();
  });
});

describe('malformed kubeconfigs: an error naming the file and the field', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a YAML syntax error', parse('clusters: [\n  - name: a\n'), /kubeconfig ".*config": expected YAML or JSON, found a syntax error/],
    ['a repeated key', parse('current-context: a\ncurrent-context: b\n'), /expected YAML or JSON, found a syntax error: Map keys must be unique/],
    ['a document that is a list', parse('- a\n- b\n'), /kubeconfig ".*config": the document: expected a mapping, found a list/],
    ['clusters not a list', parse(base((c) => (c['clusters'] = { prod: {} }))), /clusters: expected a list of \{name, cluster\}, found a mapping/],
    ['an entry without a name', parse(base((c) => delete c['users'][0]['name'])), /users\[0\]\.name: expected a non-empty string, found undefined/],
    ['a name defined twice in one file', parse(base((c) => c['contexts'].push(c['contexts'][0]))), /contexts\[1\]: the name "prod" is defined twice in this file/],
    ['server of the wrong type', parse(base((c) => (c['clusters'][0]['cluster']['server'] = 6443))), /clusters\[0\] "prod"\.cluster\.server: expected a string, found number 6443/],
    ['insecure-skip-tls-verify as a string', parse(base((c) => (c['clusters'][0]['cluster']['insecure-skip-tls-verify'] = 'true'))), /cluster\.insecure-skip-tls-verify: expected true or false, found a string/],
    ['certificate-authority-data not base64', parse(base((c) => (c['clusters'][0]['cluster']['certificate-authority-data'] = '-----BEGIN CERTIFICATE-----'))), /cluster\.certificate-authority-data: expected base64 data, found "-----BEGIN CERTIFICA\.\.\."/],
    ['a user that is a string', parse(base((c) => (c['users'][0]['user'] = 'token'))), /users\[0\] "auditor"\.user: expected a mapping, found a string/],
    ['exec args not strings', parse(base((c) => (c['users'][0]['user'] = { exec: { command: 'x', args: [1] } }))), /user\.exec\.args\[0\]: expected a string, found number 1/],
    ['an unknown interactiveMode', parse(base((c) => (c['users'][0]['user'] = { exec: { command: 'x', interactiveMode: 'Sometimes' } }))), /user\.exec\.interactiveMode: expected Never, IfAvailable or Always, found "Sometimes"/],
    ['auth-provider config values not strings', parse(base((c) => (c['users'][0]['user'] = { 'auth-provider': { name: 'oidc', config: { 'extra-scopes': ['a'] } } }))), /user\.auth-provider\.config\.extra-scopes: expected a string, found a list/],
    ['current-context not a string', parse(base((c) => (c['current-context'] = ['prod']))), /current-context: expected a string, found a list/],
    ['an unknown current-context', select(base((c) => (c['current-context'] = 'staging'))), /kubeconfig ".*config": current-context "staging" names no context; found: prod/],
    ['a context naming a missing cluster', select(base((c) => (c['contexts'][0]['context']['cluster'] = 'gone'))), /context "prod" names cluster "gone", which no kubeconfig file defines; found: prod/],
    ['a context naming a missing user', select(base((c) => (c['contexts'][0]['context']['user'] = 'gone'))), /context "prod" names user "gone", which no kubeconfig file defines; found: auditor/],
    ['a context without a user', select(base((c) => delete c['contexts'][0]['context']['user'])), /context "prod": expected a user, found none/],
  ];
  for (const [what, run, re] of cases) it(what, () => expectInputError(run, re));

  it('no current-context at all is a usage error asking for --context', () => {
    expect(select(base((c) => delete c['current-context']))).toThrow(UsageError);
    expect(select(base((c) => delete c['current-context']))).toThrow(/has no current-context; give --context NAME \(found: prod\)/);
  });

  // Checked by the client before the first request (auth.ts), as client-go's validation and transport do.
  const client = (c: Record<string, any>) => () => new KubeClient({ kubeConfig: parseKubeConfig(JSON.stringify(c), FILE) });
  const pem = (s: string): string => Buffer.from(s).toString('base64');
  const clientCases: Array<[string, () => unknown, RegExp]> = [
    ['a cluster without a server', client(base((c) => delete c['clusters'][0]['cluster']['server'])), /cluster "prod"\.server: expected the API server URL, found none/],
    ['a server that is not http(s)', client(base((c) => (c['clusters'][0]['cluster']['server'] = 'ftp://h'))), /cluster "prod"\.server: expected an https:\/\/ or http:\/\/ URL, found "ftp:\/\/h"/],
    ['a CA file that cannot be read', client(base((c) => (c['clusters'][0]['cluster'] = { server: 'https://h', 'certificate-authority': 'missing-ca.crt' }))), /cluster "prod"\.certificate-authority: cannot read ".*missing-ca\.crt"/],
    ['CA data that is not PEM', client(base((c) => (c['clusters'][0]['cluster']['certificate-authority-data'] = pem('not a certificate')))), /cluster "prod"\.certificate-authority-data: expected PEM certificates, found no "BEGIN CERTIFICATE" block/],
    ['a CA file and CA data', client(base((c) => (c['clusters'][0]['cluster']['certificate-authority'] = '/etc/ca.crt'))), /cluster "prod": expected certificate-authority or certificate-authority-data, found both/],
    ['insecure-skip-tls-verify with a CA', client(base((c) => (c['clusters'][0]['cluster']['insecure-skip-tls-verify'] = true))), /cluster "prod": insecure-skip-tls-verify with a certificate authority is not allowed/],
    ['a socks4 proxy', client(base((c) => (c['clusters'][0]['cluster'] = { server: 'https://h', 'proxy-url': 'socks4://127.0.0.1:1080' }))), /cluster "prod"\.proxy-url: a socks4 proxy is not supported \(client-go does not support it either\); use socks5:\/\/, socks5h:\/\/, http:\/\/ or https:\/\//],
    ['an ftp proxy', client(base((c) => (c['clusters'][0]['cluster'] = { server: 'https://h', 'proxy-url': 'ftp://p:21' }))), /cluster "prod"\.proxy-url: expected an http:\/\/, https:\/\/, socks5:\/\/ or socks5h:\/\/ proxy URL, found "ftp:"/],
    ['a proxy URL with a path', client(base((c) => (c['clusters'][0]['cluster'] = { server: 'https://h', 'proxy-url': 'http://p:3128/x?y' }))), /cluster "prod"\.proxy-url: a proxy URL with a path, query or fragment is not supported/],
    ['a client certificate without its key', client(base((c) => (c['users'][0]['user'] = { 'client-certificate-data': pem(pki.clientCertPem) }))), /user "auditor": expected a client certificate and its key, found only the certificate/],
    ['a client certificate with the wrong key', client(base((c) => (c['users'][0]['user'] = { 'client-certificate-data': pem(pki.clientCertPem), 'client-key-data': pem(pki.otherKeyPem) }))), /user "auditor": expected a PEM client certificate and its matching private key/],
    ['a client key file that cannot be read', client(base((c) => (c['users'][0]['user'] = { 'client-certificate-data': pem(pki.clientCertPem), 'client-key': 'nope.key' }))), /user "auditor"\.client-key: cannot read ".*nope\.key"/],
    ['a token and basic auth', client(base((c) => (c['users'][0]['user'] = { token: 't', username: 'u', password: 'p' }))), /user "auditor": expected a token or a username\/password, found both/],
    ['an empty tokenFile', client(base((c) => { writeFileSync(join(dir, 'empty.token'), '\n'); c['users'][0]['user'] = { tokenFile: 'empty.token' }; })), /user "auditor"\.tokenFile: expected a token in ".*empty\.token", found an empty file/],
    ['exec and auth-provider together', client(base((c) => (c['users'][0]['user'] = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' }, 'auth-provider': { name: 'oidc' } }))), /user "auditor": expected an exec plugin or an auth-provider, found both/],
    ['as-groups without as', client(base((c) => (c['users'][0]['user'] = { token: 't', 'as-groups': ['g'] }))), /user "auditor": as-uid, as-groups or as-user-extra without as/],
    ['oidc without idp-issuer-url', client(base((c) => (c['users'][0]['user'] = { 'auth-provider': { name: 'oidc', config: { 'client-id': 'x', 'id-token': 'a.b.c' } } }))), /user "auditor"\.auth-provider\.config\.idp-issuer-url: expected a value/],
  ];
  for (const [what, run, re] of clientCases) {
    it(what, () => expectInputError(run, new RegExp(`^kubeconfig ".*config": ${re.source}`)));
  }

  it('the CLI prints the message (no stack trace) and exits 65 before reading anything', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-kc-cli-'));
    writeFileSync(join(cwd, 'bad.yaml'), JSON.stringify(base((c) => (c['clusters'][0]['cluster']['insecure-skip-tls-verify'] = 'yes'))));
    writeFileSync(join(cwd, 'k.pem'), privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))));
    const io = memoryIO({ cwd });
    expect(await main(['collect', '--kubeconfig', 'bad.yaml', '--out', 'b.tar.gz', '--key', 'k.pem'], io)).toBe(65);
    expect(io.err()).toMatch(/kubeconfig ".*bad\.yaml": clusters\[0\] "prod"\.cluster\.insecure-skip-tls-verify: expected true or false, found a string/);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});

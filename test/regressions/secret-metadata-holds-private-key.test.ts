// Issue 8 item 1: a TLS Secret's private key entered the bundle through the Secret's own annotations and
// labels. kapp keeps the whole original object in `kapp.k14s.io/original` (the Secret with `data.tls.key` in
// base64); another annotation or a label may hold the base64 DER key. reduceMetadata kept every value without
// `PRIVATE KEY-----`, and verify then said VERIFIED. Now a Secret keeps only allow-listed label/annotation
// keys, and the names of the dropped ones are recorded, in files capture and in live capture alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { collect } from '../../src/collect.ts';
import { collectLive } from '../../src/collector/live/collect-live.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { trustFromPublicKey } from '../../src/verify/trust.ts';
import { generateKeyPair, privateKeyPem, publicKeyPem } from '../../src/crypto/index.ts';
import type { CollectionWarning } from '../../src/model/collection.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { makeTls, TOKEN, type TlsMaterial } from '../live/fixtures.ts';

const GW = 'gateway.networking.k8s.io';
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

let dir: string;
let keyFile: string;
let trust: ReturnType<typeof trustFromPublicKey>;
let rsa: TlsMaterial;
let ec: TlsMaterial;
let server: FakeApiServer;

/** The cluster: a Gateway referencing two TLS Secrets whose metadata carries their keys in several forms. */
function objects(): Record<string, unknown>[] {
  const rsaDer = createPrivateKey(rsa.keyPem).export({ type: 'pkcs8', format: 'der' });
  const ecDer = createPrivateKey(ec.keyPem).export({ type: 'sec1', format: 'der' });
  const kappOriginal = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kapp-tls', namespace: 'infra' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(rsa.certPem), 'tls.key': b64(rsa.keyPem) } });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } },
    {
      apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' },
      spec: { gatewayClassName: 'c', listeners: [
        { name: 'a', port: 443, protocol: 'HTTPS', hostname: 'a.example', tls: { certificateRefs: [{ name: 'kapp-tls' }] } },
        { name: 'b', port: 8443, protocol: 'HTTPS', hostname: 'b.example', tls: { certificateRefs: [{ name: 'der-tls' }] } },
      ] },
    },
    {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: {
        name: 'kapp-tls', namespace: 'infra',
        labels: { 'kapp.k14s.io/app': '1690000000000000000', 'app.kubernetes.io/name': 'edge' },
        annotations: { 'kapp.k14s.io/original': kappOriginal, 'kapp.k14s.io/original-diff-md5': 'c6e94dc94aed3401b5d0f26ed6c0bff3', 'cert-manager.io/issuer-name': 'letsencrypt' },
      },
      data: { 'tls.crt': b64(rsa.certPem), 'tls.key': b64(rsa.keyPem) },
    },
    {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: {
        name: 'der-tls', namespace: 'infra',
        labels: { 'backup.example/key': b64(ecDer) },
        annotations: { 'backup.example/key-der': b64(rsaDer), 'backup.example/key-hex': rsaDer.toString('hex') },
      },
      data: { 'tls.crt': b64(ec.certPem), 'tls.key': b64(ec.keyPem) },
    },
  ];
}

/** Every form of both keys that could leak: PEM, its base64 and body lines, DER, its base64 and hex, windows of each. */
function needles(): Array<[string, Buffer | string]> {
  const out: Array<[string, Buffer | string]> = [];
  for (const [name, keyPem] of [['rsa', rsa.keyPem], ['ec', ec.keyPem]] as const) {
    const key = createPrivateKey(keyPem);
    for (const type of ['pkcs8', name === 'rsa' ? 'pkcs1' : 'sec1'] as const) {
      const der = key.export({ type, format: 'der' });
      const pem = key.export({ type, format: 'pem' }) as string;
      out.push(
        [`${name} ${type} PEM`, pem],
        [`${name} ${type} base64 of the PEM`, b64(pem)],
        [`${name} ${type} base64 of the PEM, middle`, b64(pem).slice(60, 100)],
        [`${name} ${type} DER window`, der.subarray(40, 64)],
        [`${name} ${type} base64 of the DER`, b64(der)],
        [`${name} ${type} base64 of the DER, middle`, b64(der).slice(40, 80)],
        [`${name} ${type} hex of the DER, middle`, der.subarray(40, 72).toString('hex')],
        ...pem.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----')).map((l, i): [string, string] => [`${name} ${type} PEM body line ${i + 1}`, l]),
      );
    }
  }
  return out;
}

function expectNoKeyBytes(gz: Buffer): void {
  const tar = gunzipSync(gz);
  for (const [name, needle] of needles()) {
    const n = typeof needle === 'string' ? Buffer.from(needle, 'latin1') : needle;
    expect(tar.indexOf(n), `${name} in the tar bytes`).toBe(-1);
    expect(gz.indexOf(n), `${name} in the compressed bytes`).toBe(-1);
  }
}

function expectReduced(gz: Buffer, warnings: CollectionWarning[]): void {
  const opened = openBundle(new Uint8Array(gz));
  const secrets = opened.capture.snapshot.objects.filter((o) => o.kind === 'Secret');
  expect(secrets.map((s) => s.metadata.name)).toEqual(['der-tls', 'kapp-tls']);
  // allow-listed keys survive; the rest are gone
  expect(secrets[1]!.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'edge' });
  expect(secrets[1]!.metadata.annotations).toEqual({ 'cert-manager.io/issuer-name': 'letsencrypt' });
  expect(secrets[0]!.metadata.labels).toBeUndefined();
  expect(secrets[0]!.metadata.annotations).toBeUndefined();
  // the names of the dropped ones are recorded, never their values
  const dropped = warnings.filter((w) => w.code === 'SECRET_METADATA_DROPPED');
  expect(dropped.map((w) => w.object).sort()).toEqual(['Secret infra/der-tls', 'Secret infra/kapp-tls']);
  const text = dropped.map((w) => w.message).join('\n');
  for (const k of ['label "kapp.k14s.io/app"', 'annotation "kapp.k14s.io/original"', 'annotation "kapp.k14s.io/original-diff-md5"', 'label "backup.example/key"', 'annotation "backup.example/key-der"', 'annotation "backup.example/key-hex"']) {
    expect(text).toContain(k);
  }
  expect(verifyBundle(new Uint8Array(gz), { trust }).integrity.ok).toBe(true);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-secret-meta-'));
  const signer = generateKeyPair((n) => new Uint8Array(n).fill(7));
  keyFile = join(dir, 'signer.pem');
  writeFileSync(keyFile, privateKeyPem(signer), { mode: 0o600 });
  trust = trustFromPublicKey(publicKeyPem(signer.publicKey), 'signer.pub.pem');
  rsa = makeTls('a.example', 'rsa');
  ec = makeTls('b.example', 'ec');
  server = await startFakeApiServer({
    token: TOKEN,
    resources: [
      { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
      { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
      { group: GW, version: 'v1', resource: 'gateways', kind: 'Gateway', namespaced: true },
    ],
    objects: objects(),
  });
});
afterAll(async () => {
  await server?.close();
});

describe('secret metadata holds the private key', () => {
  it('files capture: no label/annotation value outside the allow-list, no form of either key in the bundle bytes', async () => {
    writeFileSync(join(dir, 'dump.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects() }));
    const result = await collect({ from: ['dump.json'], out: 'files.tar.gz', keyFile, capturedAt: '2026-12-01T00:00:00Z', cwd: dir });
    const gz = readFileSync(join(dir, 'files.tar.gz'));
    expectReduced(gz, result.record.warnings);
    expectNoKeyBytes(gz);
    // the scan is sound: the planted forms are in the input
    const input = readFileSync(join(dir, 'dump.json'));
    expect(input.indexOf(b64(rsa.keyPem).slice(60, 100))).toBeGreaterThan(-1);
  });

  it('live capture: the same reduction over the API', async () => {
    const result = await collectLive({ kubeconfigPath: server.kubeconfigPath, out: 'live.tar.gz', keyFile, capturedAt: '2026-12-01T00:00:00Z', cwd: dir, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const gz = readFileSync(join(dir, 'live.tar.gz'));
    expectReduced(gz, result.record.warnings);
    expectNoKeyBytes(gz);
  });
});

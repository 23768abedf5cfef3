// Issue 8 item 4: only PEM armour was detected. Keys as base64 of DER (PKCS#1, PKCS#8, SEC1 EC), base64 of
// a whole PEM file, hex DER, JWK with private members, OpenSSH and PuTTY private blobs, in annotations, spec
// fields, `tls.options`, or a CA ConfigMap's `ca.crt` that is not a certificate, were kept and never
// flagged. Now collect drops them from labels/annotations (named warning) and refuses them anywhere else
// (exit 65, naming object and path); verify reports PAYLOAD_PRIVATE_KEY for a bundle that carries them.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildBundle } from '../../src/bundle/build.ts';
import { collect } from '../../src/collect.ts';
import { privateKeyPem } from '../../src/crypto/index.ts';
import { InputError } from '../../src/errors.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { KEY, TRUST } from '../unit/chain/fixtures.ts';
import { platform, sortObjects } from '../unit/diff/fixtures.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
const der = (k: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1'): Buffer => k.export({ type, format: 'der' }) as Buffer;
const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64');

/** Each form, as an operator might paste it. */
const FORMS: Array<[string, unknown]> = [
  ['base64 DER PKCS#1', b64(der(rsa, 'pkcs1'))],
  ['base64 DER PKCS#8', b64(der(rsa, 'pkcs8'))],
  ['base64 DER SEC1', b64(der(ec, 'sec1'))],
  ['base64url DER PKCS#8', der(ec, 'pkcs8').toString('base64url')],
  ['encrypted PKCS#8', b64(ec.export({ type: 'pkcs8', format: 'der', cipher: 'aes-128-cbc', passphrase: 'p' }) as Buffer)],
  ['base64 of a whole PEM file', b64(ec.export({ type: 'sec1', format: 'pem' }) as string)],
  ['hex DER', der(ec, 'pkcs8').toString('hex')],
  ['JWK object', ec.export({ format: 'jwk' })],
  ['JWK as text', JSON.stringify(rsa.export({ format: 'jwk' }))],
  ['OpenSSH blob', b64(Buffer.concat([Buffer.from('openssh-key-v1\0none\0'), der(ec, 'sec1')]))],
  ['PuTTY', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIH\n'],
];

let dir: string;

const gateway = (options: Record<string, unknown>, annotations?: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'infra', ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) },
  spec: { gatewayClassName: 'c', listeners: [{ name: 'h', port: 443, protocol: 'HTTPS', hostname: 'a.example', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }], options } }] },
});

async function collectObjects(objects: unknown[], name: string): Promise<Awaited<ReturnType<typeof collect>>> {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return collect({ from: [`${name}.json`], out: `${name}.tar.gz`, keyFile: 'signer.pem', capturedAt: '2026-12-01T00:00:00Z', cwd: dir });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-keyforms-'));
  writeFileSync(join(dir, 'signer.pem'), privateKeyPem(KEY), { mode: 0o600 });
});

describe('key material that is not PEM', () => {
  for (const [name, value] of FORMS) {
    it(`collect refuses ${name} in a spec field (tls.options), naming the object and the path`, async () => {
      const err = await collectObjects([gateway({ 'example.com/key': value })], `spec-${name.replace(/\W+/g, '-')}`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/Gateway infra\/gw holds .* at spec\.listeners\[0\]\.tls\.options\.example\.com\/key; refusing to put private key material in evidence/);
    });

    it(`verify flags ${name} in a bundle that carries it`, () => {
      const base = platform();
      const objects = sortObjects([...base.snapshot.objects, gateway({ 'example.com/key': value })]);
      const built = buildBundle({ snapshot: { ...base.snapshot, objects }, record: base.record }, { signers: [KEY] });
      const v = verifyBundle(built.bytes, { trust: TRUST });
      const f = v.findings.filter((x) => x.code === 'PAYLOAD_PRIVATE_KEY');
      expect(f.map((x) => x.severity)).toEqual(['error']);
      expect(f[0]!.message).toMatch(/^data\/objects\/.*: expected no private key material in evidence, found .* at spec\.listeners\[0\]\.tls\.options/);
    });
  }

  it('collect drops a label or annotation holding a DER key (any kind) with a warning naming the key, and the bytes are gone', async () => {
    const annotations = { 'backup/key': b64(der(rsa, 'pkcs8')), 'ok/note': 'hello' };
    const labels = { 'key-hex': der(ec, 'sec1').toString('hex'), app: 'edge' };
    const r = await collectObjects([gateway({}, annotations, labels)], 'meta');
    // (The fixture's Gateway also names a GatewayClass and Secrets the inputs lack: CAPTURE_KIND_MISSING, not checked here.)
    expect(r.record.warnings.filter((w) => /PRIVATE_KEY/.test(w.code)).map((w) => [w.code, w.message])).toEqual([
      ['LABEL_PRIVATE_KEY_DROPPED', 'Gateway infra/gw: label "key-hex" holds hex of a DER SEC1 ECPrivateKey; it was dropped'],
      ['ANNOTATION_PRIVATE_KEY_DROPPED', 'Gateway infra/gw: annotation "backup/key" holds base64 of a DER PKCS#8 PrivateKeyInfo; it was dropped'],
    ]);
    const tar = gunzipSync(readFileSync(join(dir, 'meta.tar.gz')));
    expect(tar.indexOf(Buffer.from(annotations['backup/key'].slice(50, 90)))).toBe(-1);
    expect(tar.indexOf(Buffer.from(labels['key-hex'].slice(50, 90)))).toBe(-1);
    expect(tar.indexOf(Buffer.from('"ok/note":"hello"'))).toBeGreaterThan(-1);
  });

  it("collect refuses a CA ConfigMap whose ca.crt is a key, not a certificate", async () => {
    const gw = gateway({});
    (gw.spec as { listeners: Array<{ tls: Record<string, unknown> }> }).listeners[0]!.tls['frontendValidation'] = { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'infra' }, data: { 'ca.crt': b64(der(ec, 'pkcs8')) } };
    const err = await collectObjects([gw, cm], 'ca').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/ConfigMap infra\/ca holds base64 of a DER PKCS#8 PrivateKeyInfo at data\.ca\.crt/);
  });

  it('the sample platform (certificates, digests, public data) has no false positive', async () => {
    const r = await collect({ from: [join(process.cwd(), 'samples/cluster')], out: 'samples.tar.gz', keyFile: 'signer.pem', capturedAt: '2026-12-01T00:00:00Z', cwd: dir });
    const v = verifyBundle(new Uint8Array(readFileSync(r.path)), { trust: TRUST });
    expect(v.findings.filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY')).toEqual([]);
    expect(r.record.warnings.filter((w) => /PRIVATE_KEY/.test(w.code))).toEqual([]);
  });
});

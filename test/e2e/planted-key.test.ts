/**
 * evidence-formats.md (c) attack 12: a real private key planted in Secrets (data, stringData, the
 * last-applied-configuration annotation, a tls.crt value, a referenced CA ConfigMap) must not reach the
 * bundle in any form: PEM text, base64 of the PEM, PEM body lines, raw DER bytes, hex.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { collect } from '../../src/collect.ts';
import { privateKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { openBundle } from '../../src/bundle/open.ts';
import type { ReducedSecret } from '../../src/model/snapshot.ts';

function indexOf(hay: Buffer, needle: Buffer | string): number {
  return hay.indexOf(typeof needle === 'string' ? Buffer.from(needle, 'latin1') : needle);
}

describe('planted private key', () => {
  it('never appears in the bundle bytes, compressed or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-planted-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    writeFileSync(join(dir, 'tls.key'), pem);
    execFileSync('openssl', ['req', '-x509', '-key', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-days', '10', '-subj', '/CN=planted.example', '-addext', 'subjectAltName=DNS:planted.example'], { stdio: 'ignore' });
    const crt = readFileSync(join(dir, 'tls.crt'), 'utf8');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const gw = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'ns' },
      spec: { gatewayClassName: 'c', listeners: [{ name: 'h', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'opaque' }], frontendValidation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } } }] },
    };
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'in-data', namespace: 'ns' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(crt), 'tls.key': b64(pem) }, stringData: { 'tls.key': pem } });
    const objects = [
      gw,
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'in-data', namespace: 'ns', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, data: { 'tls.crt': b64(crt), 'tls.key': b64(pem) } },
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'in-stringdata', namespace: 'ns' }, stringData: { 'tls.crt': crt, 'tls.key': pkcs1 } },
      // a key pasted into tls.crt itself, in an unreferenced-type Secret that a Gateway references
      { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'opaque', namespace: 'ns', annotations: { note: pem } }, data: { 'tls.crt': b64(crt + pem), 'key.der': der.toString('base64'), 'key.hex': b64(der.toString('hex')) } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca', namespace: 'ns' }, data: { 'ca.crt': crt + pkcs1 } },
    ];
    writeFileSync(join(dir, 'dump.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    writeFileSync(join(dir, 'signer.pem'), privateKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(3))));
    const result = await collect({ from: ['dump.json'], out: 'b.tar.gz', keyFile: 'signer.pem', capturedAt: '2026-12-01T00:00:00Z', cwd: dir });
    const gz = readFileSync(join(dir, 'b.tar.gz'));
    const tar = gunzipSync(gz);

    // the collector did its job: all three Secrets are there with their certificate metadata
    const opened = openBundle(new Uint8Array(gz));
    expect(opened.integrityOk).toBe(true);
    const secrets = opened.capture.snapshot.objects.filter((o) => o.kind === 'Secret') as ReducedSecret[];
    expect(secrets.map((s) => s.metadata.name)).toEqual(['in-data', 'in-stringdata', 'opaque']);
    const fp = createHash('sha256').update(Buffer.from(crt.replace(/-----[^-]+-----|\s/g, ''), 'base64')).digest('hex');
    for (const s of secrets) {
      const block = s.certificateMetadata['tls.crt'];
      expect(block?.status === 'valid' && block.chain[0]!.sha256Fingerprint, s.metadata.name).toBe(fp);
    }
    expect(secrets[0]!.dataKeys).toEqual(['tls.crt', 'tls.key']);
    expect(indexOf(tar, crt.split('\n')[1]!)).toBeGreaterThan(-1); // the public certificate PEM is kept in the CA ConfigMap
    // CAPTURE_KIND_MISSING: the fixture's Gateway names a GatewayClass the inputs do not hold (missing is not absent).
    expect(result.record.warnings.map((w) => w.code).sort()).toEqual(['CAPTURE_KIND_MISSING', 'CONFIGMAP_CA_HAS_OTHER_PEM', 'SECRET_CERT_HAS_OTHER_PEM', 'SECRET_METADATA_DROPPED']);

    const body = (p: string) => p.split('\n').filter((l) => l && !l.startsWith('-----'));
    const needles: Array<[string, Buffer | string]> = [
      ['PEM text (PKCS#8)', pem],
      ['PEM text (PKCS#1)', pkcs1],
      ['PEM armor', 'PRIVATE KEY'],
      ['base64 of the PEM', b64(pem)],
      ['base64 of the PEM, a middle chunk', b64(pem).slice(200, 260)],
      ['base64 of the PKCS#1 PEM', b64(pkcs1)],
      ['raw DER', der],
      ['raw DER, a 24-byte window', der.subarray(300, 324)],
      ['hex of the DER', der.toString('hex')],
      ['hex of the DER, a window (upper case)', der.subarray(400, 432).toString('hex').toUpperCase()],
      ['hex of the DER, a window', der.subarray(400, 432).toString('hex')],
      ['base64 of the DER', der.toString('base64')],
      ...body(pem).map((l, i): [string, string] => [`PKCS#8 body line ${i + 1}`, l]),
      ...body(pkcs1).map((l, i): [string, string] => [`PKCS#1 body line ${i + 1}`, l]),
    ];
    for (const [name, needle] of needles) {
      expect(indexOf(tar, needle), `${name} in the tar bytes`).toBe(-1);
      expect(indexOf(gz, needle), `${name} in the compressed bytes`).toBe(-1);
    }
    // the scan itself is sound: a needle from the key does show up where it was planted
    expect(indexOf(readFileSync(join(dir, 'dump.json')), body(pem)[3]!)).toBeGreaterThan(-1);
  });
});

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { keyMatchesCertificate, parseCertificatePem, parseSubjectAltName } from '../../../src/collector/certs.ts';
import { reduceSecret } from '../../../src/collector/secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-certs-'));
function selfSigned(name: string, keyArgs: string[], extra: string[] = []): string {
  const crt = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', ...keyArgs, '-nodes', '-keyout', join(dir, `${name}.key`), '-out', crt, '-days', '30', '-subj', `/O=Test/CN=${name}`, ...extra], { stdio: 'ignore' });
  return readFileSync(crt, 'utf8');
}

describe('parseCertificatePem', () => {
  it('reads an RSA certificate: size, SANs (DNS and IP), dates, fingerprint, signature algorithm', () => {
    const pem = selfSigned('rsa.example', ['rsa:3072'], ['-addext', 'subjectAltName=DNS:rsa.example,DNS:*.rsa.example,IP:192.0.2.7']);
    const r = parseCertificatePem(pem);
    expect(r.block.status).toBe('valid');
    if (r.block.status !== 'valid') return;
    const c = r.block.chain[0]!;
    expect(c.publicKeyAlgorithm).toBe('rsa');
    expect(c.publicKeySize).toBe(3072);
    expect(c.dnsNames).toEqual(['rsa.example', '*.rsa.example']);
    expect(c.ipAddresses).toEqual(['192.0.2.7']);
    expect(c.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(c.subject).toBe('O=Test, CN=rsa.example');
    expect(c.notBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(c.notAfter) - Date.parse(c.notBefore)).toBe(30 * 86400_000);
    expect(c.sha256Fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(c.serialNumber).toMatch(/^[0-9a-f]+$/);
  });

  it('reads EC curves and sizes, and a chain in order with isCA', () => {
    const leafPem = selfSigned('ec384', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], ['-addext', 'basicConstraints=critical,CA:FALSE']);
    const caPem = selfSigned('ec256ca', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-addext', 'basicConstraints=critical,CA:TRUE']);
    const r = parseCertificatePem(leafPem + caPem);
    expect(r.block.status).toBe('valid');
    if (r.block.status !== 'valid') return;
    expect(r.block.chain.map((c) => [c.publicKeyCurve, c.publicKeySize, c.isCA, c.signatureAlgorithm])).toEqual([
      ['secp384r1', 384, false, 'ecdsa-with-SHA256'],
      ['prime256v1', 256, true, 'ecdsa-with-SHA256'],
    ]);
  });

  it('reads ed25519 certificates', () => {
    const r = parseCertificatePem(selfSigned('ed', ['ed25519']));
    expect(r.block.status === 'valid' && r.block.chain[0]!.signatureAlgorithm).toBe('ed25519');
  });

  it('reports invalid PEM instead of throwing, and never copies non-certificate blocks', () => {
    expect(parseCertificatePem('not a pem').block).toEqual({ status: 'invalid', error: 'expected one or more PEM "CERTIFICATE" blocks, found none' });
    const bad = parseCertificatePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(bad.block.status).toBe('invalid');
    expect(bad.block.status === 'invalid' && bad.block.error).toMatch(/certificate 1 in the chain/);
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const withKey = parseCertificatePem(selfSigned('mixed', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']) + key);
    expect(withKey.block.status).toBe('valid');
    expect(withKey.ignoredBlocks).toEqual(['PRIVATE KEY']);
    expect(JSON.stringify(withKey)).not.toContain('PRIVATE KEY-----');
  });

  it('parses the SAN string format of node', () => {
    expect(parseSubjectAltName('DNS:a.example, IP Address:10.0.0.1, email:x@y, DNS:"b, c"')).toEqual({ dns: ['a.example', 'b, c'], ip: ['10.0.0.1'] });
    expect(parseSubjectAltName(undefined)).toEqual({ dns: [], ip: [] });
  });
});

describe('keyMatchesCertificate and reduceSecret keyMatchesCertificate (issue 11: certificate/key mismatch)', () => {
  const certA = selfSigned('match-a', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  const keyA = readFileSync(join(dir, 'match-a.key'), 'utf8');
  selfSigned('match-b', ['rsa:2048']);
  const keyB = readFileSync(join(dir, 'match-b.key'), 'utf8');
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('is true for the certificate own key, false for another key, garbage or an empty value', () => {
    expect(keyMatchesCertificate(certA, keyA)).toBe(true);
    expect(keyMatchesCertificate(certA, keyB)).toBe(false);
    expect(keyMatchesCertificate(certA, 'not a key')).toBe(false);
  });

  it('stores only the boolean in the reduced Secret, never the key', () => {
    const raw = (key: string) => ({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 's', namespace: 'a' }, data: { 'tls.crt': b64(certA), 'tls.key': b64(key) } });
    const ok = reduceSecret(raw(keyA), 'in.yaml', 'Secret a/s', []);
    expect(ok.keyMatchesCertificate).toBe(true);
    const bad = reduceSecret(raw(keyB), 'in.yaml', 'Secret a/s', []);
    expect(bad.keyMatchesCertificate).toBe(false);
    const text = JSON.stringify(bad);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(b64(keyB).slice(0, 40));
    expect(Object.keys(bad).sort()).toEqual(['apiVersion', 'certificateMetadata', 'dataKeys', 'keyMatchesCertificate', 'kind', 'metadata', 'type']);
    // stringData wins over data, as on the API server.
    expect(reduceSecret({ ...raw(keyB), stringData: { 'tls.key': keyA } }, 'in.yaml', 'Secret a/s', []).keyMatchesCertificate).toBe(true);
    // No tls.key, or no valid tls.crt: nothing to compare, the field is absent.
    expect('keyMatchesCertificate' in reduceSecret({ ...raw(keyA), data: { 'tls.crt': b64(certA) } }, 'in.yaml', 'Secret a/s', [])).toBe(false);
    expect('keyMatchesCertificate' in reduceSecret({ ...raw(keyA), data: { 'tls.crt': b64('junk'), 'tls.key': b64(keyA) } }, 'in.yaml', 'Secret a/s', [])).toBe(false);
  });
});

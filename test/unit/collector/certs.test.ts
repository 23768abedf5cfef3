import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { keyMatchesCertificate, parseCertificatePem, subjectAltNames } from '../../../src/collector/certs.ts';
import { writeFileSync } from 'node:fs';
import { KeyCheckMemo, reduceSecret } from '../../../src/collector/secrets.ts';

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
});

/** A self-signed ed25519 certificate whose [ext] section is `ext` (openssl config syntax: `@alt` sections, DER:hex). */
function withExtensions(name: string, ext: string): string {
  const cnf = join(dir, `${name}.cnf`);
  writeFileSync(cnf, `[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n[dn]\nCN = ${name}\n[ext]\n${ext}\n`);
  const crt = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', crt, '-days', '30', '-config', cnf], { stdio: 'ignore' });
  return readFileSync(crt, 'utf8');
}
const derOf = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const hexOf = (s: string): string => [...Buffer.from(s, 'latin1')].map((b) => b.toString(16).padStart(2, '0')).join(':');
/** DER of a GeneralNames SEQUENCE holding one [tag] IMPLICIT primitive with `value` (short lengths only). */
const oneName = (tag: number, value: string): string => `DER:30:${(value.length + 2).toString(16).padStart(2, '0')}:${tag.toString(16)}:${value.length.toString(16).padStart(2, '0')}:${hexOf(value)}`;

describe('subjectAltName from the certificate ASN.1 (issue 10: a certificate library, not the display string)', () => {
  it('reads every SAN type gwe records, in order: DNS, IP (v4 and v6), URI, email; other choices are ignored', () => {
    const pem = withExtensions('all-types', [
      'subjectAltName = @alt', '[alt]', 'DNS.1 = a.example', 'DNS.2 = *.b.example', 'IP.1 = 10.0.0.1', 'IP.2 = 2001:db8::1',
      'IP.3 = 2001:db8:0:1:0:0:0:0', 'URI.1 = spiffe://cluster.local/ns/shop/sa/web', 'email.1 = ops@example.com', 'otherName.1 = 1.2.3.4;UTF8:other', 'RID.1 = 1.2.3.5',
    ].join('\n'));
    const r = parseCertificatePem(pem);
    expect(r.block.status).toBe('valid');
    if (r.block.status !== 'valid') return;
    const c = r.block.chain[0]!;
    expect(c.dnsNames).toEqual(['a.example', '*.b.example']);
    expect(c.ipAddresses).toEqual(['10.0.0.1', '2001:db8::1', '2001:db8:0:1::']);
    expect(c.uris).toEqual(['spiffe://cluster.local/ns/shop/sa/web']);
    expect(c.emailAddresses).toEqual(['ops@example.com']);
    expect(subjectAltNames(derOf(pem))).toEqual({ dns: c.dnsNames, ip: c.ipAddresses, uri: c.uris, email: c.emailAddresses });
  });

  it('hostile values the display string cannot disambiguate stay one entry of their own type', () => {
    const pem = withExtensions('hostile', [
      'subjectAltName = @alt', '[alt]', 'DNS.1 = b.example, IP Address:1.2.3.4', 'DNS.2 = c.example, DNS:evil.example', 'DNS.3 = q.example, email:x@evil.example',
      'URI.1 = https://x.example/a?b=c, DNS:uri.evil.example', 'email.1 = a@example.com, IP Address:5.6.7.8',
    ].join('\n'));
    // what node shows (the old input): one string in which the entries could only be told apart by its quoting
    expect(new X509Certificate(pem).subjectAltName).toContain('IP Address:1.2.3.4');
    const c = subjectAltNames(derOf(pem));
    expect(c.dns).toEqual(['b.example, IP Address:1.2.3.4', 'c.example, DNS:evil.example', 'q.example, email:x@evil.example']);
    expect(c.ip).toEqual([]);
    expect(c.uri).toEqual(['https://x.example/a?b=c, DNS:uri.evil.example']);
    expect(c.email).toEqual(['a@example.com, IP Address:5.6.7.8']);
  });

  it('quotes and backslashes (node\'s own quoting characters) inside a dNSName stay literal', () => {
    const c = subjectAltNames(derOf(withExtensions('quotes', `subjectAltName = ${oneName(0x82, 'x\\", DNS:"evil.example')}`)));
    expect(c.dns).toEqual(['x\\", DNS:"evil.example']);
  });

  it('a NUL byte inside a dNSName is kept verbatim (not truncated to the name before it)', () => {
    const c = subjectAltNames(derOf(withExtensions('nul', `subjectAltName = ${oneName(0x82, 'good.example\0.evil.example')}`)));
    expect(c.dns).toEqual(['good.example\u0000.evil.example']);
  });

  it('an iPAddress that is not 4 or 16 octets makes the certificate invalid, not a guessed address', () => {
    const r = parseCertificatePem(withExtensions('bad-ip', `subjectAltName = ${oneName(0x87, '\x01\x02\x03\x04\x05')}`));
    expect(r.block.status).toBe('invalid');
    expect(r.block.status === 'invalid' && r.block.error).toMatch(/^certificate 1 in the chain: .*iPAddress .*expected 4 or 16 octets/);
  });

  it('no SAN extension: empty lists and no uris/emailAddresses fields (bundles stay as before)', () => {
    const r = parseCertificatePem(selfSigned('no-san', ['ed25519']));
    expect(r.block.status === 'valid' && r.block.chain[0]).toMatchObject({ dnsNames: [], ipAddresses: [] });
    expect(r.block.status === 'valid' && Object.keys(r.block.chain[0]!)).not.toContain('uris');
    expect(r.block.status === 'valid' && Object.keys(r.block.chain[0]!)).not.toContain('emailAddresses');
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

  // Issue 13: a single unencrypted key block goes to node:crypto as DER of its type (faster); every other form
  // still goes through the PEM reader. Both must give node:crypto's own answer for every form of tls.key.
  it('gives the PEM reader answer for every key encoding: PKCS#8, PKCS#1, SEC1, CRLF, whitespace, extra blocks, encrypted', () => {
    const reference = (cert: string, key: string): boolean => {
      try {
        return new X509Certificate(cert).checkPrivateKey(createPrivateKey({ key, format: 'pem' }));
      } catch {
        return false;
      }
    };
    const ecKey = createPrivateKey(keyA);
    const rsaKey = createPrivateKey(keyB);
    const certB = readFileSync(join(dir, 'match-b.crt'), 'utf8');
    const forms: Record<string, string> = {
      'ec pkcs8': keyA,
      'ec sec1': ecKey.export({ format: 'pem', type: 'sec1' }) as string,
      'rsa pkcs8': keyB,
      'rsa pkcs1': rsaKey.export({ format: 'pem', type: 'pkcs1' }) as string,
      'ec pkcs8 crlf': keyA.replace(/\n/g, '\r\n'),
      'ec pkcs8 padded with blank lines': `\n\n${keyA}\n\n`,
      'ec pkcs8 indented': `  ${keyA}`,
      'ec pkcs8 one long line': `-----BEGIN PRIVATE KEY-----\n${keyA.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')}\n-----END PRIVATE KEY-----\n`,
      'ec parameters then sec1': `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${ecKey.export({ format: 'pem', type: 'sec1' }) as string}`,
      'encrypted pkcs8': ecKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string,
      'encrypted traditional (Proc-Type header)': rsaKey.export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string,
      'mislabelled (RSA PRIVATE KEY holding PKCS#8)': keyB.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'),
      'truncated body': keyA.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END'),
      'bad base64 in body': keyA.replace(/\n([A-Za-z0-9+/]{8})/, '\n$1!'),
      'END marker on the last body line': keyA.replace('\n-----END', '-----END'),
      'end label differs': keyA.replace('-----END PRIVATE KEY-----', '-----END EC PRIVATE KEY-----'),
      'key of the other certificate': keyB,
    };
    for (const [name, key] of Object.entries(forms)) {
      for (const [certName, cert] of [['certA', certA], ['certB', certB]] as const) {
        expect(keyMatchesCertificate(cert, key), `${name} vs ${certName}`).toBe(reference(cert, key));
      }
    }
    expect(keyMatchesCertificate(certA, forms['ec sec1']!)).toBe(true);
    expect(keyMatchesCertificate(certB, forms['rsa pkcs1']!)).toBe(true);
    expect(keyMatchesCertificate(certA, forms['encrypted pkcs8']!)).toBe(false);
  });

  it('KeyCheckMemo answers each (certificate, key) pair as keyMatchesCertificate does, once per distinct pair', () => {
    const memo = new KeyCheckMemo();
    expect(memo.check(certA, keyA)).toBe(true);
    expect(memo.check(certA, keyB)).toBe(false);
    expect(memo.check(certA, keyA)).toBe(true);
    // The same bytes split differently between certificate and key are a different pair.
    expect(memo.check(certA + keyA.slice(0, 10), keyA.slice(10))).toBe(keyMatchesCertificate(certA + keyA.slice(0, 10), keyA.slice(10)));
  });
});

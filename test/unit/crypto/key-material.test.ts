/**
 * The structural key detector (issue 8 item 4): every private-key encoding a careless operator or a hostile
 * sender could put in an object is found; certificates, public keys, digests and ordinary text are not.
 */
import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derPrivateKeyShape, findKeyMaterialInText, findKeyMaterialInValue, scanEncodedRuns } from '../../../src/crypto/key-material.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
const ed = generateKeyPairSync('ed25519').privateKey;
const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey;
const der = (k: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1'): Buffer => k.export({ type, format: 'der' }) as Buffer;
const pem = (k: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1'): string => k.export({ type, format: 'pem' }) as string;
const b64url = (b: Buffer): string => b.toString('base64url');

function cert(): { pem: string; der: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-km-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '2', '-subj', '/CN=c.example'], { stdio: 'ignore' });
  const p = readFileSync(join(dir, 'c'), 'utf8');
  return { pem: p, der: Buffer.from(p.replace(/-----[^-]+-----|\s/g, ''), 'base64') };
}

describe('derPrivateKeyShape', () => {
  it('recognises PKCS#1, PKCS#8 (RSA, EC, Ed25519), SEC1, DSA and encrypted PKCS#8', () => {
    expect(derPrivateKeyShape(der(rsa, 'pkcs1'))).toBe('PKCS#1 RSAPrivateKey');
    for (const k of [rsa, ec, ed, dsa]) expect(derPrivateKeyShape(der(k, 'pkcs8'))).toBe('PKCS#8 PrivateKeyInfo');
    expect(derPrivateKeyShape(der(ec, 'sec1'))).toBe('SEC1 ECPrivateKey');
    expect(derPrivateKeyShape(Buffer.from(dsa.export({ type: 'pkcs8', format: 'der' }) as Buffer))).toBe('PKCS#8 PrivateKeyInfo');
    const enc = ec.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'x' }) as Buffer;
    expect(derPrivateKeyShape(enc)).toBe('PKCS#8 EncryptedPrivateKeyInfo');
  });

  it('does not take a certificate, a public key, a signature or noise for a key', () => {
    const c = cert();
    expect(derPrivateKeyShape(c.der)).toBeUndefined();
    for (const k of [rsa, ec, ed]) expect(derPrivateKeyShape(createPublicKey(k).export({ type: 'spki', format: 'der' }) as Buffer)).toBeUndefined();
    expect(derPrivateKeyShape(createPublicKey(rsa).export({ type: 'pkcs1', format: 'der' }) as Buffer)).toBeUndefined();
    for (let i = 0; i < 200; i++) expect(derPrivateKeyShape(randomBytes(200))).toBeUndefined();
    // truncated and overlong encodings are refused, never thrown on
    const k = der(rsa, 'pkcs1');
    for (let n = 0; n < k.length; n += 37) expect(() => derPrivateKeyShape(k.subarray(0, n))).not.toThrow();
  });
});

describe('findKeyMaterialInText', () => {
  const forms: Array<[string, string]> = [
    ['PEM PKCS#8', pem(rsa, 'pkcs8')],
    ['PEM PKCS#1', pem(rsa, 'pkcs1')],
    ['PEM SEC1', pem(ec, 'sec1')],
    ['base64 DER PKCS#8', der(rsa, 'pkcs8').toString('base64')],
    ['base64 DER PKCS#1', der(rsa, 'pkcs1').toString('base64')],
    ['base64 DER SEC1', der(ec, 'sec1').toString('base64')],
    ['base64 DER Ed25519 PKCS#8 (48 bytes)', der(ed, 'pkcs8').toString('base64')],
    ['base64url DER', b64url(der(ec, 'pkcs8'))],
    ['base64 DER wrapped at 64 (PEM body without armour)', der(rsa, 'pkcs8').toString('base64').replace(/(.{64})/g, '$1\n')],
    ['base64 DER after a prefix', `key=${der(ec, 'sec1').toString('base64')}`],
    ['base64 DER glued to text', `xy${der(ec, 'pkcs8').toString('base64')}`],
    ['hex DER', der(ec, 'sec1').toString('hex')],
    ['hex DER upper case, after a prefix', `0x${der(ed, 'pkcs8').toString('hex').toUpperCase()}`],
    ['base64 of a whole PEM file', Buffer.from(pem(ec, 'pkcs8')).toString('base64')],
    ['base64 of the hex DER', Buffer.from(der(ec, 'sec1').toString('hex')).toString('base64')],
    ['JWK as JSON text', JSON.stringify(ec.export({ format: 'jwk' }))],
    ['JWK oct', JSON.stringify({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' })],
    ['OpenSSH', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'],
    ['OpenSSH blob, base64 without armour', Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(100)]).toString('base64')],
    ['PuTTY', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\nPublic-Lines: 2\n'],
    ['PuTTY, base64', Buffer.from('PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: imported-openssh-key\n').toString('base64')],
    ['encrypted PKCS#8 base64', (ec.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'x' }) as Buffer).toString('base64')],
  ];
  for (const [name, text] of forms) it(`finds ${name}`, () => expect(findKeyMaterialInText(text), name).toBeDefined());

  it('keeps certificates, public keys, digests, signatures and prose', () => {
    const c = cert();
    const clean = [
      c.pem,
      c.der.toString('base64'),
      c.der.toString('hex'),
      Buffer.from(c.pem).toString('base64'),
      createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string,
      (createPublicKey(rsa).export({ type: 'spki', format: 'der' }) as Buffer).toString('base64'),
      JSON.stringify(createPublicKey(ec).export({ format: 'jwk' })),
      'a'.repeat(64) + 'b'.repeat(64),
      randomBytes(32).toString('hex'),
      randomBytes(64).toString('base64'),
      'The quick brown fox jumps over the lazy dog, again and again, until the line is long enough to scan.',
      'sha256:' + randomBytes(32).toString('hex'),
    ];
    for (const s of clean) expect(findKeyMaterialInText(s), s.slice(0, 60)).toBeUndefined();
    let fp = 0;
    for (let i = 0; i < 300; i++) if (findKeyMaterialInText(randomBytes(300).toString(i % 2 ? 'base64' : 'hex'))) fp++;
    expect(fp).toBe(0);
  });
});

describe('findKeyMaterialInValue', () => {
  it('walks member names and values, decodes nothing itself (the parser already did), finds JWK objects', () => {
    expect(findKeyMaterialInValue({ spec: { tls: { options: { 'example.com/key': der(ec, 'sec1').toString('base64') } } } })).toEqual({ path: 'spec.tls.options.example.com/key', form: 'base64 of a DER SEC1 ECPrivateKey' });
    expect(findKeyMaterialInValue({ a: [{ b: ec.export({ format: 'jwk' }) }] })?.path).toBe('a[0].b');
    expect(findKeyMaterialInValue({ keys: [createPublicKey(ec).export({ format: 'jwk' })] })).toBeUndefined();
    expect(findKeyMaterialInValue({ [pem(ec, 'sec1')]: 1 })?.form).toMatch(/member name/);
  });

  it('a 24 MiB base64 or hex run does not overflow the regex stack (it did with a nested quantifier)', () => {
    const blob = randomBytes(18 * 1024 * 1024);
    expect(findKeyMaterialInText(blob.toString('base64'))).toBeUndefined();
    expect(findKeyMaterialInText(blob.subarray(0, 12 * 1024 * 1024).toString('hex'))).toBeUndefined();
    expect(findKeyMaterialInValue({ padding: blob.toString('base64') })).toBeUndefined();
  });

  it('handles deep input without recursion', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 20000; i++) v = [v];
    expect(findKeyMaterialInValue(v)).toBeUndefined();
  });
});

/**
 * The regex form scanEncodedRuns replaced (issue 13: the regex allocated a match per word of every bundle file),
 * kept here as the reference: the same runs, in the same order, must reach the checks.
 */
function regexRuns(s: string, onBase64: (run: string) => boolean, onHex: (run: string) => boolean): boolean {
  const B64_TOKEN = /[A-Za-z0-9+/_-]+={0,2}/g;
  const B64_GAP = /^(?:\r?\n|\\n)[ \t]*$/;
  const MAX = 64 * 1024;
  let run = '';
  let runEnd = -1;
  for (const m of s.matchAll(B64_TOKEN)) {
    const at = m.index;
    if (run !== '' && run.length < MAX && at - runEnd <= 8 && B64_GAP.test(s.slice(runEnd, at))) run += m[0];
    else if (m[0].length < 16) {
      if (run.length >= 64 && onBase64(run)) return true;
      run = '';
    } else {
      if (run.length >= 64 && onBase64(run)) return true;
      run = m[0].length > MAX ? m[0].slice(0, MAX) : m[0];
    }
    runEnd = at + m[0].length;
  }
  if (run.length >= 64 && onBase64(run)) return true;
  if (s.length >= 96) {
    let start = -1;
    for (let i = 0; i <= s.length; i++) {
      const c = i < s.length ? s.charCodeAt(i) : 0;
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0 && i - start >= 96 && onHex(s.slice(start, Math.min(i, start + MAX)))) return true;
      start = -1;
    }
  }
  return false;
}

describe('scanEncodedRuns', () => {
  /** Every run each scan hands to its checks, in order; the checks stop the scan at call `stopAt`. */
  const record = (s: string, stopAt: number): { regex: string[]; loop: string[] } => {
    const regex: string[] = [];
    const loop: string[] = [];
    const rec = (into: string[], kind: string) => (run: string): boolean => into.push(`${kind}:${run}`) === stopAt;
    regexRuns(s, rec(regex, 'b64'), rec(regex, 'hex'));
    scanEncodedRuns(s, (r) => (rec(loop, 'b64')(r) ? true : undefined), (r) => (rec(loop, 'hex')(r) ? true : undefined));
    return { regex, loop };
  };
  // Fragments that exercise token edges: padding (one, two, three '='), CRLF/LF/literal \n gaps with
  // indentation, long base64 and hex, base64url, non-ASCII and JSON punctuation.
  const fragments = ['A', 'Zz09', '    ', '       ', '+/', '-_', '=', '==', '===', '\n', '\r\n', '\r', '\\n', '\\', 'n', ' ', '  ', '\t', '"', ':', ',', '{', 'é', '\u2028', 'deadBEEF', '0123456789abcdef', 'QUJD'.repeat(5), 'ab'.repeat(50), randomBytes(60).toString('base64'), randomBytes(60).toString('hex'), randomBytes(40).toString('base64url')];
  it('hands the checks the same runs as the regex form, in the same order (random texts)', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let nonEmpty = 0;
    for (let t = 0; t < 3000; t++) {
      let s = '';
      const parts = 1 + next(60);
      for (let i = 0; i < parts; i++) s += fragments[next(fragments.length)];
      const { regex, loop } = record(s, 1 + next(4));
      expect(loop, JSON.stringify(s)).toEqual(regex);
      if (regex.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(500);
  });

  it('hands the checks the same runs for real key encodings, PEM bodies and a 70 KiB run', () => {
    const body = (k: KeyObject): string => pem(k, 'pkcs8').split('\n').slice(1, -2).join('\n    ');
    const texts = [body(rsa), `key: |\r\n  ${body(ec).replace(/\n/g, '\r\n  ')}\r\n`, der(ed, 'pkcs8').toString('hex'), `"x":"${randomBytes(72 * 1024).toString('base64')}"`, `${randomBytes(200).toString('hex')}==${randomBytes(80).toString('base64')}`];
    // gaps of every length around the 8-character join limit, after each newline form
    for (const nl of ['\n', '\r\n', '\\n', '\r', '']) for (let k = 0; k <= 10; k++) texts.push(`${'A'.repeat(70)}${nl}${' '.repeat(k)}${'B'.repeat(k % 2 ? 20 : 8)}=`, `${'c'.repeat(16)}${nl}${'\t'.repeat(k)}${'D'.repeat(60)}`);
    for (const s of texts) for (const stop of [1, 2, 1000]) expect(record(s, stop).loop, JSON.stringify(s.slice(0, 200))).toEqual(record(s, stop).regex);
  });
});

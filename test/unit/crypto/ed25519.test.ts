import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vectors from '../../vectors/ed25519/rfc8032.json' with { type: 'json' };
import { bytesToHex, generateKeyPair, hexToBytes, keyIdOf, parsePrivateKeyPem, parsePublicKey, privateKeyPem, publicKeyPem, sign, signingKeyFromSeed, verify } from '../../../src/crypto/index.ts';
import { KEYS_DIR } from '../bundle/fixture.ts';

describe('ed25519 (RFC 8032 §7.1 vectors)', () => {
  for (const v of vectors) {
    it(`${v.name}: public key, signature, verification`, () => {
      const key = signingKeyFromSeed(hexToBytes(v.secretKey));
      expect(bytesToHex(key.publicKey.raw)).toBe(v.publicKey);
      const msg = hexToBytes(v.message);
      const sig = sign(msg, key);
      expect(bytesToHex(sig)).toBe(v.signature);
      expect(verify(sig, msg, key.publicKey)).toBe(true);
      const bad = new Uint8Array(sig);
      bad[0] ^= 1;
      expect(verify(bad, msg, key.publicKey)).toBe(false);
      expect(verify(sig, new Uint8Array([...msg, 0]), key.publicKey)).toBe(false);
    });
  }

  it('is strict RFC 8032: rejects a non-canonical S (S + L) that ZIP215-lenient code would accept', () => {
    const v = vectors[0]!;
    const key = signingKeyFromSeed(hexToBytes(v.secretKey));
    const sig = hexToBytes(v.signature);
    // S' = S + L (little-endian), the classic malleability case.
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    let s2 = s + L;
    const mall = new Uint8Array(sig);
    for (let i = 32; i < 64; i++) {
      mall[i] = Number(s2 & 0xffn);
      s2 >>= 8n;
    }
    expect(verify(mall, new Uint8Array(), key.publicKey)).toBe(false);
  });

  it('returns false (never throws) for malformed lengths', () => {
    const key = signingKeyFromSeed(new Uint8Array(32));
    expect(verify(new Uint8Array(63), new Uint8Array(), key.publicKey)).toBe(false);
    expect(verify(new Uint8Array(64), new Uint8Array(), new Uint8Array(31))).toBe(false);
  });
});

describe('keys', () => {
  it('reads OpenSSL-generated PKCS#8 and SPKI PEM, and the key id matches openssl pkey | sha256sum', () => {
    const priv = parsePrivateKeyPem(readFileSync(`${KEYS_DIR}collector.test-only.key.pem`, 'utf8'));
    const pub = parsePublicKey(readFileSync(`${KEYS_DIR}collector.pub.pem`, 'utf8'));
    expect(priv.keyId).toBe(pub.keyId);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', `${KEYS_DIR}collector.pub.pem`, '-outform', 'DER']);
    expect(keyIdOf(new Uint8Array(der))).toBe(pub.keyId);
    expect(pub.keyId).toBe('6b43515efe08780a88b062143d881c991cd32d39db11988d0b870c867c3305ea');
  });

  it('round-trips its own PEM, which OpenSSL reads back to the same public key', () => {
    const key = generateKeyPair(() => new Uint8Array(32).fill(9));
    expect(parsePrivateKeyPem(privateKeyPem(key)).keyId).toBe(key.keyId);
    expect(parsePublicKey(publicKeyPem(key.publicKey)).keyId).toBe(key.keyId);
    const dir = mkdtempSync(join(tmpdir(), 'gwe-keys-'));
    writeFileSync(join(dir, 'k.pem'), privateKeyPem(key));
    const pub = execFileSync('openssl', ['pkey', '-in', join(dir, 'k.pem'), '-pubout'], { encoding: 'utf8' });
    expect(pub).toBe(publicKeyPem(key.publicKey));
  });

  it('accepts a raw base64 32-byte public key', () => {
    const pub = parsePublicKey(readFileSync(`${KEYS_DIR}reviewer.pub.pem`, 'utf8'));
    expect(parsePublicKey(Buffer.from(pub.raw).toString('base64')).keyId).toBe(pub.keyId);
  });

  it('rejects other key types and forms with a message naming the file', () => {
    expect(() => parsePublicKey('not a key', 'k.pub')).toThrow(/k\.pub: expected a PEM "PUBLIC KEY" block or a base64 32-byte/);
    const ec = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n-----END PUBLIC KEY-----\n';
    expect(() => parsePublicKey(ec, 'ec.pem')).toThrow(/ec\.pem: expected an Ed25519 SPKI public key/);
    expect(() => parsePrivateKeyPem(readFileSync(`${KEYS_DIR}collector.pub.pem`, 'utf8'), 'pub.pem')).toThrow(/pub\.pem: expected one PEM "PRIVATE KEY" block, found a "PUBLIC KEY" block/);
  });
});

// Bug: an RSA or EC key given where an Ed25519 key is expected was reported as "N DER bytes of another key
// type or form", and an encrypted PKCS#8 key gave no hint. Now the message names the algorithm found (by OID)
// and says how to decrypt / convert.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { parsePrivateKeyPem, parsePublicKey } from '../../src/crypto/index.ts';

describe('regression: wrong-key-type-message', () => {
  it('names RSA and EC keys, private and public', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = (k: import('node:crypto').KeyObject, type: 'pkcs8' | 'spki') => k.export({ format: 'pem', type }) as string;
    expect(() => parsePrivateKeyPem(pem(rsa.privateKey, 'pkcs8'), 'rsa.pem')).toThrow(/^rsa\.pem: expected an Ed25519 PKCS#8 private key .* found \d+ DER bytes of an RSA key \(OID 1\.2\.840\.113549\.1\.1\.1\)$/);
    expect(() => parsePrivateKeyPem(pem(ec.privateKey, 'pkcs8'), 'ec.pem')).toThrow(/found \d+ DER bytes of an EC key/);
    expect(() => parsePublicKey(pem(rsa.publicKey, 'spki'), 'rsa.pub')).toThrow(/^rsa\.pub: expected an Ed25519 SPKI public key .* found \d+ DER bytes of an RSA key/);
    expect(() => parsePublicKey(pem(ec.publicKey, 'spki'), 'ec.pub')).toThrow(/of an EC key/);
  });
  it('explains an encrypted private key', () => {
    const ed = generateKeyPairSync('ed25519');
    const enc = ed.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }) as string;
    expect(() => parsePrivateKeyPem(enc, 'enc.pem')).toThrow(/enc\.pem: expected one PEM "PRIVATE KEY" block, found an "ENCRYPTED PRIVATE KEY" block \(password-protected; decrypt it first/);
  });
});

/**
 * Regression (issue 13 item 2, the verify content scan's text fast path, commit 2830e46): JSON text without a
 * backslash is scanned as text and parsed only on a hit. As first written it also skipped the parse for text
 * holding a JWK the text pattern does not know (a kty that is not letters, a private member whose value starts
 * with another character): the value walk flags those, the text scan did not, so the key went unreported. Now text
 * with a "kty" member always takes the walk. The scan of every file must say exactly what the walk of its parsed
 * value says (hit or not), for every shape of key material and for the near misses.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanContent } from '../../src/bundle/check.ts';
import { findKeyMaterialInValue } from '../../src/crypto/key-material.ts';

const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const der = ec.privateKey.export({ type: 'pkcs8', format: 'der' });
const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const jwk = ec.privateKey.export({ format: 'jwk' }) as Record<string, string>;
const pubJwk = ec.publicKey.export({ format: 'jwk' }) as Record<string, string>;

/** Key material and near misses, as JSON values; none of their JSON texts holds a backslash (the fast path). */
const VALUES: Record<string, unknown> = {
  'jwk, usual kty': { spec: { key: jwk } },
  'jwk, kty with a digit': { spec: { key: { ...jwk, kty: 'EC2' } } },
  'jwk, empty kty': { spec: { key: { kty: '', d: 'x' } } },
  'jwk, private member starting with +': { spec: { key: { kty: 'EC', crv: 'P-256', d: '+abc' } } },
  'jwk, oct k': { a: [{ kty: 'oct', k: '=' }] },
  'jwk, public only': { spec: { key: pubJwk } },
  'kty as a value, not a member': { note: 'kty', d: 'x' },
  'base64 DER in a value': { data: { k: der.toString('base64') } },
  'base64 DER as a member name': { [der.toString('base64')]: 1 },
  'base64url DER': { v: der.toString('base64url') },
  'hex DER': { v: der.toString('hex') },
  'base64 of the PEM file': { v: Buffer.from(pem).toString('base64') },
  'DER split across two values': { a: der.toString('base64').slice(0, 40), b: der.toString('base64').slice(40) },
  'plain text': { metadata: { name: 'x', labels: { a: 'b' } }, spec: { n: 1, s: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' } },
};

describe('verify content scan: the text fast path says what the value walk says', () => {
  for (const [label, value] of Object.entries(VALUES)) {
    it(label, () => {
      const text = JSON.stringify(value);
      expect(text.includes('\\')).toBe(false);
      const expected = findKeyMaterialInValue(value) !== undefined;
      const found = scanContent(new Map([['data/objects/x.json', enc(text)]]), undefined).filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY');
      expect(found.length > 0, `${label}: ${text.slice(0, 80)}`).toBe(expected);
    });
  }

  it('the JWKs the text pattern does not know are found, with their place', () => {
    const files = new Map(['jwk, kty with a digit', 'jwk, empty kty', 'jwk, private member starting with +'].map((l, i) => [`data/objects/${i}.json`, enc(JSON.stringify(VALUES[l]))]));
    const found = scanContent(files, undefined).map((f) => f.message);
    expect(found).toEqual([
      'data/objects/0.json: expected no private key material in evidence, found a JWK private key (kty EC2, member "d") at spec.key',
      'data/objects/1.json: expected no private key material in evidence, found a JWK private key (kty , member "d") at spec.key',
      'data/objects/2.json: expected no private key material in evidence, found a JWK private key (kty EC, member "d") at spec.key',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/dsse/pae.json' with { type: 'json' };
import { constantTimeEqual, pae, sha256Hex } from '../../../src/crypto/index.ts';

describe('pae (DSSE v1)', () => {
  for (const v of vectors) {
    it(v.name, () => {
      expect(new TextDecoder().decode(pae(v.payloadType, new TextEncoder().encode(v.payload)))).toBe(v.pae);
    });
  }
  it('counts bytes, not characters', () => {
    expect(new TextDecoder().decode(pae('t', new TextEncoder().encode('é')))).toBe('DSSEv1 1 t 2 é');
  });
});

describe('sha256 and constantTimeEqual', () => {
  it('hashes the empty string to the FIPS 180-4 value', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('compares', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1]))).toBe(true);
  });
});

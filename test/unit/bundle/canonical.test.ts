import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/jcs/rfc8785.json' with { type: 'json' };
import { canonicalBytes, canonicalize } from '../../../src/bundle/canonical.ts';

describe('canonicalize (RFC 8785 JCS)', () => {
  for (const v of vectors.objects) {
    it(v.name, () => {
      expect(canonicalize(JSON.parse(v.input))).toBe(v.output);
    });
  }
  it('formats numbers as in Appendix B', () => {
    for (const [hex, text] of vectors.numbers) {
      const n = Buffer.from(hex!, 'hex').readDoubleBE(0);
      expect(canonicalize(n), hex).toBe(text);
    }
  });
  it('rejects NaN and Infinity', () => {
    for (const hex of vectors.invalidNumbers) expect(() => canonicalize(Buffer.from(hex, 'hex').readDoubleBE(0))).toThrow(/JSON cannot represent/);
  });
  it('rejects lone surrogates, undefined in arrays, functions and bigints; omits undefined members', () => {
    expect(() => canonicalize({ a: '\ud800' })).toThrow(/lone UTF-16 surrogate/);
    expect(() => canonicalize([undefined])).toThrow(/undefined/);
    expect(() => canonicalize({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalize(1n)).toThrow(/bigint/);
    expect(canonicalize({ b: 1, a: undefined })).toBe('{"b":1}');
  });
  it('encodes UTF-8 bytes', () => {
    expect([...canonicalBytes('é')]).toEqual([0x22, 0xc3, 0xa9, 0x22]);
  });
});

import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/jcs/rfc8785.json' with { type: 'json' };
import { canonicalBytes, canonicalize, canonicalizeExact } from '../../../src/bundle/canonical.ts';

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
  it('fast path (native JSON.stringify over key-sorted objects) gives exactly the spec writer\'s text', () => {
    // Deterministic pseudo-random values with the awkward cases: unsorted and array-index-like keys, "__proto__"
    // members (from JSON.parse), non-ASCII and astral keys, escapes, numbers in every notation, undefined members.
    let seed = 42;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const keys = ['b', 'a', 'Z', 'é', '😀', '\u00e9', '10', '9', '0', '01', '__proto__', 'a\nb', '', 'aa', 'a"b'];
    const leaf = (): unknown => [1, -0, 0.1, 1e21, 1e-7, -5e-324, 'x', 'é😀\u0001"\\', true, false, null, '\\ud800 text'][rnd(12)];
    const gen = (depth: number): unknown => {
      if (depth > 3 || rnd(3) === 0) return leaf();
      if (rnd(2) === 0) return Array.from({ length: rnd(4) }, () => gen(depth + 1));
      const o = JSON.parse('{}') as Record<string, unknown>;
      for (let i = rnd(6); i > 0; i--) Object.defineProperty(o, keys[rnd(keys.length)]!, { value: rnd(8) === 0 ? undefined : gen(depth + 1), enumerable: true, writable: true, configurable: true });
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const v = gen(0);
      expect(canonicalize(v)).toBe(canonicalizeExact(v));
    }
  });
  it('keeps a "__proto__" member of a parsed object when it has to reorder members', () => {
    expect(canonicalize(JSON.parse('{"b":1,"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2,"b":1}');
  });
});


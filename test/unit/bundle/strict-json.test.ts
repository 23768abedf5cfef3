import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseStrictJson } from '../../../src/bundle/strict-json.ts';

const p = (s: string) => parseStrictJson(new TextEncoder().encode(s));

describe('parseStrictJson', () => {
  it('accepts canonical JSON', () => {
    expect(p('{"a":[1,{"b":null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] }, text: '{"a":[1,{"b":null}]}' });
  });
  it('rejects duplicate keys, also when spelled with escapes or nested', () => {
    expect(p('{"a":1,"a":2}')).toMatchObject({ ok: false, problem: 'DUPLICATE_KEY' });
    expect(p('{"a":1,"\\u0061":2}')).toMatchObject({ ok: false, problem: 'DUPLICATE_KEY' });
    expect(p('{"x":[{"k":1,"k":1}]}')).toMatchObject({ ok: false, problem: 'DUPLICATE_KEY' });
  });
  it('does not confuse equal keys in sibling objects or strings that look like keys', () => {
    expect(p('[{"a":1},{"a":2}]')).toMatchObject({ ok: true });
    expect(p('{"a":"\\"a\\":","b":["a","a"]}')).toMatchObject({ ok: true });
  });
  it('rejects __proto__ keys', () => {
    expect(p('{"__proto__":{}}')).toMatchObject({ ok: false, problem: 'PROTO_KEY' });
    expect(p('{"a":{"__proto__":1}}')).toMatchObject({ ok: false, problem: 'PROTO_KEY' });
  });
  it('rejects non-canonical spellings, a BOM, invalid UTF-8 and syntax errors', () => {
    expect(p('{"b":1,"a":2}')).toMatchObject({ ok: false, problem: 'NOT_CANONICAL' });
    expect(p('{"a": 1}')).toMatchObject({ ok: false, problem: 'NOT_CANONICAL' });
    expect(p('{"a":1.0}')).toMatchObject({ ok: false, problem: 'NOT_CANONICAL' });
    expect(p('\ufeff{}')).toMatchObject({ ok: false, problem: 'INVALID_JSON' });
    expect(parseStrictJson(new Uint8Array([0x22, 0xff, 0x22]))).toMatchObject({ ok: false, problem: 'INVALID_JSON' });
    expect(p('{"a":')).toMatchObject({ ok: false, problem: 'INVALID_JSON' });
  });

  it('bounds nesting at MAX_JSON_DEPTH (the collector refuses deeper input), without overflowing the stack', () => {
    const enc = new TextEncoder();
    const nest = (n: number, inner = ''): Uint8Array => enc.encode(`${'['.repeat(n)}${inner}${']'.repeat(n)}`);
    expect(parseStrictJson(nest(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    for (const n of [MAX_JSON_DEPTH + 1, 20_000, 300_000]) {
      expect(parseStrictJson(nest(n))).toEqual({ ok: false, problem: 'TOO_DEEP', message: `expected JSON nested at most ${MAX_JSON_DEPTH} levels deep, found deeper` });
    }
    // The slow path (not canonical) is bounded too.
    expect(parseStrictJson(nest(20_000, ' '))).toMatchObject({ ok: false, problem: 'TOO_DEEP' });
    expect(parseStrictJson(enc.encode(`{"a":${'{"b":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}}`))).toMatchObject({ ok: false, problem: 'TOO_DEEP' });
  });
});

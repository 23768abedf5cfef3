import { describe, expect, it } from 'vitest';
import { validateRule } from '../../../src/resolve/index.ts';
import { re2Problem } from '../../../src/resolve/rules.ts';

const setHeader = (name: unknown, value: unknown) => ({
  filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name, value }] } }],
});

describe('header-modifier values (HTTPHeader.Value, RFC 7230 field-value)', () => {
  // The experimental CRD's own pattern, used here only as the oracle on short strings (it backtracks
  // exponentially on long hostile input, which is why the engine uses an equivalent linear form).
  const CRD = /^[!-~]+([\t ]?[!-~]+)*$/;
  const alphabet = ['a', '~', '!', ' ', '\t', '\r', '\n', '\u0000', '\u007f', '\u00e9'];

  it('agrees with the CRD pattern on every string of up to 4 characters over a hostile alphabet', () => {
    let checked = 0;
    const walk = (s: string): void => {
      const problem = validateRule('HTTPRoute', setHeader('X-H', s), 0);
      expect(problem === undefined, JSON.stringify(s)).toBe(CRD.test(s));
      checked++;
      if (s.length < 4) for (const c of alphabet) walk(s + c);
    };
    walk('');
    expect(checked).toBeGreaterThan(10000);
  });

  it('rejects CR LF injection with UnsupportedValue naming the header, and stays linear on long input', () => {
    expect(validateRule('HTTPRoute', setHeader('X-Tenant', 'a\r\nX-Admin: true'), 2)).toMatchObject({ reason: 'UnsupportedValue', message: expect.stringContaining('rule 2 requestHeaderModifier: set[0] header X-Tenant') });
    // 4096 visible characters followed by a control character: answered without catastrophic backtracking.
    expect(validateRule('HTTPRoute', setHeader('X-Long', `${'a '.repeat(2047)}a\u0000`), 0)?.reason).toBe('UnsupportedValue');
    expect(validateRule('HTTPRoute', setHeader('X-Long', 'a'.repeat(4097)), 0)?.reason).toBe('UnsupportedValue');
    expect(validateRule('HTTPRoute', setHeader('X-Ok', 'a'.repeat(4096)), 0)).toBeUndefined();
  });

  it('checks header names (RFC 7230 token) in set, add and remove, on GRPCRoute too', () => {
    expect(validateRule('HTTPRoute', setHeader('Bad Name', 'v'), 0)?.message).toContain('is not an HTTP header name');
    expect(validateRule('GRPCRoute', setHeader('x-md', 'a\nb'), 0)?.reason).toBe('UnsupportedValue');
    const remove = { filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['X-Ok', 'x:bad'] } }] };
    expect(validateRule('HTTPRoute', remove, 0)?.message).toContain('remove[1]');
    const missingValue = { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'X-A' }] } }] };
    expect(validateRule('HTTPRoute', missingValue, 0)?.reason).toBe('UnsupportedValue');
  });
});

describe('RegularExpression matches: RE2 dialect (re2js), not JavaScript RegExp', () => {
  it.each([
    ['^/api/v[0-9]+/.*$', true],
    ['(?P<id>[a-z]+)', true],
    ['(?i)admin', true],
    ['\\p{Greek}+', true],
    ['a(?=b)', false], // lookahead: JavaScript accepts it, RE2 does not
    ['(?<!x)y', false], // lookbehind
    ['(a)\\1', false], // backreference
    ['(abc', false],
    ['a{1001}', false], // RE2 repeat limit 1000
    ['a++', false], // possessive quantifier
  ])('%s compiles in RE2: %s', (pattern, ok) => {
    expect(re2Problem(pattern) === undefined).toBe(ok);
    const rule = { matches: [{ path: { type: 'RegularExpression', value: pattern } }] };
    expect(validateRule('HTTPRoute', rule, 0) === undefined).toBe(ok);
  });

  it('checks header, query and GRPC method patterns, and rejects over-long patterns', () => {
    expect(validateRule('HTTPRoute', { matches: [{ headers: [{ type: 'RegularExpression', name: 'h', value: '(' }] }] }, 0)?.reason).toBe('UnsupportedValue');
    expect(validateRule('HTTPRoute', { matches: [{ queryParams: [{ type: 'RegularExpression', name: 'q', value: '[' }] }] }, 0)?.reason).toBe('UnsupportedValue');
    expect(validateRule('HTTPRoute', { matches: [{ headers: [{ type: 'Exact', name: 'h', value: '(' }] }] }, 0)).toBeUndefined();
    expect(validateRule('GRPCRoute', { matches: [{ method: { type: 'RegularExpression', service: 'a\\.b', method: 'Get(?=x)' } }] }, 0)?.message).toContain('method.method');
    expect(validateRule('GRPCRoute', { matches: [{ headers: [{ type: 'RegularExpression', name: 'h', value: '(?<=a)' }] }] }, 0)?.reason).toBe('UnsupportedValue');
    expect(re2Problem('a'.repeat(4097))).toMatch(/longer than 4096/);
    // A path RegularExpression without a value defaults to "/" (CRD default), which compiles.
    expect(validateRule('HTTPRoute', { matches: [{ path: { type: 'RegularExpression' } }] }, 0)).toBeUndefined();
  });
});

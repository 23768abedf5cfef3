import { describe, expect, it } from 'vitest';
import { validateRule } from '../../../src/resolve/index.ts';

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

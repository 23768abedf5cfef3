import { describe, expect, it } from 'vitest';
import { isUtcSeconds, parseRfc3339, rfc3339Ms, toUtcSeconds } from '../../../src/model/time.ts';

describe('parseRfc3339 (strict RFC 3339 section 5.6)', () => {
  it('parses Z, offsets and fractions', () => {
    expect(rfc3339Ms('2026-11-01T00:00:00Z')).toBe(Date.UTC(2026, 10, 1));
    expect(rfc3339Ms('2026-11-01T00:30:00-02:30')).toBe(Date.UTC(2026, 10, 1, 3));
    expect(rfc3339Ms('2024-02-29t23:59:59.75z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 750));
    expect(rfc3339Ms('0050-01-01T00:00:00Z')).toBe(Date.parse('0050-01-01T00:00:00Z')); // not 1950 (Date.UTC maps 0-99)
  });
  it.each([
    ['2026-02-30T00:00:00Z', 'day out of range for the month'],
    ['2026-11-31T00:00:00Z', 'day out of range for the month'],
    ['2100-02-29T00:00:00Z', 'day out of range for the month'],
    ['2026-11-01T24:00:00Z', 'time out of range'],
    ['2026-11-01T23:59:60Z', 'time out of range'],
    ['2026-00-01T00:00:00Z', 'month out of range'],
    ['2026-11-01T00:00:00+24:00', 'offset out of range'],
    ['2026-11-01', 'not in YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM) form'],
    ['Nov 1 2026', 'not in YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM) form'],
    [' 2026-11-01T00:00:00Z', 'not in YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM) form'],
  ])('rejects %s (%s)', (s, why) => {
    expect(parseRfc3339(s)).toEqual({ ok: false, why });
  });
  it('isUtcSeconds is the bundle form only', () => {
    expect(isUtcSeconds('2026-11-01T00:00:00Z')).toBe(true);
    expect(isUtcSeconds('2026-11-01T00:00:00+00:00')).toBe(false);
    expect(isUtcSeconds('2026-11-01T00:00:00.0Z')).toBe(false);
    expect(isUtcSeconds('2026-02-30T00:00:00Z')).toBe(false);
    expect(isUtcSeconds(3)).toBe(false);
    expect(toUtcSeconds(Date.UTC(2026, 10, 1, 0, 0, 1, 999))).toBe('2026-11-01T00:00:01Z');
  });
});

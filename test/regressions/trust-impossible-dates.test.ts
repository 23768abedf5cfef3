// Bug (issue 8 item 15): trust-file dates that do not exist (2026-11-31, 2026-02-30, T24:00:00) were rolled over
// by Date.parse and accepted (notAfter 2026-11-31 silently meant 2026-12-01). One strict RFC 3339 parser
// (src/model/time.ts, the one --captured-at uses) now reads every time string.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureSeconds } from '../../src/bundle/build.ts';
import { captureTimeOfId } from '../../src/chain/index.ts';
import { resolveCapturedAt } from '../../src/collect.ts';
import { InputError } from '../../src/errors.ts';
import { parseTrust } from '../../src/verify/trust.ts';

const sample = readFileSync(new URL('../../keys/trust.yaml', import.meta.url), 'utf8');
const withNotAfter = (v: string): string => sample.replace('notAfter: "2030-12-31T23:59:59Z"', `notAfter: "${v}"`);
const IMPOSSIBLE = ['2026-11-31T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-01T24:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-01T12:60:00Z'];

describe('regression: trust-impossible-dates', () => {
  it.each(IMPOSSIBLE)('parseTrust rejects notAfter %s, naming the file and field', (v) => {
    let err: unknown;
    try {
      parseTrust(withNotAfter(v), 'trust.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^trust\.yaml: .*\/keys\/0\/notAfter/);
  });

  it('still accepts real dates, leap days and offsets', () => {
    for (const v of ['2028-02-29T00:00:00Z', '2030-12-31T23:59:59+01:00', '2030-12-31T23:59:59.5Z']) {
      expect(parseTrust(withNotAfter(v), 'trust.yaml').keys[0]!.notAfter).toBe(v);
    }
  });

  it('uses the same parser as --captured-at, for capture times in bundles and chain ids', () => {
    for (const v of IMPOSSIBLE) {
      expect(() => resolveCapturedAt(v, () => new Date(0))).toThrow(/--captured-at/);
      expect(() => captureSeconds(v)).toThrow(/capture time/);
    }
    expect(captureTimeOfId('gwe-20260230t000000z-0123456789abcdef')).toBeUndefined();
    expect(captureTimeOfId('gwe-20261101t000000z-0123456789abcdef')).toBe(Date.UTC(2026, 10, 1));
  });
});

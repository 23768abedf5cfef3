import { describe, expect, it } from 'vitest';
import { AUDIT_GAP_TOLERANCE_SECONDS, windowGaps } from '../../../src/audit/checks.ts';

const file = (name: string, first: string, last: string) => ({ name, first, last });
const gaps = (since: string | undefined, until: string, files: ReturnType<typeof file>[]) =>
  windowGaps(since, until, files).map((f) => ({ code: f.code, severity: f.severity, ...(f.detail as { from: string; to: string; where: string }) }));

describe('audit window gaps (AUDIT_WINDOW_GAP)', () => {
  it('rotated files 00:00-06:00 and 12:00-24:00 leave the interior hole 06:00-12:00, with its bounds', () => {
    const out = gaps('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', [file('a.log', '2026-11-01T00:00:05Z', '2026-11-01T06:00:00Z'), file('b.log.gz', '2026-11-01T12:00:00Z', '2026-11-01T23:59:58Z')]);
    expect(out).toEqual([{ code: 'AUDIT_WINDOW_GAP', severity: 'warning', from: '2026-11-01T06:00:00Z', to: '2026-11-01T12:00:00Z', where: 'interior', seconds: 21600 }]);
    expect(windowGaps('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', [file('a.log', '2026-11-01T00:00:05Z', '2026-11-01T06:00:00Z'), file('b.log.gz', '2026-11-01T12:00:00Z', '2026-11-01T23:59:58Z')])[0]!.message).toContain('360 min');
  });

  it('the order of the files does not matter, and overlapping files (several API servers) cover each other', () => {
    const a = file('apiserver-1.log', '2026-11-01T00:00:00Z', '2026-11-01T10:00:00Z');
    const b = file('apiserver-2.log', '2026-11-01T08:00:00Z', '2026-11-01T18:00:00Z');
    const c = file('apiserver-3.log', '2026-11-01T02:00:00Z', '2026-11-01T03:00:00Z');
    expect(gaps('2026-11-01T00:00:00Z', '2026-11-01T18:00:00Z', [b, c, a])).toEqual([]);
  });

  it('a hole up to the tolerance is no gap; one second more is', () => {
    const t = AUDIT_GAP_TOLERANCE_SECONDS;
    expect(t).toBe(300);
    const atTol = [file('a', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z'), file('b', '2026-11-01T01:05:00Z', '2026-11-01T02:00:00Z')];
    expect(gaps('2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z', atTol)).toEqual([]);
    const over = [file('a', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z'), file('b', '2026-11-01T01:05:01Z', '2026-11-01T02:00:00Z')];
    expect(gaps('2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z', over).map((g) => [g.from, g.to])).toEqual([['2026-11-01T01:00:00Z', '2026-11-01T01:05:01Z']]);
  });

  it('only the part of a hole inside the window counts, and holes outside it are ignored', () => {
    const files = [file('old', '2026-10-01T00:00:00Z', '2026-10-01T01:00:00Z'), file('a', '2026-10-20T00:00:00Z', '2026-11-01T03:00:00Z'), file('b', '2026-11-01T05:00:00Z', '2026-11-03T00:00:00Z')];
    // The hole 2026-10-01..2026-10-20 is before the window; 03:00..05:00 is inside.
    expect(gaps('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', files).map((g) => [g.where, g.from, g.to])).toEqual([['interior', '2026-11-01T03:00:00Z', '2026-11-01T05:00:00Z']]);
    // A hole that straddles the window start is reported from the window start.
    const straddle = [file('a', '2026-10-31T00:00:00Z', '2026-10-31T22:00:00Z'), file('b', '2026-11-01T02:00:00Z', '2026-11-02T00:00:00Z')];
    expect(gaps('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', straddle).map((g) => [g.where, g.from, g.to])).toEqual([['interior', '2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z']]);
  });

  it('edges and interior together, in time order', () => {
    const files = [file('a', '2026-11-01T01:00:00Z', '2026-11-01T02:00:00Z'), file('b', '2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z'), file('c', '2026-11-01T07:00:00Z', '2026-11-01T08:00:00Z')];
    expect(gaps('2026-11-01T00:00:00Z', '2026-11-01T10:00:00Z', files).map((g) => [g.where, g.from, g.to])).toEqual([
      ['start', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z'],
      ['interior', '2026-11-01T02:00:00Z', '2026-11-01T04:00:00Z'],
      ['interior', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z'],
      ['end', '2026-11-01T08:00:00Z', '2026-11-01T10:00:00Z'],
    ]);
  });

  it('without a start (no --audit-since, no previous bundle) interior holes are still found', () => {
    const files = [file('a', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z'), file('b', '2026-11-01T03:00:00Z', '2026-11-01T04:00:00Z')];
    expect(gaps(undefined, '2026-11-01T04:00:00Z', files).map((g) => g.where)).toEqual(['interior']);
  });

  it('no timestamped event at all is one gap for the whole window', () => {
    const out = windowGaps('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', [{ name: 'empty.log' }]);
    expect(out.map((f) => f.code)).toEqual(['AUDIT_WINDOW_GAP']);
    expect(out[0]!.message).toContain('no timestamped event');
  });
});

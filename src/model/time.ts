/**
 * The one strict RFC 3339 date-time parser (section 5.6 `date-time`) used everywhere a time string is read:
 * `--captured-at`, trust-file `notBefore`/`notAfter`, capture times and certificate validity in bundles.
 * `Date.parse` is never used on such strings: it rolls calendar-invalid values over (`2026-02-30` becomes
 * March 2, `2026-11-31` December 1, `T24:00:00` the next day) and accepts forms RFC 3339 does not.
 * Pure: no clock.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** The bundle's own form: UTC, seconds precision, upper-case T and Z (docs/bundle-format.md section 1.1). */
const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export type Rfc3339Result = { ok: true; ms: number } | { ok: false; why: string };

/**
 * Parses an RFC 3339 date-time strictly. Month 01-12, day within the month (leap years per the Gregorian
 * calendar), hour 00-23, minute and second 00-59 (leap second 60 is refused: no leap-second table offline),
 * offset hours 00-23 and minutes 00-59. Fractional seconds are kept to the millisecond (truncated).
 */
export function parseRfc3339(s: string): Rfc3339Result {
  const m = RFC3339.exec(s);
  if (!m) return { ok: false, why: 'not in YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM) form' };
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12) return { ok: false, why: 'month out of range' };
  if (d < 1 || d > daysInMonth(y, mo)) return { ok: false, why: 'day out of range for the month' };
  if (h > 23 || mi > 59 || sec > 59) return { ok: false, why: 'time out of range' };
  let offsetMin = 0;
  const tz = m[8]!;
  if (tz !== 'Z' && tz !== 'z') {
    const oh = Number(tz.slice(1, 3));
    const om = Number(tz.slice(4, 6));
    if (oh > 23 || om > 59) return { ok: false, why: 'offset out of range' };
    offsetMin = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec, frac));
  date.setUTCFullYear(y);
  return { ok: true, ms: date.getTime() - offsetMin * 60_000 };
}

/** Milliseconds since the epoch of a strict RFC 3339 date-time, or undefined when it is not one. */
export function rfc3339Ms(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const r = parseRfc3339(s);
  return r.ok ? r.ms : undefined;
}

/** True for the bundle's capture-time form (`2026-11-01T00:00:00Z`) that is also a real date and time. */
export function isUtcSeconds(s: unknown): s is string {
  return typeof s === 'string' && UTC_SECONDS.test(s) && parseRfc3339(s).ok;
}

/** `ms` as the bundle's capture-time form, truncated to seconds. */
export function toUtcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

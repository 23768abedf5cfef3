// Issue 13: the shortened-table note groups its counts as toLocaleString('en-US') does, without loading ICU.
import { describe, expect, it } from 'vitest';
import { groupDigits, truncatedNote } from '../../../src/report/truncated.ts';
import { prng } from '../../helpers/prng.ts';

describe('report/truncated.ts', () => {
  it('groups digits exactly as toLocaleString("en-US") for every size of integer', () => {
    const xs = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 99999, 100000, 999999, 1000000, 1234567, 12345678, 123456789, 2 ** 31, 2 ** 53 - 1];
    const r = prng(13);
    for (let k = 0; k < 2000; k++) xs.push(Math.floor(r.next() * 10 ** (1 + (k % 15))));
    for (const n of xs) expect(groupDigits(n), String(n)).toBe(n.toLocaleString('en-US'));
  });

  it('falls back to toLocaleString for what is not a non-negative safe integer', () => {
    for (const n of [-1, -1234, 1.5, 1234.5678, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });

  it('writes the note with both counts grouped', () => {
    expect(truncatedNote('routing', 2000, 123456, 'routing rows')).toBe('<p class="truncated" id="routing-truncated">Showing 2,000 of 123,456 routing rows; the full list is in <code>gwe report BUNDLE -o json</code>.</p>');
  });
});

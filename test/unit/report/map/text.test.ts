import { describe, expect, it } from 'vitest';
import { textWidth, wrapText } from '../../../../src/report/map/text.ts';

describe('map text: estimate and wrap', () => {
  it('keeps every character and no line is wider than asked (a single character excepted)', () => {
    const s = 'infra/very-long-gateway-name.with.dots_and_underscores:listener-name-that-goes-on-and-on-1234567890';
    const lines = wrapText(s, 120, 12, true);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join('')).toBe(s);
    for (const l of lines) expect(textWidth(l, 12, true)).toBeLessThanOrEqual(120);
  });

  it('breaks after a separator near the end of the line rather than inside a word', () => {
    expect(wrapText('namespace/route-name-abc', 110, 12)).toEqual(['namespace/', 'route-name-abc']);
  });

  it('counts wide characters as wide, so that CJK names are not clipped', () => {
    expect(textWidth('\u6f22\u5b57', 10)).toBeGreaterThanOrEqual(20);
    expect(textWidth('ab', 10)).toBeLessThan(textWidth('\u6f22\u5b57', 10));
  });

  it('wraps a string with no separators by splitting it', () => {
    const s = 'x'.repeat(100);
    const lines = wrapText(s, 60, 10);
    expect(lines.join('')).toBe(s);
    expect(lines.every((l) => textWidth(l, 10) <= 60)).toBe(true);
  });
});

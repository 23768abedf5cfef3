/**
 * Text measurement for the map without a font: a conservative estimate of rendered width (system-ui sans-serif),
 * so that boxes are always at least as wide as their text and labels are never cut off. Long names are wrapped,
 * never clipped: breaks go after `/ . - _ :` when one is near the end of the line, else the word is split.
 */

/** Estimated advance of one character, in em: wide (CJK, emoji) 1.0, capitals and digits 0.68, others 0.6. */
function charEm(cp: number): number {
  if (cp >= 0x2e80) return 1.0;
  if ((cp >= 0x41 && cp <= 0x5a) || cp === 0x57 || cp === 0x6d || cp === 0x77 || cp === 0x40 || cp === 0x25) return 0.72;
  if (cp >= 0x30 && cp <= 0x39) return 0.62;
  return 0.6;
}

/** Estimated width in px of `s` at `fontSize` (bold adds 6%). Overestimates rather than under. */
export function textWidth(s: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of s) em += charEm(ch.codePointAt(0)!);
  return Math.ceil(em * fontSize * (bold ? 1.06 : 1));
}

const BREAK_AFTER = new Set(['/', '.', '-', '_', ':', ' ', ',', '\u00b7', '\u203a']);

/** Wraps `s` into lines of at most `maxWidth` px (estimated). Every character is kept; nothing is elided. */
export function wrapText(s: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const chars = [...s];
  if (chars.length === 0) return [''];
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let width = 0;
    let lastBreak = -1;
    const scale = fontSize * (bold ? 1.06 : 1);
    while (end < chars.length) {
      const w = charEm(chars[end]!.codePointAt(0)!) * scale;
      if (Math.ceil(width + w) > maxWidth && end > start) break;
      width += w;
      if (BREAK_AFTER.has(chars[end]!)) lastBreak = end;
      end++;
    }
    // Prefer a break after a separator in the last 70% of the line.
    if (end < chars.length && lastBreak >= start && lastBreak - start + 1 >= (end - start) * 0.3) end = lastBreak + 1;
    lines.push(chars.slice(start, end).join('').replace(/ +$/, ''));
    start = end;
    while (start < chars.length && chars[start] === ' ') start++;
  }
  return lines;
}

/**
 * The one escaper for human output (issue 8 item 2, terminal escape injection). Every string that comes from
 * a bundle or an input file is hostile: an ESC/CSI/OSC sequence can erase the FAILED line and print
 * "VERIFIED", set the window title or clear the screen; a bidi override (U+202E, Trojan Source,
 * CVE-2021-42574) or a zero-width character can make a name read as another. Pure.
 *
 * What is unsafe: every C0 and C1 control and DEL (Unicode Cc), every format character (Cf: bidi embeddings,
 * overrides and isolates U+202A-202E/U+2066-2069, LRM/RLM/ALM, zero-width U+200B-200D, word joiner and
 * invisible operators U+2060-2064, BOM U+FEFF, interlinear annotation U+FFF9-FFFB, tag characters
 * U+E0000-E007F, soft hyphen...), the line and paragraph separators U+2028/U+2029 (Zl, Zp) and lone
 * surrogates (Cs).
 *
 * Three uses, one character class:
 * - `escapeText` for a value embedded in text or Markdown (a name, a finding message): everything unsafe,
 *   newline and tab included (a value must never start a line of its own), as `\xNN` / `\u{XXXX}`;
 * - `terminalSafe` at the CLI's output writer (src/cli/main.ts), so no renderer can forget: everything
 *   unsafe except the newline and tab our own layout uses, as `\uXXXX` (astral: a surrogate pair), which
 *   is also a valid escape inside a JSON string and a YAML double-quoted scalar, so JSON and YAML output stay
 *   valid and mean the same;
 * - `displayName` for archive entry names (bytes): only printable ASCII kept.
 *
 * This module (escape.ts) holds the escapers and nothing else, so the CLI's output writer loads no YAML
 * library at start-up (issue 13); display.ts re-exports them with the YAML writer.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
// eslint-disable-next-line no-control-regex
const UNSAFE_ONE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

// terminalSafe's class: the same minus `\n` and `\t`, which it keeps. Cc is exactly U+0000-001F and U+007F-009F
// (Unicode General_Category, a stable set), so it is spelled out without those two: a whole report has a
// newline on every line, and matching each one only to hand it back cost ~1 s on a 62 MiB SARIF (issue 13).
// eslint-disable-next-line no-control-regex
const UNSAFE_TERMINAL = /[\0-\x08\x0B-\x1F\x7F-\x9F\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
// eslint-disable-next-line no-control-regex
const UNSAFE_TERMINAL_ONE = /[\0-\x08\x0B-\x1F\x7F-\x9F\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const hex = (c: number, n: number): string => c.toString(16).padStart(n, '0');

/** True when `s` holds a character that must not reach a terminal raw. */
export function hasUnsafeText(s: string): boolean {
  return UNSAFE_ONE.test(s);
}

/**
 * A value for text or Markdown: every unsafe character (newline and tab included, unless `keepLines`) as
 * `\xNN` or `\u{XXXX}`. `keepLines` is for HTML, where a newline cannot start a line of output.
 */
export function escapeText(s: string, opts: { keepLines?: boolean } = {}): string {
  if (!UNSAFE_ONE.test(s)) return s;
  return s.replace(UNSAFE, (ch) => {
    if (opts.keepLines && (ch === '\n' || ch === '\t')) return ch;
    const c = ch.codePointAt(0)!;
    return c < 0x100 ? `\\x${hex(c, 2)}` : `\\u{${c.toString(16)}}`;
  });
}

/**
 * A whole output text for a terminal: every unsafe character except `\n` and `\t` as `\uXXXX` (JSON and
 * YAML double-quoted escapes; an astral character as its surrogate pair).
 */
export function terminalSafe(text: string): string {
  if (!UNSAFE_TERMINAL_ONE.test(text)) return text;
  return text.replace(UNSAFE_TERMINAL, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${hex(ch.charCodeAt(i), 4)}`;
    return out;
  });
}

/** Render an attacker-controlled name for messages: printable ASCII kept, other bytes (or latin1 chars) as \xNN. */
export function displayName(bytes: Uint8Array | string): string {
  let out = '';
  if (typeof bytes === 'string') {
    for (const ch of bytes) {
      const c = ch.codePointAt(0)!;
      out += c >= 0x20 && c < 0x7f ? ch : c < 0x100 ? `\\x${hex(c, 2)}` : `\\u{${c.toString(16)}}`;
    }
    return out;
  }
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${hex(b, 2)}`;
  return out;
}

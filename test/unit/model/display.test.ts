import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { displayName, escapeText, hasUnsafeText, safeYamlStringify, terminalSafe } from '../../../src/model/display.ts';

// Every class the escaper must cover (issue 8 item 2): C0, DEL, C1, bidi, zero-width, BOM, separators, tags, lone surrogate.
const UNSAFE = ['\x00', '\x07', '\x08', '\t', '\n', '\r', '\x1b', '\x7f', '\x85', '\x9b', '\x9d', '\u061c', '\u200b', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029', '\u2060', '\ufeff', '\ufff9', '\u{e0001}', '\u{e0041}', '\ud800', '\udfff'];

describe('display escaper', () => {
  it('escapeText escapes every unsafe character, newline and tab included, and nothing else', () => {
    for (const c of UNSAFE) {
      expect(hasUnsafeText(c), JSON.stringify(c)).toBe(true);
      expect(escapeText(`a${c}b`), JSON.stringify(c)).toMatch(/^a\\(x[0-9a-f]{2}|u\{[0-9a-f]+\})b$/);
    }
    expect(escapeText('\x1b[31m')).toBe('\\x1b[31m');
    expect(escapeText('\u202e')).toBe('\\u{202e}');
    for (const s of ['plain ascii', 'café', '日本語', 'emoji 🙂', 'a\\x1b literal']) expect(escapeText(s)).toBe(s);
  });

  it('escapeText keepLines keeps newline and tab only', () => {
    expect(escapeText('a\nb\tc\rd\x1b', { keepLines: true })).toBe('a\nb\tc\\x0dd\\x1b');
  });

  it('terminalSafe keeps newline and tab, writes JSON-compatible \\uXXXX escapes', () => {
    const s = UNSAFE.filter((c) => c !== '\n' && c !== '\t').join('');
    const out = terminalSafe(`{"v":"${s}"}\n\t`);
    expect(hasUnsafeText(out.replace(/[\n\t]/g, ''))).toBe(false);
    expect(out.endsWith('\n\t')).toBe(true);
    // the escaped text is valid JSON meaning the same string (C0 excepted: JSON.stringify escapes those itself)
    const v = UNSAFE.filter((c) => c.charCodeAt(0) >= 0x7f).join('');
    expect(JSON.parse(terminalSafe(JSON.stringify({ v }))).v).toBe(v);
  });

  it('terminalSafe escapes exactly the characters hasUnsafeText finds, except newline and tab, over every code point', () => {
    // Its class is spelled out (Cc as U+0000-001F/U+007F-009F minus \n and \t) rather than derived from the
    // escapeText class: this holds the two to the same set of characters.
    for (let c = 0; c <= 0x10ffff; c++) {
      const ch = c >= 0xd800 && c <= 0xdfff ? String.fromCharCode(c) : String.fromCodePoint(c);
      const kept = ch === '\n' || ch === '\t' || !hasUnsafeText(ch);
      const out = terminalSafe(`a${ch}b`);
      if (kept !== (out === `a${ch}b`)) expect.fail(`U+${c.toString(16)}: expected ${kept ? 'kept' : 'escaped'}, found ${JSON.stringify(out)}`);
    }
  });

  it('safeYamlStringify + terminalSafe round-trips hostile strings', () => {
    const value = { 'k\u202e': `v${UNSAFE.filter((c) => !/[\ud800-\udfff]/.test(c) || c.length === 2).join('')}`, plain: 'ok', n: 1 };
    const text = terminalSafe(safeYamlStringify(value, { lineWidth: 0 }));
    expect(hasUnsafeText(text.replace(/\n/g, ''))).toBe(false);
    expect(parse(text)).toEqual(value);
  });

  it('displayName keeps printable ASCII only', () => {
    expect(displayName('a/b\u00df\n')).toBe('a/b\\xdf\\x0a');
    expect(displayName(new Uint8Array([0x61, 0x1b, 0xff]))).toBe('a\\x1b\\xff');
  });
});

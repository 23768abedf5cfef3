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
 */

import { Document, visit, type CreateNodeOptions, type DocumentOptions, type SchemaOptions, type ToStringOptions } from 'yaml';

export { displayName, escapeText, hasUnsafeText, terminalSafe } from './escape.ts';
import { hasUnsafeText } from './escape.ts';

/**
 * YAML for output: like `yaml.stringify`, but a string holding an unsafe character is written double-quoted,
 * so that the output writer's `\uXXXX` escapes (terminalSafe) keep their meaning: the YAML parses back to
 * the same value. Plain or block scalars would turn them into literal text.
 */
export function safeYamlStringify(value: unknown, options: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {}): string {
  const doc = new Document(value, options);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasUnsafeText(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(options);
}

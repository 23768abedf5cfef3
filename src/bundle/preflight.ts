/**
 * preflightBundle: the structural checks default `gwe verify` runs, applied to a bundle collect is about to
 * write (issue 8 item 6: collect must never write a bundle its own verifier rejects). Pure.
 *
 * - The archive caps of the strict reader (src/bundle/reader.ts DEFAULT_CAPS), computed from the sizes the
 *   deterministic writer produces instead of re-reading the archive (a re-read costs ~18% of a collect):
 *   compressed bytes, inflated bytes, the inflation ratio above RATIO_FLOOR_BYTES (a huge repetitive
 *   annotation compresses past it), entries, bytes per file, path length and depth. The formulas are those of
 *   readArchive/gunzipStrict; test/regressions/collect-writes-bundle-verify-rejects.test.ts holds them equal.
 * - `__proto__` member names: every JSON file whose bytes contain `"__proto__"` is parsed with the verifier's
 *   strict parser (src/bundle/strict-json.ts), which rejects such a key anywhere.
 */
import { DEFAULT_CAPS, RATIO_FLOOR_BYTES, type Caps } from './reader.ts';
import { parseStrictJson } from './strict-json.ts';

export interface PreflightInput {
  /** The .tar.gz bytes. */
  bytes: Uint8Array;
  /** Every archive entry: full path (root included) and its bytes, as given to the tar writer. */
  entries: ReadonlyArray<{ path: string; bytes: Uint8Array }>;
}

export interface PreflightProblem {
  code: 'CAP_EXCEEDED' | 'RATIO_EXCEEDED' | 'PROTO_KEY';
  /** The archive entry concerned, when there is one. */
  path?: string;
  message: string;
}

const BLOCK = 512;
const PROTO = Buffer.from('"__proto__"');

/** Problems that would make default `gwe verify` reject the bundle; empty when it would accept its structure. */
export function preflightBundle(input: PreflightInput, caps: Caps = DEFAULT_CAPS): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const gz = input.bytes.length;
  // The writer: one 512-byte header per entry, data padded to 512, two zero blocks at the end (tar.ts).
  let tar = 2 * BLOCK;
  for (const e of input.entries) tar += BLOCK + Math.ceil(e.bytes.length / BLOCK) * BLOCK;
  if (gz > caps.maxCompressedBytes) problems.push({ code: 'CAP_EXCEEDED', message: `the bundle would be ${gz} bytes, over verify's default cap of ${caps.maxCompressedBytes} compressed bytes (--max-compressed-bytes)` });
  if (tar > caps.maxUncompressedBytes) problems.push({ code: 'CAP_EXCEEDED', message: `the bundle would inflate to ${tar} bytes, over verify's default cap of ${caps.maxUncompressedBytes} (--max-bytes)` });
  else if (tar > Math.max(RATIO_FLOOR_BYTES, gz * caps.maxRatio)) {
    const largest = [...input.entries].sort((a, b) => b.bytes.length - a.bytes.length).slice(0, 3);
    problems.push({
      code: 'RATIO_EXCEEDED',
      message: `the bundle would inflate ${(tar / gz).toFixed(0)}x (${tar} bytes from ${gz}), over verify's default cap of ${caps.maxRatio}x (--max-ratio) that stops decompression bombs: the input holds highly repetitive data; largest files: ${largest.map((e) => `${e.path} (${e.bytes.length} bytes)`).join(', ')}`,
    });
  }
  if (input.entries.length > caps.maxEntries) problems.push({ code: 'CAP_EXCEEDED', message: `the bundle would hold ${input.entries.length} files, over verify's default cap of ${caps.maxEntries} entries (--max-entries)` });
  for (const e of input.entries) {
    if (e.bytes.length > caps.maxFileBytes) problems.push({ code: 'CAP_EXCEEDED', path: e.path, message: `${e.path}: ${e.bytes.length} bytes, over verify's default cap of ${caps.maxFileBytes} bytes per file (--max-file-bytes)` });
    if (e.path.length > caps.maxPathLength) problems.push({ code: 'CAP_EXCEEDED', path: e.path, message: `${e.path}: a path of ${e.path.length} characters, over verify's cap of ${caps.maxPathLength}` });
    if (e.path.split('/').length > caps.maxPathDepth) problems.push({ code: 'CAP_EXCEEDED', path: e.path, message: `${e.path}: over verify's cap of ${caps.maxPathDepth} path segments` });
    if (e.path.endsWith('.json') && Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).indexOf(PROTO) >= 0) {
      const r = parseStrictJson(e.bytes);
      if (!r.ok && r.problem === 'PROTO_KEY') problems.push({ code: 'PROTO_KEY', path: e.path, message: `${e.path}: ${r.message}` });
    }
  }
  return problems;
}

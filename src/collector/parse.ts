/**
 * Manifest bytes -> plain JSON values, strictly (issue 8 items 9 and 17). Every input document is refused with a
 * named InputError (file, document, path, what was expected, what was found) rather than crashing or being
 * normalised with a loss:
 * - bytes that are not UTF-8 (a decoder would put U+FFFD in their place);
 * - nesting deeper than MAX_JSON_DEPTH, checked before any recursive walk (JSON: a scan of the text before
 *   parsing; YAML: the parser's own stack limit, then the value walk), and aliases that contain themselves;
 * - YAML alias expansion beyond MAX_ALIAS_COUNT (the yaml package's "Excessive alias count" guard);
 * - duplicate keys, in JSON as in YAML (JSON.parse would keep the last one silently);
 * - integers outside +-(2^53-1) (they would be rounded) and numbers that overflow to Infinity (`1e400`, `.inf`)
 *   or are NaN;
 * - strings or keys holding a lone UTF-16 surrogate (canonical JSON, RFC 8785 / I-JSON, cannot hold them);
 * - YAML values JSON has no type for: `!!binary` (bytes), `!!timestamp` (a Date), `!!set`, `!!omap`, `!!pairs`,
 *   and unresolved custom tags (their meaning would be dropped).
 * What this accepts is exactly what the bundle writer can write canonically and what `verify` accepts.
 */
import { isUtf8 } from 'node:buffer';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../errors.ts';
import { MAX_JSON_DEPTH } from '../bundle/strict-json.ts';

/** YAML aliases expanded per document before we call it an alias bomb (the yaml package's default, made explicit). */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedDocument {
  /** 1-based document index in the file. */
  index: number;
  /** A mapping (null for an empty document); arrays and scalars are refused. */
  value: Record<string, unknown> | null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Parses one input file: JSON when it starts with `{` or `[` and parses as JSON, else (multi-document) YAML.
 * @throws InputError INPUT_INVALID naming the file, the document and the path of the first problem.
 */
export function parseManifestFile(display: string, bytes: Uint8Array): ParsedDocument[] {
  const text = decodeUtf8(display, bytes).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    let json = true;
    try {
      value = JSON.parse(text);
    } catch {
      json = false; // YAML flow style is a superset; YAML errors are reported below
    }
    if (json) {
      // Fast path (issue 13): text that is exactly its own re-serialisation has nothing JSON.parse hides.
      if (provenByReserialisation(text, value)) return [{ index: 1, value: asMapping(value, display, 1) }];
      // Valid JSON: the text scan sees what JSON.parse hides (duplicate keys, rounded integers) and bounds the
      // depth before any recursive walk of the value.
      const problem = scanJsonText(text);
      if (problem) throw inputError(display, undefined, problem.path, problem.message);
      return [{ index: 1, value: asMapping(toPlain(value, display, undefined), display, 1) }];
    }
  }
  const docs = parseAllDocuments(text, { uniqueKeys: true, intAsBigInt: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const result: ParsedDocument[] = [];
  list.forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
      // The yaml package turns its own stack overflow into a parse error: that is nesting too deep.
      if (/Maximum call stack size exceeded/.test(e.message)) {
        throw new InputError('INPUT_INVALID', `"${display}" document ${index}${where}: expected YAML nested at most ${MAX_JSON_DEPTH} levels deep, found it nested deeper than the parser can follow`, { file: display });
      }
      throw new InputError('INPUT_INVALID', `"${display}" document ${index}${where}: expected YAML or JSON, found a parse error: ${e.message.split('\n')[0]}`, { file: display });
    }
    const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (tag) {
      const where = tag.linePos?.[0] ? ` at line ${tag.linePos[0].line}, column ${tag.linePos[0].col}` : '';
      throw new InputError('INPUT_INVALID', `"${display}" document ${index}${where}: expected only the YAML core schema tags, found ${tag.message.split('\n')[0].replace(/ at line .*$/, '')} (its meaning would be lost)`, { file: display });
    }
    let v: unknown;
    try {
      v = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message)) {
        throw new InputError('INPUT_INVALID', `"${display}" document ${index}: expected YAML aliases to expand to at most ${MAX_ALIAS_COUNT} nodes, found more (an alias bomb: ${e.message})`, { file: display });
      }
      if (e instanceof RangeError) {
        throw new InputError('INPUT_INVALID', `"${display}" document ${index}: expected YAML nested at most ${MAX_JSON_DEPTH} levels deep, found deeper (${e.message})`, { file: display });
      }
      throw new InputError('INPUT_INVALID', `"${display}" document ${index}: expected YAML that converts to JSON values, found ${(e as Error).message}`, { file: display, cause: e });
    }
    const plain = v === null || v === undefined ? null : toPlain(v, display, index);
    result.push({ index, value: plain === null ? null : asMapping(plain, display, index) });
  });
  return result;
}

/** Go's encoding/json escapes these (HTML-safe output, kubectl's default); JSON.stringify writes them as they are. */
const GO_ESCAPED = /[<>&\u2028\u2029]/g;
const GO_ESCAPABLE = /[<>&\u2028\u2029]/;
const goEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Whether `text` (valid JSON, already parsed into `value`) is proven to hold nothing that the strict scan
 * (scanJsonText) and the value walk (toPlain) would refuse, without running either: when the text is
 * byte for byte `JSON.stringify(value, null, indent)` (the indentation `kubectl get -o json` and most tools
 * write, optionally with Go's HTML escaping of < > & U+2028 U+2029 and one trailing newline), then
 * - no member name was repeated (JSON.parse keeps one member per name: the re-serialisation would be shorter);
 * - every number token is the shortest form of its value, so none overflowed to Infinity (that prints `null`)
 *   and none was rounded, except integers of 16 digits or more that happen to print the same (2^53 itself):
 *   any run of 16 digits sends the file to the scan;
 * - nesting deeper than MAX_JSON_DEPTH shows as a line indented MAX_JSON_DEPTH levels (an empty container at
 *   that depth sits on such a line, a non-empty one has its members deeper), so one `indexOf` bounds it;
 * - a lone surrogate can only come from a `\u` escape (the text is valid UTF-8): any `\uD800`-`\uDFFF` escape
 *   sends the file to the scan.
 * The value is then what toPlain would return (JSON.parse builds plain objects; a `__proto__` member is an own
 * data property there too). Anything else (compact JSON, other escapes, CRLF) is decided by the scan, as before.
 */
function provenByReserialisation(text: string, value: unknown): boolean {
  if (text.charCodeAt(1) !== 0x0a) return false; // compact or oddly laid out: the scan decides
  let indent = 0;
  while (text.charCodeAt(2 + indent) === 0x20) indent++;
  if (indent < 1 || indent > 10) return false;
  if (text.indexOf(`\n${' '.repeat(indent * MAX_JSON_DEPTH)}`) >= 0) return false;
  for (let i = text.indexOf('\\u'); i >= 0; i = text.indexOf('\\u', i + 2)) {
    const c = text.charCodeAt(i + 2);
    if (c === 0x64 || c === 0x44) return false; // \uD... : possibly a lone surrogate
  }
  if (hasDigitRun(text, 16)) return false;
  let out: string;
  try {
    out = JSON.stringify(value, null, indent);
  } catch {
    return false; // nesting beyond the stack: the scan reports it
  }
  if (matchesWithNewline(text, out)) return true;
  if (text.length === out.length || !GO_ESCAPABLE.test(out)) return false;
  return matchesWithNewline(text, out.replace(GO_ESCAPED, goEscape));
}

/**
 * Whether `text` holds a run of at least `n` (>= 8) ASCII digits, exactly as /[0-9]{n}/ would say. Such a run
 * covers a whole aligned block of 8 characters, so only every 8th character is looked at until one is a
 * digit; its run is then measured both ways (issue 13: ~3x faster than the regular expression over 32 MB).
 */
export function hasDigitRun(text: string, n: number): boolean {
  if (n < 8) throw new RangeError(`hasDigitRun: expected a run length of at least 8, found ${n}`);
  const len = text.length;
  for (let j = 0; j < len; j += 8) {
    const c = text.charCodeAt(j);
    if (c < 0x30 || c > 0x39) continue;
    let a = j;
    while (a > 0) {
      const d = text.charCodeAt(a - 1);
      if (d < 0x30 || d > 0x39) break;
      a--;
    }
    let b = j + 1;
    while (b < len) {
      const d = text.charCodeAt(b);
      if (d < 0x30 || d > 0x39) break;
      b++;
    }
    if (b - a >= n) return true;
    j = b - 1 - ((b - 1) % 8); // the loop goes on at the first aligned character after this run
  }
  return false;
}

function matchesWithNewline(text: string, out: string): boolean {
  if (text.length === out.length) return text === out;
  // A slice compares at memcmp speed; String.prototype.startsWith walks character by character.
  return text.length === out.length + 1 && text.charCodeAt(out.length) === 0x0a && text.slice(0, out.length) === out;
}

function asMapping(v: unknown, display: string, index: number): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new InputError('INPUT_INVALID', `"${display}" document ${index}: expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`, { file: display });
  }
  return v as Record<string, unknown>;
}

function inputError(display: string, index: number | undefined, path: string, message: string): InputError {
  const doc = index === undefined ? '' : ` document ${index}`;
  // A path 512 levels deep is shown by its start (the field that holds the deep value).
  const shown = path.length > 160 ? `${path.slice(0, 160).replace(/\[[^\]]*$/, '')}...` : path;
  return new InputError('INPUT_INVALID', `"${display}"${doc} at ${path === '' ? 'the top level' : shown}: ${message}`, { file: display, fields: path === '' ? [] : [shown] });
}

/** `items[3].metadata.labels["app.kubernetes.io/name"]`. */
function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * The UTF-8 text of `bytes`, or an InputError naming the byte offset of the first invalid sequence. A lenient
 * decoder would replace it with U+FFFD and the bundle would hold a value the input never had.
 */
export function decodeUtf8(display: string, bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return buf.toString('utf8');
  const at = firstInvalidUtf8(bytes);
  const shown = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new InputError('INPUT_INVALID', `"${display}": expected UTF-8 text, found an invalid UTF-8 sequence at byte ${at} (${shown}); it would be replaced by U+FFFD`, { file: display });
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

/**
 * One linear pass over valid JSON text: nesting depth (before anything walks the parsed value recursively),
 * duplicate member names (compared decoded, so "a" and "\u0061" are the same) and integer literals that
 * JSON.parse would round. Returns the first problem with its path.
 */
export function scanJsonText(text: string): { path: string; message: string } | undefined {
  type Frame = { arr: true; index: number } | { arr: false; keys: Set<string>; key: string | undefined; expectKey: boolean };
  const stack: Frame[] = [];
  const pathOf = (extra?: string | number): string => {
    let p = '';
    for (const f of stack) {
      if (f.arr) p = join(p, f.index);
      else if (f.key !== undefined) p = join(p, f.key);
    }
    return extra === undefined ? p : join(p, extra);
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      const top = stack[stack.length - 1];
      if (top && !top.arr && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) {
          top.key = undefined;
          return { path: pathOf(), message: `expected unique keys in a mapping, found ${JSON.stringify(key)} twice (JSON.parse would keep the last one, YAML input is refused for the same)` };
        }
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= MAX_JSON_DEPTH) return { path: pathOf(), message: `expected JSON nested at most ${MAX_JSON_DEPTH} levels deep, found deeper` };
      stack.push(c === 0x7b ? { arr: false, keys: new Set(), key: undefined, expectKey: true } : { arr: true, index: 0 });
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.arr) top.index++;
      else if (top) top.expectKey = true;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) j++;
        else break;
      }
      const token = text.slice(i, j);
      const problem = numberProblem(token, Number(token), /^-?\d+$/.test(token));
      if (problem) return { path: pathOf(), message: problem };
      i = j;
    } else i++;
  }
  return undefined;
}

function numberProblem(source: string, v: number, integer: boolean): string | undefined {
  if (Number.isNaN(v)) return `expected a number, found ${source} (NaN has no JSON form)`;
  if (!Number.isFinite(v)) return `expected a finite number, found ${source.length > 40 ? `${source.slice(0, 40)}...` : source} (it overflows to Infinity, which JSON cannot represent)`;
  if (integer && !Number.isSafeInteger(v)) return `expected an integer within +-(2^53-1), found ${source} (it would be rounded to ${v})`;
  return undefined;
}

/**
 * A copy of `v` as plain JSON values (objects, arrays, strings, finite numbers, booleans, null), walked with a
 * depth bound and a check for values that contain themselves (a YAML alias inside its own anchor). YAML bigints
 * (intAsBigInt) become numbers when they are safe integers.
 * @throws InputError naming the path of the first value that has no lossless JSON form.
 */
function toPlain(root: unknown, display: string, index: number | undefined): unknown {
  const ancestors = new Set<object>();
  const walk = (v: unknown, path: string, depth: number): unknown => {
    switch (typeof v) {
      case 'string':
        if (LONE_SURROGATE.test(v)) throw inputError(display, index, path, 'expected a string of Unicode characters, found a lone UTF-16 surrogate (canonical JSON cannot hold it)');
        return v;
      case 'boolean':
        return v;
      case 'number': {
        const p = numberProblem(String(v), v, false);
        if (p) throw inputError(display, index, path, p);
        return v;
      }
      case 'bigint': {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(-Number.MAX_SAFE_INTEGER)) {
          throw inputError(display, index, path, `expected an integer within +-(2^53-1), found ${v} (it would be rounded to ${Number(v)})`);
        }
        return Number(v);
      }
      case 'object': {
        if (v === null) return null;
        if (depth >= MAX_JSON_DEPTH) throw inputError(display, index, path, `expected values nested at most ${MAX_JSON_DEPTH} levels deep, found deeper`);
        if (ancestors.has(v)) throw inputError(display, index, path, 'expected a tree of values, found a YAML alias that refers to a node containing itself');
        if (Array.isArray(v)) {
          ancestors.add(v);
          const out = v.map((x, i) => walk(x, join(path, i), depth + 1));
          ancestors.delete(v);
          return out;
        }
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw inputError(display, index, path, `expected a JSON value (mapping, list, string, number, boolean or null), found ${kindOf(v)}`);
        ancestors.add(v);
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          if (LONE_SURROGATE.test(k)) throw inputError(display, index, path, `expected keys of Unicode characters, found ${JSON.stringify(k)} with a lone UTF-16 surrogate`);
          // defineProperty: a "__proto__" key stays a plain member (the normaliser decides what to do with it).
          Object.defineProperty(out, k, { value: walk(x, join(path, k), depth + 1), enumerable: true, writable: true, configurable: true });
        }
        ancestors.delete(v);
        return out;
      }
      default:
        throw inputError(display, index, path, `expected a JSON value, found a ${typeof v}`);
    }
  };
  return walk(root, '', 0);
}

function kindOf(v: object): string {
  if (v instanceof Uint8Array) return 'binary data (!!binary), which has no JSON form';
  if (v instanceof Date) return 'a timestamp (!!timestamp), which has no JSON form (quote it to keep it as a string)';
  if (v instanceof Set) return 'a set (!!set), which has no JSON form';
  if (v instanceof Map) return 'an ordered map (!!omap or !!pairs), which has no JSON form';
  return `an object of type ${(v as { constructor?: { name?: string } }).constructor?.name ?? 'unknown'}`;
}

/**
 * Strict JSON for hostile input (evidence-formats.md attack 5/8: parser differentials). Every JSON file in a
 * bundle must be canonical (RFC 8785), which rules out duplicate keys (JSON.parse keeps the last one, other
 * parsers the first), whitespace games and alternative number spellings. `__proto__` keys are rejected
 * everywhere, because code that copies such an object can change its prototype.
 */
import { isUtf8 } from 'node:buffer';
import { canonicalize } from './canonical.ts';

export type StrictJsonProblem = 'INVALID_JSON' | 'DUPLICATE_KEY' | 'PROTO_KEY' | 'NOT_CANONICAL' | 'TOO_DEEP';

/**
 * Deepest nesting of objects and arrays accepted, in bundles and in collect inputs alike (the collector refuses
 * deeper input, so it never writes what this rejects). Kubernetes objects nest a few dozen levels at most (CRD
 * schemas); the bound keeps every recursive walk (canonical JSON, resolution, reports) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 512;

export type StrictJsonResult =
  /** `text`: the UTF-8 text the value was parsed from (so a caller that scans it does not decode the bytes again). */
  | { ok: true; value: unknown; text?: string }
  | { ok: false; problem: StrictJsonProblem; message: string };

/**
 * Parses `bytes` as UTF-8 JSON and checks it: no duplicate keys, no `__proto__` key, and (when
 * `requireCanonical`) the bytes are exactly the canonical form of the parsed value.
 */
export function parseStrictJson(bytes: Uint8Array, requireCanonical = true): StrictJsonResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isUtf8(buf)) return { ok: false, problem: 'INVALID_JSON', message: 'expected UTF-8 text, found invalid UTF-8' };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { ok: false, problem: 'INVALID_JSON', message: 'expected JSON, found a byte order mark' };
  const text = buf.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: 'INVALID_JSON', message: `expected JSON, found a syntax error (${(e as Error).message})` };
  }
  // Fast path (native): JSON.stringify already escapes strings and formats numbers as RFC 8785 requires
  // (§3.2.2.2, §3.2.2.3), so text === JSON.stringify(value) with every object's keys in sorted order means the
  // text is canonical; a duplicate key would be lost in re-serialisation and fail the comparison. Escaped
  // surrogates (possible lone surrogates, not I-JSON) take the slow path.
  if (text.indexOf('\\u') < 0 || !/\\u[dD][89a-fA-F]/.test(text)) {
    let same: boolean;
    try {
      same = JSON.stringify(value) === text;
    } catch {
      return tooDeep(); // JSON.stringify overflows its stack only far beyond MAX_JSON_DEPTH
    }
    if (same) {
      const walk = sortedNoProto(value, '$', 0);
      if (walk === undefined) return { ok: true, value, text };
      if (walk.deep) return tooDeep();
      if (walk.proto) return { ok: false, problem: 'PROTO_KEY', message: `expected no "__proto__" key, found one at ${walk.path}` };
    }
  }
  // Every walk below is recursive: bound the depth first.
  if (deeperThan(value, MAX_JSON_DEPTH)) return tooDeep();
  // Slow path: full canonical comparison, then find the precise problem.
  let canonical: string | undefined;
  try {
    canonical = canonicalize(value);
  } catch {
    canonical = undefined;
  }
  if (canonical === text) {
    const proto = findProtoKey(value, '$');
    if (proto) return { ok: false, problem: 'PROTO_KEY', message: `expected no "__proto__" key, found one at ${proto}` };
    return { ok: true, value, text };
  }
  const dup = findDuplicateKey(text);
  if (dup) return { ok: false, problem: dup.proto ? 'PROTO_KEY' : 'DUPLICATE_KEY', message: dup.message };
  const proto = findProtoKey(value, '$');
  if (proto) return { ok: false, problem: 'PROTO_KEY', message: `expected no "__proto__" key, found one at ${proto}` };
  if (canonical === undefined) return { ok: false, problem: 'NOT_CANONICAL', message: 'expected I-JSON (RFC 7493), found a value canonical JSON cannot represent (a lone surrogate)' };
  if (requireCanonical) return { ok: false, problem: 'NOT_CANONICAL', message: 'expected RFC 8785 canonical JSON, found a different serialisation of the same value' };
  return { ok: true, value, text };
}

function tooDeep(): StrictJsonResult {
  return { ok: false, problem: 'TOO_DEEP', message: `expected JSON nested at most ${MAX_JSON_DEPTH} levels deep, found deeper` };
}

/** True when objects/arrays nest more than `limit` levels (the walk itself stops at the limit). */
function deeperThan(value: unknown, limit: number, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= limit) return true;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== null && typeof v === 'object' && deeperThan(v, limit, depth + 1)) return true;
  }
  return false;
}

/**
 * Undefined when every object has sorted keys (UTF-16 order) and no `__proto__` and nothing nests deeper than
 * MAX_JSON_DEPTH; else where it fails.
 */
function sortedNoProto(value: unknown, path: string, depth: number): { path: string; proto: boolean; deep?: boolean } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { path, proto: false, deep: true };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') {
        const r = sortedNoProto(v, path, depth + 1);
        if (r) return r;
      }
    }
    return undefined;
  }
  let prev: string | undefined;
  for (const k in value) {
    if (k === '__proto__') return { path, proto: true };
    if (prev !== undefined && !(prev < k)) return { path, proto: false };
    prev = k;
    const v = (value as Record<string, unknown>)[k];
    if (v !== null && typeof v === 'object') {
      const r = sortedNoProto(v, path, depth + 1);
      if (r) return r;
    }
  }
  return undefined;
}

function findProtoKey(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findProtoKey(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  for (const k of Object.keys(value)) {
    if (k === '__proto__') return path;
    const p = findProtoKey((value as Record<string, unknown>)[k], `${path}.${k}`);
    if (p) return p;
  }
  return undefined;
}

/**
 * Scans JSON text (already known to be valid) for an object with a repeated member name, comparing the
 * decoded names (so "a" and "\u0061" are the same key). Returns the first one found.
 */
export function findDuplicateKey(text: string): { message: string; proto: boolean } | undefined {
  // Stack of key sets for open containers; null for arrays.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (key === '__proto__') return { message: 'expected no "__proto__" key, found one', proto: true };
        if (top.has(key)) return { message: `expected unique object keys, found ${JSON.stringify(key)} twice in one object`, proto: false };
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0;
    }
  }
  return undefined;
}

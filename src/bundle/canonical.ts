/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 * - §3.2.2.2 strings: ECMAScript JSON.stringify escaping (\b \t \n \f \r \" \\, other C0 as \u00xx lowercase).
 * - §3.2.2.3 numbers: ECMAScript Number.prototype.toString (what JSON.stringify emits); NaN/Infinity rejected.
 * - §3.2.3 object members sorted by their UTF-16 code units (JavaScript's default string order).
 * - I-JSON (RFC 7493): lone surrogates are rejected.
 * `undefined` object members are omitted (optional TypeScript fields); `undefined` anywhere else is an error.
 */

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Canonical JSON text of `value`. @throws TypeError for values JSON cannot represent. */
export function canonicalize(value: unknown): string {
  const fast = fastCanonicalize(value);
  if (fast !== undefined) return fast;
  return canonicalizeExact(value);
}

/** The exact, spec-by-spec writer (the reference the fast path is tested against). */
export function canonicalizeExact(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

/** Thrown by `prepare` to fall back to the exact (slow) writer. */
const BAIL: unique symbol = Symbol('bail');
/** An array index key: V8 enumerates these first, in numeric order, whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * Fast path: one JS walk puts every object's members in RFC 8785 §3.2.3 order (the object itself when already
 * sorted, else a sorted copy), then native JSON.stringify, which already escapes strings (§3.2.2.2) and
 * formats numbers (§3.2.2.3) as JCS requires. Anything the exact writer treats differently (non-finite
 * numbers, undefined in arrays, functions, symbols, bigints, objects that are not plain (byte arrays, Dates,
 * toJSON), array-index-like member names, escaped surrogates that may be lone) returns undefined, and the
 * caller uses the exact writer, which produces the same text or the precise error.
 */
function fastCanonicalize(value: unknown): string | undefined {
  let prepared: unknown;
  try {
    prepared = prepare(value);
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
  const out = JSON.stringify(prepared);
  // V8's well-formed JSON.stringify writes a lone surrogate as \udxxx; let the exact writer reject it.
  if (out.includes('\\ud')) return undefined;
  return out;
}

function prepare(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw BAIL;
      return v;
    case 'object': {
      if (v === null) return v;
      if (Array.isArray(v)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x === undefined) throw BAIL;
          const p = prepare(x);
          if (p !== x && copy === undefined) copy = v.slice(0, i);
          if (copy !== undefined) copy.push(p);
        }
        return copy ?? v;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw BAIL;
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      let sorted = true;
      let dropped = false;
      // Members whose value `prepare` replaced by a sorted copy: [key, copy, key, copy, ...] (issue 13: no
      // per-member array of values, no index sort with a comparator, only when something changed).
      let changed: unknown[] | undefined;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const c0 = k.charCodeAt(0);
        if (c0 >= 0x30 && c0 <= 0x39 && INDEX_KEY.test(k)) throw BAIL;
        // A copy is a plain `{}` (dictionary-mode null-prototype objects made JSON.stringify ~2x slower), on which
        // assigning "__proto__" would set the prototype: such (hostile) input takes the exact writer.
        if (c0 === 0x5f && k === '__proto__') throw BAIL;
        if (i > 0 && !(keys[i - 1]! < k)) sorted = false;
        const x = obj[k];
        if (x === undefined) dropped = true;
        else if (typeof x === 'object' && x !== null) {
          const p = prepare(x);
          if (p !== x) (changed ??= []).push(k, p);
        } else if (typeof x === 'number') {
          if (!Number.isFinite(x)) throw BAIL;
        } else if (typeof x !== 'string' && typeof x !== 'boolean') throw BAIL;
      }
      if (sorted && !dropped && changed === undefined) return obj;
      // Members in §3.2.3 order: the default sort compares UTF-16 code units, as `<` does above.
      const order = sorted ? keys : keys.slice().sort();
      const copy: Record<string, unknown> = {};
      for (let i = 0; i < order.length; i++) {
        const k = order[i]!;
        const x = obj[k];
        if (x !== undefined) copy[k] = x;
      }
      // Re-assigning an existing member keeps its place.
      if (changed !== undefined) for (let i = 0; i < changed.length; i += 2) copy[changed[i] as string] = changed[i + 1];
      return copy;
    }
    default:
      throw BAIL;
  }
}

/** UTF-8 bytes of `canonicalize(value)`. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalize(value));
}

function write(value: unknown, out: string[], path: string): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${value}, which JSON cannot represent`);
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(str(value, path));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          const v: unknown = value[i];
          if (v === undefined) throw new TypeError(`canonical JSON: ${path}[${i}] is undefined`);
          write(v, out, `${path}[${i}]`);
        }
        out.push(']');
        return;
      }
      if (value instanceof Uint8Array) throw new TypeError(`canonical JSON: ${path} is a byte array; encode it first`);
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      out.push('{');
      let first = true;
      for (const k of keys) {
        if (!first) out.push(',');
        first = false;
        out.push(str(k, path), ':');
        write(obj[k], out, `${path}.${k}`);
      }
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`canonical JSON: ${path} is a ${typeof value}, which JSON cannot represent`);
  }
}

function str(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new TypeError(`canonical JSON: ${path} holds a lone UTF-16 surrogate (not I-JSON)`);
  return JSON.stringify(s);
}

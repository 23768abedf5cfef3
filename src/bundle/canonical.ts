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
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
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

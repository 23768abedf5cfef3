/**
 * Structural private-key detection (issue 8 items 3-4; evidence-formats.md (c) attack 12). Pure: the
 * collector refuses to write what this finds and the verifier reports it, with the same code.
 *
 * Detected, in any string (and, by `findKeyMaterialInValue`, in any member name or value of a JSON/YAML
 * value, after the parser has decoded its escapes, so `\x2d` or `\u002d` armour is seen as `-`):
 * - PEM armour `-----BEGIN ... PRIVATE KEY-----` (PKCS#1, PKCS#8, encrypted PKCS#8, SEC1, DSA, OpenSSH);
 * - PuTTY private key files (`PuTTY-User-Key-File-`) and OpenSSH private blobs (`openssh-key-v1\0`);
 * - base64 / base64url runs (single-line or wrapped at newlines, >= 64 characters) and hex runs (>= 96
 *   digits) that decode to the DER of a PKCS#1 RSAPrivateKey (or an OpenSSL DSA key), a PKCS#8
 *   PrivateKeyInfo/OneAsymmetricKey, an EncryptedPrivateKeyInfo or a SEC1 ECPrivateKey, or to an OpenSSH
 *   blob, or to text that itself holds key material (base64 of a whole PEM file; one level of nesting);
 * - JWK objects (an object with `kty` and a private member: d, p, q, dp, dq, qi, or k for `oct`), as values
 *   or as JSON text inside a string.
 *
 * Certificates are not keys: an X.509 Certificate is SEQUENCE { SEQUENCE tbs, SEQUENCE alg, BIT STRING },
 * while every private-key shape starts with an INTEGER version (or, encrypted, is exactly SEQUENCE { SEQUENCE
 * { OID, ... }, OCTET STRING }), so the walker below checks the fields, not just "a SEQUENCE".
 *
 * The DER walker is hand-written on purpose (a security control, kept small and bounded): it must be pure
 * (the verifier is core), must never throw or allocate on hostile input, and only needs to recognise four
 * shapes; an ASN.1 library would parse far more than we need to trust.
 */

/** What was found, for a message: e.g. "base64 of a DER PKCS#8 PrivateKeyInfo". */
export type KeyMaterialForm = string;

/** Runs shorter than these cannot hold the smallest key we detect (Ed25519 PKCS#8: 48 bytes). */
const MIN_B64 = 64;
const MIN_HEX = 96;
/** Decoding is bounded: the largest realistic key DER (RSA 16384) is under 10 KiB; PEM files a bit more. */
const MAX_DECODE_CHARS = 64 * 1024;
/** Alignment tries per run (positions where a DER SEQUENCE header could start). */
const MAX_STARTS = 16;

const PEM_PRIVATE = 'PRIVATE KEY-----';
const PUTTY = 'PuTTY-User-Key-File-';
const OPENSSH_MAGIC = 'openssh-key-v1\0';
const JWK_KTY = /"kty"\s*:\s*"([A-Za-z]+)"/;
const JWK_PRIVATE = /"(d|p|q|dp|dq|qi|k)"\s*:\s*"[A-Za-z0-9_-]/;
const JWK_PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** Key material in a string, or undefined. Never throws. */
export function findKeyMaterialInText(s: string, depth = 0): KeyMaterialForm | undefined {
  if (s.length < 16) return undefined;
  if (s.includes(PEM_PRIVATE)) return 'a PEM private-key block';
  if (s.includes(PUTTY)) return 'a PuTTY private key file';
  if (s.includes('openssh-key-v1')) return 'an OpenSSH private key';
  if (s.includes('"kty"')) {
    const kty = JWK_KTY.exec(s);
    if (kty && JWK_PRIVATE.test(s)) return `a JWK private key (kty ${kty[1]})`;
  }
  if (s.length < MIN_B64) return undefined;
  return scanEncodedRuns(s, (run) => checkBase64Run(run, depth), checkHexRun);
}

/** 1 for the base64/base64url characters `[A-Za-z0-9+/_-]`, 2 for the hex digits among them. */
const B64_CLASS = (() => {
  const t = new Uint8Array(128);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') t[c.charCodeAt(0)] = 1;
  for (const c of '0123456789ABCDEFabcdef') t[c.charCodeAt(0)] = 2;
  return t;
})();

/** Whether `s.slice(from, to)` is a newline (CRLF, LF or a literal `\n`) then only spaces/tabs, without the slice. */
function isGap(s: string, from: number, to: number): boolean {
  let i = from;
  const c = s.charCodeAt(i);
  if (c === 0x0d && s.charCodeAt(i + 1) === 0x0a) i += 2;
  else if (c === 0x0a) i += 1;
  else if (c === 0x5c && s.charCodeAt(i + 1) === 0x6e) i += 2;
  else return false;
  if (i > to) return false;
  for (; i < to; i++) {
    const d = s.charCodeAt(i);
    if (d !== 0x20 && d !== 0x09) return false;
  }
  return true;
}

/**
 * The base64 and hex runs of `s` that can hold a key, in text order, each handed to its check; the first
 * check that returns something ends the scan. Exported for the differential test only.
 *
 * Base64 tokens are the matches of /[A-Za-z0-9+/_-]+={0,2}/g (a maximal run of the class, then up to two
 * `=`); a run starts with a token of >= 16 characters (prose never makes one), and tokens separated only by a
 * newline (and indentation) are joined into one run, as in a PEM body without its armour; runs of >= MIN_B64
 * characters are checked. Then the hex runs (>= MIN_HEX digits). A character loop finds the tokens: the
 * regex allocated a match per word of every file, most of the verifier's content-scan time (issue 13), and
 * only tokens that can matter become strings here. Every hex run lies inside one token (hex digits are base64
 * characters, `=` is neither), so only tokens of MIN_HEX or more characters are searched for one.
 * test/unit/crypto/key-material.test.ts compares this with the regex form it replaced.
 */
export function scanEncodedRuns<T>(s: string, onBase64: (run: string) => T | undefined, onHex: (run: string) => T | undefined): T | undefined {
  const n = s.length;
  let run = '';
  let runEnd = -1;
  let hexTokens: number[] | undefined;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || B64_CLASS[c] === 0) {
      i++;
      continue;
    }
    const at = i;
    i++;
    for (let d = s.charCodeAt(i); i < n && d < 128 && B64_CLASS[d] !== 0; d = s.charCodeAt(++i));
    const bodyEnd = i;
    if (i < n && s.charCodeAt(i) === 0x3d) {
      i++;
      if (i < n && s.charCodeAt(i) === 0x3d) i++;
    }
    const len = i - at;
    if (bodyEnd - at >= MIN_HEX) (hexTokens ??= []).push(at, bodyEnd);
    // join to the previous token when only a newline (and indentation) separates them, up to the decode cap
    if (run !== '' && run.length < MAX_DECODE_CHARS && at - runEnd <= 8 && isGap(s, runEnd, at)) run += s.slice(at, i);
    else if (len < 16) {
      if (run.length >= MIN_B64) {
        const found = onBase64(run);
        if (found) return found;
      }
      run = '';
    } else {
      if (run.length >= MIN_B64) {
        const found = onBase64(run);
        if (found) return found;
      }
      run = s.slice(at, len > MAX_DECODE_CHARS ? at + MAX_DECODE_CHARS : i);
    }
    runEnd = i;
  }
  if (run.length >= MIN_B64) {
    const found = onBase64(run);
    if (found) return found;
  }
  if (hexTokens) {
    for (let t = 0; t < hexTokens.length; t += 2) {
      const end = hexTokens[t + 1]!;
      let start = -1;
      for (let j = hexTokens[t]!; j <= end; j++) {
        if (j < end && B64_CLASS[s.charCodeAt(j)] === 2) {
          if (start < 0) start = j;
          continue;
        }
        if (start >= 0 && j - start >= MIN_HEX) {
          const found = onHex(s.slice(start, Math.min(j, start + MAX_DECODE_CHARS)));
          if (found) return found;
        }
        start = -1;
      }
    }
  }
  return undefined;
}

/** A hit inside a JSON/YAML value: the path (`spec.listeners[0].tls.options.key`) and what was found. */
export interface KeyMaterialHit {
  path: string;
  form: KeyMaterialForm;
}

/**
 * Walks a decoded JSON/YAML value (member names and string values) for key material and JWK objects.
 * Iterative (no recursion limit to hit on deep input), first hit only.
 */
export function findKeyMaterialInValue(value: unknown, root = ''): KeyMaterialHit | undefined {
  // The path is built only for a hit (a parent chain), not for every node: the walk runs over every object
  // of a capture at collect time and over every file at verify time.
  interface Node {
    v: unknown;
    parent: Node | undefined;
    key: string | number;
  }
  const pathOf = (n: Node | undefined, last?: string): string => {
    const parts: Array<string | number> = last === undefined ? [] : [last];
    for (let x = n; x && x.parent; x = x.parent) parts.push(x.key);
    let out = root;
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i]!;
      out = typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`;
    }
    return out;
  };
  const stack: Node[] = [{ v: value, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.v;
    if (typeof v === 'string') {
      const form = findKeyMaterialInText(v);
      if (form) return { path: pathOf(node), form };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], parent: node, key: i });
      continue;
    }
    const o = v as Record<string, unknown>;
    const jwk = jwkPrivate(o);
    if (jwk) return { path: pathOf(node), form: jwk };
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const form = findKeyMaterialInText(k);
      if (form) return { path: pathOf(node, k), form: `${form} in a member name` };
      stack.push({ v: o[k], parent: node, key: k });
    }
  }
  return undefined;
}

/** RFC 7517/7518: private members of RSA/EC/OKP keys, and `k` of a symmetric (`oct`) key. */
function jwkPrivate(o: Record<string, unknown>): KeyMaterialForm | undefined {
  const kty = o['kty'];
  if (typeof kty !== 'string') return undefined;
  const priv = JWK_PRIVATE_MEMBERS.find((m) => typeof o[m] === 'string' && o[m] !== '');
  if (priv) return `a JWK private key (kty ${kty}, member "${priv}")`;
  if (kty === 'oct' && typeof o['k'] === 'string' && o['k'] !== '') return 'a JWK symmetric key (kty oct, member "k")';
  return undefined;
}

function checkBase64Run(run: string, depth: number): KeyMaterialForm | undefined {
  const text = run.length > MAX_DECODE_CHARS ? run.slice(0, MAX_DECODE_CHARS) : run;
  // Positions where a DER SEQUENCE (0x30 then a length byte) or a text/blob decoding can start: the run's
  // start, then every "M[A-P]" (0x30 in the first sextet) at a 4-character boundary relative to it... and
  // unaligned ones too, since a run may carry a prefix: decode from each start on its own.
  const starts = [0];
  for (let i = text.indexOf('M', 1); i >= 0 && starts.length < MAX_STARTS; i = text.indexOf('M', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0x41 && next <= 0x50) starts.push(i);
  }
  for (const at of starts) {
    const bytes = decodeBase64(text, at);
    if (bytes.length < 48) continue;
    const der = derPrivateKeyShape(bytes);
    if (der) return `base64 of a DER ${der}`;
    if (at !== 0) continue;
    if (startsWith(bytes, OPENSSH_MAGIC)) return 'base64 of an OpenSSH private key blob';
    if (depth < 1 && mostlyText(bytes)) {
      const inner = findKeyMaterialInText(latin1(bytes), depth + 1);
      if (inner) return `base64 of ${inner}`;
    }
  }
  return undefined;
}

function checkHexRun(run: string): KeyMaterialForm | undefined {
  const text = run.length > MAX_DECODE_CHARS ? run.slice(0, MAX_DECODE_CHARS) : run;
  // a DER SEQUENCE starts with byte 0x30: try each even-aligned and odd-aligned "30" (bounded)
  let tries = 0;
  for (let i = text.indexOf('30'); i >= 0 && tries < MAX_STARTS; i = text.indexOf('30', i + 1)) {
    tries++;
    const n = (text.length - i) >> 1;
    if (n < 48) break;
    const bytes = new Uint8Array(n);
    for (let j = 0; j < n; j++) bytes[j] = parseInt(text.substr(i + 2 * j, 2), 16);
    const der = derPrivateKeyShape(bytes);
    if (der) return `hex of a DER ${der}`;
  }
  return undefined;
}

const B64_VALUES = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  t['-'.charCodeAt(0)] = 62; // base64url
  t['_'.charCodeAt(0)] = 63;
  return t;
})();

/** Decodes base64/base64url from `from`, stopping at padding or any other character. */
function decodeBase64(s: string, from: number): Uint8Array {
  const out = new Uint8Array(Math.floor(((s.length - from) * 3) / 4));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUES[c]! : -1;
    if (v < 0) break;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

function startsWith(b: Uint8Array, ascii: string): boolean {
  if (b.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (b[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

function mostlyText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 256);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) printable++;
  }
  return printable >= n * 0.95;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

// --- A bounded DER walker: tag, definite length, contents; no allocation, never throws. ---

interface Tlv {
  tag: number;
  /** Offset of the contents. */
  start: number;
  /** Offset just past the contents. */
  end: number;
}

/** One TLV at `off` within `limit`, or undefined (indefinite/overlong lengths and overruns are refused). */
function tlv(b: Uint8Array, off: number, limit: number): Tlv | undefined {
  if (off + 2 > limit) return undefined;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers never occur in these shapes
  let len = b[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) return undefined;
  return { tag, start, end };
}

/** The children of a constructed TLV, at most `max` (enough to recognise a shape). */
function children(b: Uint8Array, t: Tlv, max: number): Tlv[] | undefined {
  const out: Tlv[] = [];
  let off = t.start;
  while (off < t.end && out.length < max) {
    const c = tlv(b, off, t.end);
    if (!c) return undefined;
    out.push(c);
    off = c.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const OID = 0x06;

/** The value of a small INTEGER (version fields), or -1. */
function smallInt(b: Uint8Array, t: Tlv): number {
  if (t.tag !== INTEGER || t.end - t.start !== 1) return -1;
  return b[t.start]!;
}

/**
 * The private-key shape of a DER at the start of `b`, or undefined:
 * - RFC 8017 A.1.2 RSAPrivateKey: SEQUENCE { version INTEGER (0|1), n, e, d, p, q, dp, dq, qinv INTEGERs, ... }
 *   (and OpenSSL's DSA key: SEQUENCE { 0, p, q, g, y, x }, six INTEGERs);
 * - RFC 5958 OneAsymmetricKey / RFC 5208 PrivateKeyInfo: SEQUENCE { version INTEGER (0|1),
 *   AlgorithmIdentifier SEQUENCE { OID, ... }, privateKey OCTET STRING, ... };
 * - RFC 5958 EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE { OID, params }, OCTET STRING } (exactly two);
 * - RFC 5915 ECPrivateKey: SEQUENCE { version INTEGER 1, privateKey OCTET STRING, [0] params?, [1] publicKey? }.
 */
export function derPrivateKeyShape(b: Uint8Array): string | undefined {
  const outer = tlv(b, 0, b.length);
  if (!outer || outer.tag !== SEQUENCE) return undefined;
  const kids = children(b, outer, 10);
  if (!kids || kids.length < 2) return undefined;
  const [k0, k1, k2] = kids;
  const version = smallInt(b, k0!);
  if (version === 0 || version === 1) {
    if (kids.every((k) => k.tag === INTEGER)) {
      if (kids.length >= 9) return 'PKCS#1 RSAPrivateKey';
      if (kids.length === 6 && version === 0) return 'DSA private key';
      return undefined;
    }
    if (k1!.tag === SEQUENCE && k2?.tag === OCTET_STRING) {
      const alg = children(b, k1!, 2);
      if (alg && alg[0]?.tag === OID) return 'PKCS#8 PrivateKeyInfo';
      return undefined;
    }
    if (version === 1 && k1!.tag === OCTET_STRING && k1!.end - k1!.start >= 16 && kids.slice(2).every((k) => k.tag === 0xa0 || k.tag === 0xa1)) return 'SEC1 ECPrivateKey';
    return undefined;
  }
  if (kids.length === 2 && k0!.tag === SEQUENCE && k1!.tag === OCTET_STRING && k1!.end - k1!.start >= 16) {
    const alg = children(b, k0!, 3);
    if (alg && alg[0]?.tag === OID && alg.length >= 2) return 'PKCS#8 EncryptedPrivateKeyInfo';
  }
  return undefined;
}

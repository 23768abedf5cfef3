/**
 * Deterministic ustar writer (docs/bundle-format.md §3). Built from memory: POSIX ustar headers only (no pax,
 * no GNU records), regular files only, entries sorted bytewise, fixed mtime/mode/uid/gid, empty user names,
 * exactly two zero blocks at the end. gzip via node:zlib with name/mtime cleared and a fixed OS byte.
 */
import { gzipSync } from 'node:zlib';
import { compareStrings } from '../model/object.ts';
import { BundleFormatError } from '../errors.ts';

const BLOCK = 512;
const enc = new TextEncoder();

export interface TarEntry {
  path: string;
  bytes: Uint8Array;
}

/** Splits `path` into ustar (prefix, name) with name <= 100 and prefix <= 155 bytes, or undefined. */
export function tryUstarSplit(path: string): { prefix: string; name: string } | undefined {
  if (path.length <= 100) return { prefix: '', name: path };
  // Split at the last '/' that leaves name <= 100 bytes and prefix <= 155 bytes (POSIX ustar).
  for (let i = path.length - 101; i < path.length; i++) {
    if (i < 0) continue;
    if (path[i] === '/' && i <= 155 && path.length - i - 1 <= 100 && i > 0) {
      return { prefix: path.slice(0, i), name: path.slice(i + 1) };
    }
  }
  return undefined;
}

/** Splits `path` into ustar (prefix, name) with name <= 100 and prefix <= 155 bytes, or throws. */
export function splitUstarPath(path: string): { prefix: string; name: string } {
  const split = tryUstarSplit(path);
  if (split) return split;
  throw new BundleFormatError('NOT_A_BUNDLE', `path too long for a ustar header (name <= 100 bytes, prefix <= 155 bytes, split at "/"): ${path} (${path.length} bytes)`);
}

/** Writes `s` at `off` (ASCII directly, anything else through UTF-8), at most `len` bytes. */
function writeString(buf: Uint8Array, off: number, len: number, s: string): void {
  let ascii = s.length <= len;
  for (let i = 0; ascii && i < s.length; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) {
    for (let i = 0; i < s.length; i++) buf[off + i] = s.charCodeAt(i);
    return;
  }
  const b = enc.encode(s);
  if (b.length > len) throw new RangeError(`ustar field of ${len} bytes cannot hold ${JSON.stringify(s)}`);
  buf.set(b, off);
}

/** Zero-padded octal with a NUL terminator in a field of `len` bytes. */
function writeOctal(buf: Uint8Array, off: number, len: number, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`value ${n} does not fit a ${len}-byte ustar octal field`);
  let v = n;
  for (let i = len - 2; i >= 0; i--) {
    buf[off + i] = 0x30 + (v % 8);
    v = Math.floor(v / 8);
  }
  if (v !== 0) throw new RangeError(`value ${n} does not fit a ${len}-byte ustar octal field`);
  buf[off + len - 1] = 0;
}

/** Writes the ustar header of one entry into `h` at `at` (the 512 bytes there must be zero). */
function writeHeader(h: Uint8Array, at: number, path: string, size: number, mtime: number): void {
  const { prefix, name } = splitUstarPath(path);
  writeString(h, at, 100, name);
  writeOctal(h, at + 100, 8, 0o644); // mode
  writeOctal(h, at + 108, 8, 0); // uid
  writeOctal(h, at + 116, 8, 0); // gid
  writeOctal(h, at + 124, 12, size);
  writeOctal(h, at + 136, 12, mtime);
  h.fill(0x20, at + 148, at + 156); // checksum placeholder: spaces
  h[at + 156] = 0x30; // typeflag '0': regular file
  writeString(h, at + 257, 6, 'ustar\0');
  writeString(h, at + 263, 2, '00');
  // uname (265, 32) and gname (297, 32) stay empty (NUL).
  writeOctal(h, at + 329, 8, 0); // devmajor
  writeOctal(h, at + 337, 8, 0); // devminor
  writeString(h, at + 345, 155, prefix);
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += h[i]!;
  writeOctal(h, at + 148, 7, sum); // six digits and a NUL ...
  h[at + 155] = 0x20; // ... then a space, as GNU tar writes it
}

/**
 * A ustar archive of `entries` (sorted bytewise here; duplicates rejected), written into one buffer
 * allocated once at its final size: headers are written in place, no per-entry allocation.
 */
export function writeTar(entries: readonly TarEntry[], mtimeSeconds: number): Uint8Array {
  const sorted = [...entries].sort((a, b) => compareStrings(a.path, b.path));
  let total = 2 * BLOCK;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i - 1]!.path === sorted[i]!.path) throw new BundleFormatError('NOT_A_BUNDLE', `duplicate archive path ${sorted[i]!.path}`);
    total += BLOCK + Math.ceil(sorted[i]!.bytes.length / BLOCK) * BLOCK;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const e of sorted) {
    writeHeader(out, off, e.path, e.bytes.length, mtimeSeconds);
    off += BLOCK;
    out.set(e.bytes, off);
    off += Math.ceil(e.bytes.length / BLOCK) * BLOCK;
  }
  return out; // the last two blocks are already zero
}

/**
 * gzip with no file name, mtime 0 (zlib's default) and OS byte 255 "unknown" (RFC 1952 §2.3.1), at level 6
 * (docs/bundle-format.md §3): zlib writes XFL 0 for it. Level 9 took twice the time for a 2.5% smaller file
 * (bench/README.md "collect").
 */
export const GZIP_LEVEL = 6;

export function gzipDeterministic(bytes: Uint8Array): Uint8Array {
  const gz = new Uint8Array(gzipSync(bytes, { level: GZIP_LEVEL }));
  gz[4] = 0;
  gz[5] = 0;
  gz[6] = 0;
  gz[7] = 0; // MTIME = 0
  gz[9] = 0xff; // OS = unknown
  return gz;
}

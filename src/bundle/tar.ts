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

/** Splits `path` into ustar (prefix, name) with name <= 100 and prefix <= 155 bytes, or throws. */
export function splitUstarPath(path: string): { prefix: string; name: string } {
  if (path.length <= 100) return { prefix: '', name: path };
  // Split at the last '/' that leaves name <= 100 bytes and prefix <= 155 bytes (POSIX ustar).
  for (let i = path.length - 101; i < path.length; i++) {
    if (i < 0) continue;
    if (path[i] === '/' && i <= 155 && path.length - i - 1 <= 100 && i > 0) {
      return { prefix: path.slice(0, i), name: path.slice(i + 1) };
    }
  }
  throw new BundleFormatError('NOT_A_BUNDLE', `path too long for a ustar header (name <= 100 bytes, prefix <= 155 bytes, split at "/"): ${path} (${path.length} bytes)`);
}

function writeString(buf: Uint8Array, off: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new RangeError(`ustar field of ${len} bytes cannot hold ${JSON.stringify(s)}`);
  buf.set(b, off);
}

/** Zero-padded octal with a NUL terminator in a field of `len` bytes. */
function writeOctal(buf: Uint8Array, off: number, len: number, n: number): void {
  const s = n.toString(8).padStart(len - 1, '0');
  if (s.length > len - 1) throw new RangeError(`value ${n} does not fit a ${len}-byte ustar octal field`);
  writeString(buf, off, len, `${s}\0`);
}

function header(path: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const { prefix, name } = splitUstarPath(path);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o644); // mode
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum placeholder: spaces
  h[156] = 0x30; // typeflag '0': regular file
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  // uname (265, 32) and gname (297, 32) stay empty (NUL).
  writeOctal(h, 329, 8, 0); // devmajor
  writeOctal(h, 337, 8, 0); // devminor
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** A ustar archive of `entries` (sorted bytewise here; duplicates rejected). */
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
    out.set(header(e.path, e.bytes.length, mtimeSeconds), off);
    off += BLOCK;
    out.set(e.bytes, off);
    off += Math.ceil(e.bytes.length / BLOCK) * BLOCK;
  }
  return out; // the last two blocks are already zero
}

/** gzip with no file name, mtime 0 (zlib's default) and OS byte 255 "unknown" (RFC 1952 §2.3.1). */
export function gzipDeterministic(bytes: Uint8Array): Uint8Array {
  const gz = new Uint8Array(gzipSync(bytes, { level: 9 }));
  gz[4] = 0;
  gz[5] = 0;
  gz[6] = 0;
  gz[7] = 0; // MTIME = 0
  gz[9] = 0xff; // OS = unknown
  return gz;
}

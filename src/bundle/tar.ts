/**
 * Deterministic ustar writer (docs/bundle-format.md §3). Built from memory: POSIX ustar headers only (no pax,
 * no GNU records), regular files only, entries sorted bytewise, fixed mtime/mode/uid/gid, empty user names,
 * exactly two zero blocks at the end. gzip via node:zlib with name/mtime cleared and a fixed OS byte.
 */
import { createGzip, gzipSync } from 'node:zlib';
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
/** The entries sorted bytewise by path; duplicates rejected. */
function sortedEntries(entries: readonly TarEntry[]): TarEntry[] {
  const sorted = [...entries].sort((a, b) => compareStrings(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.path === sorted[i]!.path) throw new BundleFormatError('NOT_A_BUNDLE', `duplicate archive path ${sorted[i]!.path}`);
  }
  return sorted;
}

export function writeTar(entries: readonly TarEntry[], mtimeSeconds: number): Uint8Array {
  const sorted = sortedEntries(entries);
  let total = 2 * BLOCK;
  for (const e of sorted) total += BLOCK + Math.ceil(e.bytes.length / BLOCK) * BLOCK;
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
  return fixGzipHeader(new Uint8Array(gzipSync(bytes, { level: GZIP_LEVEL })));
}

function fixGzipHeader(gz: Uint8Array): Uint8Array {
  gz[4] = 0;
  gz[5] = 0;
  gz[6] = 0;
  gz[7] = 0; // MTIME = 0
  gz[9] = 0xff; // OS = unknown
  return gz;
}

/** Size of the pieces writeTarGzip hands to zlib: large enough that per-write overhead is nothing. */
const STREAM_CHUNK = 1 << 20;

/**
 * gzipDeterministic(writeTar(entries, mtime)), byte for byte, without holding the whole tar in memory
 * (issue 13: the tar of 50k routes is 178 MB, allocated in one piece, and its allocation forced a full GC of a
 * large heap). The tar is written in 1 MiB pieces into a zlib gzip stream at the same level; deflate without
 * flushes produces the same stream however its input is split (test/unit/bundle/tar.test.ts holds the two
 * equal), and zlib compresses on libuv's thread pool while the next piece is written.
 */
export async function writeTarGzip(entries: readonly TarEntry[], mtimeSeconds: number): Promise<Uint8Array> {
  const sorted = sortedEntries(entries);
  const gzip = createGzip({ level: GZIP_LEVEL });
  const out: Buffer[] = [];
  gzip.on('data', (d: Buffer) => out.push(d));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  let chunk = new Uint8Array(STREAM_CHUNK);
  let used = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = gzip.write(used === chunk.length ? chunk : chunk.subarray(0, used));
    chunk = new Uint8Array(STREAM_CHUNK); // zlib keeps the written piece until it has read it
    used = 0;
    if (!full) await new Promise<void>((resolve) => gzip.once('drain', resolve));
  };
  /** Appends `n` bytes: `bytes` when given (else zeros, already in place), in as many pieces as needed. */
  const append = async (bytes: Uint8Array | undefined, n: number): Promise<void> => {
    let at = 0;
    while (at < n) {
      const take = Math.min(n - at, chunk.length - used);
      if (bytes) chunk.set(bytes.subarray(at, at + take), used);
      used += take;
      at += take;
      if (used === chunk.length) await flush();
    }
  };
  const header = new Uint8Array(BLOCK);
  for (const e of sorted) {
    header.fill(0);
    writeHeader(header, 0, e.path, e.bytes.length, mtimeSeconds);
    await append(header, BLOCK);
    await append(e.bytes, e.bytes.length);
    await append(undefined, Math.ceil(e.bytes.length / BLOCK) * BLOCK - e.bytes.length);
  }
  await append(undefined, 2 * BLOCK);
  await flush();
  gzip.end();
  await done;
  return fixGzipHeader(new Uint8Array(Buffer.concat(out)));
}

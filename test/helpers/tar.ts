/**
 * Low-level ustar + gzip writer for tests. Unlike the bundle builder it will happily write hostile archives:
 * symlinks, hardlinks, devices, FIFOs, pax and GNU records, duplicate or absolute names, bad checksums,
 * lone zero blocks, trailing data, concatenated gzip members. Pure, in memory.
 */
import { gzipSync } from 'node:zlib';

const BLOCK = 512;
const enc = new TextEncoder();

export interface TarEntry {
  /** Full name; split into ustar prefix/name at a '/' when longer than 100 bytes (unless `prefix` is given). */
  name: string | Uint8Array;
  /** Typeflag character; default '0'. */
  type?: string;
  data?: Uint8Array | string;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  /** Write this size field instead of the data length (data is still written as given). */
  sizeField?: number;
  /** Explicit prefix field (then `name` goes verbatim into the name field). */
  prefix?: string;
  /** Add this to the computed checksum (non-zero = corrupt header). */
  checksumDelta?: number;
  magic?: string;
  version?: string;
  /** Bytes written into the padding after the data (non-zero = hidden data). */
  padding?: Uint8Array;
  /** Owner names (ustar uname/gname); empty by default, as the bundle writer leaves them. */
  uname?: string;
  gname?: string;
  /** Raw bytes for a numeric field, overriding the formatted value, e.g. { size: '12ab' }. */
  rawFields?: Partial<Record<'size' | 'mode' | 'mtime' | 'uid' | 'gid', string | Uint8Array>>;
}

/** A block of raw bytes inserted as is (e.g. a lone zero block). */
export interface RawBlock {
  raw: Uint8Array;
}

export type TarItem = TarEntry | RawBlock;

export interface TarOptions {
  /** 'normal': two zero blocks; 'one': a single zero block; 'none': no end marker. */
  end?: 'normal' | 'one' | 'none';
  /** Bytes appended after the end marker. */
  trailing?: Uint8Array;
}

const bytesOf = (x: Uint8Array | string): Uint8Array => (typeof x === 'string' ? enc.encode(x) : x);

function putStr(h: Uint8Array, off: number, len: number, v: Uint8Array | string): void {
  const b = bytesOf(v);
  if (b.length > len) throw new Error(`field at ${off} too long: ${b.length} > ${len}`);
  h.set(b, off);
}

/** Zero-padded octal with a NUL terminator (the writer convention in docs/bundle-format.md section 3). */
function putOct(h: Uint8Array, off: number, len: number, v: number): void {
  putStr(h, off, len, v.toString(8).padStart(len - 1, '0') + '\0');
}

function splitName(name: Uint8Array): { prefix: Uint8Array; name: Uint8Array } {
  if (name.length <= 100) return { prefix: new Uint8Array(0), name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] === 0x2f && i <= 155 && name.length - i - 1 <= 100) return { prefix: name.subarray(0, i), name: name.subarray(i + 1) };
  }
  throw new Error(`name cannot be split into ustar prefix/name: ${name.length} bytes`);
}

/** One 512-byte ustar header. */
export function tarHeader(e: TarEntry, dataLength: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const nameBytes = bytesOf(e.name);
  const parts = e.prefix !== undefined ? { prefix: bytesOf(e.prefix), name: nameBytes } : splitName(nameBytes);
  putStr(h, 0, 100, parts.name);
  const raw = e.rawFields ?? {};
  const num = (field: keyof NonNullable<TarEntry['rawFields']>, off: number, len: number, v: number): void => {
    const r = raw[field];
    if (r !== undefined) putStr(h, off, len, r);
    else putOct(h, off, len, v);
  };
  num('mode', 100, 8, e.mode ?? 0o644);
  num('uid', 108, 8, e.uid ?? 0);
  num('gid', 116, 8, e.gid ?? 0);
  num('size', 124, 12, e.sizeField ?? dataLength);
  num('mtime', 136, 12, e.mtime ?? 1_793_491_200);
  h.fill(0x20, 148, 156);
  putStr(h, 156, 1, e.type ?? '0');
  if (e.linkname) putStr(h, 157, 100, e.linkname);
  putStr(h, 257, 6, e.magic ?? 'ustar\0');
  putStr(h, 263, 2, e.version ?? '00');
  if (e.uname) putStr(h, 265, 32, e.uname);
  if (e.gname) putStr(h, 297, 32, e.gname);
  putOct(h, 329, 8, 0);
  putOct(h, 337, 8, 0);
  putStr(h, 345, 155, parts.prefix);
  let sum = 0;
  for (const b of h) sum += b;
  sum += e.checksumDelta ?? 0;
  putStr(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** A tar stream from items, in the given order (no sorting: tests control order). */
export function buildTar(items: TarItem[], opts: TarOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const it of items) {
    if ('raw' in it) {
      chunks.push(it.raw);
      continue;
    }
    const data = bytesOf(it.data ?? new Uint8Array(0));
    chunks.push(tarHeader(it, data.length));
    chunks.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad > 0) {
      const p = new Uint8Array(pad);
      if (it.padding) p.set(it.padding.subarray(0, pad));
      chunks.push(p);
    }
  }
  const end = opts.end ?? 'normal';
  if (end !== 'none') chunks.push(new Uint8Array(end === 'normal' ? 2 * BLOCK : BLOCK));
  if (opts.trailing) chunks.push(opts.trailing);
  return concat(chunks);
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** gzip with no flags and mtime 0, as the bundle writer does (level 9, the first writer's level; OS byte of the platform). */
export function gzip(tar: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(tar, { level: 9 }));
}

/** One pax extended-header record: "<len> key=value\n", where len counts itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

/** Regular-file entries for `root/<path>` sorted bytewise by full name (the writer's order). */
export function fileEntries(root: string, files: Map<string, Uint8Array> | Record<string, string | Uint8Array>): TarEntry[] {
  const list: [string, Uint8Array | string][] = files instanceof Map ? [...files] : Object.entries(files);
  return list
    .map(([p, d]) => ({ name: `${root}/${p}`, data: d }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** gzip(tar(fileEntries)) - a plain, well-formed archive. */
export function archive(root: string, files: Map<string, Uint8Array> | Record<string, string | Uint8Array>, opts?: TarOptions): Uint8Array {
  return gzip(buildTar(fileEntries(root, files), opts));
}

/**
 * Strict in-memory reader for bundle archives (ustar inside a single gzip member). Pure: no fs, no clock.
 *
 * The verifier never extracts: it gunzips with a byte budget, walks the tar headers once, and hands back
 * zero-copy views of each regular file (evidence-formats.md (c) attacks 1-6: "one in-house strict reader",
 * "reject, don't sanitise", "never extract to disk before verifying; hash from the stream").
 * We only ever write plain ustar (typeflag '0' files and '5' directories), so everything else is hostile.
 *
 * Finding codes (all severity `error` unless noted). "fatal" means the archive as a whole cannot be
 * trusted (the file set itself is in doubt, or two tar implementations could disagree about it): the
 * result then carries no files and the verifier must stop. Non-fatal codes reject one entry: the entry
 * is left out of `files` (so the manifest check reports it too) and the verdict still fails.
 *
 * | code                        | fatal | when                                                                  | attack (c) |
 * |-----------------------------|-------|-----------------------------------------------------------------------|------------|
 * | ARCHIVE_NOT_GZIP            | yes   | no gzip magic, method other than deflate, reserved flag bits set     | -          |
 * | ARCHIVE_GZIP_FLAGS          | yes   | any gzip FLG bit (FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT): the writer  | 5          |
 * |                             |       | sets none, and readers differ on what they check or skip there        |            |
 * | ARCHIVE_TRUNCATED           | yes   | gzip or tar stream ends early; size field overruns the data; no end   | 5          |
 * | ARCHIVE_BAD_CRC             | yes   | gzip trailer CRC-32 or ISIZE does not match the inflated bytes        | -          |
 * | ARCHIVE_TRAILING_DATA       | yes   | a second gzip member, bytes after the gzip trailer, or non-zero bytes | 5          |
 * |                             |       | after the tar end marker (two zero blocks)                            |            |
 * | ARCHIVE_LONE_ZERO_BLOCK     | yes   | one zero block followed by another header (hides entries from some    | 5          |
 * |                             |       | readers, drydock#659)                                                 |            |
 * | ARCHIVE_CAP_EXCEEDED        | yes*  | compressed bytes, uncompressed bytes, entry count (fatal); per-file   | 6          |
 * |                             |       | size, path length, path depth (that entry only)                       |            |
 * | ARCHIVE_GZIP_BOMB           | yes   | inflated size exceeds maxRatio x compressed size (beyond 1 MiB)       | 6          |
 * | ARCHIVE_BAD_CHECKSUM        | yes   | ustar header checksum does not match (unsigned byte sum)              | 5          |
 * | ARCHIVE_BAD_HEADER          | yes   | magic not "ustar\0""00", non-octal numeric field, base-256 size,      | 5          |
 * |                             |       | bytes after a name terminator, linkname on a file, dir with data      |            |
 * | ARCHIVE_PAX_UNSUPPORTED     | yes   | pax 'x'/'g' header (can override path/size: TARmageddon)              | 5          |
 * | ARCHIVE_GNU_EXTENSION       | yes   | GNU 'L'/'K'/'D'/'M'/'N'/'S'/'V' records                               | 5          |
 * | ARCHIVE_UNKNOWN_TYPE        | yes   | any other typeflag                                                    | 2, 5       |
 * | ARCHIVE_LINK_ENTRY          | no    | hardlink '1' or symlink '2'                                           | 2          |
 * | ARCHIVE_SPECIAL_ENTRY       | no    | char/block device '3'/'4', FIFO '6', contiguous '7'                   | 2          |
 * | ARCHIVE_ABSOLUTE_PATH       | no    | name starts with '/' or a drive letter (`C:`)                         | 1          |
 * | ARCHIVE_PATH_TRAVERSAL      | no    | a `..` segment                                                        | 1          |
 * | ARCHIVE_NONCANONICAL_PATH   | no    | `.` or empty segment, file name ending in '/', dir without one        | 1          |
 * | ARCHIVE_BACKSLASH           | no    | a backslash anywhere in the name                                      | 1          |
 * | ARCHIVE_BAD_CHARSET         | no    | any byte outside `[a-z0-9._/-]` (non-ASCII, upper case, controls)     | 1, 4       |
 * | ARCHIVE_DUPLICATE_ENTRY     | no    | the same name twice (GNU tar and tarfile keep the last; we keep none) | 3          |
 * | ARCHIVE_CASE_COLLISION      | no    | two names equal after ASCII case folding                              | 4          |
 * | ARCHIVE_FILE_DIR_COLLISION  | no    | a file whose path is also a directory (prefix of another entry)       | 3          |
 * | ARCHIVE_NONZERO_PADDING     | no    | non-zero bytes in the padding after a file's data (hidden data)       | 5          |
 * | ARCHIVE_FOREIGN_HEADER      | no    | a header the bundle writer (tar.ts) never writes: a directory or '\0' | 2, 5       |
 * |                             |       | typeflag, mode other than 0644 (setuid, executable), uid/gid not 0,    |            |
 * |                             |       | uname/gname set, devmajor/devminor not 0, a numeric field not in the   |            |
 * |                             |       | writer's zero-padded form, bytes in the unused header tail, or an      |            |
 * |                             |       | mtime other than the archive's one mtime (the capture time)            |            |
 * | ARCHIVE_MULTIPLE_ROOTS      | yes   | entries under more than one top-level directory                       | 1          |
 * | ARCHIVE_NOT_UNDER_ROOT      | yes   | a regular file at the top level (not inside the bundle directory)     | 1          |
 * | ARCHIVE_EMPTY               | yes   | no entries at all                                                     | -          |
 * | ARCHIVE_UNSORTED (warning)  | no    | entries not in the writer's order (byte order of names): repacked     | -          |
 *
 * (*) ARCHIVE_CAP_EXCEEDED is fatal for archive-wide caps, per-entry for the per-entry caps.
 */
import { displayName } from '../model/display.ts';
import { crc32, inflateRawSync } from 'node:zlib';
import type { Finding } from '../model/finding.ts';

export interface Caps {
  /** Bytes of the .tar.gz as given. */
  maxCompressedBytes: number;
  /** Bytes of the inflated tar stream (headers and padding included). */
  maxUncompressedBytes: number;
  /** Inflated / compressed; applied once the inflated size passes RATIO_FLOOR_BYTES. */
  maxRatio: number;
  /** Tar entries (files and directories). */
  maxEntries: number;
  /** Bytes of one regular file. */
  maxFileBytes: number;
  /** Characters of a full entry name (ustar allows at most 255 = 155 prefix + '/' + 100 name). */
  maxPathLength: number;
  /** Segments of a full entry name, the root directory included. */
  maxPathDepth: number;
}

/**
 * Defaults sized for real clusters (measured with bench/verify.mjs on bench/synthetic.mjs clusters): a 50k-route
 * cluster is ~106k objects, one canonical JSON file each, a 7.4 MiB .tar.gz that inflates ~20x to ~150 MiB of
 * tar (512-byte headers and padding included).
 * - 512 MiB uncompressed: > 3x that largest measured case, and still a bounded allocation in one process.
 * - 128 MiB compressed: ~17x the largest measured bundle.
 * - ratio 200: measured bundles inflate ~20x (mostly-zero tar headers included); deflate's ceiling is ~1032x,
 *   so 200 rejects crafted bombs with 10x headroom for real data. The ratio is not applied below 1 MiB
 *   inflated, where tiny bags with mostly-zero tar padding can legitimately exceed it and cannot hurt anyone.
 * - 200k entries: the 50k-route case has ~106k files; headroom for larger clusters.
 * - 64 MiB per file: Kubernetes objects are capped at ~1.5 MiB by etcd; the largest real files (CRDs with big
 *   schemas, ConformanceReports) are far below this.
 * - path length 255 (the ustar maximum) and depth 16 (docs/bundle-format.md section 1.4; our layout uses 6).
 */
export const DEFAULT_CAPS: Caps = Object.freeze({
  maxCompressedBytes: 128 * 1024 * 1024,
  maxUncompressedBytes: 512 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 200_000,
  maxFileBytes: 64 * 1024 * 1024,
  maxPathLength: 255,
  maxPathDepth: 16,
});

/** Below this inflated size the ratio cap is not applied (see DEFAULT_CAPS). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export interface ArchiveReadResult {
  /** The single top-level directory name (no slash); '' when fatal before it could be determined. */
  root: string;
  /** Regular files, keyed by path relative to the root (e.g. `data/objects/x.json`); views into one buffer. */
  files: Map<string, Uint8Array>;
  /** Directories seen (explicit entries), relative to the root, without trailing slash; '' is the root. */
  dirs: Set<string>;
  findings: Finding[];
  /** True when the archive cannot be trusted at all; `files` is then empty and the verifier must stop. */
  fatal: boolean;
  /**
   * The one mtime (seconds) every accepted entry carries; the writer sets it to the capture time, which the
   * bag check compares with `Captured-At`. Undefined when fatal or no entry was accepted.
   */
  mtime?: number;
}

const BLOCK = 512;
const GZIP_HEADER_MIN = 10;
const GZIP_TRAILER = 8;
const FLG_RESERVED = 0xe0;
const FLG_NAMES: readonly (readonly [number, string])[] = [
  [0x01, 'FTEXT'],
  [0x02, 'FHCRC'],
  [0x04, 'FEXTRA'],
  [0x08, 'FNAME'],
  [0x10, 'FCOMMENT'],
];

class Fatal extends Error {}

// The escaper for archive names is the shared one (src/model/display.ts), re-exported for existing callers.
export { displayName } from '../model/display.ts';

interface Ctx {
  findings: Finding[];
  fatal: boolean;
}

function add(ctx: Ctx, code: string, subject: string | undefined, message: string, detail?: Record<string, unknown>): void {
  const f: Finding = { code, severity: 'error', message };
  if (subject !== undefined) f.subject = subject;
  if (detail !== undefined) f.detail = detail;
  ctx.findings.push(f);
}

function fatal(ctx: Ctx, code: string, subject: string | undefined, message: string, detail?: Record<string, unknown>): never {
  add(ctx, code, subject, message, detail);
  ctx.fatal = true;
  throw new Fatal(code);
}

/**
 * Read a bundle archive entirely in memory, strictly.
 *
 * @param gz the .tar.gz bytes as received (untrusted)
 * @param caps overrides for DEFAULT_CAPS
 * @returns root, files (views, no copies), findings; `fatal` when nothing in it can be trusted
 * @throws never for hostile input (every problem is a Finding); RangeError only for invalid caps
 * @example
 *   const r = readArchive(bytes);
 *   if (r.fatal) return fail(r.findings);
 *   const manifest = r.files.get('manifest-sha256.txt');
 */
export function readArchive(gz: Uint8Array, caps: Partial<Caps> = {}): ArchiveReadResult {
  const c: Caps = { ...DEFAULT_CAPS, ...caps };
  for (const [k, v] of Object.entries(c)) {
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`cap ${k} must be a positive integer, got ${String(v)}`);
  }
  const ctx: Ctx = { findings: [], fatal: false };
  try {
    const tar = gunzipStrict(gz, c, ctx);
    const r = parseTar(tar, c, ctx);
    return { ...r, findings: ctx.findings, fatal: false };
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    return { root: '', files: new Map(), dirs: new Set(), findings: ctx.findings, fatal: true };
  }
}

// ---------------------------------------------------------------------------------------------------------
// gzip (RFC 1952): exactly one member, no trailing bytes, CRC-32 and ISIZE checked, inflate under a budget.

function gunzipStrict(gz: Uint8Array, c: Caps, ctx: Ctx): Uint8Array {
  if (gz.length > c.maxCompressedBytes) {
    fatal(ctx, 'ARCHIVE_CAP_EXCEEDED', undefined, `expected at most ${c.maxCompressedBytes} compressed bytes, found ${gz.length}`, {
      cap: 'maxCompressedBytes',
      limit: c.maxCompressedBytes,
      found: gz.length,
    });
  }
  if (gz.length < GZIP_HEADER_MIN + GZIP_TRAILER || gz[0] !== 0x1f || gz[1] !== 0x8b) {
    fatal(ctx, 'ARCHIVE_NOT_GZIP', undefined, `expected gzip magic 1f 8b, found ${hexPrefix(gz, 2)} (${gz.length} bytes)`);
  }
  if (gz[2] !== 8) fatal(ctx, 'ARCHIVE_NOT_GZIP', undefined, `expected gzip method 8 (deflate), found ${gz[2]}`);
  const flg = gz[3]!;
  // RFC 1952 2.3.1.2: "a compliant decompressor must give an error indication if any reserved bit is non-zero".
  if ((flg & FLG_RESERVED) !== 0) fatal(ctx, 'ARCHIVE_NOT_GZIP', undefined, `expected reserved gzip flag bits to be zero, found FLG=0x${flg.toString(16)}`);
  // The writer (tar.ts gzipDeterministic, every version) sets no flag at all. Optional fields are where readers
  // differ: FHCRC is skipped unchecked by some and verified by others (GNU tar rejects a bad one), FEXTRA,
  // FNAME and FCOMMENT can carry data no digest covers. Reject rather than skip (issue 8 item 14).
  // MTIME, XFL and OS are informational (RFC 1952 2.3.1), carry no data and change nothing an extractor
  // produces; only the byte-reproducibility claim depends on them, so they are not checked.
  if (flg !== 0) {
    const names = FLG_NAMES.filter(([bit]) => (flg & bit) !== 0).map(([, n]) => n);
    fatal(ctx, 'ARCHIVE_GZIP_FLAGS', undefined, `expected gzip FLG 0 (no optional header fields, as the bundle writer writes), found FLG=0x${flg.toString(16).padStart(2, '0')} (${names.join(', ')})`, {
      flags: names,
    });
  }
  const off = GZIP_HEADER_MIN;

  // Budget: the smaller of the absolute cap and the ratio cap (ratio not applied below RATIO_FLOOR_BYTES).
  const ratioBudget = Math.max(RATIO_FLOOR_BYTES, gz.length * c.maxRatio);
  const budget = Math.min(c.maxUncompressedBytes, ratioBudget);
  let tar: Buffer;
  let consumed: number;
  // One output chunk sized from the trailer's ISIZE (the last 4 bytes when nothing follows the member), so
  // zlib does not collect 16 KiB chunks and concatenate them into a second copy of the tar (issue 13: 35 MiB
  // copied at 10k routes, twice the tar at peak). Only a hint: ISIZE is hostile and is checked below; bounded
  // by the budget (never more than budget + 1 bytes), and a wrong hint only means more chunks or spare room.
  const isizeHint = gz.length >= GZIP_HEADER_MIN + GZIP_TRAILER ? new DataView(gz.buffer, gz.byteOffset, gz.byteLength).getUint32(gz.length - 4, true) : 0;
  const chunkSize = Math.max(64 * 1024, Math.min(budget, isizeHint) + 1);
  try {
    const body = gz.subarray(off);
    const r = inflateRawSync(body, { info: true, maxOutputLength: budget, chunkSize }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    tar = r.buffer;
    consumed = r.engine.bytesWritten;
    reportReadPressure(tar.length);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      if (c.maxUncompressedBytes <= ratioBudget) {
        fatal(ctx, 'ARCHIVE_CAP_EXCEEDED', undefined, `expected at most ${c.maxUncompressedBytes} bytes uncompressed, found more`, {
          cap: 'maxUncompressedBytes',
          limit: c.maxUncompressedBytes,
        });
      }
      fatal(
        ctx,
        'ARCHIVE_GZIP_BOMB',
        undefined,
        `expected at most ${c.maxRatio}x inflation (${budget} bytes for ${gz.length} compressed bytes), found more: a decompression bomb`,
        { cap: 'maxRatio', limit: c.maxRatio, compressed: gz.length },
      );
    }
    if (code === 'Z_BUF_ERROR') fatal(ctx, 'ARCHIVE_TRUNCATED', undefined, 'expected a complete deflate stream, found the data ends early');
    fatal(ctx, 'ARCHIVE_NOT_GZIP', undefined, `expected valid deflate data, found corrupt data (${(e as Error).message})`);
  }
  const trailerAt = off + consumed;
  if (trailerAt + GZIP_TRAILER > gz.length) fatal(ctx, 'ARCHIVE_TRUNCATED', undefined, 'expected the 8-byte gzip trailer after the deflate data, found end of file');
  const view = new DataView(gz.buffer, gz.byteOffset, gz.byteLength);
  const wantCrc = view.getUint32(trailerAt, true);
  const wantSize = view.getUint32(trailerAt + 4, true);
  const gotCrc = crc32(tar) >>> 0;
  if (gotCrc !== wantCrc) {
    fatal(ctx, 'ARCHIVE_BAD_CRC', undefined, `expected the gzip trailer CRC-32 ${hex32(wantCrc)}, found ${hex32(gotCrc)} for the inflated data`);
  }
  if (wantSize !== tar.length % 2 ** 32) {
    fatal(ctx, 'ARCHIVE_BAD_CRC', undefined, `expected the gzip trailer ISIZE ${wantSize}, found ${tar.length} inflated bytes`);
  }
  const rest = gz.length - (trailerAt + GZIP_TRAILER);
  if (rest > 0) {
    const member = gz[trailerAt + GZIP_TRAILER] === 0x1f && gz[trailerAt + GZIP_TRAILER + 1] === 0x8b;
    fatal(
      ctx,
      'ARCHIVE_TRAILING_DATA',
      undefined,
      member
        ? `expected a single gzip member, found a second member after byte ${trailerAt + GZIP_TRAILER} (gunzip would append its contents)`
        : `expected end of file after the gzip trailer, found ${rest} more bytes`,
      { offset: trailerAt + GZIP_TRAILER, bytes: rest },
    );
  }
  return new Uint8Array(tar.buffer, tar.byteOffset, tar.byteLength);
}

/**
 * Repeated reads in one process (`verify --chain`, `diff`, a library caller): V8 starts a full collection when the
 * external memory (ArrayBuffers) grown since the last one passes a soft limit (64 MiB in V8 11,
 * `Heap::external_memory_limit`). The chunked inflate allocated two tars' worth per read (16 KiB chunks, then
 * their concatenation), so a second read of a 10k-route bundle (35 MiB tar) crossed it and the previous call's
 * garbage (its parsed capture and analysis, ~100 MiB of heap) was collected as the new read began; the one-buffer
 * inflate allocates one tar's worth, stays under it, and V8 let that garbage pile up (maxRSS after each of 3 full
 * verifies 290 446 479 MiB, against 316 320 325 with the chunks). The second tar's worth is now only declared: an
 * ArrayBuffer of the tar's size that is never written and dropped at once. Its zeroed pages come from calloc,
 * i.e. fresh mmap'd pages at these sizes, so it costs no resident memory, only the accounting that lets V8
 * collect on time (measured: 277 277 277 MiB). Below 1 MiB a read leaves little garbage and nothing is declared.
 */
function reportReadPressure(bytes: number): void {
  if (bytes < 1 << 20) return;
  void new ArrayBuffer(bytes);
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function hexPrefix(b: Uint8Array, n: number): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ') || '(empty)';
}

// ---------------------------------------------------------------------------------------------------------
// ustar (POSIX.1-1988 / pax "ustar" interchange format), single pass.

interface Entry {
  /** Full name as written (directories keep their trailing '/'). */
  name: string;
  /** Full name without a directory's trailing '/'. */
  path: string;
  kind: 'file' | 'dir';
  data: Uint8Array;
}

const ALLOWED = /^[a-z0-9._/-]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
const TRAVERSAL = /(?:^|\/)\.\.(?:\/|$)/;
const DOT_OR_EMPTY = /(?:^|\/)\.?(?:\/|$)/;

function isZeroBlock(tar: Uint8Array, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (tar[i] !== 0) return false;
  return true;
}

/**
 * Length of a NUL-terminated string field, or -1 when non-NUL bytes follow the terminator (data could hide
 * there and readers disagree about it).
 */
/** The header's place, for messages (built only when one is). */
function headerAt(index: number, off: number): string {
  return `header ${index} at offset ${off}`;
}

function fieldLength(tar: Uint8Array, words: Uint32Array | undefined, start: number, len: number): number {
  let n = 0;
  while (n < len && tar[start + n] !== 0) n++;
  return n + 1 >= len || zeroRange(tar, words, start + n + 1, start + len) ? n : -1;
}

/**
 * True when tar[from..to) is all zero. Four bytes at a time through `words` (a 32-bit view of the same bytes,
 * when aligned) in the middle: the NUL tails of header fields and the padding after each file are most of the
 * bytes the reader looks at (issue 13).
 */
function zeroRange(tar: Uint8Array, words: Uint32Array | undefined, from: number, to: number): boolean {
  let i = from;
  if (words !== undefined && to - from >= 8) {
    for (; (i & 3) !== 0; i++) if (tar[i] !== 0) return false;
    const wEnd = to >>> 2;
    for (let w = i >>> 2; w < wEnd; w++) if (words[w] !== 0) return false;
    i = wEnd << 2;
  }
  for (; i < to; i++) if (tar[i] !== 0) return false;
  return true;
}

const BAD_OCTAL = -1;
const BASE256 = -2;

/**
 * An octal numeric field: one or more octal digits, then NUL/space terminators only (POSIX ustar). Returns
 * BASE256 for GNU base-256 (high bit set), BAD_OCTAL otherwise; `emptyOk` accepts an all-NUL field as 0
 * (devmajor/devminor, which some writers leave empty).
 */
function octal(tar: Uint8Array, start: number, len: number, emptyOk = false): number {
  if (tar[start]! & 0x80) return BASE256;
  let i = 0;
  let v = 0;
  while (i < len && tar[start + i]! >= 0x30 && tar[start + i]! <= 0x37) {
    v = v * 8 + (tar[start + i]! - 0x30);
    i++;
  }
  if (i === 0) {
    if (!emptyOk) return BAD_OCTAL;
    for (let j = 0; j < len; j++) if (tar[start + j] !== 0) return BAD_OCTAL;
    return 0;
  }
  for (; i < len; i++) if (tar[start + i] !== 0 && tar[start + i] !== 0x20) return BAD_OCTAL;
  return v;
}

/**
 * POSIX ustar checksum: the unsigned sum of the 512 header bytes with the chksum field (148..155) counted as
 * spaces. With a 32-bit view, bytes are summed two 16-bit lanes at a time (SWAR): 128 words per header
 * instead of 512 loads; each lane stays below 128 * 510 < 65536, so lanes never carry into each other.
 */
function headerSum(tar: Uint8Array, words: Uint32Array | undefined, off: number): number {
  if (words === undefined) {
    let sum = 8 * 0x20;
    for (let i = off; i < off + 148; i++) sum += tar[i]!;
    for (let i = off + 156; i < off + BLOCK; i++) sum += tar[i]!;
    return sum;
  }
  let acc = 0;
  const w0 = off >>> 2;
  for (let i = w0; i < w0 + 128; i++) {
    const w = words[i]!;
    acc += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
  }
  const all = (acc % 65536) + Math.floor(acc / 65536);
  let field = 0;
  for (let i = off + 148; i < off + 156; i++) field += tar[i]!;
  return all - field + 8 * 0x20;
}

const NUMERIC: readonly (readonly [string, number, number, boolean])[] = [
  ['mode', 100, 8, false],
  ['uid', 108, 8, false],
  ['gid', 116, 8, false],
  ['mtime', 136, 12, false],
  ['devmajor', 329, 8, true],
  ['devminor', 337, 8, true],
];

function parseTar(tar: Uint8Array, c: Caps, ctx: Ctx): Omit<ArchiveReadResult, 'findings' | 'fatal'> {
  // One pass over the inflated bytes; file data is handed on as subarray views (no copies).
  const text = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  // 32-bit view for the header checksum when the buffer is aligned (it is for inflated output > 4 KiB).
  const words = tar.byteOffset % 4 === 0 ? new Uint32Array(tar.buffer, tar.byteOffset, tar.byteLength >>> 2) : undefined;
  const entries: Entry[] = [];
  const rejected: string[] = []; // names of entries we refused (they still count for collisions)
  let mtime: number | undefined; // the first accepted file's; every other file must carry the same
  let off = 0;
  let index = 0;
  let ended = false;
  while (off + BLOCK <= tar.length) {
    if (tar[off] === 0 && isZeroBlock(tar, off)) {
      // End of archive: two consecutive zero blocks (POSIX). One alone followed by a header hides entries.
      if (off + 2 * BLOCK > tar.length) {
        fatal(ctx, 'ARCHIVE_TRUNCATED', undefined, `expected two zero blocks at the end of the tar, found one at offset ${off} and then end of data`);
      }
      if (!isZeroBlock(tar, off + BLOCK)) {
        fatal(ctx, 'ARCHIVE_LONE_ZERO_BLOCK', undefined, `expected a second zero block (end of archive) after the zero block at offset ${off}, found a header at offset ${off + BLOCK}`, {
          offset: off,
        });
      }
      off += 2 * BLOCK;
      ended = true;
      break;
    }
    if (index >= c.maxEntries) {
      fatal(ctx, 'ARCHIVE_CAP_EXCEEDED', undefined, `expected at most ${c.maxEntries} entries, found more`, { cap: 'maxEntries', limit: c.maxEntries });
    }
    // Checksum first: nothing else in a header with a bad checksum is meaningful (POSIX: unsigned byte sum,
    // the chksum field counted as eight spaces).
    const want = octal(tar, off + 148, 8);
    if (want < 0) fatal(ctx, 'ARCHIVE_BAD_HEADER', undefined, `${headerAt(index, off)}: expected octal digits in the chksum field, found "${displayName(tar.subarray(off + 148, off + 156))}"`);
    const sum = headerSum(tar, words, off);
    if (sum !== want) fatal(ctx, 'ARCHIVE_BAD_CHECKSUM', undefined, `${headerAt(index, off)}: expected the checksum field (${want}) to equal the unsigned byte sum of the header, found ${sum}`, { offset: off });
    const m = off + 257;
    const isUstar = tar[m] === 0x75 && tar[m + 1] === 0x73 && tar[m + 2] === 0x74 && tar[m + 3] === 0x61 && tar[m + 4] === 0x72;
    if (!(isUstar && tar[m + 5] === 0 && tar[m + 6] === 0x30 && tar[m + 7] === 0x30)) {
      const gnu = isUstar && tar[m + 5] === 0x20 && tar[m + 6] === 0x20 && tar[m + 7] === 0;
      fatal(
        ctx,
        gnu ? 'ARCHIVE_GNU_EXTENSION' : 'ARCHIVE_BAD_HEADER',
        undefined,
        `${headerAt(index, off)}: expected magic "ustar\\0" version "00", found "${displayName(tar.subarray(m, m + 6))}" "${displayName(tar.subarray(m + 6, m + 8))}"${gnu ? ' (old GNU format)' : ''}`,
      );
    }
    const nameLen = fieldLength(tar, words, off, 100);
    const prefixLen = fieldLength(tar, words, off + 345, 155);
    if (nameLen < 0 || prefixLen < 0) fatal(ctx, 'ARCHIVE_BAD_HEADER', undefined, `${headerAt(index, off)}: expected only NUL bytes after the ${nameLen < 0 ? 'name' : 'prefix'} terminator, found other bytes`);
    const name = prefixLen > 0 ? `${text.toString('latin1', off + 345, off + 345 + prefixLen)}/${text.toString('latin1', off, off + nameLen)}` : text.toString('latin1', off, off + nameLen);
    const subject = PRINTABLE.test(name) ? name : displayName(name);
    const size = octal(tar, off + 124, 12);
    if (size < 0) {
      fatal(ctx, 'ARCHIVE_BAD_HEADER', subject, size === BASE256 ? 'expected octal digits in the size field, found base-256 (GNU) encoding' : `expected octal digits then NUL or space in the size field, found "${displayName(tar.subarray(off + 124, off + 136))}"`);
    }
    for (let k = 0; k < NUMERIC.length; k++) {
      const [field, at, len, emptyOk] = NUMERIC[k]!;
      if (octal(tar, off + at, len, emptyOk) < 0) {
        fatal(ctx, 'ARCHIVE_BAD_HEADER', subject, `expected octal digits then NUL or space in the ${field} field, found "${displayName(tar.subarray(off + at, off + at + len))}"`);
      }
    }
    const linkLen = fieldLength(tar, words, off + 157, 100);
    if (linkLen < 0 || fieldLength(tar, words, off + 265, 32) < 0 || fieldLength(tar, words, off + 297, 32) < 0) {
      fatal(ctx, 'ARCHIVE_BAD_HEADER', subject, 'expected only NUL bytes after the linkname/uname/gname terminators, found other bytes');
    }
    const typeflag = tar[off + 156]!;

    const dataStart = off + BLOCK;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (dataStart + padded > tar.length) {
      fatal(ctx, 'ARCHIVE_TRUNCATED', subject, `expected the ${size} data bytes of the size field within the archive, found only ${Math.max(0, tar.length - dataStart)} bytes left`, {
        size,
      });
    }
    let badPadding = false;
    if (!zeroRange(tar, words, dataStart + size, dataStart + padded)) {
      let i = dataStart + size;
      while (tar[i] === 0) i++;
      add(ctx, 'ARCHIVE_NONZERO_PADDING', subject, `expected zero padding after the ${size} data bytes, found a non-zero byte at offset ${i}`);
      badPadding = true;
    }
    const t = String.fromCharCode(typeflag);
    const linkname = (): string => displayName(text.toString('latin1', off + 157, off + 157 + linkLen));
    switch (t) {
      case '0':
      case '\0':
      case '5': {
        const kind = t === '5' ? 'dir' : 'file';
        if (linkLen > 0) fatal(ctx, 'ARCHIVE_BAD_HEADER', subject, `expected no linkname on a ${kind} entry, found "${linkname()}"`);
        if (kind === 'dir' && size !== 0) fatal(ctx, 'ARCHIVE_BAD_HEADER', subject, `expected size 0 for a directory entry, found ${size}`);
        let ok = checkName(name, subject, kind, size, c, ctx) && !badPadding;
        // Issue 8 item 14: only what the writer writes (docs/bundle-format.md section 3). A setuid mode, a foreign
        // owner or a directory entry is applied by extractors (tar -x as root keeps owners and modes).
        const foreign = t === '0' ? foreignField(tar, off, mtime) : `a ${t === '5' ? 'directory entry' : "regular file with the old typeflag '\\0'"} (the writer writes only typeflag '0' files)`;
        if (foreign !== undefined) {
          add(ctx, 'ARCHIVE_FOREIGN_HEADER', subject, `expected the header fields the bundle writer writes, found ${foreign}`);
          ok = false;
        }
        if (!ok) rejected.push(name);
        else {
          mtime ??= octal(tar, off + 136, 12);
          entries.push({ name, path: kind === 'dir' ? name.slice(0, -1) : name, kind, data: tar.subarray(dataStart, dataStart + size) });
        }
        break;
      }
      case '1':
      case '2':
        add(ctx, 'ARCHIVE_LINK_ENTRY', subject, `expected a regular file or directory, found a ${t === '1' ? 'hardlink' : 'symlink'} to "${linkname()}"`, {
          typeflag: t,
          linkname: linkname(),
        });
        rejected.push(name);
        break;
      case '3':
      case '4':
      case '6':
      case '7':
        add(ctx, 'ARCHIVE_SPECIAL_ENTRY', subject, `expected a regular file or directory, found a ${SPECIAL[t]} entry (typeflag '${t}')`, { typeflag: t });
        rejected.push(name);
        break;
      case 'x':
      case 'g':
        fatal(ctx, 'ARCHIVE_PAX_UNSUPPORTED', subject, `expected plain ustar entries, found a pax ${t === 'x' ? 'extended' : 'global'} header (typeflag '${t}'): it can override the path or size of entries`, {
          typeflag: t,
        });
      case 'L':
      case 'K':
      case 'D':
      case 'M':
      case 'N':
      case 'S':
      case 'V':
        fatal(ctx, 'ARCHIVE_GNU_EXTENSION', subject, `expected plain ustar entries, found a GNU extension record (typeflag '${t}')`, { typeflag: t });
      default:
        fatal(ctx, 'ARCHIVE_UNKNOWN_TYPE', subject, `expected typeflag '0' or '5', found 0x${typeflag.toString(16).padStart(2, '0')}`, { typeflag });
    }
    off = dataStart + padded;
    index++;
  }
  if (!ended) fatal(ctx, 'ARCHIVE_TRUNCATED', undefined, `expected the two-zero-block end marker, found end of tar data at offset ${tar.length}`);
  // Nothing follows the end marker: the writer pads to no record size (docs/bundle-format.md section 3).
  for (let i = off; i < tar.length; i++) {
    if (tar[i] !== 0) {
      fatal(ctx, 'ARCHIVE_TRAILING_DATA', undefined, `expected only zero padding after the tar end marker at offset ${off}, found data at offset ${i}`, {
        offset: i,
      });
    }
  }
  if (off < tar.length) {
    fatal(ctx, 'ARCHIVE_TRAILING_DATA', undefined, `expected the tar to end with its two-zero-block end marker at offset ${off} (the bundle writer pads to no record size), found ${tar.length - off} more zero bytes`, {
      offset: off,
      bytes: tar.length - off,
    });
  }
  const out = assemble(entries, rejected, ctx);
  return mtime === undefined ? out : { ...out, mtime };
}

const enc = new TextEncoder();
/** Numeric fields as the writer (tar.ts writeOctal, every version) formats 0: zero-padded octal and a NUL. */
const ZERO8 = enc.encode('0000000\0');
const MODE_0644 = enc.encode('0000644\0');

function fieldIs(tar: Uint8Array, at: number, want: Uint8Array): boolean {
  for (let i = 0; i < want.length; i++) if (tar[at + i] !== want[i]) return false;
  return true;
}

/** `len - 1` octal digits then one NUL (the writer's form), or false. */
function paddedOctal(tar: Uint8Array, at: number, len: number): boolean {
  for (let i = 0; i < len - 1; i++) if (tar[at + i]! < 0x30 || tar[at + i]! > 0x37) return false;
  return tar[at + len - 1] === 0;
}

function allZero(tar: Uint8Array, at: number, len: number): boolean {
  for (let i = at; i < at + len; i++) if (tar[i] !== 0) return false;
  return true;
}

/**
 * The first header field of a typeflag '0' entry that differs from what the bundle writer writes
 * (src/bundle/tar.ts writeHeader; the same in every version since 6ca1c12: mode 0644, uid/gid 0, empty
 * uname/gname, devmajor/devminor 0, every numeric field as zero-padded octal with a NUL, checksum as six digits,
 * NUL, space, nothing after the prefix field, one mtime for the whole archive), described for a message; or
 * undefined when the header is the writer's. Name/prefix splits are not compared: every valid split means the
 * same name to every reader.
 */
function foreignField(tar: Uint8Array, off: number, mtime: number | undefined): string | undefined {
  const show = (at: number, len: number): string => `"${displayName(tar.subarray(at, at + len))}"`;
  if (!fieldIs(tar, off + 100, MODE_0644)) return `mode ${show(off + 100, 8)} (expected "0000644\\x00": no setuid, setgid, sticky or executable bits)`;
  if (!fieldIs(tar, off + 108, ZERO8)) return `uid ${show(off + 108, 8)} (expected 0)`;
  if (!fieldIs(tar, off + 116, ZERO8)) return `gid ${show(off + 116, 8)} (expected 0)`;
  if (!allZero(tar, off + 265, 32)) return `uname ${show(off + 265, 32)} (expected empty)`;
  if (!allZero(tar, off + 297, 32)) return `gname ${show(off + 297, 32)} (expected empty)`;
  if (!paddedOctal(tar, off + 124, 12)) return `size field ${show(off + 124, 12)} (expected 11 octal digits and a NUL)`;
  if (!paddedOctal(tar, off + 136, 12)) return `mtime field ${show(off + 136, 12)} (expected 11 octal digits and a NUL)`;
  const t = octal(tar, off + 136, 12);
  if (mtime !== undefined && t !== mtime) return `mtime ${t} (expected ${mtime}, the mtime of the archive's first file: the writer gives every entry the capture time)`;
  if (!(paddedOctal(tar, off + 148, 7) && tar[off + 155] === 0x20)) return `checksum field ${show(off + 148, 8)} (expected six octal digits, a NUL and a space)`;
  if (!fieldIs(tar, off + 329, ZERO8) || !fieldIs(tar, off + 337, ZERO8)) return `devmajor/devminor ${show(off + 329, 8)} ${show(off + 337, 8)} (expected 0)`;
  if (!allZero(tar, off + 500, 12)) return 'bytes in the 12 unused bytes after the prefix field (expected zero)';
  return undefined;
}

const SPECIAL: Record<string, string> = { '3': 'character device', '4': 'block device', '6': 'FIFO', '7': 'contiguous file' };

/** True when the name is acceptable; otherwise adds one finding. Spec: (c) rows 1, 4, 6. */
function checkName(name: string, subject: string, kind: 'file' | 'dir', size: number, c: Caps, ctx: Ctx): boolean {
  const reject = (code: string, message: string, detail?: Record<string, unknown>): false => {
    add(ctx, code, name.length === 0 ? '(empty name)' : subject, message, detail);
    return false;
  };
  if (name.length === 0) return reject('ARCHIVE_NONCANONICAL_PATH', 'expected a non-empty entry name, found an empty one');
  if (name.charCodeAt(0) === 0x2f || /^[A-Za-z]:/.test(name)) return reject('ARCHIVE_ABSOLUTE_PATH', 'expected a relative path under the bundle root, found an absolute or drive-relative path');
  if (name.includes('\\')) return reject('ARCHIVE_BACKSLASH', 'expected "/" as the only separator, found a backslash');
  const endsSlash = name.charCodeAt(name.length - 1) === 0x2f;
  if (kind === 'dir' && !endsSlash) return reject('ARCHIVE_NONCANONICAL_PATH', 'expected a directory name ending in "/", found none');
  if (kind === 'file' && endsSlash) return reject('ARCHIVE_NONCANONICAL_PATH', 'expected a regular file name without a trailing "/", found one');
  const body = kind === 'dir' ? name.slice(0, -1) : name;
  if (TRAVERSAL.test(body)) return reject('ARCHIVE_PATH_TRAVERSAL', 'expected no ".." segment, found one');
  if (DOT_OR_EMPTY.test(body)) return reject('ARCHIVE_NONCANONICAL_PATH', 'expected canonical segments, found a "." or empty segment');
  if (!ALLOWED.test(name)) {
    let bad = 0;
    for (let i = 0; i < name.length; i++) {
      if (!ALLOWED.test(name[i]!)) {
        bad = name.charCodeAt(i);
        break;
      }
    }
    return reject('ARCHIVE_BAD_CHARSET', `expected only [a-z0-9._/-] in names, found byte 0x${bad.toString(16).padStart(2, '0')}`, { byte: bad });
  }
  if (name.length > c.maxPathLength) return reject('ARCHIVE_CAP_EXCEEDED', `expected a name of at most ${c.maxPathLength} characters, found ${name.length}`, { cap: 'maxPathLength' });
  let depth = 1;
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 0x2f) depth++;
  if (depth > c.maxPathDepth) return reject('ARCHIVE_CAP_EXCEEDED', `expected at most ${c.maxPathDepth} path segments, found ${depth}`, { cap: 'maxPathDepth' });
  if (size > c.maxFileBytes) return reject('ARCHIVE_CAP_EXCEEDED', `expected a file of at most ${c.maxFileBytes} bytes, found ${size}`, { cap: 'maxFileBytes', found: size });
  return true;
}

function assemble(entries: Entry[], rejected: string[], ctx: Ctx): Omit<ArchiveReadResult, 'findings' | 'fatal'> {
  if (entries.length === 0 && rejected.length === 0) fatal(ctx, 'ARCHIVE_EMPTY', undefined, 'expected a bundle directory, found an empty archive');

  // Duplicates and case collisions over every regular/dir name seen, accepted or not: (c) rows 3-4.
  // Accepted names are lower case already (charset), so only names with upper case need folding.
  // `seen` in first-occurrence order; the counts only of names seen more than once (one Set operation per name).
  const seen = new Set<string>();
  let repeated: Map<string, number> | undefined;
  const note = (key: string): void => {
    const before = seen.size;
    seen.add(key);
    if (seen.size === before) (repeated ??= new Map()).set(key, (repeated.get(key) ?? 1) + 1);
  };
  for (const e of entries) note(e.path);
  const rejectedKeys = rejected.map((n) => (n.endsWith('/') ? n.slice(0, -1) : n));
  for (const k of rejectedKeys) note(k);
  const drop = new Set<string>();
  if (repeated) {
    for (const key of seen) {
      const n = repeated.get(key);
      if (n === undefined) continue;
      add(ctx, 'ARCHIVE_DUPLICATE_ENTRY', displayName(key), `expected each name once, found it ${n} times (extractors keep the last; we keep none)`, { count: n });
      drop.add(key);
    }
  }
  const folded = new Map<string, Set<string>>();
  for (const k of rejectedKeys) {
    const f = k.toLowerCase();
    if (f === k && !folded.has(f)) continue;
    let set = folded.get(f);
    if (!set) folded.set(f, (set = new Set()));
    set.add(k);
    if (seen.has(f)) set.add(f);
  }
  for (const [, names] of folded) {
    if (names.size > 1) {
      const list = [...names].sort();
      add(ctx, 'ARCHIVE_CASE_COLLISION', displayName(list[0]!), `expected names unique ignoring case, found ${list.map((x) => `"${displayName(x)}"`).join(', ')}`, {
        names: list.map((x) => displayName(x)),
      });
      for (const n of list) drop.add(n);
    }
  }

  // One root directory: every entry's first segment is the same, and no regular file sits at the top.
  const roots = new Set<string>();
  let lastRoot = '';
  for (const e of entries) {
    const slash = e.path.indexOf('/');
    if (slash < 0 && e.kind === 'file') fatal(ctx, 'ARCHIVE_NOT_UNDER_ROOT', e.name, 'expected every file inside the bundle directory, found a file at the top level');
    if (slash > 0 && slash === lastRoot.length && e.path.startsWith(lastRoot)) continue; // the previous entry's root
    lastRoot = slash < 0 ? e.path : e.path.slice(0, slash);
    roots.add(lastRoot);
  }
  if (roots.size > 1) {
    const list = [...roots].sort();
    fatal(ctx, 'ARCHIVE_MULTIPLE_ROOTS', undefined, `expected one top-level directory, found ${list.length}: ${list.map((x) => `"${x}"`).join(', ')}`, { roots: list });
  }
  if (roots.size === 0) fatal(ctx, 'ARCHIVE_EMPTY', undefined, 'expected a bundle directory, found no acceptable entries');
  const root = [...roots][0]!;

  // A file that is also a directory (explicit dir entry, or ancestor of another entry): (c) row 3.
  const dirPaths = new Set<string>();
  let lastParent = '';
  for (const e of entries) {
    if (e.kind === 'dir') dirPaths.add(e.path);
    const last = e.path.lastIndexOf('/');
    // Entries come in name order, so most share the previous entry's parent, which is in with its ancestors.
    if (last > 0 && last === lastParent.length && e.path.startsWith(lastParent)) continue;
    if (last > 0) lastParent = e.path.slice(0, last);
    for (let p = last; p > 0; p = e.path.lastIndexOf('/', p - 1)) {
      const parent = e.path.slice(0, p);
      if (dirPaths.has(parent)) break; // its ancestors are in already
      dirPaths.add(parent);
    }
  }
  for (const e of entries) {
    if (e.kind === 'file' && dirPaths.has(e.path)) {
      add(ctx, 'ARCHIVE_FILE_DIR_COLLISION', e.name, 'expected a path to be either a file or a directory, found it used as both');
      drop.add(e.path);
    }
  }

  // Writer order is byte order of full names (docs/bundle-format.md section 3); anything else was repacked.
  for (let i = 1; i < entries.length; i++) {
    if (entries[i - 1]!.name >= entries[i]!.name) {
      ctx.findings.push({
        code: 'ARCHIVE_UNSORTED',
        severity: 'warning',
        subject: entries[i]!.name,
        message: `expected entries in byte order of their names, found "${entries[i]!.name}" after "${entries[i - 1]!.name}"`,
      });
      break;
    }
  }

  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>();
  const cut = root.length + 1;
  for (const e of entries) {
    if (drop.size > 0 && drop.has(e.path)) continue;
    if (e.kind === 'dir') dirs.add(e.path.length > root.length ? e.path.slice(cut) : '');
    else files.set(e.path.slice(cut), e.data);
  }
  return { root, files, dirs };
}

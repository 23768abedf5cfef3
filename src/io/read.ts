/**
 * Reading named input files (I/O edge), with errors that say which file, for what, and why, and with a size
 * cap applied BEFORE reading (issue 8 item 13): stat first; a regular file over the cap is refused without
 * reading a byte; reading stops at the cap in case the file grows meanwhile. A FIFO (process substitution,
 * `<(kubectl get ...)`) is read without blocking on open and streamed under the same cap; devices (/dev/zero)
 * and sockets are refused. Nothing here can hang on a FIFO without a writer or eat memory on an endless stream.
 */
import { open, stat } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import { fileTypeName } from './atomic.ts';

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
};

/** Cap on small text inputs (readInputText): keys, trust files, policies (thousands of keys are far below it). */
export const SMALL_INPUT_MAX_BYTES = 4 * 1024 * 1024;
/** Default cap of readInputFile: the verifier's default compressed-bytes cap (src/bundle/reader.ts DEFAULT_CAPS). */
export const DEFAULT_FILE_MAX_BYTES = 128 * 1024 * 1024;
/**
 * Default cap on one collect input file (and on stdin): `gwe collect --max-input-bytes`. A `kubectl get -A -o json`
 * dump of the 50k-route synthetic cluster (bench/) is ~110 MiB; 256 MiB leaves headroom and bounds memory
 * (a parsed JSON document takes several times its size).
 */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface ReadLimits {
  /** Refuse (InputError INPUT_TOO_LARGE) files of more bytes than this. */
  maxBytes: number;
  /** The flag that raises the cap, named in the error (e.g. `--max-input-bytes`). */
  capFlag?: string;
}

/** An InputError INPUT_TOO_LARGE; `size` is the stat size when known. */
export class InputTooLargeError extends InputError {
  readonly size: number | undefined;
  readonly limit: number;
  constructor(file: string, what: string, limit: number, size: number | undefined, capFlag: string | undefined) {
    super('INPUT_TOO_LARGE', `cannot read ${what} "${file}": expected at most ${limit} bytes, found ${size !== undefined ? `${size} bytes` : 'more'}${capFlag ? ` (raise the cap with ${capFlag})` : ''}`, { file });
    this.size = size;
    this.limit = limit;
  }
}

function unreadable(file: string, what: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const code = (e as { code?: string }).code ?? '';
  const why = WHY[code] ?? (e as Error).message;
  return new InputError('INPUT_UNREADABLE', `cannot read ${what} "${file}": expected a readable file, found ${why}${code && WHY[code] ? ` (${code})` : ''}`, { file, cause: e });
}

/**
 * Reads `file` (relative to `cwd`) as bytes. `what` says what the file is for ("bundle", "trust file").
 * @throws InputError INPUT_UNREADABLE: `cannot read <what> "<file>": expected a readable file, found <why>`;
 *   InputTooLargeError (INPUT_TOO_LARGE) over `limits.maxBytes` (default DEFAULT_FILE_MAX_BYTES, 128 MiB)
 */
export async function readInputFile(file: string, what: string, cwd: string, limits: ReadLimits = { maxBytes: DEFAULT_FILE_MAX_BYTES }): Promise<Uint8Array> {
  const path = isAbsolute(file) ? file : join(cwd, file);
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    throw unreadable(file, what, e);
  }
  return readStatted(path, st, file, what, limits);
}

/** readInputFile for a path already stat()ed (the directory walk). */
export async function readStatted(path: string, st: Stats, file: string, what: string, limits: ReadLimits): Promise<Uint8Array> {
  if (st.isFile()) {
    if (st.size > limits.maxBytes) throw new InputTooLargeError(file, what, limits.maxBytes, st.size, limits.capFlag);
    return readBounded(path, file, what, limits, 0);
  }
  if (st.isFIFO()) return readBounded(path, file, what, limits, constants.O_NONBLOCK);
  throw new InputError('INPUT_UNREADABLE', `cannot read ${what} "${file}": expected a regular file, found ${fileTypeName(st)}`, { file });
}

/** Reads at most maxBytes (+1 to detect more). With O_NONBLOCK (FIFOs), EAGAIN waits briefly and retries. */
async function readBounded(path: string, file: string, what: string, limits: ReadLimits, extraFlags: number): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | extraFlags);
  } catch (e) {
    throw unreadable(file, what, e);
  }
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = new Uint8Array(Math.min(1024 * 1024, limits.maxBytes + 1 - total) || 1);
      let n: number;
      try {
        n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
      } catch (e) {
        if ((e as { code?: string }).code === 'EAGAIN') {
          await new Promise((r) => setTimeout(r, 5)); // a FIFO whose writer has not written yet
          continue;
        }
        throw unreadable(file, what, e);
      }
      if (n === 0) break;
      total += n;
      if (total > limits.maxBytes) throw new InputTooLargeError(file, what, limits.maxBytes, undefined, limits.capFlag);
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** readInputFile as UTF-8 text, capped at SMALL_INPUT_MAX_BYTES (4 MiB) unless `limits` says otherwise. */
export async function readInputText(file: string, what: string, cwd: string, limits: ReadLimits = { maxBytes: SMALL_INPUT_MAX_BYTES }): Promise<string> {
  return new TextDecoder().decode(await readInputFile(file, what, cwd, limits));
}

/**
 * Audit log files -> AuditAccumulator (the I/O edge of src/audit/). Streams each file (plain or gzip, told
 * apart by the gzip magic bytes, not the name), splits lines itself with a per-line cap so that memory stays
 * bounded whatever the file size, and hashes the file bytes as read (the SHA-256 in the collection record).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { pipeline, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import type { AuditFileRecord } from '../model/operational.ts';
import type { AuditAccumulator } from '../audit/ingest.ts';

/** A line longer than this is not an audit event we keep (it is counted as malformed and skipped). */
export const MAX_AUDIT_LINE_BYTES = 16 * 1024 * 1024;

export interface AuditProgress {
  file: string;
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead: number;
  bytesTotal: number;
  lines: number;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Streams `files` into `acc`. Returns one record per file.
 * @throws InputError naming the file when it cannot be read or its gzip stream is corrupt.
 */
export async function readAuditLogs(files: readonly string[], acc: AuditAccumulator, opts: { cwd: string; onProgress?: (p: AuditProgress) => void }): Promise<AuditFileRecord[]> {
  const out: AuditFileRecord[] = [];
  for (const name of files) {
    const path = isAbsolute(name) ? name : join(opts.cwd, name);
    let gzip: boolean;
    let total = 0;
    try {
      gzip = await isGzip(path);
      const fh = await open(path, 'r');
      total = (await fh.stat()).size;
      await fh.close();
    } catch (e) {
      throw new InputError('INPUT_UNREADABLE', `cannot read audit log "${name}": ${(e as Error).message}`, { file: name, cause: e });
    }
    const record: AuditFileRecord = { name, sha256: '', bytes: 0, gzip, lines: 0, malformed: 0, kept: 0 };
    acc.beginFile(record);
    const hash = createHash('sha256');
    let read = 0;
    let lastReport = 0;
    // Hash (and count) the file bytes as they pass; gunzip after, when the file is gzip.
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        read += chunk.length;
        if (opts.onProgress && read - lastReport >= 32 << 20) {
          lastReport = read;
          opts.onProgress({ file: name, bytesRead: read, bytesTotal: total, lines: record.lines });
        }
        cb(null, chunk);
      },
    });
    const raw = createReadStream(path, { highWaterMark: 1 << 20 });
    const stages: NodeJS.ReadWriteStream[] = gzip ? [hasher, createGunzip()] : [hasher];
    const text = stages[stages.length - 1]! as unknown as AsyncIterable<Buffer>;
    let pipeError: Error | undefined;
    pipeline([raw, ...stages] as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream], (e) => {
      if (e) pipeError = e;
    });
    const decoder = new StringDecoder('utf8');
    let partial = '';
    let overlong = false;
    const feed = (s: string): void => {
      let start = 0;
      for (let nl = s.indexOf('\n', start); nl >= 0; nl = s.indexOf('\n', start)) {
        if (overlong) {
          overlong = false;
          partial = '';
        } else {
          acc.addLine(partial + s.slice(start, nl));
          partial = '';
        }
        start = nl + 1;
      }
      if (!overlong) {
        partial += s.slice(start);
        if (partial.length > MAX_AUDIT_LINE_BYTES) {
          // Count it once as a malformed line; drop the rest of it without buffering.
          acc.addLine('\u0000overlong');
          overlong = true;
          partial = '';
        }
      }
    };
    try {
      for await (const chunk of text) feed(decoder.write(chunk));
      feed(decoder.end());
      if (!overlong && partial !== '') acc.addLine(partial);
      if (pipeError) throw pipeError;
    } catch (e) {
      raw.destroy();
      throw new InputError('INPUT_INVALID', `audit log "${name}": expected ${gzip ? 'a complete gzip stream of ' : ''}JSON lines, found a read error: ${(e as Error).message}`, { file: name, cause: e });
    }
    record.sha256 = hash.digest('hex');
    record.bytes = read;
    opts.onProgress?.({ file: name, bytesRead: read, bytesTotal: total, lines: record.lines });
    out.push(record);
  }
  return out;
}

/**
 * The operational record at collection (issue 9), the I/O edge: audit logs (streamed), DNS exports and
 * attachments are read here and turned into `capture.evidence` by the pure modules (src/audit, src/dns).
 * Every file that goes into the bundle passes the bundle's private-key scan first (bundle/check.ts
 * scanContent, the same entry point the verifier uses): a file holding key material is refused, naming it.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { InputError, UsageError } from '../errors.ts';
import type { Capture } from '../model/collection.ts';
import type { KubeObject } from '../model/object.ts';
import type { AttachmentFile, DnsFile, DnsRecord, OperationalEvidence } from '../model/operational.ts';
import { createAuditAccumulator, auditScope } from '../audit/ingest.ts';
import { deriveHistory } from '../audit/history.ts';
import { parseTime } from '../audit/reduce.ts';
import { parseDnsFile, sortRecords } from '../dns/parse.ts';
import { canonicalBytes } from '../bundle/canonical.ts';
import { scanContent } from '../bundle/check.ts';
import { operationalToPayload } from '../bundle/operational.ts';
import { readAuditLogs, type AuditProgress } from './audit.ts';

/** Attachments above this size are refused before they are read (raise it by splitting the file). */
export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;
/** DNS exports above this size are refused before they are read. */
export const MAX_DNS_FILE_BYTES = 64 * 1024 * 1024;

export interface OperationalOptions {
  /** audit.k8s.io/v1 Event JSON-lines files, plain or gzip. */
  auditLogs?: string[];
  /** RFC 3339; default: the previous bundle's capture time when there is one. */
  auditSince?: string;
  /** RFC 3339; default: the capture time. */
  auditUntil?: string;
  onAuditProgress?: (p: AuditProgress) => void;
  /** Zone files, Route 53 or external-dns JSON/YAML exports. */
  dns?: string[];
  /** `FILE[:media-type]`. */
  attach?: string[];
}

export interface PreviousForAudit {
  bundleId: string;
  capturedAt: string;
  objects: readonly KubeObject[];
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;
const MEDIA_BY_EXT: Record<string, string> = {
  txt: 'text/plain', log: 'text/plain', csv: 'text/csv', md: 'text/markdown', html: 'text/html', json: 'application/json',
  jsonl: 'application/jsonl', yaml: 'application/yaml', yml: 'application/yaml', pdf: 'application/pdf', gz: 'application/gzip',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', xml: 'application/xml',
};

/** `FILE[:media-type]` -> file and media type (by extension when not given; application/octet-stream otherwise). */
export function parseAttachSpec(spec: string): { file: string; mediaType: string } {
  const i = spec.lastIndexOf(':');
  if (i > 0 && MEDIA_TYPE.test(spec.slice(i + 1))) return { file: spec.slice(0, i), mediaType: spec.slice(i + 1).toLowerCase() };
  if (spec === '') throw new UsageError('--attach: expected FILE[:media-type], found an empty value');
  const ext = /\.([a-z0-9]+)$/i.exec(spec)?.[1]?.toLowerCase();
  return { file: spec, mediaType: (ext && MEDIA_BY_EXT[ext]) || 'application/octet-stream' };
}

function rfc3339(flag: string, v: string): string {
  if (parseTime(v) === undefined) throw new UsageError(`${flag}: expected an RFC 3339 date-time such as 2026-11-01T00:00:00Z, found "${v}"`);
  return v;
}

async function readCapped(file: string, cwd: string, max: number, what: string): Promise<Uint8Array> {
  const path = isAbsolute(file) ? file : join(cwd, file);
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError('INPUT_INVALID', `${what} "${file}": expected a regular file, found ${st.isDirectory() ? 'a directory' : 'another kind of file'}`, { file });
    if (st.size > max) throw new InputError('INPUT_INVALID', `${what} "${file}": expected at most ${max} bytes, found ${st.size}`, { file });
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', `cannot read ${what} "${file}": ${(e as Error).message}`, { file, cause: e });
  }
}

/**
 * Refuses a file that holds private key material: the verifier's scan (bundle/check.ts scanContent, PEM and
 * the structural detector of crypto/key-material.ts), run before the bundle is written. `scanAs` is the name
 * the scan sees (its extension picks JSON/YAML decoding).
 */
function refuseKeys(what: string, name: string, bytes: Uint8Array, scanAs: string = name): void {
  const found = scanContent(new Map([[scanAs, bytes]]), undefined).filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY');
  if (found.length > 0) {
    throw new InputError('INPUT_INVALID', `${what} "${name}": holds private key material (${found[0]!.message}); refusing to put it in evidence`, { file: name });
  }
}

/** Reads the operational inputs and returns the capture with `evidence` (the capture itself when there are none). */
export async function addOperationalEvidence(capture: Capture, opts: OperationalOptions, ctx: { cwd: string; previous?: PreviousForAudit }): Promise<Capture> {
  const evidence: OperationalEvidence = {};
  let record = capture.record;
  const auditLogs = opts.auditLogs ?? [];
  if (auditLogs.length === 0 && (opts.auditSince !== undefined || opts.auditUntil !== undefined)) {
    throw new UsageError('collect: --audit-since/--audit-until need --audit-log FILE');
  }
  if (auditLogs.length > 0) {
    const since = opts.auditSince !== undefined ? rfc3339('--audit-since', opts.auditSince) : ctx.previous?.capturedAt;
    const until = opts.auditUntil !== undefined ? rfc3339('--audit-until', opts.auditUntil) : capture.record.capturedAt;
    const sinceT = since !== undefined ? parseTime(since) : undefined;
    const untilT = parseTime(until)!;
    if (sinceT !== undefined && sinceT > untilT) throw new UsageError(`collect: expected --audit-since (${since}) before --audit-until (${until})`);
    const acc = createAuditAccumulator(auditScope(capture), { ...(sinceT !== undefined ? { since: sinceT } : {}), until: untilT });
    const files = await readAuditLogs(auditLogs, acc, { cwd: ctx.cwd, ...(opts.onAuditProgress ? { onProgress: opts.onAuditProgress } : {}) });
    const events = acc.events();
    refuseKeys('audit log', auditLogs.join(', '), canonicalBytes(events), 'data/audit/events.json');
    evidence.audit = { events, history: deriveHistory(events, capture.snapshot.objects, ctx.previous) };
    record = { ...record, audit: { ...(since !== undefined ? { since } : {}), until, files, dropped: acc.droppedCounts(), events: events.length } };
  }
  if (opts.dns && opts.dns.length > 0) {
    const files: DnsFile[] = [];
    const records: DnsRecord[] = [];
    for (const name of opts.dns) {
      const bytes = await readCapped(name, ctx.cwd, MAX_DNS_FILE_BYTES, 'DNS file');
      refuseKeys('DNS file', name, bytes);
      const parsed = parseDnsFile(name, bytes);
      files.push({ name, format: parsed.format, bytes });
      records.push(...parsed.records);
    }
    evidence.dns = { files, records: sortRecords(records) };
  }
  if (opts.attach && opts.attach.length > 0) {
    const attachments: AttachmentFile[] = [];
    for (const spec of opts.attach) {
      const { file, mediaType } = parseAttachSpec(spec);
      const bytes = await readCapped(file, ctx.cwd, MAX_ATTACHMENT_BYTES, 'attachment');
      refuseKeys('attachment', file, bytes);
      attachments.push({ name: basename(file), mediaType, bytes });
    }
    evidence.attachments = attachments;
  }
  if (!evidence.audit && !evidence.dns && !evidence.attachments) return capture;
  // The record as the bundle layout writes it (dns.files and attachments with paths, digests, sizes).
  return { ...capture, record: operationalToPayload(evidence, record, new Map()), evidence };
}

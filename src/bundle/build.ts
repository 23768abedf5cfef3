/** buildBundle: Capture -> signed, deterministic bundle bytes (docs/bundle-format.md). Pure. */
import type { Capture } from '../model/collection.ts';
import { pae, sha256Hex, verify, type SigningKey } from '../crypto/index.ts';
import { UsageError, InputError, InternalError } from '../errors.ts';
import { BAG_INFO_TXT, BAGIT_TXT, BAGIT_TXT_CONTENT, bagInfoText, FORMAT_VERSION, FORMAT_VERSION_2, MANIFEST, manifestText, TAG_MANIFEST } from './bagit.ts';
import { hasOperationalEvidence } from './operational.ts';
import { captureToPayload, COLLECTION_FILE } from './layout.ts';
import { pathProblem } from './paths.ts';
import { envelopeBytes, makeStatement, PAYLOAD_TYPE, signPayload, sigFilePath, STATEMENT_FILE, ENVELOPE_FILE, type BundlePredicate } from './statement.ts';
import { canonicalBytes } from './canonical.ts';
import { gzipDeterministic, writeTar, writeTarGzip, type TarEntry } from './tar.ts';
import { isUtcSeconds, rfc3339Ms } from '../model/time.ts';

export interface BuildOptions {
  signers: SigningKey[];
  previous?: { bundleId: string; digest: string };
}

export interface BuiltBundle {
  bytes: Uint8Array;
  bundleId: string;
  /** Hex SHA-256 of `bytes` (the .tar.gz). */
  sha256: string;
  /** The archive entries (full paths, bytes) that `bytes` holds, for preflightBundle. */
  entries: TarEntry[];
}

/**
 * Capture time -> seconds since the epoch; the format is RFC 3339 UTC with seconds precision, and it must be a
 * real date and time (model/time.ts: 2026-02-30 or T24:00:00 are refused, never rolled over).
 */
export function captureSeconds(capturedAt: string): number {
  const ms = isUtcSeconds(capturedAt) ? rfc3339Ms(capturedAt) : undefined;
  if (ms === undefined) throw new InputError('INPUT_INVALID', `capture time: expected RFC 3339 UTC with seconds precision (2026-11-01T00:00:00Z), found ${JSON.stringify(capturedAt)}`);
  return Math.floor(ms / 1000);
}

/** §4: gwe-<YYYYMMDD>t<HHMMSS>z-<first 16 hex of sha256(manifest-sha256.txt)>. */
export function makeBundleId(capturedAt: string, payloadManifest: Uint8Array): string {
  captureSeconds(capturedAt);
  const compact = capturedAt.replace(/[-:]/g, '').toLowerCase();
  return `gwe-${compact}-${sha256Hex(payloadManifest).slice(0, 16)}`;
}

/** The hashed part of a bag: tag files and payload, relative to the root. */
export interface BagFiles {
  files: Map<string, Uint8Array>;
  bundleId: string;
  statement: Uint8Array;
  mtime: number;
}

/** Builds the bag (every hashed file) and the statement bytes, without signing. */
export function buildBag(capture: Capture, previous?: { bundleId: string; digest: string }): BagFiles {
  const record = capture.record;
  const mtime = captureSeconds(record.capturedAt);
  const { payload, collection } = captureToPayload(capture);
  // v1 unless the capture holds an operational record: a bundle without one stays byte-identical to v1.
  const formatVersion = hasOperationalEvidence(capture.evidence) ? FORMAT_VERSION_2 : FORMAT_VERSION;
  const manifest = manifestText(payload);
  const bundleId = makeBundleId(record.capturedAt, manifest);
  let payloadBytes = 0;
  for (const b of payload.values()) payloadBytes += b.length;
  const bagInfo = bagInfoText({
    softwareAgent: `${record.tool.name} ${record.tool.version}`,
    capturedAt: record.capturedAt,
    ...(record.cluster.name ? { clusterName: record.cluster.name } : {}),
    ...(record.cluster.uid ? { clusterUid: record.cluster.uid } : {}),
    collectorVersion: record.tool.version,
    bundleId,
    payloadBytes,
    payloadFiles: payload.size,
    formatVersion,
  });
  const tagFiles = new Map<string, Uint8Array>([
    [BAGIT_TXT, new TextEncoder().encode(BAGIT_TXT_CONTENT)],
    [BAG_INFO_TXT, bagInfo],
    [COLLECTION_FILE, collection],
    [MANIFEST, manifest],
  ]);
  const tagManifest = manifestText(tagFiles);
  const files = new Map<string, Uint8Array>([...tagFiles, [TAG_MANIFEST, tagManifest], ...payload]);
  for (const p of files.keys()) {
    const problem = pathProblem(p);
    if (problem) throw new InputError('INPUT_INVALID', `bundle path rejected: ${problem}`);
  }
  const cluster: BundlePredicate['cluster'] = {};
  if (record.cluster.name) cluster.name = record.cluster.name;
  if (record.cluster.uid) cluster.uid = record.cluster.uid;
  const predicate: BundlePredicate = {
    bundleId,
    capturedAt: record.capturedAt,
    cluster,
    collectorVersion: record.tool.version,
    bundleFormatVersion: formatVersion,
    partial: record.partial,
    ...(previous ? { previousBundle: { bundleId: previous.bundleId, digest: previous.digest } } : {}),
  };
  const statement = canonicalBytes(makeStatement(sha256Hex(tagManifest), predicate));
  return { files, bundleId, statement, mtime };
}

/** Assembles the archive: bag files + statement + envelope + one .sig per signature, under `<root>/`. */
export function assembleArchive(root: string, bag: ReadonlyMap<string, Uint8Array>, statement: Uint8Array, sigs: ReadonlyMap<string, Uint8Array>, mtime: number): Uint8Array {
  return gzipDeterministic(writeTar(archiveEntries(root, bag, statement, sigs), mtime));
}

/** The archive entries (full paths under `<root>/`) that assembleArchive writes. */
export function archiveEntries(root: string, bag: ReadonlyMap<string, Uint8Array>, statement: Uint8Array, sigs: ReadonlyMap<string, Uint8Array>): TarEntry[] {
  const entries: TarEntry[] = [];
  for (const [p, bytes] of bag) entries.push({ path: `${root}/${p}`, bytes });
  entries.push({ path: `${root}/${STATEMENT_FILE}`, bytes: statement });
  entries.push({ path: `${root}/${ENVELOPE_FILE}`, bytes: envelopeBytes(statement, sigs) });
  for (const [keyId, sig] of sigs) entries.push({ path: `${root}/${sigFilePath(keyId)}`, bytes: sig });
  return entries;
}

/**
 * Builds a signed bundle. Pure and deterministic: the same capture, capture time and keys give the same bytes.
 * @throws UsageError without signers; InputError for a bad capture time or an object whose path breaks the rules.
 */
export function buildBundle(capture: Capture, opts: BuildOptions): BuiltBundle {
  const { bundleId, entries, mtime } = signedEntries(capture, opts);
  const bytes = gzipDeterministic(writeTar(entries, mtime));
  return { bytes, bundleId, sha256: sha256Hex(bytes), entries };
}

/**
 * buildBundle with the tar streamed into gzip (src/bundle/tar.ts writeTarGzip): the same bytes, without the
 * whole tar in memory (what collect uses; issue 13). Pure: zlib runs on libuv's thread pool, nothing is read
 * or written.
 */
export async function buildBundleStreaming(capture: Capture, opts: BuildOptions): Promise<BuiltBundle> {
  const { bundleId, entries, mtime } = signedEntries(capture, opts);
  const bytes = await writeTarGzip(entries, mtime);
  return { bytes, bundleId, sha256: sha256Hex(bytes), entries };
}

/** The bag, signed: every archive entry of the bundle, its id and the entries' mtime. */
function signedEntries(capture: Capture, opts: BuildOptions): { bundleId: string; entries: TarEntry[]; mtime: number } {
  if (opts.signers.length === 0) throw new UsageError('a bundle needs at least one signing key');
  const bag = buildBag(capture, opts.previous);
  const sigs = new Map<string, Uint8Array>();
  // Self-check: each signature verifies (strict RFC 8032) over the PAE of the exact statement bytes with the
  // signer's public key. This replaces a read-back of the whole archive: the archive writer is deterministic
  // and byte-tested, while a key whose seed and public half disagree would otherwise ship unverifiable bundles.
  const message = pae(PAYLOAD_TYPE, bag.statement);
  for (const key of opts.signers) {
    const sig = signPayload(bag.statement, key);
    if (!verify(sig, message, key.publicKey)) throw new InternalError(`signing key ${key.keyId}: expected its signature to verify with its own public key, found it does not`);
    sigs.set(key.keyId, sig);
  }
  return { bundleId: bag.bundleId, entries: archiveEntries(bag.bundleId, bag.files, bag.statement, sigs), mtime: bag.mtime };
}

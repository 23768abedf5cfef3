/**
 * One versioned adapter for reading a bundle into what diff, inspect and chain need. The bundle format
 * version is read from the bundle itself (bag-info.txt `Bundle-Format-Version`, docs/bundle-format.md §1.1)
 * and dispatched to the reader for that version, so a v2 reader slots in next to v1 as one more entry.
 */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import { BundleFormatError } from '../errors.ts';
import { readArchive, type ArchiveReadResult, type Caps } from '../bundle/reader.ts';
import { BAG_INFO_TXT, parseBagInfo, TAG_MANIFEST } from '../bundle/bagit.ts';
import { sha256Hex } from '../crypto/index.ts';
import { openRead, type BundleChecks } from '../bundle/open.ts';

/** What a reader of any format version returns. */
export interface ReadBundle {
  formatVersion: string;
  bundleId: string;
  capture: Capture;
  /** previousBundle from the signed statement (signature NOT verified here), when present. */
  previousBundle?: { bundleId: string; digest: string };
  /**
   * `sha256:<hex>` of the bundle's content binding (v1: the tag manifest, which the signed statement's subject
   * names and which covers every tag and payload file). Stable when a countersignature changes the archive bytes.
   */
  contentDigest?: string;
  /** Integrity/content findings from opening (no trust root involved). */
  findings: Finding[];
  integrityOk: boolean;
  /** The checks made while opening (verify/verify.ts verifyChecks adds the signatures without reading again). */
  checks?: BundleChecks;
}

/** Reads a bundle of one format version; `read` is the archive already read from `bytes` with `caps`, when there is one. */
export type BundleReader = (bytes: Uint8Array, name: string, caps?: Partial<Caps>, read?: ArchiveReadResult) => ReadBundle;

/**
 * Format v1 and v2 share one reader: v2 is v1 plus the operational record (docs/bundle-format.md §7), which
 * openBundle reads into `capture.evidence`.
 */
function readV1(bytes: Uint8Array, name: string, caps?: Partial<Caps>, read?: ArchiveReadResult): ReadBundle {
  let b: ReturnType<typeof openRead>;
  try {
    b = openRead(read ?? readArchive(bytes, caps));
  } catch (e) {
    if (e instanceof BundleFormatError) throw new BundleFormatError(e.code, `${name}: ${e.message}`, { cause: e });
    throw e;
  }
  const out: ReadBundle = { formatVersion: String(b.statement.predicate.bundleFormatVersion ?? 1), bundleId: b.bundleId, capture: b.capture, findings: b.findings, integrityOk: b.integrityOk, checks: b.checks };
  const tm = b.files.get(TAG_MANIFEST);
  if (tm) out.contentDigest = `sha256:${sha256Hex(tm)}`;
  const prev = b.statement.predicate.previousBundle;
  if (prev) out.previousBundle = { bundleId: prev.bundleId, digest: prev.digest };
  return out;
}

/** Readers by bundle format version. */
export const BUNDLE_READERS: Readonly<Record<string, BundleReader>> = Object.freeze({ '1': readV1, '2': readV1 });

/**
 * The bundle format version declared in the bundle's bag-info.txt.
 * @throws BundleFormatError NOT_A_BUNDLE when the archive cannot be read or declares no version
 */
export function bundleFormatVersion(bytes: Uint8Array, name: string, caps?: Partial<Caps>): string {
  return formatVersionOf(readArchive(bytes, caps), name);
}

/** bundleFormatVersion of an archive already read. */
function formatVersionOf(read: ArchiveReadResult, name: string): string {
  if (read.fatal) throw new BundleFormatError('NOT_A_BUNDLE', `${name}: not a readable bundle: ${read.findings.map((f) => f.message).join('; ')}`);
  const info = read.files.get(BAG_INFO_TXT);
  if (!info) throw new BundleFormatError('NOT_A_BUNDLE', `${name}: not a bundle: expected ${BAG_INFO_TXT} under the bundle directory, found none`);
  const versions = parseBagInfo(info).fields.get('Bundle-Format-Version') ?? [];
  if (versions.length !== 1) {
    throw new BundleFormatError('NOT_A_BUNDLE', `${name}: ${BAG_INFO_TXT}: expected one Bundle-Format-Version line, found ${versions.length}`);
  }
  return versions[0]!;
}

/**
 * Reads a bundle of any supported format version.
 * @throws BundleFormatError UNSUPPORTED_VERSION naming the version found and the versions supported;
 *   NOT_A_BUNDLE when the bytes are not a bundle
 */
export function readBundle(bytes: Uint8Array, name: string, caps?: Partial<Caps>): ReadBundle {
  // One archive read for the version and the reader (issue 13: diff read each archive twice).
  const read = readArchive(bytes, caps);
  const version = formatVersionOf(read, name);
  const reader = Object.prototype.hasOwnProperty.call(BUNDLE_READERS, version) ? BUNDLE_READERS[version] : undefined;
  if (!reader) {
    throw new BundleFormatError(
      'UNSUPPORTED_VERSION',
      `${name}: bundle format version ${JSON.stringify(version)} is not supported; this gwe reads format version(s) ${Object.keys(BUNDLE_READERS).join(', ')}`,
    );
  }
  return reader(bytes, name, caps, read);
}

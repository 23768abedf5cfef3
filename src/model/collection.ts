import type { Snapshot } from './snapshot.ts';
import type { AttachmentRecord, AuditRecord, DnsFileRecord, OperationalEvidence } from './operational.ts';

/** A source the collector read: a file (name + SHA-256 of its bytes), stdin, or a live API list. */
export interface CollectionSource {
  /** File path as given (relative to the working directory), `-` for stdin, or an API path for live capture. */
  name: string;
  sha256?: string;
  bytes?: number;
  /** Live capture: apiVersion/kind of the list and the list's resourceVersion (the consistency window). */
  apiVersion?: string;
  kind?: string;
  resourceVersion?: string;
  objects?: number;
}

/** Something the collector could not capture. A bundle with gaps is partial and never called complete. */
export interface CollectionGap {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  /** HTTP status for live capture (403, 404, 5xx), absent for file capture. */
  status?: number;
  message: string;
}

export interface CollectionWarning {
  code: string;
  message: string;
  source?: string;
  object?: string;
}

/** The collection record stored in every bundle (collection.json, a tag file). */
export interface CollectionRecord {
  tool: { name: 'gateway-evidence'; version: string };
  capturedAt: string; // RFC 3339, UTC, seconds precision
  mode: 'files' | 'live';
  cluster: { name?: string; uid?: string; serverVersion?: string; context?: string };
  /** What the capture covers; `labelSelector` is the kubectl `-l` text as given (absent: no selector). */
  scope: { namespaces?: string[]; excludeNamespaces?: string[]; labelSelector?: string };
  sources: CollectionSource[];
  /** Objects kept, per `Kind` (and apiVersion group when ambiguous), e.g. {"HTTPRoute": 12}. */
  counts: Record<string, number>;
  /** Objects skipped because their kind is not evidence, per `apiVersion Kind`, e.g. {"apps/v1 ReplicaSet": 3}. */
  skipped: Record<string, number>;
  gaps: CollectionGap[];
  warnings: CollectionWarning[];
  /** True when any gap exists: the capture is known to be incomplete. */
  partial: boolean;
  /**
   * Files capture only (absent in live captures, which list every kind, and in bundles written before it existed):
   * the kinds the inputs held at all, as `Kind` for the core group and `group/Kind` otherwise, sorted, whether the
   * objects were kept or skipped. A referenced object of a kind NOT listed here is unknown, not missing: the dump
   * did not ask for that kind (verify reports CAPTURE_INCOMPLETE instead of drift).
   */
  kindsPresent?: string[];
  /** Format v2: the audit window and the audit log files read (docs/bundle-format.md §7). */
  audit?: AuditRecord;
  /** Format v2: the DNS exports kept (filled in by the bundle layout). */
  dns?: { files: DnsFileRecord[] };
  /** Format v2: attachments with media type and size (filled in by the bundle layout). */
  attachments?: AttachmentRecord[];
}

/** `Kind` for the core group, `group/Kind` otherwise: the key of CollectionRecord.kindsPresent. */
export function kindKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

/** A snapshot plus its collection record: what a bundle holds, and what `collect` produces. */
export interface Capture {
  snapshot: Snapshot;
  record: CollectionRecord;
  /** The operational record (audit, DNS, attachments); present only in format v2 bundles. */
  evidence?: OperationalEvidence;
}

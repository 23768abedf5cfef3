/**
 * The operational record (issue 9): audit-log evidence, DNS evidence and attachments, kept in bundle format
 * v2 (docs/bundle-format.md §7). Domain types only; no imports from other src/ folders but model/.
 */

/** `objectRef` of an audit event, as the API server wrote it (audit.k8s.io/v1 ObjectReference). */
export interface AuditObjectRef {
  apiGroup?: string;
  apiVersion?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface AuditUser {
  username: string;
  groups?: string[];
}

/**
 * One audit.k8s.io/v1 Event reduced to what an auditor needs (issue 9). Never a request or response body;
 * for non-Secret objects only the SHA-256 of the canonical JSON of the body, for Secrets nothing of it.
 */
export interface ReducedAuditEvent {
  auditID: string;
  stage: string;
  requestReceivedTimestamp: string;
  verb: string;
  user: AuditUser;
  impersonatedUser?: AuditUser;
  userAgent?: string;
  sourceIPs?: string[];
  objectRef: AuditObjectRef;
  responseStatus?: { code: number };
  /** sha256 (hex) of the RFC 8785 canonical JSON of requestObject; never for Secrets. */
  requestObjectSha256?: string;
  /** sha256 (hex) of the RFC 8785 canonical JSON of responseObject; never for Secrets. */
  responseObjectSha256?: string;
}

/** One audit log file as read: what it held and what was kept. */
export interface AuditFileRecord {
  name: string;
  sha256: string;
  bytes: number;
  gzip: boolean;
  /** Non-empty lines read. */
  lines: number;
  /** Lines that were not an audit.k8s.io/v1 Event (counted, never stored). */
  malformed: number;
  /** Events kept (in scope, in the window, mutating). */
  kept: number;
  /** Earliest and latest requestReceivedTimestamp of any event in the file (coverage). */
  first?: string;
  last?: string;
}

/** collection.json `audit`: the window asked for and the files that cover it. */
export interface AuditRecord {
  /** RFC 3339; absent = no lower bound. */
  since?: string;
  until: string;
  files: AuditFileRecord[];
  /** Events dropped, per reason (out-of-scope, out-of-window, read-only, ...). */
  dropped: Record<string, number>;
  events: number;
}

/** One change in an object's history (who, when, verb). */
export interface ChangeEntry {
  time: string;
  verb: string;
  user: string;
  impersonatedUser?: string;
  subresource?: string;
  code?: number;
  auditID: string;
}

/** managedFields reduced to manager/operation/time (the collector keeps these instead of dropping the field). */
export interface FieldManager {
  manager: string;
  operation?: string;
  time?: string;
  subresource?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  controller?: boolean;
}

/** Per object: its owners as recorded in the object (ownerReferences, field managers). */
export interface ObjectOwners {
  ownerReferences: OwnerReference[];
  managers: FieldManager[];
}

/** An object whose generation/resourceVersion changed since the previous bundle with no audit event in the window. */
export interface UnexplainedChange {
  ref: string;
  field: 'generation' | 'resourceVersion';
  old: string;
  new: string;
}

/** data/audit/history.json: evidence derived from the events and the objects (recomputed by the verifier). */
export interface AuditHistory {
  /** Per object key (refKey, or `resource[.group]/ns/name` for objects not in the bundle), sorted. */
  objects: Array<{ ref: string; changes: ChangeEntry[] }>;
  /** Objects of the bundle with owners, sorted by ref. */
  owners: Array<{ ref: string } & ObjectOwners>;
  /** Against the previous bundle (only when one was given at collection), sorted by ref. */
  previousBundle?: { bundleId: string; capturedAt: string };
  unexplained?: UnexplainedChange[];
}

export interface AuditEvidence {
  events: ReducedAuditEvent[];
  history: AuditHistory;
}

/** One normalised DNS record. Names are absolute, lower case, without the trailing dot. */
export interface DnsRecord {
  name: string;
  type: string;
  ttl?: number;
  /** A/AAAA: the address; CNAME/ALIAS: the target name (normalised like `name`); others: the value as text. */
  value: string;
  /** The DNS file it came from (as given). */
  source: string;
}

export type DnsFormat = 'zone' | 'route53' | 'external-dns';

/** A DNS export kept as given. */
export interface DnsFile {
  name: string;
  format: DnsFormat;
  bytes: Uint8Array;
}

export interface DnsEvidence {
  files: DnsFile[];
  records: DnsRecord[];
}

/** Supporting evidence kept byte for byte, never parsed. */
export interface AttachmentFile {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** Everything a v2 bundle holds beyond a v1 capture. */
export interface OperationalEvidence {
  audit?: AuditEvidence;
  dns?: DnsEvidence;
  attachments?: AttachmentFile[];
}

/** collection.json `dns.files[]`. */
export interface DnsFileRecord {
  name: string;
  path: string;
  format: DnsFormat;
  sha256: string;
  bytes: number;
  records: number;
}

/** collection.json `attachments[]`. */
export interface AttachmentRecord {
  name: string;
  path: string;
  mediaType: string;
  sha256: string;
  bytes: number;
}

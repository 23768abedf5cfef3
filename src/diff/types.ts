/**
 * Output of `diffCaptures(old, new, opts)`: what changed between two captures, by meaning.
 * Plain data, every array sorted, validated by schemas/diff.schema.json.
 */
import type { Finding } from '../model/finding.ts';

export const DIFF_SCHEMA_VERSION = 'gateway-evidence.diff/v1';

/** One side of the diff: the bundle (or capture) it came from. */
export interface DiffSide {
  /** Bundle file name as given, when the side came from a bundle. */
  name?: string;
  bundleId?: string;
  /** Bundle format version the side was read with (e.g. "1"). */
  formatVersion?: string;
  capturedAt: string;
  /** Collection scope in words (`all namespaces`, `namespaces a, b`, `all namespaces except x`). */
  scope: string;
  partial: boolean;
  objects: number;
  /** Integrity of the bundle the side came from (digests, manifests, structure, statement binding). */
  integrity?: 'ok' | 'failed';
  /**
   * Signatures against a trust root: `verified` (the trust requirement is met), `failed`, or `not-checked` (no
   * trust root was given: who signed the bundle is unknown).
   */
  signatures?: 'verified' | 'failed' | 'not-checked';
  /** The trust root the signatures were checked against (file name), when checked. */
  trust?: string;
}

/** A JSON value change at a path. `op`: added (only in new), removed (only in old), changed (both, different). */
export interface FieldChange {
  /** JSONPath into the object, e.g. `$.spec.rules[0].backendRefs[1].weight`, `$.metadata.labels['app.kubernetes.io/name']`. */
  path: string;
  op: 'added' | 'removed' | 'changed';
  old?: unknown;
  new?: unknown;
}

export interface ObjectId {
  /** refKey: `HTTPRoute.gateway.networking.k8s.io/ns/name`. */
  ref: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ObjectChange extends ObjectId {
  /** Set when the apiVersion differs between the two sides. */
  oldApiVersion?: string;
  /** Sorted by path. */
  changes: FieldChange[];
}

export interface ObjectsDiff {
  added: ObjectId[];
  removed: ObjectId[];
  modified: ObjectChange[];
}

/** A backend as reached through a hostname, with its service type. */
export interface ReachedBackend {
  /** `namespace/name[:port]` (kind prefix when not a core Service). */
  backend: string;
  serviceType: string;
  /** Highest share of traffic this backend gets across the rules of this hostname (percent). */
  percent: number;
}

/** Key of a hostname on a listener. */
export interface HostnameKey {
  gateway: string; // namespace/name
  listener: string;
  hostname: string;
}

/** A hostname whose set of reached backends, or their service types, changed. */
export interface HostnameChange extends HostnameKey {
  /** `added`: hostname newly served; `removed`: no longer served; `changed`: backends or service types differ. */
  op: 'added' | 'removed' | 'changed';
  oldBackends: ReachedBackend[];
  newBackends: ReachedBackend[];
  /** Service types reached before and after (sorted, unique). */
  oldServiceTypes: string[];
  newServiceTypes: string[];
}

/** The share of one backend in one route rule, before and after. */
export interface WeightShift extends HostnameKey {
  route: string; // Kind namespace/name
  /** Rule name when set, else `#index`. */
  rule: string;
  backend: string;
  oldWeight: number;
  newWeight: number;
  oldPercent: number;
  newPercent: number;
}

/** Where a route serves traffic: `namespace/gateway` and listener (ListenerSet listeners as `Kind ns/name:listener`). */
export interface RouteListener {
  gateway: string;
  listener: string;
}

/**
 * A route whose attachment changed: `added` (serves traffic now, on no listener before), `removed` (the reverse),
 * `moved` (serves traffic before and after, on a different set of listeners).
 */
export interface RouteChange {
  /** `Kind namespace/name`. */
  route: string;
  op: 'added' | 'removed' | 'moved';
  oldListeners: RouteListener[];
  newListeners: RouteListener[];
}

/** One exposure (listener, hostname, route, backend carrying traffic) that exists on one side only. */
export interface PathChange extends HostnameKey {
  op: 'added' | 'removed';
  route: string;
  backend: string;
  serviceType: string;
}

export interface RoutingDiff {
  hostnames: HostnameChange[];
  weightShifts: WeightShift[];
  /** Routes added, removed or moved between listeners (sorted by route). */
  routes: RouteChange[];
  /** Exposures added or removed (sorted by hostname, gateway, listener, route, backend, op). */
  paths: PathChange[];
}

/** A GatewayClass whose controllerName changed, or a class added/removed. */
export interface GatewayClassChange {
  name: string;
  op: 'added' | 'removed' | 'changed';
  oldControllerName?: string;
  newControllerName?: string;
}

/** A captured gateway controller / data-plane workload (model/controllers.ts) whose images (versions) changed. */
export interface ControllerWorkloadChange {
  /** `Kind namespace/name`. */
  workload: string;
  implementation: string;
  op: 'added' | 'removed' | 'changed';
  oldImages: string[];
  newImages: string[];
  /** The image tags (or digests), the version a reviewer reads. */
  oldVersions: string[];
  newVersions: string[];
}

/** A ConformanceReport as the diff compares it (report/model.ts conformanceSummary). */
export interface ConformanceFacts {
  file: string;
  implementation?: string;
  version?: string;
  gatewayAPIVersion?: string;
  channel?: string;
  mode?: string;
  profiles: { name: string; core?: string; extended?: string; passed: number; failed: number; skipped: number }[];
  error?: string;
}

/**
 * A ConformanceReport added, removed or changed, matched by implementation (organization/project), else file name.
 * A new data-plane implementation or version is a change a reviewer must see (issue 10).
 */
export interface ConformanceChange {
  key: string;
  op: 'added' | 'removed' | 'changed';
  old?: ConformanceFacts;
  new?: ConformanceFacts;
  /** What changed, one line each: `version v1.2.0 -> v1.3.0`, `profile GATEWAY-HTTP core success -> failure`... */
  changes: string[];
}

export interface ControllersDiff {
  gatewayClasses: GatewayClassChange[];
  workloads: ControllerWorkloadChange[];
  conformance: ConformanceChange[];
}

/** Namespaces that a Gateway listener allows routes from, before and after (allowedRoutes.namespaces). */
export interface ListenerNamespacesChange {
  gateway: string; // namespace/name
  listener: string;
  oldFrom?: string; // Same | All | Selector; absent when the listener did not exist
  newFrom?: string;
  /** Namespaces now allowed that were not before (sorted). */
  newlyAllowed: string[];
  /** Namespaces no longer allowed (sorted). */
  noLongerAllowed: string[];
}

/** One from -> to edge of a ReferenceGrant. */
export interface GrantEdge {
  grant: string; // namespace/name of the ReferenceGrant
  from: { group: string; kind: string; namespace: string };
  to: { group: string; kind: string; namespace: string; name?: string };
}

export interface GrantsDiff {
  added: GrantEdge[];
  removed: GrantEdge[];
}

export interface CertificateSummary {
  secret: string; // namespace/name
  key: string; // tls.crt | ca.crt
  subject: string;
  dnsNames: string[];
  notAfter: string;
  sha256Fingerprint: string;
}

export interface CertificateRotation {
  secret: string;
  key: string;
  old: CertificateSummary;
  new: CertificateSummary;
}

export interface CertificateExpiry extends CertificateSummary {
  /** Whole days from the new capture time to notAfter (negative: already expired). */
  daysLeft: number;
  expired: boolean;
}

export interface CertificatesDiff {
  added: CertificateSummary[];
  removed: CertificateSummary[];
  rotated: CertificateRotation[];
  /** Leaf certificates in the new capture that expire within the window (or have expired). */
  expiring: CertificateExpiry[];
}

export interface FindingsDiff {
  introduced: Finding[];
  fixed: Finding[];
  unchanged: Finding[];
}

export interface DiffSummary {
  objectsAdded: number;
  objectsRemoved: number;
  objectsModified: number;
  hostnamesChanged: number;
  weightShifts: number;
  listenersWithNewNamespaces: number;
  grantsAdded: number;
  grantsRemoved: number;
  certificatesRotated: number;
  certificatesExpiring: number;
  findingsIntroduced: number;
  findingsFixed: number;
  findingsUnchanged: number;
  routesAdded?: number;
  routesRemoved?: number;
  routesMoved?: number;
  /** GatewayClass controllerNames and controller workload versions that changed. */
  controllersChanged?: number;
  conformanceChanged?: number;
}

export interface BundleDiff {
  schemaVersion: typeof DIFF_SCHEMA_VERSION;
  old: DiffSide;
  new: DiffSide;
  summary: DiffSummary;
  objects: ObjectsDiff;
  routing: RoutingDiff;
  listeners: ListenerNamespacesChange[];
  grants: GrantsDiff;
  certificates: CertificatesDiff;
  findings: FindingsDiff;
  /** Controller versions (GatewayClass controllerName, controller workload images) and ConformanceReports. */
  controllers?: ControllersDiff;
  /** Notes that qualify the diff (a partial side, new capture not later than old...). */
  notes: string[];
  /**
   * Who changed the added, removed and modified objects, from the new bundle's audit evidence (format v2,
   * issue 9); present only when the new bundle carries audit evidence. Sorted by ref.
   */
  authors?: ObjectAuthors[];
}

export interface ObjectAuthors {
  ref: string;
  /** Chronological: time, verb, user (and subresource/status code when recorded). */
  changes: { time: string; verb: string; user: string; subresource?: string; code?: number }[];
}

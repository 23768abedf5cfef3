/**
 * Output types of the Gateway API resolution engine (`resolve()` in ./index.ts).
 *
 * The top level is exactly the shape of issue 3: gatewayClasses, gateways, routes, routing, findings.
 * Every array is sorted (see the comment on each) so the JSON is deterministic; everything is plain data
 * (JSON-serialisable, no undefined inside arrays, no Maps).
 */
import type { Finding } from '../model/finding.ts';
import type { AttachmentMode, PolicyCategory } from '../model/policy-kinds.ts';
import type { Profile, Semantics } from './profiles.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition as a conformant controller writes it (metav1.Condition without the timestamps). */
export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** `RouteGroupKind` in listener status (`supportedKinds`). */
export interface GroupKind {
  group: string;
  kind: string;
}

export interface GatewayClassResolution {
  name: string;
  controllerName: string;
  /** The semantics (profile) that produced this class's status and its Gateways' (src/resolve/profiles.ts). */
  semantics: Profile;
  /** Sorted by type. */
  conditions: Condition[];
}

export interface ListenerResolution {
  name: string;
  attachedRoutes: number;
  /**
   * Present (> 0) when up to this many more routes may count in attachedRoutes: their namespace's labels decide an
   * allowedRoutes selector and the capture holds no Namespace objects at all (missing is not absent). The
   * prediction is then a range, attachedRoutes .. attachedRoutes + attachedRoutesUnknown.
   */
  attachedRoutesUnknown?: number;
  /** Valid kinds only, in the listener's declared order (or the protocol default order). */
  supportedKinds: GroupKind[];
  /** Sorted by type. */
  conditions: Condition[];
}

/** Status of a ListenerSet (gateway.networking.k8s.io ListenerSet or x-k8s XListenerSet) attached to a Gateway. */
export interface ListenerSetResolution {
  /** `ListenerSet` or `XListenerSet`. */
  kind: string;
  group: string;
  namespace: string;
  name: string;
  /** Sorted by type. */
  conditions: Condition[];
  /** The ListenerSet's own listeners (status.listeners of the ListenerSet), in spec order. */
  listeners: ListenerResolution[];
}

/** The status a controller writes into a BackendTLSPolicy `status.ancestors[]` entry whose ancestorRef is this Gateway. */
export interface PolicyAncestorResolution {
  kind: 'BackendTLSPolicy';
  namespace: string;
  name: string;
  ancestorRef: ParentRefEcho;
  controllerName: string;
  /** Sorted by type. */
  conditions: Condition[];
}

export interface GatewayResolution {
  namespace: string;
  name: string;
  gatewayClassName: string;
  /** The semantics (profile) that produced this Gateway's status, its listeners' and its route parents'. */
  semantics: Profile;
  /** Sorted by type. */
  conditions: Condition[];
  /** Gateway's own listeners, in spec order (as status.listeners). */
  listeners: ListenerResolution[];
  /** ListenerSets that target this Gateway (accepted or not), sorted by namespace/name. Omitted when none. */
  listenerSets?: ListenerSetResolution[];
  /** BackendTLSPolicies whose ancestor is this Gateway, sorted by namespace/name. Omitted when none. */
  backendTLSPolicies?: PolicyAncestorResolution[];
  /**
   * status.attachedListenerSets: ListenerSets that target this Gateway and are Accepted=True. Present only when
   * the ListenerSet feature is claimed and the Gateway sets spec.allowedListeners or is targeted by a ListenerSet.
   */
  attachedListenerSets?: number;
}

/** A route parentRef with its defaults filled in (group, kind, namespace = route namespace when unset). */
export interface ParentRefEcho {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface RouteParentResolution {
  parentRef: ParentRefEcho;
  controllerName: string;
  /** Sorted by type. */
  conditions: Condition[];
}

export interface RouteResolution {
  /** HTTPRoute | GRPCRoute | TLSRoute | TCPRoute | UDPRoute */
  kind: string;
  namespace: string;
  name: string;
  /** One entry per spec parentRef that a controller in the snapshot handles, in spec order. */
  parents: RouteParentResolution[];
}

/** Certificate metadata (never key material) of a resolved certificateRef. */
export interface RoutingCertificate {
  subject?: string;
  issuer?: string;
  sha256Fingerprint?: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore?: string;
  notAfter?: string;
  isCA?: boolean;
}

export interface RoutingCertificateRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  /** True when the ref is permitted, exists and holds a parseable certificate. */
  resolved: boolean;
  /** Gateway API reason when not resolved (InvalidCertificateRef, RefNotPermitted). */
  reason?: string;
  message?: string;
  /** The ReferenceGrant that allowed a cross-namespace ref (`namespace/name`). */
  referenceGrant?: string;
  /**
   * Chain metadata from a ReducedSecret's certificateMetadata['tls.crt'] (leaf first). Empty for a raw
   * Secret (the pure resolver does not parse X.509) or an unresolved ref.
   */
  chain: RoutingCertificate[];
}

export interface RoutingBackend {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  weight: number;
  /** Share of the rule's total weight in percent (two decimals); 0 when the total weight is 0. */
  percent: number;
  valid: boolean;
  /** Gateway API reason when invalid: InvalidKind, RefNotPermitted, BackendNotFound, UnsupportedProtocol, or
   * BackendTLSPolicyInvalid (a targeting BackendTLSPolicy cannot be satisfied). */
  reason?: string;
  message?: string;
  /** Backend namespace differs from the route namespace. */
  crossNamespace: boolean;
  /** The ReferenceGrant (`namespace/name`) that allowed the cross-namespace ref. */
  referenceGrant?: string;
  /** Present when the backend is a core Service that exists in the snapshot. */
  service?: {
    type: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  /** Present when the backend is a multicluster.x-k8s.io ServiceImport that exists in the snapshot (type: spec.type). */
  serviceImport?: {
    type: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  /** BackendTLSPolicy (`namespace/name`) that applies to this backend, when one does. */
  backendTLSPolicy?: string;
  /** Present when the backend is an InferencePool that exists in the snapshot. */
  inferencePool?: InferencePoolView;
  /** Adjacent policies that target this backend object (Service, InferencePool, ...). Omitted when none. */
  policies?: PolicyCoverage[];
}

/** What the routing table shows of an InferencePool backend (docs/inference.md). */
export interface InferencePoolView {
  /** spec.selector.matchLabels (v1) or spec.selector (v1alpha2). */
  selector: Record<string, string>;
  targetPorts: number[];
  appProtocol?: string;
  /** spec.endpointPickerRef (v1) or spec.extensionRef (v1alpha2); `found` = a Service of that name exists. */
  endpointPicker?: { group: string; kind: string; name: string; port?: number; failureMode: string; found: boolean };
  /** Names of the InferenceObjectives whose poolRef is this pool, sorted. */
  objectives: string[];
  /** spec.modelName of the (older) InferenceModels whose poolRef is this pool, sorted and unique. */
  models: string[];
}

/** InferencePool `status.parents[]` entry (api/v1/inferencepool_types.go ParentStatus). */
export interface InferencePoolParentResolution {
  parentRef: { group: string; kind: string; namespace: string; name: string };
  controllerName: string;
  /** Sorted by type. */
  conditions: Condition[];
}

/** The status a controller must write on an InferencePool. */
export interface InferencePoolResolution {
  kind: 'InferencePool';
  /** inference.networking.k8s.io (v1) or inference.networking.x-k8s.io (v1alpha2). */
  group: string;
  namespace: string;
  name: string;
  /** One per Gateway whose routes reference the pool, sorted by namespace/name; empty when none does. */
  parents: InferencePoolParentResolution[];
}

/** A policy that covers a routing-table rule or backend (GEP-713 effective policy). */
export interface PolicyCoverage {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  /** The implementation that enforces it; we only record the attachment. */
  implementation: string;
  categories: PolicyCategory[];
  /** The object on the row's path it targets. */
  attachedTo: 'GatewayClass' | 'Gateway' | 'ListenerSet' | 'Listener' | 'Route' | 'Rule' | 'Backend';
  /** True when the policy reaches what is below its target (GEP-713 Inherited mode). */
  inherited: boolean;
}

/** One target of a policy, resolved against the snapshot. */
export interface PolicyTargetResolution {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  /** `targetRef`, `targetRefs[i]`, `targetSelectors[i]`, `parentRefs[i]`. */
  via: string;
  /** found: the object (and section) exists; missing: it does not; not-captured: a kind the bundle does not hold. */
  state: 'found' | 'missing' | 'not-captured';
}

export interface PolicyResolution {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  implementation: string;
  mode: AttachmentMode;
  categories: PolicyCategory[];
  /** Sorted by via order (spec order). */
  targets: PolicyTargetResolution[];
  /** Secrets the policy names (`namespace/name`, sorted). Only the reference is kept, never the Secret. */
  secretRefs: string[];
  /** status.ancestors as captured (the implementation's word); we do not recompute it. */
  recordedAncestors: number;
}

/** An adjacent policy kind known to the resolver (model/policy-kinds.ts). */
export interface PolicyKindResolution {
  group: string;
  kind: string;
  implementation: string;
  mode: AttachmentMode;
  categories: PolicyCategory[];
  sources: Array<'table' | 'crd-label'>;
  crd?: string;
  note?: string;
  /** Objects of this kind in the snapshot. */
  objects: number;
}

export interface RoutingRule {
  /** Index of the rule in spec.rules. */
  index: number;
  name?: string;
  /** spec.rules[i].matches as written (HTTP/GRPC); [] when absent or not applicable. */
  matches: unknown[];
  backends: RoutingBackend[];
  /** Adjacent policies that target this rule's route or this rule (by name). Omitted when none. */
  policies?: PolicyCoverage[];
  /** Present when the implementation drops this rule (route parent PartiallyInvalid / Accepted=False reason). */
  dropped?: { reason: string; message: string };
}

export interface RoutingRoute {
  kind: string;
  namespace: string;
  name: string;
  /** False for TCPRoute/UDPRoute that are attached but not the oldest on the listener (no traffic). */
  servesTraffic: boolean;
  /**
   * Position (0 = first) of this route in the hostname's route list, ordered by HTTP match precedence of the
   * route's most specific valid match (exact path > longest prefix > method > headers > query), then oldest
   * creationTimestamp, then namespace/name. TLS/TCP/UDP routes have no matches and order by age.
   */
  precedence: number;
  rules: RoutingRule[];
}

export interface RoutingHostname {
  /** Effective (intersected) hostname; `*` when neither the listener nor the route restricts it. */
  hostname: string;
  /** Routes that serve this hostname on this listener, in precedence order (see RoutingRoute.precedence). */
  routes: RoutingRoute[];
}

/** One effective routing table entry per Gateway listener (including listeners attached through a ListenerSet). */
export interface RoutingEntry {
  gateway: { namespace: string; name: string };
  /** Present when the listener comes from a ListenerSet. */
  listenerSet?: { kind: string; namespace: string; name: string };
  listener: string;
  /** Listener hostname as written; absent = any. */
  listenerHostname?: string;
  port: number;
  protocol: string;
  /** TLS mode for HTTPS/TLS listeners (default Terminate). */
  tlsMode?: 'Terminate' | 'Passthrough';
  listenerAccepted: boolean;
  listenerProgrammed: boolean;
  certificateRefs: RoutingCertificateRef[];
  /** status.addresses[].value of the Gateway as captured (the resolver cannot assign addresses). */
  addresses: string[];
  /** Sorted by hostname. */
  hostnames: RoutingHostname[];
  /**
   * Adjacent policies that target this listener's GatewayClass, Gateway, ListenerSet or the listener itself. Those
   * with `inherited: true` cover every route on the listener (GEP-713 Inherited); Direct ones cover only their
   * target (gwctl "effective policies"). A row's coverage = these inherited ones + the rule's + the backend's.
   */
  policies?: PolicyCoverage[];
}

export interface Resolution {
  /** Sorted by name. */
  gatewayClasses: GatewayClassResolution[];
  /** Sorted by namespace, name. Only Gateways whose class is present in the snapshot. */
  gateways: GatewayResolution[];
  /** Sorted by kind, namespace, name. Only routes with at least one handled parent. */
  routes: RouteResolution[];
  /** Sorted by gateway namespace, name, then listener order. */
  routing: RoutingEntry[];
  /** Sorted by namespace, name. Present when the snapshot holds an InferencePool. */
  inferencePools?: InferencePoolResolution[];
  /** Adjacent policy objects (policy attachment), sorted by group, kind, namespace, name. Present when any. */
  policies?: PolicyResolution[];
  /** Policy kinds of the built-in table and labelled CRDs that have objects or a CRD in the snapshot. Present when any. */
  policyKinds?: PolicyKindResolution[];
  /** Sorted by severity, code, subject, message. */
  findings: Finding[];
}

export type AttachedRoutesSemantics = 'v1.4' | 'v1.5';

export interface ResolveOptions {
  /**
   * Gateway API feature names the simulated controller claims (e.g. `TLSRouteModeTerminate`). Default:
   * SUPPORTED_FEATURES from ./features.ts. Affects which listener protocols/TLS modes are accepted.
   */
  features?: readonly string[];
  /**
   * How listener attachedRoutes counts routes: 'v1.4' counts every route that selects the listener and
   * passes allowedRoutes (even Accepted=False for hostname mismatch); 'v1.5' counts only Accepted=True.
   * Default: from the captured CRD annotation gateway.networking.k8s.io/bundle-version (< v1.5.0 -> v1.4),
   * else v1.5.
   */
  attachedRoutesSemantics?: AttachedRoutesSemantics;
  /**
   * Controller profile (src/resolve/profiles.ts): `spec` (default; conformance claims are made in it only), a
   * named controller's, or `auto` (each GatewayClass by its controllerName, `spec` for unknown controllers).
   */
  semantics?: Semantics;
  /**
   * The kinds the capture held at all (CollectionRecord.kindsPresent; undefined = every kind). A reference to an
   * object of a lookup kind not listed (capture-kinds.ts) is unknown offline: the conditions that depend on it are
   * predicted `Unknown/CaptureIncomplete`, not as a missing reference.
   */
  kindsPresent?: readonly string[];
  /**
   * Called each time a lookup found no object of a kind that `kindsPresent` does not list, i.e. each time
   * `kindsPresent` changed the result. Never called: the resolution is the same as without `kindsPresent` (the
   * report reuses the verifier's spec resolution then, instead of resolving the capture again; issue 13).
   */
  onKindNotCaptured?: (kind: string) => void;
}

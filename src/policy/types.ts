/**
 * Exposure policy types (schemas/policy.schema.json is the wire format; see docs/policy.md).
 * A policy is what a security team writes: how services are classified, which listeners are "public",
 * and the rules every capture must satisfy. Pure data.
 */
import type { Severity } from '../model/finding.ts';

export const SERVICE_TYPES = [
  'public-model-endpoint',
  'internal-inference',
  'agent-tool-gateway',
  'evaluation',
  'retrieval',
  'admin',
  'unclassified',
] as const;
export type BuiltInServiceType = (typeof SERVICE_TYPES)[number];
/** A built-in type or one the policy declares in serviceTypeDefinitions (`(string & {})` keeps the literals visible). */
export type ServiceType = BuiltInServiceType | (string & {});

/** A service type the policy file declares next to the built-in seven (issue 12: "service types are user-defined"). */
export interface ServiceTypeDefinition {
  /** Lower-case, digits and dashes; not a built-in name. */
  name: string;
  description?: string;
}

/** The documented label/annotation a Service (or its Namespace) carries to declare its service type. */
export const SERVICE_TYPE_KEY = 'gateway-evidence.io/service-type';

/** Classification rule: every field given must match (AND); the first matching rule wins. */
export interface ServiceTypeRule {
  type: Exclude<ServiceType, 'unclassified'>;
  /** Namespace names or globs (`*` matches any run of characters). */
  namespaces?: string[];
  /** Service (backend object) names or globs. */
  names?: string[];
  /** Labels that must all be present with these values (`*` = any value). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Backend kinds (default: any kind, e.g. Service or InferencePool). */
  kinds?: string[];
}

/**
 * Selects listeners. Every field given must match (AND). `public: true` selects listeners the policy calls
 * public (see Policy.public), `public: false` the others.
 */
export interface ListenerSelector {
  public?: boolean;
  /** Gateways as `namespace/name` (globs allowed). */
  gateways?: string[];
  /** Listener names (globs allowed). */
  listeners?: string[];
  ports?: number[];
  protocols?: string[];
  /** Hostname patterns (Gateway API syntax, `*.example.com`, or `*`); matches when the listener hostname intersects. */
  hostnames?: string[];
  /** Labels the Gateway carries. */
  gatewayLabels?: Record<string, string>;
}

interface RuleBase {
  /** Stable id, cited in every finding this rule produces. */
  id: string;
  description?: string;
  /** Severity of the findings (default error). */
  severity?: Severity;
}

/** Only routes from these namespaces may attach to the selected listeners. */
export interface AttachmentRule extends RuleBase {
  type: 'attachment';
  listeners?: ListenerSelector;
  allowNamespaces: string[];
}

/** Which service types may be reached from the selected listeners. */
export interface ServiceExposureRule extends RuleBase {
  type: 'service-exposure';
  listeners?: ListenerSelector;
  allowServiceTypes?: ServiceType[];
  denyServiceTypes?: ServiceType[];
}

/** Listeners that serve these hostnames or reach these service types must terminate or pass through TLS. */
export interface TlsRequiredRule extends RuleBase {
  type: 'tls-required';
  hostnames?: string[];
  serviceTypes?: ServiceType[];
  listeners?: ListenerSelector;
}

/** Certificates must not expire within `minDaysValid` days of the capture time. */
export interface CertificateExpiryRule extends RuleBase {
  type: 'certificate-expiry';
  minDaysValid: number;
  /** `listeners` (default): certificates referenced by listeners; `all`: every certificate in the snapshot. */
  scope?: 'listeners' | 'all';
}

export interface CrossNamespaceEndpoint {
  namespace: string;
  kind?: string;
  name?: string;
}

/** The cross-namespace references the team expects. Any other one is a finding, even when a ReferenceGrant allows it. */
export interface CrossNamespaceRule extends RuleBase {
  type: 'cross-namespace';
  expected: { from: CrossNamespaceEndpoint; to: CrossNamespaceEndpoint }[];
}

/** Hostnames matching these patterns must route only to backends in these namespaces. */
export interface HostnameNamespacesRule extends RuleBase {
  type: 'hostname-namespaces';
  hostnames: string[];
  allowNamespaces: string[];
}

export interface RequiredSigner {
  name?: string;
  role?: string;
  keyId?: string;
}

/** The verification report must count a signature from each of these signers. */
export interface SignersRule extends RuleBase {
  type: 'signers';
  required: RequiredSigner[];
}

/**
 * Routes reaching the selected service types (or hostnames) from the selected listeners must be covered by an
 * adjacent policy (docs/policy-attachment.md) of one of `kinds` (`Kind` or `Kind.group`) or `categories`.
 * Coverage is recorded, not evaluated: enforcement stays the implementation's.
 */
export interface RequirePoliciesRule extends RuleBase {
  type: 'require-policies';
  listeners?: ListenerSelector;
  serviceTypes?: ServiceType[];
  hostnames?: string[];
  kinds?: string[];
  categories?: string[];
}

export type PolicyRule =
  | RequirePoliciesRule
  | AttachmentRule
  | ServiceExposureRule
  | TlsRequiredRule
  | CertificateExpiryRule
  | CrossNamespaceRule
  | HostnameNamespacesRule
  | SignersRule;

export interface Policy {
  apiVersion: 'gateway-evidence.io/v1alpha1';
  kind: 'ExposurePolicy';
  metadata?: { name?: string; description?: string };
  /** What "public" means: a listener is public when it matches any of these selectors. */
  public?: Omit<ListenerSelector, 'public'>[];
  serviceTypes?: ServiceTypeRule[];
  /** Service types of this policy, usable wherever a built-in type is. */
  serviceTypeDefinitions?: ServiceTypeDefinition[];
  /** Severity of UNCLASSIFIED_SERVICE findings (default warning). */
  unclassifiedSeverity?: Severity;
  /**
   * Identities allowed to change objects in scope (audit evidence, issue 9): usernames, `*` globs
   * (`system:serviceaccount:ci:*`), or `group:NAME`. A change by anyone else is AUDIT_CHANGE_AUTHOR_UNEXPECTED.
   */
  changeAuthors?: string[];
  /** Label/annotation keys that name an object's owner (on it or its Namespace), shown as owners in reports. */
  ownershipKeys?: string[];
  /** `gwe verify --chain`: every link with changes needs a valid approval (UNAPPROVED_CHANGE otherwise). */
  requireApprovals?: boolean;
  rules: PolicyRule[];
}

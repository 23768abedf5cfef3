/**
 * Adjacent policy kinds (policy attachment, GEP-713): the kinds whose objects attach to Gateway API objects
 * through `spec.targetRef` / `spec.targetRefs` / `spec.targetSelectors`, and how we discover them.
 *
 * Two sources, as the ecosystem does it:
 * - a CRD labelled `gateway.networking.k8s.io/policy: Direct|Inherited` (GEP-713 "Policy CRDs" and gwctl's
 *   policymanager, which reads that label case-insensitively);
 * - BUILT_IN_POLICY_KINDS below, for widely used implementation kinds whose CRDs do not carry the label.
 *
 * A category is a coarse reading of what the kind is for, so that a reviewer can ask "is there authentication
 * in front of this route?". We record that a policy of a kind targets an object; we never evaluate what it
 * does: enforcement is the implementation's (`implementation`). Documented in docs/policy-attachment.md.
 */
import { GATEWAY_GROUP, type KubeObject } from './object.ts';

export const POLICY_LABEL = 'gateway.networking.k8s.io/policy';

export const POLICY_CATEGORIES = ['authentication', 'authorization', 'rate-limit', 'traffic', 'tls', 'extension', 'backend-auth', 'unknown'] as const;
export type PolicyCategory = (typeof POLICY_CATEGORIES)[number];

/** GEP-713: Direct = affects only its target; Inherited = also everything below it (Gateway -> listeners -> routes -> rules). */
export type AttachmentMode = 'Direct' | 'Inherited';

export interface PolicyKindInfo {
  group: string;
  kind: string;
  /** The implementation that enforces it (we only record it). */
  implementation: string;
  mode: AttachmentMode;
  /** Categories every object of the kind has. */
  categories: readonly PolicyCategory[];
  /** A category added when the named top-level `spec` field is present (e.g. SecurityPolicy `jwt`). */
  fieldCategories?: Readonly<Record<string, PolicyCategory>>;
  /** What a reviewer must know about the kind's semantics (shown next to the coverage). */
  note?: string;
}

/**
 * The built-in table. Modes follow each implementation's documentation: a policy on a Gateway applies to every
 * route of it (Envoy Gateway "Policy attachment", Istio "targetRefs", kgateway "Policy attachment"), i.e. GEP-713
 * Inherited; Envoy AI Gateway's BackendSecurityPolicy only concerns the backend it targets (Direct).
 */
export const BUILT_IN_POLICY_KINDS: readonly PolicyKindInfo[] = [
  {
    group: 'gateway.envoyproxy.io',
    kind: 'SecurityPolicy',
    implementation: 'envoy-gateway',
    mode: 'Inherited',
    categories: [],
    fieldCategories: { jwt: 'authentication', oidc: 'authentication', basicAuth: 'authentication', apiKeyAuth: 'authentication', extAuth: 'authentication', authorization: 'authorization', cors: 'traffic' },
    note: 'a route-level SecurityPolicy replaces a Gateway-level one for that route (Envoy Gateway precedence); jwt.optional lets unauthenticated requests through',
  },
  {
    group: 'gateway.envoyproxy.io',
    kind: 'BackendTrafficPolicy',
    implementation: 'envoy-gateway',
    mode: 'Inherited',
    categories: ['traffic'],
    fieldCategories: { rateLimit: 'rate-limit' },
  },
  {
    group: 'gateway.envoyproxy.io',
    kind: 'ClientTrafficPolicy',
    implementation: 'envoy-gateway',
    mode: 'Inherited',
    categories: ['traffic'],
    fieldCategories: { tls: 'tls' },
    note: 'targets Gateways and listeners only',
  },
  { group: 'gateway.envoyproxy.io', kind: 'EnvoyExtensionPolicy', implementation: 'envoy-gateway', mode: 'Inherited', categories: ['extension'] },
  {
    group: 'security.istio.io',
    kind: 'AuthorizationPolicy',
    implementation: 'istio',
    mode: 'Inherited',
    categories: ['authorization'],
    note: 'only targetRef/targetRefs are Gateway API attachment; a workload selector is not resolved here',
  },
  {
    group: 'security.istio.io',
    kind: 'RequestAuthentication',
    implementation: 'istio',
    mode: 'Inherited',
    categories: ['authentication'],
    note: 'rejects invalid tokens only; a request without a token passes unless an AuthorizationPolicy requires a principal',
  },
  {
    group: 'aigateway.envoyproxy.io',
    kind: 'AIGatewayRoute',
    implementation: 'envoy-ai-gateway',
    mode: 'Inherited',
    categories: ['traffic'],
    fieldCategories: { llmRequestCosts: 'rate-limit' },
    note: 'an Envoy AI Gateway route; it generates an HTTPRoute of the same name',
  },
  {
    group: 'aigateway.envoyproxy.io',
    kind: 'BackendSecurityPolicy',
    implementation: 'envoy-ai-gateway',
    mode: 'Direct',
    categories: ['backend-auth'],
    note: 'credentials the gateway presents to the upstream model provider; it does not authenticate clients',
  },
  {
    group: 'gateway.kgateway.dev',
    kind: 'TrafficPolicy',
    implementation: 'kgateway',
    mode: 'Inherited',
    categories: ['traffic'],
    fieldCategories: { extAuth: 'authentication', jwt: 'authentication', basicAuth: 'authentication', apiKeyAuthentication: 'authentication', rbac: 'authorization', rateLimit: 'rate-limit' },
  },
];

/** A policy kind known to the resolver, with where we learnt it from. */
export interface DiscoveredPolicyKind extends PolicyKindInfo {
  /** `table` (BUILT_IN_POLICY_KINDS), `crd-label` (a CRD carries the policy label), or both. */
  sources: Array<'table' | 'crd-label'>;
  /** The labelled CRD (`plural.group`), when one was captured. */
  crd?: string;
}

export function policyKindKey(group: string, kind: string): string {
  return `${kind}.${group}`;
}

/** Mode from the label value (gwctl compares lower-cased: "direct", "inherited"); undefined for other values. */
export function modeFromLabel(value: string | undefined): AttachmentMode | undefined {
  const v = value?.toLowerCase();
  return v === 'direct' ? 'Direct' : v === 'inherited' ? 'Inherited' : undefined;
}

/**
 * Policy kinds for a set of objects: the built-in table plus every CustomResourceDefinition carrying the policy
 * label. A label on a CRD the table also knows overrides the table's mode (the CRD author's word); the table keeps
 * the category. CRDs of the Gateway API groups are included (BackendTLSPolicy is labelled Direct upstream, but the
 * resolver computes its status itself: callers skip GATEWAY_GROUP kinds they resolve elsewhere).
 */
export function discoverPolicyKinds(objects: readonly KubeObject[]): Map<string, DiscoveredPolicyKind> {
  const out = new Map<string, DiscoveredPolicyKind>();
  for (const k of BUILT_IN_POLICY_KINDS) out.set(policyKindKey(k.group, k.kind), { ...k, sources: ['table'] });
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || !o.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const mode = modeFromLabel(o.metadata.labels?.[POLICY_LABEL]);
    if (!mode) continue;
    const group = typeof o.spec?.group === 'string' ? (o.spec.group as string) : undefined;
    const kind = typeof o.spec?.names?.kind === 'string' ? (o.spec.names.kind as string) : undefined;
    if (!group || !kind) continue;
    const key = policyKindKey(group, kind);
    const known = out.get(key);
    if (known) {
      known.mode = mode;
      if (!known.sources.includes('crd-label')) known.sources.push('crd-label');
      known.crd = o.metadata.name;
    } else {
      out.set(key, { group, kind, implementation: implementationOfGroup(group), mode, categories: ['unknown'], sources: ['crd-label'], crd: o.metadata.name });
    }
  }
  return out;
}

/** A best-effort implementation name for a labelled CRD outside the table: its API group. */
function implementationOfGroup(group: string): string {
  return group === GATEWAY_GROUP ? 'gateway-api' : group;
}

/** Categories of one policy object: the kind's own, plus those of the spec fields it sets; `unknown` when none. */
export function categoriesOf(info: PolicyKindInfo, spec: unknown): PolicyCategory[] {
  const set = new Set<PolicyCategory>(info.categories);
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    for (const [field, cat] of Object.entries(info.fieldCategories ?? {})) {
      if ((spec as Record<string, unknown>)[field] !== undefined && (spec as Record<string, unknown>)[field] !== null) set.add(cat);
    }
  }
  if (set.size === 0) set.add('unknown');
  return POLICY_CATEGORIES.filter((c) => set.has(c));
}

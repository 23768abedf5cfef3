import { GATEWAY_GROUP, GATEWAY_X_GROUP } from '../../model/object.ts';
import { INFERENCE_GROUP, INFERENCE_KINDS, INFERENCE_X_GROUP } from '../../model/inference.ts';
import { discoverPolicyKinds } from '../../model/policy-kinds.ts';
import type { KubeObject } from '../../model/object.ts';

/** The Gateway API groups read from a live cluster. */
export const GATEWAY_GROUPS = [GATEWAY_GROUP, GATEWAY_X_GROUP] as const;

/**
 * Gateway API kinds read from every served group (issue 4, "What it reads"). Any other served kind whose
 * name ends in "Route" is read too ("every Route kind served").
 */
export const GATEWAY_KINDS = [
  'GatewayClass',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'ReferenceGrant',
  'BackendTLSPolicy',
  'ListenerSet',
  'XListenerSet',
] as const;

export function isWantedGatewayKind(kind: string): boolean {
  return (GATEWAY_KINDS as readonly string[]).includes(kind) || /Route$/.test(kind);
}

/** The Inference Extension groups read when served (InferencePool, InferenceObjective, InferenceModel, ...). */
export const INFERENCE_GROUPS = [INFERENCE_GROUP, INFERENCE_X_GROUP] as const;

/**
 * Groups read besides the Gateway API ones, each with the kinds wanted from it: the Inference Extension groups
 * and the groups of the adjacent policy kinds (model/policy-kinds.ts: the built-in table plus the CRDs labelled
 * gateway.networking.k8s.io/policy among `crds`). Groups the server does not serve are skipped silently.
 */
export function extraGroups(crds: readonly Record<string, unknown>[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const g of INFERENCE_GROUPS) out.set(g, new Set(Object.keys(INFERENCE_KINDS[g] ?? {})));
  for (const k of discoverPolicyKinds(crds as unknown as KubeObject[]).values()) {
    if (k.group === GATEWAY_GROUP || k.group === GATEWAY_X_GROUP) continue;
    const set = out.get(k.group) ?? new Set<string>();
    set.add(k.kind);
    out.set(k.group, set);
  }
  return out;
}

/** A CRD the collector keeps: Gateway API and Inference Extension groups, and adjacent policy kinds. */
export function isWantedCrd(o: Record<string, unknown>, policyKinds: ReadonlySet<string>): boolean {
  const spec = (o['spec'] ?? {}) as Record<string, unknown>;
  const group = String(spec['group'] ?? '');
  const kind = String(((spec['names'] ?? {}) as Record<string, unknown>)['kind'] ?? '');
  return group === GATEWAY_GROUP || group === GATEWAY_X_GROUP || group === INFERENCE_GROUP || group === INFERENCE_X_GROUP || policyKinds.has(`${kind}.${group}`);
}

/** Core/apps kinds and their fixed paths (always served by a conformant API server). */
export const CORE_LISTS = [
  { apiVersion: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false },
  { apiVersion: 'v1', kind: 'Service', resource: 'services', namespaced: true },
] as const;

export const CRD_LIST = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', namespaced: false } as const;

/** Base path of an apiVersion: "v1" -> /api/v1, "apps/v1" -> /apis/apps/v1. */
export function apiBase(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Collection path, all namespaces or one. */
export function collectionPath(apiVersion: string, resource: string, namespace?: string): string {
  const base = apiBase(apiVersion);
  return namespace === undefined ? `${base}/${resource}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** Object path for a single GET. */
export function objectPath(apiVersion: string, resource: string, namespace: string | undefined, name: string): string {
  return `${collectionPath(apiVersion, resource, namespace)}/${encodeURIComponent(name)}`;
}

/**
 * Controller names of the main implementations -> the implementation name used by
 * src/model/controllers.ts (whose label table gives the selectors). Matched exactly, then by domain.
 */
export const CONTROLLER_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/^gateway\.envoyproxy\.io\//, 'envoy-gateway'],
  [/^istio\.io\//, 'istio'],
  [/^gateway\.nginx\.org\//, 'nginx-gateway-fabric'],
  [/^projectcontour\.io\//, 'contour'],
  [/^io\.cilium\//, 'cilium'],
  [/^konghq\.com\//, 'kong'],
  [/^traefik\.io\//, 'traefik'],
  [/^kgateway\.dev\//, 'kgateway'],
  [/^agentgateway\.dev\//, 'agentgateway'],
  [/^solo\.io\//, 'gloo'],
];

export function implementationOf(controllerName: string): string | undefined {
  for (const [re, impl] of CONTROLLER_NAMES) if (re.test(controllerName)) return impl;
  return undefined;
}

/**
 * Kubernetes version priority (apimachinery "version.CompareKubeAwareVersionStrings"): GA before beta before
 * alpha, higher major then higher minor first (v1 > v1beta2 > v1beta1 > v1alpha3 > v1alpha2); versions that
 * do not look like vN[alpha|betaM] come last, in lexical order. Negative when `a` has the higher priority.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stability, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i]! - pa[i]!;
  return 0;
}

/** Domain types shared by every layer. No imports from other src/ folders. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Reduced to apiVersion/kind/name/controller (issue 9 owners). */
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; controller?: boolean }>;
  /** managedFields reduced to manager/operation/time/subresource (never fieldsV1). */
  managedFields?: Array<{ manager: string; operation?: string; time?: string; subresource?: string }>;
}

/**
 * A Kubernetes object as kept in a snapshot: normalised by the collector (managedFields dropped,
 * Secrets reduced to certificate metadata). `spec`/`status` are the API shapes as captured.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [extra: string]: unknown;
}

/** One identity type for every reference (gwctl GKNN). group "" is the core group. */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Group part of an apiVersion: "gateway.networking.k8s.io/v1" -> "gateway.networking.k8s.io", "v1" -> "". */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function refOf(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { group: groupOf(obj.apiVersion), kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace !== undefined) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** Stable key for maps, sorting and messages: `HTTPRoute.gateway.networking.k8s.io/ns/name`, `Service/ns/name`, `GatewayClass.gateway.networking.k8s.io/name`. */
export function refKey(ref: ObjectRef): string {
  const gk = ref.group === '' ? ref.kind : `${ref.kind}.${ref.group}`;
  return ref.namespace ? `${gk}/${ref.namespace}/${ref.name}` : `${gk}/${ref.name}`;
}

/** Short human form used in messages: `HTTPRoute tools/agent-tools`. */
export function refLabel(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_X_GROUP = 'gateway.networking.x-k8s.io';

/** Bytewise comparison used for every sort that ends up in output (never locale-dependent). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

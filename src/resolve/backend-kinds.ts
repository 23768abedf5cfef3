/**
 * The backend kinds a backendRef may name (HTTPBackendRef / BackendRef in shared_types.go: "Service" in the core
 * group is Core support; any other kind is implementation-specific and gives InvalidKind unless the
 * implementation supports it). One row per kind: the feature the simulated controller must claim, whether the
 * ref needs a port, and where the object is looked up. backends.ts runs the shared checks (kind, ReferenceGrant,
 * existence) from this table, then the kind's own checks.
 */
import { INFERENCE_GROUP, INFERENCE_X_GROUP } from '../model/inference.ts';
import type { KubeObject } from '../model/object.ts';
import type { Context } from './context.ts';
import { INFERENCE_POOL_FEATURE } from './inference.ts';

export const MULTICLUSTER_GROUP = 'multicluster.x-k8s.io';

export interface BackendKind {
  group: string;
  kind: string;
  /** Conformance feature the controller must claim for the kind to be valid (none: always valid). */
  feature?: string;
  /** backendRef.port is required (Service: "Port is required when the referent is a Kubernetes Service"). */
  portRequired: boolean;
  lookup(ctx: Context, namespace: string, name: string): KubeObject | undefined;
}

export const BACKEND_KINDS: readonly BackendKind[] = [
  { group: '', kind: 'Service', portRequired: true, lookup: (ctx, ns, name) => ctx.service(ns, name) },
  // Inference Extension: an InferencePool backendRef (conformance SupportInferencePool). backendRef.port does not
  // affect status (inferencepool_httproute_port_validation.go: unspecified, matching and non-matching all resolve).
  { group: INFERENCE_GROUP, kind: 'InferencePool', feature: INFERENCE_POOL_FEATURE, portRequired: false, lookup: (ctx, ns, name) => ctx.all.get(`${INFERENCE_GROUP}|InferencePool|${ns}|${name}`) },
  { group: INFERENCE_X_GROUP, kind: 'InferencePool', feature: INFERENCE_POOL_FEATURE, portRequired: false, lookup: (ctx, ns, name) => ctx.all.get(`${INFERENCE_X_GROUP}|InferencePool|${ns}|${name}`) },
  // ServiceImport (Extended; HTTPBackendRef doc, GEP-1748 / KEP-1645 multicluster.x-k8s.io): the imported service
  // of a ClusterSet, resolved against the ServiceImport object and its spec.ports (backends.ts).
  { group: MULTICLUSTER_GROUP, kind: 'ServiceImport', portRequired: true, lookup: (ctx, ns, name) => ctx.all.get(`${MULTICLUSTER_GROUP}|ServiceImport|${ns}|${name}`) },
];

/** The row for a backendRef's group/kind when the controller supports it, else undefined (InvalidKind). */
export function backendKindOf(ctx: Context, group: string, kind: string): BackendKind | undefined {
  const row = BACKEND_KINDS.find((k) => k.group === group && k.kind === kind);
  return row && (row.feature === undefined || ctx.has(row.feature)) ? row : undefined;
}

/** The kinds the controller supports, for InvalidKind messages. */
export function supportedBackendKinds(ctx: Context): string {
  return BACKEND_KINDS.filter((k) => k.feature === undefined || ctx.has(k.feature))
    .map((k) => (k.group === '' ? `core ${k.kind}` : `${k.kind} (${k.group})`))
    .join(', ');
}

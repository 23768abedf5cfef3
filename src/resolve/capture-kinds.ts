/**
 * "Missing is not absent" (issue 11 section 4): which kinds the resolver needs to look objects up in, and which
 * Gateway API objects need them. A capture from files holds only the kinds the dump asked for; a reference to a
 * kind the dump did not hold at all is unknown offline, not a reference to a missing object. Pure.
 */
import { kindKey } from '../model/collection.ts';
import { INFERENCE_GROUP, INFERENCE_X_GROUP } from '../model/inference.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, groupOf, type KubeObject } from '../model/object.ts';

const MULTICLUSTER_GROUP = 'multicluster.x-k8s.io';

/**
 * The kinds whose absence from a capture changes what the resolver can know, with their `kubectl get` resource
 * names (the plural the API server serves; the group comes from the kindKey). Every kind here is one the
 * collector keeps (normalize.ts), so adding it to the dump really fills the gap.
 */
export const LOOKUP_KINDS: Readonly<Record<string, string>> = Object.freeze({
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Service: 'services',
  Namespace: 'namespaces',
  [kindKey(GATEWAY_GROUP, 'ReferenceGrant')]: 'referencegrants',
  [kindKey(GATEWAY_GROUP, 'GatewayClass')]: 'gatewayclasses',
  // KEP-1645 MCS API: kubectl's resource is `serviceimports` in group multicluster.x-k8s.io (the collector keeps
  // v1alpha1/v1beta1 ServiceImports since issue 11 section 2).
  [kindKey(MULTICLUSTER_GROUP, 'ServiceImport')]: 'serviceimports',
  // Inference Extension pools, in either API group (the resolver looks pools up per group).
  [kindKey(INFERENCE_GROUP, 'InferencePool')]: 'inferencepools',
  [kindKey(INFERENCE_X_GROUP, 'InferencePool')]: 'inferencepools',
});

/** The group part of a kindKey (`''` for the core group). */
function groupOfKindKey(kind: string): string {
  const i = kind.lastIndexOf('/');
  return i < 0 ? '' : kind.slice(0, i);
}

/**
 * The `kubectl get` argument that lists exactly this kind: the plain resource for the core group, else
 * `resource.group` (a bare `serviceimports` or `inferencepools` is ambiguous where another API group serves a kind
 * of the same name, e.g. GKE's net.gke.io ServiceImport or the two InferencePool groups). '' when the collector
 * does not keep the kind.
 */
export function kubectlResourceOf(kind: string): string {
  const resource = LOOKUP_KINDS[kind];
  if (resource === undefined) return '';
  const group = groupOfKindKey(kind);
  return group === '' ? resource : `${resource}.${group}`;
}

/**
 * What to tell the user to add to the capture for a needed kind it did not hold: the one advice string that
 * `collect` (CAPTURE_KIND_MISSING) and `verify` (CAPTURE_INCOMPLETE) both print.
 */
export function captureAdvice(kind: string): string {
  const resource = LOOKUP_KINDS[kind];
  if (resource === undefined) return 'the collector does not keep this kind (implementation-specific parameters), so the reference cannot be checked offline';
  const group = groupOfKindKey(kind);
  const where = group === '' ? '' : ` (group ${group})`;
  return `add "${resource}"${where} to the kubectl get kinds (kubectl get ${kubectlResourceOf(kind)} -A -o json)`;
}

export interface KindNeed {
  /** kindKey of the needed kind (`Secret`, `gateway.networking.k8s.io/ReferenceGrant`, ...). */
  kind: string;
  /** The `kubectl get` resource name; '' for a parameters kind the collector does not keep. */
  resource: string;
  /** Objects that reference that kind (`Gateway infra/gw`, ...), sorted, at most 5 named. */
  referencedBy: string[];
  /** How many objects reference it. */
  count: number;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asArray(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object') as Record<string, unknown>[]) : [];
}

/**
 * For each lookup kind that `objects` reference, the objects that reference it. References: listener
 * certificateRefs and client/CA certificate refs (Secret, ConfigMap), route and mirror backendRefs and
 * BackendTLSPolicy targets (Service), ServiceImport and InferencePool backendRefs, namespace selectors in allowedRoutes / allowedListeners (Namespace),
 * cross-namespace backend and certificate refs (ReferenceGrant), Gateways (GatewayClass).
 */
export function referencedLookupKinds(objects: readonly KubeObject[], skip?: ReadonlySet<string>): KindNeed[] {
  const needs = new Map<string, Set<string>>();
  const need = (kind: string, by: string): void => {
    // Kinds the caller does not ask about (missingLookupKinds: the kinds present) are not tallied (issue 13:
    // every route needs Service, and naming and sorting 50k referrers only to drop them cost ~5% of a collect).
    if (skip?.has(kind)) return;
    let s = needs.get(kind);
    if (!s) needs.set(kind, (s = new Set()));
    s.add(by);
  };
  const GRANT = kindKey(GATEWAY_GROUP, 'ReferenceGrant');
  // Route backendRefs can only need these kinds: when all are skipped, routes are not walked.
  const routeKinds = ['Service', GRANT, kindKey(MULTICLUSTER_GROUP, 'ServiceImport'), kindKey(INFERENCE_GROUP, 'InferencePool'), kindKey(INFERENCE_X_GROUP, 'InferencePool')];
  const walkRoutes = skip === undefined || routeKinds.some((k) => !skip.has(k));
  const paramKinds = new Set<string>();
  for (const o of objects) {
    const g = groupOf(o.apiVersion);
    if (g !== GATEWAY_GROUP && g !== GATEWAY_X_GROUP) continue;
    const isRoute = /Route$/.test(o.kind);
    if (isRoute && !walkRoutes) continue;
    const ns = o.metadata.namespace ?? 'default';
    const label = `${o.kind} ${o.metadata.namespace ? `${ns}/` : ''}${o.metadata.name}`;
    const spec = (o.spec ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (o.kind === 'Gateway') need(kindKey(GATEWAY_GROUP, 'GatewayClass'), label);
    // parametersRef of a GatewayClass / Gateway infrastructure: any kind (often implementation-specific).
    const pr = o.kind === 'GatewayClass' ? spec['parametersRef'] : o.kind === 'Gateway' ? spec['infrastructure']?.parametersRef : undefined;
    if (pr && typeof pr === 'object' && typeof pr.kind === 'string') {
      const k = kindKey(str(pr.group) ?? '', pr.kind);
      paramKinds.add(k);
      need(k, label);
    }
    if (o.kind === 'Gateway' || o.kind === 'ListenerSet' || o.kind === 'XListenerSet') {
      for (const l of asArray(spec['listeners'])) {
        const tls = (l['tls'] ?? {}) as Record<string, unknown>;
        for (const r of asArray(tls['certificateRefs'])) {
          if ((str(r['group']) ?? '') !== '' || (str(r['kind']) ?? 'Secret') !== 'Secret') continue;
          need('Secret', label);
          if (str(r['namespace']) !== undefined && r['namespace'] !== ns) need(GRANT, label);
        }
        const from = ((l['allowedRoutes'] ?? {}) as Record<string, any>)['namespaces']?.from; // eslint-disable-line @typescript-eslint/no-explicit-any
        if (from === 'Selector') need('Namespace', label);
      }
      if (spec['allowedListeners']?.namespaces?.from === 'Selector') need('Namespace', label);
      const client = spec['tls']?.backend?.clientCertificateRef;
      if (client && typeof client === 'object') {
        need('Secret', label);
        if (str(client.namespace) !== undefined && client.namespace !== ns) need(GRANT, label);
      }
      const frontend = spec['tls']?.frontend;
      const validations = [frontend?.default?.validation, ...asArray(frontend?.perPort).map((p) => (p['tls'] as Record<string, any> | undefined)?.['validation'])]; // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const v of validations) {
        for (const r of asArray(v?.caCertificateRefs)) {
          if ((str(r['group']) ?? '') !== '') continue;
          need((str(r['kind']) ?? 'ConfigMap') === 'Secret' ? 'Secret' : 'ConfigMap', label);
          if (str(r['namespace']) !== undefined && r['namespace'] !== ns) need(GRANT, label);
        }
      }
    }
    if (o.kind === 'BackendTLSPolicy') {
      for (const t of asArray(spec['targetRefs'])) if ((str(t['group']) ?? '') === '' && t['kind'] === 'Service') need('Service', label);
      for (const r of asArray(spec['validation']?.caCertificateRefs)) if ((str(r['group']) ?? '') === '' && r['kind'] === 'ConfigMap') need('ConfigMap', label);
    }
    if (isRoute) {
      const refs: Record<string, unknown>[] = [];
      for (const rule of asArray(spec['rules'])) {
        const brs = asArray(rule['backendRefs']);
        refs.push(...brs);
        for (const f of [...asArray(rule['filters']), ...brs.flatMap((b) => asArray(b['filters']))]) {
          const m = (f['requestMirror'] as Record<string, unknown> | undefined)?.['backendRef'];
          if (m && typeof m === 'object') refs.push(m as Record<string, unknown>);
        }
      }
      for (const r of refs) {
        const rg = str(r['group']) ?? '';
        // Backend kinds the resolver looks up besides Service (backend-kinds.ts): ServiceImport, InferencePool.
        if ((rg === MULTICLUSTER_GROUP && r['kind'] === 'ServiceImport') || ((rg === INFERENCE_GROUP || rg === INFERENCE_X_GROUP) && r['kind'] === 'InferencePool')) {
          need(kindKey(rg, r['kind']), label);
          if (str(r['namespace']) !== undefined && r['namespace'] !== ns) need(GRANT, label);
          continue;
        }
        if ((str(r['group']) ?? '') !== '' || (str(r['kind']) ?? 'Service') !== 'Service') continue;
        need('Service', label);
        if (str(r['namespace']) !== undefined && r['namespace'] !== ns) need(GRANT, label);
      }
    }
  }
  return [...needs.entries()]
    .filter(([k]) => LOOKUP_KINDS[k] !== undefined || paramKinds.has(k))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([kind, by]) => {
      const list = [...by].sort();
      return { kind, resource: LOOKUP_KINDS[kind] ?? '', referencedBy: list.slice(0, 5), count: list.length };
    });
}

/** The needed kinds that a capture with `kindsPresent` did not hold; [] when `kindsPresent` is unknown (live, old bundles). */
export function missingLookupKinds(objects: readonly KubeObject[], kindsPresent: readonly string[] | undefined): KindNeed[] {
  if (kindsPresent === undefined) return [];
  const present = new Set(kindsPresent);
  return referencedLookupKinds(objects, present).filter((n) => !present.has(n.kind));
}

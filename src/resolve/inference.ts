/**
 * InferencePool status (Gateway API Inference Extension, api/v1/inferencepool_types.go at the commit named in
 * ../shared/conformance-inference/INDEX.md): the `status.parents[]` a controller writes, one entry per Gateway
 * whose routes reference the pool. Pure; the engine hands in which routes use which pool through which Gateway.
 * Documented in docs/inference.md.
 */
import { compareStrings, type KubeObject } from '../model/object.ts';
import { INFERENCE_GROUP, INFERENCE_X_GROUP } from '../model/inference.ts';
import { GATEWAY_GROUP } from '../model/object.ts';
import { cond, nsName, sortConditions, str } from './context.ts';
import type { Finding } from '../model/finding.ts';
import type { GatewayState, RouteState } from './state.ts';
import type { Condition, InferencePoolResolution, InferencePoolView } from './types.ts';

/** The feature a controller claims to take InferencePool backendRefs (conformance `SupportInferencePool`). */
export const INFERENCE_POOL_FEATURE = 'SupportInferencePool';

export const INFERENCE_POOL_KIND = 'InferencePool';

export function isInferencePoolRef(group: string, kind: string): boolean {
  return kind === INFERENCE_POOL_KIND && (group === INFERENCE_GROUP || group === INFERENCE_X_GROUP);
}

/** One backendRef of a route to a pool, seen through one Gateway the route attaches to (or tries to). */
export interface PoolUse {
  pool: { group: string; namespace: string; name: string };
  gateway: { namespace: string; name: string };
  controllerName: string;
  /** The route's parent entry for that Gateway has Accepted=True. */
  routeAccepted: boolean;
  route: { kind: string; namespace: string; name: string };
}

/** The endpoint picker reference: v1 `spec.endpointPickerRef`, v1alpha2 `spec.extensionRef`. */
export interface EndpointPickerRef {
  group: string;
  kind: string;
  name: string;
  port?: number;
  failureMode: string;
}

export function endpointPickerOf(pool: KubeObject): EndpointPickerRef | undefined {
  const spec = (pool.spec ?? {}) as Record<string, unknown>;
  const v1 = spec['endpointPickerRef'];
  const old = spec['extensionRef'];
  const ref = (v1 && typeof v1 === 'object' ? v1 : old && typeof old === 'object' ? old : undefined) as Record<string, unknown> | undefined;
  if (!ref) return undefined;
  const portObj = ref['port'] as Record<string, unknown> | undefined;
  const port = typeof portObj?.['number'] === 'number' ? (portObj['number'] as number) : typeof ref['portNumber'] === 'number' ? (ref['portNumber'] as number) : undefined;
  // EndpointPickerRef (:129): group default "", kind default Service, failureMode default FailClose.
  return {
    group: str(ref['group']) ?? '',
    kind: str(ref['kind']) ?? 'Service',
    name: str(ref['name']) ?? '',
    ...(port !== undefined ? { port } : {}),
    failureMode: str(ref['failureMode']) ?? 'FailClose',
  };
}

/** Target port numbers: v1 `targetPorts[].number`, v1alpha2 `targetPortNumber`. */
export function targetPortsOf(pool: KubeObject): number[] {
  const spec = (pool.spec ?? {}) as Record<string, unknown>;
  if (Array.isArray(spec['targetPorts'])) return (spec['targetPorts'] as Array<Record<string, unknown>>).map((p) => p?.['number']).filter((n): n is number => typeof n === 'number');
  return typeof spec['targetPortNumber'] === 'number' ? [spec['targetPortNumber'] as number] : [];
}

/** The summary a routing-table backend of kind InferencePool carries. */
export function poolView(pool: KubeObject, objectives: readonly KubeObject[], services: ReadonlyMap<string, KubeObject>): InferencePoolView {
  const ns = pool.metadata.namespace ?? '';
  const spec = (pool.spec ?? {}) as Record<string, unknown>;
  const sel = spec['selector'] as Record<string, unknown> | undefined;
  // v1 selector is {matchLabels}; v1alpha2 is a plain label map.
  const selector = (sel && typeof sel['matchLabels'] === 'object' ? sel['matchLabels'] : sel) as Record<string, string> | undefined;
  const epp = endpointPickerOf(pool);
  const app = str(spec['appProtocol']);
  const objectiveNames: string[] = [];
  const models: string[] = [];
  for (const o of objectives) {
    const ref = (o.spec?.poolRef ?? {}) as Record<string, unknown>;
    if ((o.metadata.namespace ?? '') !== ns || str(ref['name']) !== pool.metadata.name) continue;
    // poolRef group defaults to the pool's v1 group (apix/v1alpha2 PoolObjectReference); v1alpha2 InferenceModel
    // points at the x-k8s pool.
    const defaultGroup = o.apiVersion.startsWith(`${INFERENCE_X_GROUP}/`) && o.kind === 'InferenceModel' ? INFERENCE_X_GROUP : INFERENCE_GROUP;
    const group = str(ref['group']) ?? defaultGroup;
    if (group !== groupOfPool(pool)) continue;
    if (o.kind === 'InferenceModel') {
      const model = str(o.spec?.modelName);
      if (model) models.push(model);
    } else objectiveNames.push(o.metadata.name);
  }
  // Key order as documented in types.ts (the JSON output is compared byte for byte).
  return {
    selector: { ...(selector ?? {}) },
    targetPorts: targetPortsOf(pool),
    ...(app ? { appProtocol: app } : {}),
    ...(epp ? { endpointPicker: { ...epp, found: epp.group === '' && epp.kind === 'Service' && services.has(nsName(ns, epp.name)) } } : {}),
    objectives: objectiveNames.sort(compareStrings),
    models: [...new Set(models)].sort(compareStrings),
  };
}

function groupOfPool(pool: KubeObject): string {
  const i = pool.apiVersion.lastIndexOf('/');
  return i < 0 ? '' : pool.apiVersion.slice(0, i);
}

/**
 * status.parents[] of every pool. InferencePoolStatus.Parents (:196): an entry for each parent (Gateway) the
 * controller manages and associates with the pool, i.e. whose routes reference it; none when no route does.
 * - Accepted (:293): False/NotSupportedByParent when the controller does not claim SupportInferencePool (:303);
 *   False/EndpointPickerRefMissing when endpointPickerRef is unset (:320; we simulate an implementation that
 *   needs the picker); False/HTTPRouteNotAccepted when every referencing route is rejected by that parent (:309);
 *   else True/Accepted (:298).
 * - ResolvedRefs (:337): False/InvalidExtensionRef for an endpoint picker of an unsupported group/kind, or a
 *   Service (or Service port) that does not exist (:346); else True/ResolvedRefs.
 * parentRef.namespace is always written (the conformance helper, helpers.go:122, requires it set).
 */
export function computePoolStatus(
  pools: readonly KubeObject[],
  services: ReadonlyMap<string, KubeObject>,
  uses: readonly PoolUse[],
  features: ReadonlySet<string>,
): InferencePoolResolution[] {
  const out: InferencePoolResolution[] = [];
  for (const pool of pools) {
    const group = groupOfPool(pool);
    const ns = pool.metadata.namespace ?? '';
    const mine = uses.filter((u) => u.pool.group === group && u.pool.namespace === ns && u.pool.name === pool.metadata.name);
    const byGateway = new Map<string, PoolUse[]>();
    for (const u of mine) {
      const k = nsName(u.gateway.namespace, u.gateway.name);
      byGateway.set(k, [...(byGateway.get(k) ?? []), u]);
    }
    const resolvedRefs = eppCondition(pool, services);
    const epp = endpointPickerOf(pool);
    const parents = [...byGateway.keys()].sort(compareStrings).map((k) => {
      const list = byGateway.get(k)!;
      const first = list[0]!;
      let accepted: Condition;
      if (!features.has(INFERENCE_POOL_FEATURE)) accepted = cond('Accepted', 'False', 'NotSupportedByParent', `Gateway ${k} does not support InferencePool backends`);
      else if (!epp) accepted = cond('Accepted', 'False', 'EndpointPickerRefMissing', 'spec.endpointPickerRef is not set; this implementation needs an endpoint picker');
      else if (!list.some((u) => u.routeAccepted)) {
        const routes = [...new Set(list.map((u) => `${u.route.kind} ${u.route.namespace}/${u.route.name}`))].sort(compareStrings);
        accepted = cond('Accepted', 'False', 'HTTPRouteNotAccepted', `referenced only by routes that Gateway ${k} does not accept: ${routes.join(', ')}`);
      } else accepted = cond('Accepted', 'True', 'Accepted', `Gateway ${k} accepts InferencePool backends`);
      return {
        parentRef: { group: GATEWAY_GROUP, kind: 'Gateway', namespace: first.gateway.namespace, name: first.gateway.name },
        controllerName: first.controllerName,
        conditions: sortConditions([accepted, resolvedRefs]),
      };
    });
    out.push({ kind: INFERENCE_POOL_KIND, group, namespace: ns, name: pool.metadata.name, parents });
  }
  return out.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name) || compareStrings(a.group, b.group));
}

function eppCondition(pool: KubeObject, services: ReadonlyMap<string, KubeObject>): Condition {
  const epp = endpointPickerOf(pool);
  const ns = pool.metadata.namespace ?? '';
  if (!epp) return cond('ResolvedRefs', 'True', 'ResolvedRefs', 'no endpoint picker reference to resolve');
  if (epp.group !== '' || epp.kind !== 'Service') {
    return cond('ResolvedRefs', 'False', 'InvalidExtensionRef', `endpointPickerRef kind ${epp.kind} (group "${epp.group}") is not supported; expected core Service`);
  }
  const svc = services.get(nsName(ns, epp.name));
  if (!svc) return cond('ResolvedRefs', 'False', 'InvalidExtensionRef', `endpoint picker Service ${ns}/${epp.name} not found`);
  const ports: unknown[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  if (epp.port !== undefined && ports.length > 0 && !(ports as Array<Record<string, unknown>>).some((p) => p?.['port'] === epp.port)) {
    return cond('ResolvedRefs', 'False', 'InvalidExtensionRef', `endpoint picker Service ${ns}/${epp.name} has no port ${epp.port}`);
  }
  return cond('ResolvedRefs', 'True', 'ResolvedRefs', `endpoint picker Service ${ns}/${epp.name} resolved`);
}

/**
 * Which Gateways each pool is used through: every route parent entry (a Gateway, or a ListenerSet's Gateway) of a
 * route whose rules name a pool in a backendRef that is permitted (same namespace or granted). A ref the
 * controller rejects for its kind or for a missing ReferenceGrant does not associate the pool with the parent.
 */
export function poolUses(routes: readonly RouteState[], gateways: ReadonlyMap<string, GatewayState>): PoolUse[] {
  const lsGateway = new Map<string, GatewayState>();
  for (const gw of gateways.values()) for (const ls of gw.listenerSets) lsGateway.set(`${ls.group}|${ls.kind}|${ls.namespace}/${ls.name}`, gw);
  const out: PoolUse[] = [];
  for (const r of routes) {
    const refs = r.rules.flatMap((rule) => rule.backends).filter((b) => isInferencePoolRef(b.group, b.kind) && b.reason !== 'RefNotPermitted' && b.reason !== 'InvalidKind');
    if (refs.length === 0) continue;
    for (const p of r.parents) {
      const pr = p.parentRef;
      const gw = pr.group === GATEWAY_GROUP && pr.kind === 'Gateway' ? gateways.get(nsName(pr.namespace, pr.name)) : lsGateway.get(`${pr.group}|${pr.kind}|${pr.namespace}/${pr.name}`);
      if (!gw) continue;
      const routeAccepted = p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True');
      for (const b of refs) {
        out.push({ pool: { group: b.group, namespace: b.namespace, name: b.name }, gateway: { namespace: gw.namespace, name: gw.name }, controllerName: gw.cls.controllerName, routeAccepted, route: { kind: r.kind, namespace: r.namespace, name: r.name } });
      }
    }
  }
  return out;
}

/** A warning per pool parent entry with Accepted=False or ResolvedRefs=False. */
export function poolFindings(pools: readonly InferencePoolResolution[]): Finding[] {
  const out: Finding[] = [];
  for (const p of pools) {
    for (const parent of p.parents) {
      for (const c of parent.conditions) {
        if (c.status !== 'False') continue;
        out.push({ code: c.reason, severity: 'warning', subject: `InferencePool ${p.namespace}/${p.name}`, message: `parent Gateway ${parent.parentRef.namespace}/${parent.parentRef.name}: ${c.type}=False: ${c.message}` });
      }
    }
  }
  return out;
}

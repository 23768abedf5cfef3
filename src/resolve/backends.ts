/**
 * Stage 6, backends (HTTPBackendRef / BackendRef in shared_types.go): each rule's backendRefs and filter
 * backendRefs, the route's ResolvedRefs, the BackendTLSPolicy that applies, and rule validity (rules.ts).
 */
import { GATEWAY_GROUP } from '../model/object.ts';
import { nsName, str, type Context } from './context.ts';
import { policyFor, type PolicyIndex } from './policies.ts';
import { appProtocolProblem, validateRule } from './rules.ts';
import { backendKindOf, supportedBackendKinds } from './backend-kinds.ts';
import { poolView } from './inference.ts';
import type { BackendResolved, RouteState } from './state.ts';

/**
 * backendRefs (HTTPBackendRef / BackendRef in shared_types.go): kind/group not in backend-kinds.ts -> InvalidKind; cross-namespace
 * without a ReferenceGrant -> RefNotPermitted (checked BEFORE existence:
 * udproute-invalid-cross-namespace-backend-ref.go); missing Service or port -> BackendNotFound.
 * The route's ResolvedRefs takes the first invalid ref in rule/ref order. Invalid backends never affect Accepted.
 */
export function resolveBackends(ctx: Context, r: RouteState, policies: PolicyIndex): void {
  const rules: unknown[] = Array.isArray(r.obj.spec?.rules) ? r.obj.spec.rules : [];
  rules.forEach((rawRule, index) => {
    const rule = (rawRule ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const refs: unknown[] = Array.isArray(rule['backendRefs']) ? rule['backendRefs'] : [];
    const backends = (refs as Record<string, unknown>[]).map((b) => resolveBackend(ctx, r, b, policies));
    // Filter backend refs (RequestMirror) count for ResolvedRefs too.
    const filterRefs: Record<string, unknown>[] = [];
    const collectFilters = (filters: unknown): void => {
      if (!Array.isArray(filters)) return;
      for (const f of filters as Record<string, any>[]) if (f?.['requestMirror']?.backendRef) filterRefs.push(f['requestMirror'].backendRef); // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    collectFilters(rule['filters']);
    for (const b of refs as Record<string, unknown>[]) collectFilters(b?.['filters']);
    for (const fr of filterRefs) {
      const fb = resolveBackend(ctx, r, fr, policies);
      if (!fb.valid && !r.refsFail) r.refsFail = { reason: fb.reason!, message: `requestMirror backendRef ${fb.kind} ${fb.namespace}/${fb.name}: ${fb.message}` };
    }
    for (const b of backends) {
      if (!b.valid && !r.refsFail) r.refsFail = { reason: b.reason!, message: `rule ${index} backendRef ${b.kind} ${b.namespace}/${b.name}: ${b.message}` };
    }
    const name = str(rule['name']);
    // Rule validity (route parent Accepted UnsupportedValue / IncompatibleFilters, PartiallyInvalid; rules.ts).
    const problem = validateRule(r.kind, rule, index);
    r.rules.push({ index, ...(name ? { name } : {}), matches: Array.isArray(rule['matches']) ? clonePlain(rule['matches']) : [], backends, ...(problem ? { problem } : {}) });
  });
  const invalid = r.rules.filter((x) => x.problem !== undefined);
  if (invalid.length > 0 && invalid.length === r.rules.length) r.allRulesInvalid = invalid[0]!.problem;
  else if (invalid.length > 0) r.droppedRules = invalid.map((x) => x.index);
}

function resolveBackend(ctx: Context, r: RouteState, b: Record<string, unknown>, policies: PolicyIndex): BackendResolved {
  const group = str(b?.['group']) ?? '';
  const kind = str(b?.['kind']) ?? 'Service';
  const namespace = str(b?.['namespace']) ?? r.namespace;
  const name = str(b?.['name']) ?? '';
  const port = typeof b?.['port'] === 'number' ? (b['port'] as number) : undefined;
  const weight = typeof b?.['weight'] === 'number' ? (b['weight'] as number) : 1;
  const out: BackendResolved = { group, kind, namespace, name, ...(port !== undefined ? { port } : {}), weight, valid: true, crossNamespace: namespace !== r.namespace };
  const fail = (reason: string, message: string): BackendResolved => Object.assign(out, { valid: false, reason, message });
  const bk = backendKindOf(ctx, group, kind);
  if (!bk) return fail('InvalidKind', `kind ${kind} (group "${group}") is not supported; expected ${supportedBackendKinds(ctx)}`);
  if (out.crossNamespace) {
    const grant = ctx.findGrant({ group: GATEWAY_GROUP, kind: r.kind, namespace: r.namespace }, { group, kind, namespace, name });
    if (!grant) return fail('RefNotPermitted', `no ReferenceGrant in ${namespace} allows ${r.kind} ${r.namespace}/${r.name} to reference ${kind} ${name}`);
    out.referenceGrant = grant;
  }
  if (bk.kind === 'InferencePool') {
    // A missing pool is BackendNotFound like a missing Service (httproute_invalid_inferencepool_ref.go).
    const pool = bk.lookup(ctx, namespace, name);
    if (!pool) return fail('BackendNotFound', `InferencePool ${namespace}/${name} not found`);
    out.inferencePool = poolView(pool, ctx.inferenceObjectives, ctx.services);
    return out;
  }
  if (bk.kind === 'ServiceImport') {
    // Like a Service: the object must be in the snapshot and list the backendRef port in spec.ports
    // (BackendObjectReference.Port is required for Service-like kinds), else BackendNotFound. No appProtocol or
    // BackendTLSPolicy checks: those target Services. spec.type (ClusterSetIP / Headless) goes to the routing table.
    const si = bk.lookup(ctx, namespace, name);
    if (!si) return fail('BackendNotFound', `ServiceImport ${namespace}/${name} not found`);
    out.serviceImport = { type: str(si.spec?.type) ?? 'ClusterSetIP', labels: { ...(si.metadata.labels ?? {}) }, annotations: { ...(si.metadata.annotations ?? {}) } };
    if (port === undefined) return fail('BackendNotFound', `backendRef to ServiceImport ${namespace}/${name} has no port`);
    const siPorts: unknown[] = Array.isArray(si.spec?.ports) ? si.spec.ports : [];
    if (!(siPorts as Record<string, unknown>[]).some((p) => p?.['port'] === port)) return fail('BackendNotFound', `ServiceImport ${namespace}/${name} has no port ${port}`);
    return out;
  }
  const svcKey = nsName(namespace, name);
  // Policies targeting this Service get ancestor status on the Gateways the route attaches to, whatever their state.
  const related = policies.byService.get(svcKey);
  if (related) out.relatedPolicies = related;
  const svc = ctx.services.get(svcKey);
  if (!svc) return fail('BackendNotFound', `Service ${namespace}/${name} not found`);
  out.service = {
    type: str(svc.spec?.type) ?? 'ClusterIP',
    labels: { ...(svc.metadata.labels ?? {}) },
    annotations: { ...(svc.metadata.annotations ?? {}) },
  };
  if (port === undefined) return fail('BackendNotFound', `backendRef to Service ${namespace}/${name} has no port`);
  const ports: unknown[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  // ExternalName Services have no ports; any port is forwarded.
  const svcPort = (ports as Record<string, unknown>[]).find((p) => p?.['port'] === port);
  if (out.service.type !== 'ExternalName' && ports.length > 0 && !svcPort) {
    return fail('BackendNotFound', `Service ${namespace}/${name} has no port ${port}`);
  }
  // A BackendTLSPolicy for a section (Service port name) only concerns backendRefs to that port.
  const portName = str(svcPort?.['name']);
  if (related) {
    const mine = related.filter((p) => p.targetKeys.has(`${svcKey}#`) || (portName !== undefined && p.targetKeys.has(`${svcKey}#${portName}`)));
    if (mine.length > 0) out.relatedPolicies = mine;
    else delete out.relatedPolicies;
  }
  // Service port appProtocol (GEP-1911; BackendRef doc): one the implementation cannot use gives
  // ResolvedRefs=False/UnsupportedProtocol, checked after existence (rules.ts SUPPORTED_APP_PROTOCOLS).
  const appProblem = appProtocolProblem(r.kind, str(svcPort?.['appProtocol']));
  if (appProblem) return fail('UnsupportedProtocol', `Service ${namespace}/${name} port ${port}: ${appProblem}`);
  const policy = policyFor(policies, svcKey, portName);
  if (policy) {
    out.backendTLSPolicy = nsName(policy.namespace, policy.name);
    out.policy = policy;
    // HTTPBackendRef doc (digest §5): a backend whose BackendTLSPolicy the implementation cannot satisfy counts as
    // an invalid backendRef, so the route parent gets ResolvedRefs=False. No reason is defined upstream for it:
    // we use the implementation-specific reason BackendTLSPolicyInvalid (docs/resolution.md), checked last.
    if (!policy.valid) return fail('BackendTLSPolicyInvalid', `BackendTLSPolicy ${policy.namespace}/${policy.name} cannot be applied: ${policy.accepted?.message ?? ''}`);
  }
  return out;
}

/** Plain-data deep copy (the inputs are parsed YAML/JSON); much cheaper than structuredClone. */
function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = clonePlain(x);
    return out as T;
  }
  return v;
}

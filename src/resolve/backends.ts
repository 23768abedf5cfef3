/**
 * Stage 6, backends (HTTPBackendRef / BackendRef in shared_types.go): each rule's backendRefs and filter
 * backendRefs, the route's ResolvedRefs, the BackendTLSPolicy that applies, and rule validity (rules.ts).
 */
import { GATEWAY_GROUP } from '../model/object.ts';
import { CAPTURE_INCOMPLETE, nsName, serviceView, str, type Context } from './context.ts';
import { policyFor, type PolicyIndex } from './policies.ts';
import { switchOn, type Profile, type SwitchId } from './profiles.ts';
import { appProtocolProblem, validateRule } from './rules.ts';
import { BACKEND_KINDS, backendKindOf, supportedBackendKinds } from './backend-kinds.ts';
import { poolView } from './inference.ts';
import type { BackendResolved, Failure, PolicyState, RouteState } from './state.ts';

/**
 * backendRefs (HTTPBackendRef / BackendRef in shared_types.go): kind/group not in backend-kinds.ts -> InvalidKind; cross-namespace
 * without a ReferenceGrant -> RefNotPermitted (checked BEFORE existence:
 * udproute-invalid-cross-namespace-backend-ref.go); missing Service or port -> BackendNotFound.
 * The route's ResolvedRefs takes the first invalid ref in rule/ref order. Invalid backends never affect Accepted.
 */
export function resolveBackends(ctx: Context, r: RouteState, policies: PolicyIndex, profile: Profile = 'spec'): void {
  const rules: unknown[] = Array.isArray(r.obj.spec?.rules) ? r.obj.spec.rules : [];
  // ResolvedRefs: the first definite failure; when every failure is only "kind not captured", Unknown instead.
  let offlineFail: Failure | undefined;
  const note = (b: BackendResolved, what: string): void => {
    if (b.reason === CAPTURE_INCOMPLETE) offlineFail ??= { reason: CAPTURE_INCOMPLETE, message: `${what}: ${b.message}`, offline: 'kind not captured' };
    else if (!b.valid && !r.refsFail) r.refsFail = { reason: b.reason!, message: `${what}: ${b.message}` };
  };
  rules.forEach((rawRule, index) => {
    const rule = (rawRule ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const refs: unknown[] = Array.isArray(rule['backendRefs']) ? rule['backendRefs'] : [];
    const backends: BackendResolved[] = [];
    for (const ref of refs as Record<string, unknown>[]) {
      const got = profiledBackend(ctx, r, ref, policies, profile);
      backends.push(got.out);
      if (got.related) (r.relatedPolicies ??= []).push(...got.related);
    }
    // Filter backend refs (RequestMirror) count for ResolvedRefs too.
    const filterRefs: Record<string, unknown>[] = [];
    const collectFilters = (filters: unknown): void => {
      if (!Array.isArray(filters)) return;
      for (const f of filters as Record<string, any>[]) if (f?.['requestMirror']?.backendRef) filterRefs.push(f['requestMirror'].backendRef); // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    collectFilters(rule['filters']);
    for (const b of refs as Record<string, unknown>[]) collectFilters(b?.['filters']);
    for (const fr of filterRefs) {
      const fb = profiledBackend(ctx, r, fr, policies, profile).out;
      note(fb, `requestMirror backendRef ${fb.kind} ${fb.namespace}/${fb.name}`);
    }
    for (const b of backends) note(b, `rule ${index} backendRef ${b.kind} ${b.namespace}/${b.name}`);
    const name = str(rule['name']);
    // Rule validity (route parent Accepted UnsupportedValue / IncompatibleFilters, PartiallyInvalid; rules.ts).
    const problem = validateRule(r.kind, rule, index);
    const matches = Array.isArray(rule['matches']) ? clonePlain(rule['matches'] as unknown[]) : [];
    const state: RouteState['rules'][number] = name ? { index, name, matches, backends } : { index, matches, backends };
    if (problem) state.problem = problem;
    r.rules.push(state);
  });
  if (!r.refsFail && offlineFail) r.refsFail = offlineFail;
  // Envoy Gateway: TCPRoute/UDPRoute carry exactly one rule (route.go processTCPRouteParentRefs /
  // processUDPRouteParentRefs: "One and only one rule is supported", ResolvedRefs=False/InvalidRule).
  if (switchOn(profile, 'eg-l4-route-single-rule') && (r.kind === 'TCPRoute' || r.kind === 'UDPRoute') && rules.length > 1) {
    r.refsFail = { reason: 'InvalidRule', message: 'One and only one rule is supported' };
    r.departures.push({ id: 'eg-l4-route-single-rule', field: 'ResolvedRefs', what: 'ResolvedRefs=False/InvalidRule for a route with several rules' });
  }
  const invalid = r.rules.filter((x) => x.problem !== undefined);
  if (invalid.length > 0 && invalid.length === r.rules.length) r.allRulesInvalid = invalid[0]!.problem;
  else if (invalid.length > 0) r.droppedRules = invalid.map((x) => x.index);
}

/** A resolved backendRef and, for a Service, the BackendTLSPolicies that target it (ancestor status, routes.ts). */
interface BackendOut {
  out: BackendResolved;
  related?: PolicyState[];
}

/**
 * One backendRef in `profile`; when a profile switch makes the result differ from the spec's, the route records
 * the departure (emitted per parent by routes.ts).
 */
function profiledBackend(ctx: Context, r: RouteState, b: Record<string, unknown>, policies: PolicyIndex, profile: Profile): BackendOut {
  if (profile === 'spec') return resolveBackendIn(ctx, r, b, policies, 'spec', NO_SWITCH);
  let switched: SwitchId | undefined;
  const got = resolveBackendIn(ctx, r, b, policies, profile, (id) => (switched = id));
  if (switched) {
    const spec = resolveBackendIn(ctx, r, b, policies, 'spec', NO_SWITCH).out;
    const mine = got.out;
    if (spec.valid !== mine.valid || spec.reason !== mine.reason) {
      r.departures.push({ id: switched, field: 'ResolvedRefs', what: `backendRef ${mine.kind} ${mine.namespace}/${mine.name}${mine.port !== undefined ? `:${mine.port}` : ''} is ${mine.valid ? 'valid' : `invalid (${mine.reason})`} (the spec: ${spec.valid ? 'valid' : `invalid (${spec.reason})`})` });
    }
  }
  return got;
}

function fail(reason: string, message: string, out: BackendResolved, related?: PolicyState[]): BackendOut {
  out.valid = false;
  out.reason = reason;
  out.message = message;
  return related ? { out, related } : { out };
}

/**
 * Missing is not absent: a lookup in a kind the capture did not hold at all is unknown (the backend is assumed
 * valid for the routing table and exposure, and the route's ResolvedRefs is Unknown/CaptureIncomplete).
 */
function notCaptured(out: BackendResolved, kindName: string, message: string, related?: PolicyState[]): BackendOut {
  out.reason = CAPTURE_INCOMPLETE;
  out.message = `${message}: the capture holds no ${kindName} objects at all (unknown, not missing)`;
  return related ? { out, related } : { out };
}

/** The spec profile switches nothing (profiles.ts switchOn is false for every switch). */
const NO_SWITCH = (): void => {};

function resolveBackendIn(ctx: Context, r: RouteState, b: Record<string, unknown>, policies: PolicyIndex, profile: Profile, used: (id: SwitchId) => void): BackendOut {
  const group = str(b?.['group']) ?? '';
  const kind = str(b?.['kind']) ?? 'Service';
  const namespace = str(b?.['namespace']) ?? r.namespace;
  const name = str(b?.['name']) ?? '';
  const port = typeof b?.['port'] === 'number' ? (b['port'] as number) : undefined;
  const weight = typeof b?.['weight'] === 'number' ? (b['weight'] as number) : 1;
  const crossNamespace = namespace !== r.namespace;
  const out: BackendResolved =
    port !== undefined ? { group, kind, namespace, name, port, weight, valid: true, crossNamespace } : { group, kind, namespace, name, weight, valid: true, crossNamespace };
  // Envoy Gateway checks a backendRef's own filters first (validate.go validateBackendRef -> validateBackendRefFilters):
  // only the header modifiers (HTTPRoute: and ExtensionRef) are accepted per backend; any other type makes this
  // backend invalid with its non-standard reason UnsupportedRefValue. The spec accepts every filter type here.
  if (switchOn(profile, 'eg-backendref-filter-unsupported-ref-value') && (r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute')) {
    const allowed = r.kind === 'HTTPRoute' ? EG_BACKEND_FILTERS_HTTP : EG_BACKEND_FILTERS_GRPC;
    const filters: unknown[] = Array.isArray(b?.['filters']) ? (b['filters'] as unknown[]) : [];
    const bad = (filters as Record<string, unknown>[]).find((f) => !allowed.has(String(f?.['type'] ?? '')));
    if (bad) {
      used('eg-backendref-filter-unsupported-ref-value');
      return fail('UnsupportedRefValue', `Specific filter is not supported within BackendRef, only RequestHeaderModifier and ResponseHeaderModifier are supported (found ${String(bad['type'] ?? '')})`, out);
    }
  }
  // Istio: a ServiceImport backendRef resolves against the Service of the same name (conversion.go buildDestination).
  const importAsService = group === 'multicluster.x-k8s.io' && kind === 'ServiceImport' && switchOn(profile, 'istio-serviceimport-as-service');
  if (importAsService) used('istio-serviceimport-as-service');
  else if (group === 'multicluster.x-k8s.io' && kind === 'ServiceImport' && !ctx.kindCaptured(group, kind)) return notCaptured(out, 'ServiceImport', `ServiceImport ${namespace}/${name}`);
  const bk = importAsService ? BACKEND_KINDS[0]! : backendKindOf(ctx, group, kind);
  if (!bk) return fail('InvalidKind', `kind ${kind} (group "${group}") is not supported; expected ${supportedBackendKinds(ctx)}`, out);
  if (out.crossNamespace) {
    const grant = ctx.findGrant({ group: GATEWAY_GROUP, kind: r.kind, namespace: r.namespace }, { group, kind, namespace, name });
    if (!grant && !ctx.kindCaptured(GATEWAY_GROUP, 'ReferenceGrant')) return notCaptured(out, 'ReferenceGrant', `whether a ReferenceGrant in ${namespace} allows ${r.kind} ${r.namespace}/${r.name} to reference ${kind} ${name}`);
    if (!grant) return fail('RefNotPermitted', `no ReferenceGrant in ${namespace} allows ${r.kind} ${r.namespace}/${r.name} to reference ${kind} ${name}`, out);
    out.referenceGrant = grant;
  }
  if (bk.kind === 'InferencePool') {
    // A missing pool is BackendNotFound like a missing Service (httproute_invalid_inferencepool_ref.go).
    const pool = bk.lookup(ctx, namespace, name);
    // Missing is not absent: a dump that never asked for InferencePools cannot say this one is missing.
    if (!pool && !ctx.kindCaptured(bk.group, 'InferencePool')) return notCaptured(out, 'InferencePool', `InferencePool ${namespace}/${name}`);
    if (!pool) return fail('BackendNotFound', `InferencePool ${namespace}/${name} not found`, out);
    out.inferencePool = poolView(pool, ctx.inferenceObjectives, ctx.services);
    return { out };
  }
  if (bk.kind === 'ServiceImport') {
    // Like a Service: the object must be in the snapshot and list the backendRef port in spec.ports
    // (BackendObjectReference.Port is required for Service-like kinds), else BackendNotFound. No appProtocol or
    // BackendTLSPolicy checks: those target Services. spec.type (ClusterSetIP / Headless) goes to the routing table.
    const si = bk.lookup(ctx, namespace, name);
    if (!si) return fail('BackendNotFound', `ServiceImport ${namespace}/${name} not found`, out);
    out.serviceImport = { type: str(si.spec?.type) ?? 'ClusterSetIP', labels: { ...(si.metadata.labels ?? {}) }, annotations: { ...(si.metadata.annotations ?? {}) } };
    if (port === undefined) return fail('BackendNotFound', `backendRef to ServiceImport ${namespace}/${name} has no port`, out);
    const siPorts: unknown[] = Array.isArray(si.spec?.ports) ? si.spec.ports : [];
    if (!(siPorts as Record<string, unknown>[]).some((p) => p?.['port'] === port)) return fail('BackendNotFound', `ServiceImport ${namespace}/${name} has no port ${port}`, out);
    return { out };
  }
  // Policies targeting this Service get ancestor status on the Gateways the route attaches to, whatever their state.
  // The `ns/name` key is built only when some BackendTLSPolicy targets a Service (the lookups below are by ns, name).
  const svcKey = policies.byService.size > 0 ? nsName(namespace, name) : undefined;
  let related = svcKey !== undefined ? policies.byService.get(svcKey) : undefined;
  const entry = ctx.serviceEntry(namespace, name);
  if (!entry && !ctx.kindCaptured('', 'Service')) return notCaptured(out, 'Service', `Service ${namespace}/${name}`, related);
  if (!entry) return fail('BackendNotFound', `Service ${namespace}/${name} not found`, out, related);
  const svc = entry.obj;
  out.service = serviceView(entry);
  if (port === undefined) {
    // Envoy Gateway: RouteReasonPortNotSpecified (validate.go validateBackendPort).
    if (switchOn(profile, 'eg-backend-port-reasons')) {
      used('eg-backend-port-reasons');
      return fail('PortNotSpecified', 'A valid port number corresponding to a port on the Service must be specified', out, related);
    }
    return fail('BackendNotFound', `backendRef to Service ${namespace}/${name} has no port`, out, related);
  }
  const ports: unknown[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  // ExternalName Services have no ports; any port is forwarded.
  const svcPort = (ports as Record<string, unknown>[]).find((p) => p?.['port'] === port);
  if (out.service.type !== 'ExternalName' && ports.length > 0 && !svcPort) {
    if (switchOn(profile, 'istio-backend-port-not-checked')) {
      // Istio: the port is passed through to the destination unchecked (conversion.go buildDestination).
      used('istio-backend-port-not-checked');
    } else if (switchOn(profile, 'eg-backend-port-reasons')) {
      // Envoy Gateway: RouteReasonPortNotFound (validate.go, the Service port lookup; function name approximate).
      used('eg-backend-port-reasons');
      return fail('PortNotFound', `TCP Port ${port} not found on service ${namespace}/${name}`, out, related);
    } else return fail('BackendNotFound', `Service ${namespace}/${name} has no port ${port}`, out, related);
  }
  // A BackendTLSPolicy for a section (Service port name) only concerns backendRefs to that port.
  const portName = str(svcPort?.['name']);
  if (related) {
    const mine = related.filter((p) => p.targetKeys.has(`${svcKey}#`) || (portName !== undefined && p.targetKeys.has(`${svcKey}#${portName}`)));
    related = mine.length > 0 ? mine : undefined;
  }
  // Service port appProtocol (GEP-1911; BackendRef doc): one the implementation cannot use gives
  // ResolvedRefs=False/UnsupportedProtocol, checked after existence (rules.ts SUPPORTED_APP_PROTOCOLS).
  const appProblem = appProtocolProblem(r.kind, str(svcPort?.['appProtocol']));
  if (appProblem) return fail('UnsupportedProtocol', `Service ${namespace}/${name} port ${port}: ${appProblem}`, out, related);
  const policy = svcKey !== undefined ? policyFor(policies, svcKey, portName) : undefined;
  if (policy) {
    out.backendTLSPolicy = nsName(policy.namespace, policy.name);
    // HTTPBackendRef doc (digest §5): a backend whose BackendTLSPolicy the implementation cannot satisfy counts as
    // an invalid backendRef, so the route parent gets ResolvedRefs=False. No reason is defined upstream for it:
    // we use the implementation-specific reason BackendTLSPolicyInvalid (docs/resolution.md), checked last.
    if (!policy.valid) return fail('BackendTLSPolicyInvalid', `BackendTLSPolicy ${policy.namespace}/${policy.name} cannot be applied: ${policy.accepted?.message ?? ''}`, out, related);
  }
  return related ? { out, related } : { out };
}

/** Envoy Gateway's per-backend filter types (validate.go validateBackendRefFilters). */
const EG_BACKEND_FILTERS_HTTP: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'ExtensionRef']);
const EG_BACKEND_FILTERS_GRPC: ReadonlySet<string> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier']);

/** Plain-data deep copy (the inputs are parsed YAML/JSON); much cheaper than structuredClone. */
function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = clonePlain((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

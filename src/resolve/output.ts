/**
 * Stage 7, output: GatewayClass, Gateway, ListenerSet and route status, BackendTLSPolicy ancestors, the routing
 * table (routing-table.ts) and the sorted findings.
 */
import { compareStrings } from '../model/object.ts';
import { SEVERITY_RANK, type Finding } from '../model/finding.ts';
import { cond, failCond, sortConditions, str, type Context } from './context.ts';
import { listenerAccepted, listenerConditions, listenerDepartures, listenerResolvedRefsFail } from './listeners.ts';
import { switchOn } from './profiles.ts';
import { policyConditions } from './policies.ts';
import { routingEntry } from './routing-table.ts';
import { bundleVersionSupported, SUPPORTED_BUNDLE_VERSIONS } from './semantics.ts';
import type { ClassState, GatewayState, ListenerSetState, ListenerState, RouteState } from './state.ts';
import type { Condition, GatewayResolution, ListenerResolution, ListenerSetResolution, PolicyAncestorResolution, Resolution, RouteResolution, RoutingEntry } from './types.ts';

function gatewayConditions(ctx: Context, gw: GatewayState): { conditions: Condition[]; accepted: boolean } {
  const own = gw.listeners;
  const lsListeners = gw.listenerSets.filter((ls) => !ls.notAllowed).flatMap((ls) => ls.listeners);
  const considered = own.length > 0 ? own : lsListeners;
  const validCount = considered.filter(listenerAccepted).length;
  let acc: Condition;
  // A class or parameters failure that is only "kind not captured" leaves Accepted Unknown (below), not False.
  const unknownParams = [gw.cls.accepted, gw.paramsFail].find((f) => f?.offline !== undefined);
  if (gw.cls.accepted && !gw.cls.accepted.offline) acc = cond('Accepted', 'False', 'Invalid', `GatewayClass ${gw.cls.name} is not accepted: ${gw.cls.accepted.message}`);
  else if (gw.paramsFail && !gw.paramsFail.offline) acc = cond('Accepted', 'False', gw.paramsFail.reason, gw.paramsFail.message);
  // Precedence (our choice, docs/resolution.md): InvalidParameters before UnsupportedAddress, since the
  // infrastructure parameters are what addresses would be provisioned from; then the listeners.
  else if (gw.addressFail) acc = cond('Accepted', 'False', gw.addressFail.reason, gw.addressFail.message);
  else if (validCount === 0) acc = cond('Accepted', 'False', 'ListenersNotValid', considered.length === 0 ? 'the gateway has no listeners' : 'no listener is valid');
  else if (validCount < considered.length) acc = cond('Accepted', 'True', 'ListenersNotValid', `${considered.length - validCount} of ${considered.length} listeners are not valid`);
  else acc = cond('Accepted', 'True', 'Accepted', 'gateway is accepted');
  const accepted = acc.status === 'True';
  if (accepted && unknownParams) acc = failCond('Accepted', unknownParams);
  const out: Condition[] = [acc];
  out.push(
    accepted && unknownParams
      ? failCond('Programmed', unknownParams)
      : accepted
        ? cond('Programmed', 'True', 'Programmed', 'gateway would be programmed (addresses are not checked offline)')
        : cond('Programmed', 'False', 'Invalid', acc.message),
  );
  const subject = `Gateway ${gw.namespace}/${gw.name}`;
  const target = (field: string) => ({ object: { kind: 'Gateway', namespace: gw.namespace, name: gw.name }, field });
  const unresolved = own.filter((l) => listenerResolvedRefsFail(l) !== undefined);
  // Istio: Gateway ResolvedRefs comes from the backend client certificate only (conditions.go; path approximate).
  const istioClientOnly = switchOn(gw.cls.profile, 'istio-gateway-resolvedrefs-client-certificate-only');
  if (gw.clientCertFail) out.push(failCond('ResolvedRefs', gw.clientCertFail));
  else if (unresolved.length > 0 && !istioClientOnly) {
    const definite = unresolved.filter((l) => !listenerResolvedRefsFail(l)!.offline);
    const message = `listeners with unresolved references: ${(definite.length > 0 ? definite : unresolved).map((l) => l.name).join(', ')}`;
    out.push(failCond('ResolvedRefs', { reason: 'ListenersNotResolved', message, ...(definite.length === 0 ? { offline: 'kind not captured' } : {}) }));
  } else {
    if (unresolved.length > 0) ctx.depart(gw.cls.profile, 'istio-gateway-resolvedrefs-client-certificate-only', subject, target('ResolvedRefs'), 'ResolvedRefs=True although listeners have unresolved references');
    out.push(cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'));
  }
  if (gw.insecureFallback) out.push(cond('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged', 'frontend client certificate validation uses AllowInsecureFallback'));
  // Envoy Gateway: the translator writes no Accepted/Programmed for a healthy Gateway; the provider adds them from the
  // data plane (status/gateway.go UpdateGatewayStatusProgrammedCondition via the Kubernetes provider; path
  // approximate), so a capture may hold neither.
  if (acc.reason === 'Accepted' && acc.status === 'True' && switchOn(gw.cls.profile, 'eg-gateway-conditions-not-written-by-translator')) {
    for (const field of ['Accepted', 'Programmed']) ctx.depart(gw.cls.profile, 'eg-gateway-conditions-not-written-by-translator', subject, target(field), `no ${field} condition written by the translator`);
    return { conditions: sortConditions(out.filter((c) => c.type !== 'Accepted' && c.type !== 'Programmed')), accepted };
  }
  return { conditions: sortConditions(out), accepted };
}

function listenerOut(l: ListenerState, gwAccepted: boolean): ListenerResolution {
  const maybe = [...l.attachedMaybe].filter((r) => !l.attached.has(r)).length;
  return { name: l.name, attachedRoutes: l.attached.size, ...(maybe > 0 ? { attachedRoutesUnknown: maybe } : {}), supportedKinds: l.supportedKinds.map((k) => ({ ...k })), conditions: listenerConditions(l, gwAccepted) };
}

function pushListenerFindings(ctx: Context, subject: string, l: ListenerResolution): void {
  for (const c of l.conditions) {
    if ((c.type === 'Accepted' || c.type === 'ResolvedRefs') && c.status === 'False') {
      ctx.findings.push({ code: c.reason, severity: 'warning', subject, message: `listener ${l.name}: ${c.type}=False: ${c.message}` });
    }
  }
}

/**
 * GatewayClass SupportedVersion (experimental; gatewayclass_types.go): the captured CRD bundle-version against
 * SUPPORTED_BUNDLE_VERSIONS. Best effort: an unsupported version keeps Accepted as computed (digest §6). Not
 * written when no bundle-version is captured (nothing to compare offline).
 */
function supportedVersionCondition(bundleVersion: string | undefined): Condition | undefined {
  if (bundleVersion === undefined) return undefined;
  const range = `${SUPPORTED_BUNDLE_VERSIONS.min} <= version < ${SUPPORTED_BUNDLE_VERSIONS.maxExclusive}`;
  return bundleVersionSupported(bundleVersion)
    ? cond('SupportedVersion', 'True', 'SupportedVersion', `Gateway API CRD bundle-version ${bundleVersion} is supported (${range})`)
    : cond('SupportedVersion', 'False', 'UnsupportedVersion', `Gateway API CRD bundle-version ${bundleVersion} is not supported (${range}); reconciling on a best-effort basis`);
}

export function buildOutput(ctx: Context, classes: Map<string, ClassState>, gateways: Map<string, GatewayState>, routes: RouteState[], bundleVersion: string | undefined): Resolution {
  const version = supportedVersionCondition(bundleVersion);
  const gatewayClasses = [...classes.values()]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((c) => {
      if (c.accepted && !c.accepted.offline) ctx.findings.push({ code: c.accepted.reason, severity: 'warning', subject: `GatewayClass ${c.name}`, message: c.accepted.message });
      if (version?.status === 'False') ctx.findings.push({ code: version.reason, severity: 'warning', subject: `GatewayClass ${c.name}`, message: version.message });
      const conditions = [c.accepted ? failCond('Accepted', c.accepted) : cond('Accepted', 'True', 'Accepted', 'gatewayclass is accepted')];
      if (version) conditions.push({ ...version });
      return { name: c.name, controllerName: c.controllerName, semantics: c.profile, conditions: sortConditions(conditions) };
    });

  const gwList = [...gateways.values()].sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
  const gatewaysOut: GatewayResolution[] = [];
  const routing: RoutingEntry[] = [];
  for (const gw of gwList) {
    const subject = `Gateway ${gw.namespace}/${gw.name}`;
    const { conditions, accepted } = gatewayConditions(ctx, gw);
    for (const c of conditions) {
      if (c.status === 'False' && c.reason !== 'Invalid' && c.type !== 'Programmed') ctx.findings.push({ code: c.reason, severity: 'warning', subject, message: `${c.type}=False: ${c.message}` });
    }
    const g: GatewayResolution = {
      namespace: gw.namespace,
      name: gw.name,
      gatewayClassName: gw.cls.name,
      semantics: gw.cls.profile,
      conditions,
      listeners: gw.listeners.map((l) => listenerOut(l, accepted)),
    };
    for (const l of g.listeners) pushListenerFindings(ctx, subject, l);
    for (const l of gw.listeners) listenerDepartures(ctx, l, accepted, subject);
    if (gw.listenerSets.length > 0) {
      g.listenerSets = gw.listenerSets
        .map((ls) => listenerSetOut(ctx, ls, accepted))
        .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name) || compareStrings(a.kind, b.kind));
    }
    // status.attachedListenerSets (gateway_types.go GatewayStatus): ListenerSets allowed by the Gateway whose
    // parentRef selects it and that are Accepted=True.
    if (ctx.has('ListenerSet') && (gw.listenerSets.length > 0 || gw.obj.spec?.allowedListeners != null)) {
      g.attachedListenerSets = (g.listenerSets ?? []).filter((ls) => ls.conditions.some((c) => c.type === 'Accepted' && c.status === 'True')).length;
    }
    if (gw.policies.size > 0) {
      g.backendTLSPolicies = [...gw.policies.entries()]
        .map(([p, ancestorRef]): PolicyAncestorResolution => ({ kind: 'BackendTLSPolicy', namespace: p.namespace, name: p.name, ancestorRef, controllerName: gw.cls.controllerName, conditions: policyConditions(p) }))
        .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
    }
    gatewaysOut.push(g);
    const addresses = (Array.isArray(gw.obj.status?.addresses) ? gw.obj.status.addresses : [])
      .map((a: Record<string, unknown>) => str(a?.['value']))
      .filter((v: string | undefined): v is string => v !== undefined);
    for (const l of gw.listeners) routing.push(routingEntry(l, addresses, accepted));
    for (const ls of gw.listenerSets) if (!ls.notAllowed) for (const l of ls.listeners) routing.push(routingEntry(l, addresses, accepted));
  }

  const routesOut: RouteResolution[] = routes
    .filter((r) => r.parents.length > 0)
    .sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name))
    .map((r) => ({ kind: r.kind, namespace: r.namespace, name: r.name, parents: r.parents }));

  const findings = ctx.findings.sort(
    (a: Finding, b: Finding) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.subject ?? '', b.subject ?? '') ||
      compareStrings(a.message, b.message),
  );
  return { gatewayClasses, gateways: gatewaysOut, routes: routesOut, routing, findings };
}

function listenerSetOut(ctx: Context, ls: ListenerSetState, gwAccepted: boolean): ListenerSetResolution {
  const listeners = ls.listeners.map((l) => listenerOut(l, gwAccepted && !ls.notAllowed));
  const subject = `${ls.kind} ${ls.namespace}/${ls.name}`;
  for (const l of listeners) pushListenerFindings(ctx, subject, l);
  for (const l of ls.listeners) listenerDepartures(ctx, l, gwAccepted && !ls.notAllowed, subject);
  const valid = ls.listeners.filter(listenerAccepted).length;
  let acc: Condition;
  if (ls.notAllowed) acc = cond('Accepted', 'False', ls.notAllowed.reason, ls.notAllowed.message);
  else if (valid === 0) acc = cond('Accepted', 'False', 'ListenersNotValid', 'no listener is valid');
  else if (valid < ls.listeners.length) acc = cond('Accepted', 'True', 'ListenersNotValid', `${ls.listeners.length - valid} of ${ls.listeners.length} listeners are not valid`);
  else acc = cond('Accepted', 'True', 'Accepted', 'listenerset is accepted');
  if (acc.status === 'False') ctx.findings.push({ code: acc.reason, severity: 'warning', subject, message: `Accepted=False: ${acc.message}` });
  const ok = acc.status === 'True' && gwAccepted;
  const rr = ls.listeners.map(listenerResolvedRefsFail).find((f) => f !== undefined);
  return {
    kind: ls.kind,
    group: ls.group,
    namespace: ls.namespace,
    name: ls.name,
    conditions: sortConditions([
      acc,
      ok ? cond('Programmed', 'True', 'Programmed', 'listenerset would be programmed') : cond('Programmed', 'False', 'Invalid', acc.status === 'False' ? acc.message : 'the gateway is not accepted'),
      rr ? failCond('ResolvedRefs', rr) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'),
    ]),
    listeners,
  };
}

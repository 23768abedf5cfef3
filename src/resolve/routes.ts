/**
 * Stage 5, routes (apis/v1/shared_types.go CommonRouteSpec, ParentReference, RouteParentStatus): parentRefs ->
 * candidate listeners -> allowedRoutes -> hostnames -> rule validity -> HTTPRoute/GRPCRoute hostname clashes ->
 * route parent status and attachedRoutes. Backends of each rule are resolved in backends.ts.
 */
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, type KubeObject } from '../model/object.ts';
import { CAPTURE_INCOMPLETE, cond, failCond, nsName, sortConditions, str, type Context, type RouteKind } from './context.ts';
import { switchOn, type Profile } from './profiles.ts';
import { resolveBackends } from './backends.ts';
import { effectiveHostnames, HostnameSet, intersectHostnames } from './hostnames.ts';
import { allowsNamespace } from './listeners.ts';
import type { PolicyIndex } from './policies.ts';
import { GW_KIND, type Failure, type GatewayState, type ListenerSetState, type ListenerState, type RouteState } from './state.ts';
import type { AttachedRoutesSemantics, Condition, ParentRefEcho } from './types.ts';

function routeHostnames(r: KubeObject): string[] {
  const h: unknown[] = Array.isArray(r.spec?.hostnames) ? r.spec.hostnames : [];
  return h.filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.toLowerCase());
}

export function resolveRoutes(ctx: Context, gateways: Map<string, GatewayState>, policies: PolicyIndex, semantics: AttachedRoutesSemantics): RouteState[] {
  const allGateways = new Map<string, KubeObject>();
  for (const g of ctx.gateways) allGateways.set(nsName(g.metadata.namespace, g.metadata.name), g);
  const listenerSets = new Map<string, ListenerSetState>();
  for (const gw of gateways.values()) for (const ls of gw.listenerSets) listenerSets.set(`${ls.group}|${ls.kind}|${ls.namespace}/${ls.name}`, ls);

  // Default Gateways (experimental; shared_types.go UseDefaultGateways, gateway_types.go DefaultScope): a route with
  // useDefaultGateways: All also gets an implicit whole-Gateway parentRef to every Gateway with defaultScope: All.
  const defaultGateways = [...gateways.values()]
    .filter((g) => g.obj.spec?.defaultScope === 'All')
    .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name))
    .map((g) => ({ group: GATEWAY_GROUP, kind: GW_KIND, namespace: g.namespace, name: g.name }));
  const implicitRefs = new Set<Record<string, unknown>>(defaultGateways);

  const out: RouteState[] = [];
  const pending: PendingParent[] = [];
  for (const o of ctx.routes) {
    const kind = o.kind as RouteKind;
    const ns = o.metadata.namespace ?? '';
    const label = `${kind} ${ns}/${o.metadata.name}`;
    const r: RouteState = {
      obj: o,
      kind,
      namespace: ns,
      name: o.metadata.name,
      creationTimestamp: o.metadata.creationTimestamp ?? '',
      hostnames: kind === 'TCPRoute' || kind === 'UDPRoute' ? [] : routeHostnames(o),
      rules: [],
      parents: [],
      departures: [],
      profile: firstParentProfile(o, ns, gateways, listenerSets),
    };
    resolveBackends(ctx, r, policies, r.profile);
    const resolvedRefs = r.refsFail ? failCond('ResolvedRefs', r.refsFail) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved');
    const explicitRefs: unknown[] = Array.isArray(o.spec?.parentRefs) ? o.spec.parentRefs : [];
    const parentRefs = o.spec?.useDefaultGateways === 'All' && defaultGateways.length > 0 ? [...explicitRefs, ...defaultGateways] : explicitRefs;
    const seenRefs = parentRefs.length > 1 ? new Set<string>() : undefined;
    let handled = 0;
    for (const raw of parentRefs as Record<string, unknown>[]) {
      // ParentReference defaults: group gateway.networking.k8s.io, kind Gateway, namespace = the route's.
      const echo: ParentRefEcho = {
        group: str(raw?.['group']) ?? GATEWAY_GROUP,
        kind: str(raw?.['kind']) ?? GW_KIND,
        namespace: str(raw?.['namespace']) ?? ns,
        name: str(raw?.['name']) ?? '',
      };
      const sectionName = str(raw?.['sectionName']);
      if (sectionName) echo.sectionName = sectionName;
      const port = typeof raw?.['port'] === 'number' ? (raw['port'] as number) : undefined;
      if (port !== undefined) echo.port = port;
      if (seenRefs) {
        const refKeyStr = `${echo.group}|${echo.kind}|${echo.namespace}|${echo.name}|${sectionName ?? ''}|${port ?? ''}`;
        if (seenRefs.has(refKeyStr)) {
          if (implicitRefs.has(raw)) continue; // already named explicitly
          ctx.findings.push({ code: 'DUPLICATE_PARENT_REF', severity: 'warning', subject: label, message: `parentRef ${echo.kind} ${echo.namespace}/${echo.name} (sectionName ${sectionName ?? '-'}, port ${port ?? '-'}) is listed more than once; the API server rejects this` });
          continue;
        }
        seenRefs.add(refKeyStr);
      }

      let gw: GatewayState | undefined;
      let candidates: ListenerState[];
      let lsNotAllowed: Failure | undefined;
      if (echo.group === GATEWAY_GROUP && echo.kind === GW_KIND) {
        gw = gateways.get(nsName(echo.namespace, echo.name));
        if (!gw) {
          const exists = allGateways.has(nsName(echo.namespace, echo.name));
          ctx.findings.push({
            code: exists ? 'PARENT_NOT_HANDLED' : 'PARENT_NOT_FOUND',
            severity: 'warning',
            subject: label,
            message: exists
              ? `parent Gateway ${echo.namespace}/${echo.name} has a gatewayClassName with no GatewayClass in the snapshot; no status is written for this parentRef`
              : `parent Gateway ${echo.namespace}/${echo.name} does not exist in the snapshot; no status is written for this parentRef`,
            detail: { parentRef: echo },
          });
          continue;
        }
        // Routes that target a Gateway attach to its own listeners, not to ListenerSet listeners (GEP-1713).
        candidates = gw.listeners;
      } else if ((echo.group === GATEWAY_GROUP && echo.kind === 'ListenerSet') || (echo.group === GATEWAY_X_GROUP && echo.kind === 'XListenerSet')) {
        const ls = listenerSets.get(`${echo.group}|${echo.kind}|${echo.namespace}/${echo.name}`);
        if (!ls) {
          ctx.findings.push({ code: 'PARENT_NOT_FOUND', severity: 'warning', subject: label, message: `parent ${echo.kind} ${echo.namespace}/${echo.name} is not attached to a Gateway in the snapshot; no status is written for this parentRef`, detail: { parentRef: echo } });
          continue;
        }
        gw = ls.gw;
        candidates = ls.listeners;
        lsNotAllowed = ls.notAllowed;
      } else {
        ctx.findings.push({ code: 'PARENT_KIND_UNSUPPORTED', severity: 'info', subject: label, message: `parentRef kind ${echo.kind} (group "${echo.group}") is not handled by a gateway controller; no status is written for it`, detail: { parentRef: echo } });
        continue;
      }

      // sectionName / port select candidate listeners; both set -> both must hold.
      if (sectionName !== undefined || port !== undefined) candidates = candidates.filter((l) => (sectionName === undefined || l.name === sectionName) && (port === undefined || l.port === port));
      let accepted: Condition;
      const attachTo: { l: ListenerState; hostnames: string[] }[] = [];
      const countOn: ListenerState[] = [];
      if (candidates.length === 0 || lsNotAllowed) {
        accepted = cond('Accepted', 'False', 'NoMatchingParent', lsNotAllowed ? `parent ${echo.kind} ${echo.namespace}/${echo.name} is not accepted by its Gateway: ${lsNotAllowed.message}` : `no listener of ${echo.kind} ${echo.namespace}/${echo.name} matches${sectionName !== undefined ? ` sectionName "${sectionName}"` : ''}${port !== undefined ? ` port ${port}` : ''}`);
      } else {
        // allowedRoutes: namespace and kind on each candidate.
        const allowed: ListenerState[] = [];
        // Missing is not absent: listeners whose namespace selector the capture cannot evaluate (no Namespace
        // objects at all) may or may not admit the route; their hostnames still decide whether it could attach.
        const maybe: ListenerState[] = [];
        for (const l of candidates) {
          if (!supportsKind(l, kind)) continue;
          const admits = allowsNamespaceCached(ctx, l, ns);
          if (admits === true) allowed.push(l);
          else if (admits === 'unknown') maybe.push(l);
        }
        const maybeHosts = maybe.length > 0 ? maybe.filter((l) => effectiveHostnames(l.hostname, r.hostnames).length > 0) : maybe;
        // Upper bound on attachedRoutes: v1.4 counts every admitted listener, v1.5 those whose hostnames intersect.
        for (const l of semantics === 'v1.4' ? maybe : maybeHosts) l.attachedMaybe.add(r);
        // Istio checks listener hostnames before namespaces and kinds (conversion.go referenceAllowed), so a route
        // whose hostnames match no candidate gets NoMatchingListenerHostname even when no listener allows it.
        const istioHostFirst =
          switchOn(gw.cls.profile, 'istio-hostname-before-allowed-routes') && !candidates.some((l) => effectiveHostnames(l.hostname, r.hostnames).length > 0);
        if (istioHostFirst) {
          accepted = cond('Accepted', 'False', 'NoMatchingListenerHostname', `route hostnames ${r.hostnames.join(', ')} do not intersect any listener hostname (${candidates.map((l) => l.hostname ?? '*').join(', ')})`);
          if (allowed.length === 0) ctx.depart(gw.cls.profile, 'istio-hostname-before-allowed-routes', label, { object: routeObj(r), parentRef: echo, field: 'Accepted' }, 'Accepted=False/NoMatchingListenerHostname instead of NotAllowedByListeners');
        } else if (allowed.length === 0 && maybe.length > 0) {
          // Accepted=False either way when no undecided listener's hostnames intersect (NotAllowedByListeners or
          // NoMatchingListenerHostname), but the reason, like the status otherwise, needs the Namespace's labels.
          accepted = unknownNamespace(maybe, echo, kind, ns);
        } else if (allowed.length === 0) {
          accepted = cond('Accepted', 'False', 'NotAllowedByListeners', `no listener of ${echo.kind} ${echo.namespace}/${echo.name}${sectionName !== undefined ? ` (sectionName "${sectionName}")` : ''} allows a ${kind} from namespace ${ns}`);
        } else {
          for (const l of allowed) {
            const hosts = effectiveHostnames(l.hostname, r.hostnames);
            if (hosts.length > 0) attachTo.push({ l, hostnames: hosts });
          }
          if (attachTo.length === 0 && maybeHosts.length > 0) {
            accepted = unknownNamespace(maybe, echo, kind, ns);
          } else if (attachTo.length === 0) {
            accepted = cond('Accepted', 'False', 'NoMatchingListenerHostname', `route hostnames ${r.hostnames.join(', ')} do not intersect any allowed listener hostname (${allowed.map((l) => l.hostname ?? '*').join(', ')})`);
          } else if (r.allRulesInvalid) {
            // Last in the Accepted=False precedence (digest §6): UnsupportedValue / IncompatibleFilters when no
            // rule can be carried out ("A route is Accepted if at least one rule is carried out by the parent").
            accepted = cond('Accepted', 'False', r.allRulesInvalid.reason, `no rule can be carried out: ${r.allRulesInvalid.message}`);
            // Envoy Gateway counts the route on the listeners it selected before translating its rules
            // (route.go processAllowedListenersForParentRefs): still counted with v1.5 semantics.
            if (semantics === 'v1.5' && (r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute') && switchOn(gw.cls.profile, 'eg-attached-routes-count-invalid-rules')) {
              for (const a of attachTo) {
                countOn.push(a.l);
                ctx.depart(gw.cls.profile, 'eg-attached-routes-count-invalid-rules', `Gateway ${gw.namespace}/${gw.name} listener ${a.l.name}`, { object: listenerOwnerObj(a.l), listener: a.l.name, field: 'attachedRoutes' }, `${label} (no valid rule) is counted in attachedRoutes`);
              }
            }
            attachTo.length = 0;
          } else accepted = cond('Accepted', 'True', 'Accepted', 'route is accepted');
          // attachedRoutes: v1.5 counts only listeners on which the route is accepted (hostnames intersect);
          // v1.4 counts every selected listener whose allowedRoutes admit the route.
          if (semantics === 'v1.4') countOn.push(...allowed);
          else for (const a of attachTo) if (!countOn.includes(a.l)) countOn.push(a.l);
        }
      }
      pending.push({ r, label, echo, gw, accepted, resolvedRefs, attachTo, countOn });
      handled++;
    }
    if (parentRefs.length === 0) {
      // No parentRefs (and no default Gateway): no controller writes status for it (shared_types.go CommonRouteSpec;
      // issue 3: objects left out of the output are listed as findings, never dropped silently).
      ctx.findings.push({
        code: 'ROUTE_NO_PARENT_REFS',
        severity: 'info',
        subject: label,
        message: `${label} has no spec.parentRefs${o.spec?.useDefaultGateways === 'All' ? ' and no Gateway with defaultScope All' : ''}; it attaches to nothing and no status is written for it`,
      });
    }
    if (r.refsFail && handled > 0) {
      for (const rule of r.rules) for (const b of rule.backends) {
        if (!b.valid) {
          ctx.findings.push({ code: b.reason!, severity: 'warning', subject: label, message: `rule ${rule.index} backendRef ${b.kind} ${b.namespace}/${b.name}: ${b.message ?? b.reason}` });
        }
      }
    }
    out.push(r);
  }
  const lost = resolveKindClashes(pending);
  // Where a profile skips the clash check, the spec result says which parents it spares (a departure each).
  const specLost = pending.some((p) => noKindClash(p.gw.cls.profile)) ? resolveKindClashes(pending, true) : lost;
  for (const p of pending) {
    const spared = specLost.get(p);
    if (spared && spared.size > 0 && !lost.has(p)) {
      const id = p.gw.cls.profile === 'istio' ? 'istio-no-route-kind-hostname-clash' : 'eg-no-route-kind-hostname-clash';
      const all = p.attachTo.every((a) => spared.has(a.l));
      if (all) ctx.depart(p.gw.cls.profile, id, p.label, { object: routeObj(p.r), parentRef: p.echo, field: 'Accepted' }, 'Accepted=True although a route of the other kind with intersecting hostnames is older');
      if (semantics === 'v1.5') {
        for (const l of spared.keys()) ctx.depart(p.gw.cls.profile, id, `Gateway ${p.gw.namespace}/${p.gw.name} listener ${l.name}`, { object: listenerOwnerObj(l), listener: l.name, field: 'attachedRoutes' }, `${p.label} is counted although it clashes with a route of the other kind`);
      }
    }
    finishParent(ctx, p, lost.get(p), semantics);
  }
  return out;
}

/** Accepted=Unknown: the listeners `maybe` may admit the route, but the capture holds no Namespace objects at all. */
function unknownNamespace(maybe: ListenerState[], echo: ParentRefEcho, kind: string, ns: string): Condition {
  return cond('Accepted', 'Unknown', CAPTURE_INCOMPLETE, `whether listener${maybe.length > 1 ? 's' : ''} ${maybe.map((l) => l.name).join(', ')} of ${echo.kind} ${echo.namespace}/${echo.name} admit${maybe.length > 1 ? '' : 's'} a ${kind} from namespace ${ns} is unknown: allowedRoutes.namespaces.selector depends on the labels of Namespace ${ns}, and the capture holds no Namespace objects at all (unknown, not missing)`);
}

/** The listener's supportedKinds hold `kind` of the Gateway API group. */
function supportsKind(l: ListenerState, kind: string): boolean {
  for (const k of l.supportedKinds) if (k.group === GATEWAY_GROUP && k.kind === kind) return true;
  return false;
}

/** allowsNamespace (listeners.ts) once per listener and route namespace: routes of one namespace share the answer. */
function allowsNamespaceCached(ctx: Context, l: ListenerState, ns: string): boolean | 'unknown' {
  const cache = (l.admitsNamespace ??= new Map());
  let v = cache.get(ns);
  if (v === undefined) cache.set(ns, (v = allowsNamespace(ctx, l, ns)));
  return v;
}

function noKindClash(profile: Profile): boolean {
  return switchOn(profile, 'eg-no-route-kind-hostname-clash') || switchOn(profile, 'istio-no-route-kind-hostname-clash');
}

function routeObj(r: RouteState): { kind: string; namespace: string; name: string } {
  return { kind: r.kind, namespace: r.namespace, name: r.name };
}

function listenerOwnerObj(l: ListenerState): { kind: string; namespace: string; name: string } {
  return { kind: l.owner.kind, namespace: l.owner.namespace, name: l.owner.name };
}

/** The profile of a route's first parentRef that names a handled Gateway or ListenerSet (`spec` when none). */
function firstParentProfile(o: KubeObject, ns: string, gateways: Map<string, GatewayState>, listenerSets: Map<string, ListenerSetState>): Profile {
  const refs: unknown[] = Array.isArray(o.spec?.parentRefs) ? o.spec.parentRefs : [];
  for (const raw of refs as Record<string, unknown>[]) {
    const group = str(raw?.['group']) ?? GATEWAY_GROUP;
    const kind = str(raw?.['kind']) ?? GW_KIND;
    const pns = str(raw?.['namespace']) ?? ns;
    const name = str(raw?.['name']) ?? '';
    if (group === GATEWAY_GROUP && kind === GW_KIND) {
      const gw = gateways.get(nsName(pns, name));
      if (gw) return gw.cls.profile;
    } else {
      const ls = listenerSets.get(`${group}|${kind}|${pns}/${name}`);
      if (ls) return ls.gw.cls.profile;
    }
  }
  return 'spec';
}

/** A route parent whose status waits for the HTTPRoute/GRPCRoute clash check (needs every route). */
interface PendingParent {
  r: RouteState;
  label: string;
  echo: ParentRefEcho;
  gw: GatewayState;
  accepted: Condition;
  resolvedRefs: Condition;
  attachTo: { l: ListenerState; hostnames: string[] }[];
  countOn: ListenerState[];
}

function routeAgeOrder(a: RouteState, b: RouteState): number {
  return compareStrings(a.creationTimestamp || '\uffff', b.creationTimestamp || '\uffff') || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name));
}

/**
 * HTTPRoute/GRPCRoute hostname clash (grpcroute_types.go Hostnames; digest §3): when an HTTPRoute and a GRPCRoute
 * attached to the same listener have intersecting hostnames, exactly one is accepted: the oldest by
 * creationTimestamp, then the first by `namespace/name`. Per listener, routes are taken oldest first and a route
 * loses when one of its effective hostnames intersects a route of the other kind that was already kept.
 * Returns, per parent, the listeners it lost and the route that won each. Cost: O(attachments x labels).
 */
function resolveKindClashes(pending: PendingParent[], spec = false): Map<PendingParent, Map<ListenerState, RouteState>> {
  const byListener = new Map<ListenerState, { p: PendingParent; hostnames: string[] }[]>();
  const kinds = new Map<ListenerState, number>();
  for (const p of pending) {
    if (p.accepted.status !== 'True' || (p.r.kind !== 'HTTPRoute' && p.r.kind !== 'GRPCRoute')) continue;
    // Envoy Gateway and Istio translate both kinds into one HTTP route table and never reject either
    // (eg-no-route-kind-hostname-clash, istio-no-route-kind-hostname-clash; finishParent records the departure).
    if (noKindClash(p.gw.cls.profile) && !spec) continue;
    for (const a of p.attachTo) {
      let list = byListener.get(a.l);
      if (!list) byListener.set(a.l, (list = []));
      list.push({ p, hostnames: a.hostnames });
      kinds.set(a.l, (kinds.get(a.l) ?? 0) | (p.r.kind === 'HTTPRoute' ? 1 : 2));
    }
  }
  const lost = new Map<PendingParent, Map<ListenerState, RouteState>>();
  for (const [l, list] of byListener) {
    if (kinds.get(l) !== 3) continue; // only one kind on this listener: nothing can clash
    list.sort((a, b) => routeAgeOrder(a.p.r, b.p.r));
    const kept = { HTTPRoute: new HostnameSet(), GRPCRoute: new HostnameSet() };
    const keptRoutes: { HTTPRoute: { r: RouteState; hostnames: string[] }[]; GRPCRoute: { r: RouteState; hostnames: string[] }[] } = { HTTPRoute: [], GRPCRoute: [] };
    /** Loser -> winner on this listener (a route named by two parentRefs that select this listener loses both). */
    const lostTo = new Map<RouteState, RouteState>();
    for (const { p, hostnames } of list) {
      const own = p.r.kind as 'HTTPRoute' | 'GRPCRoute';
      const other = own === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
      let winner = lostTo.get(p.r);
      if (!winner) {
        if (!hostnames.some((h) => kept[other].intersects(h))) {
          for (const h of hostnames) kept[own].add(h);
          keptRoutes[own].push({ r: p.r, hostnames });
          continue;
        }
        // Rare path: name the winner (the first kept route of the other kind whose hostnames intersect).
        winner = keptRoutes[other].find((k) => k.hostnames.some((x) => hostnames.some((h) => intersectHostnames(x, h) !== undefined)))!.r;
        lostTo.set(p.r, winner);
      }
      let m = lost.get(p);
      if (!m) lost.set(p, (m = new Map()));
      m.set(l, winner);
    }
  }
  return lost;
}

/** Writes the status of one route parent: attachments, attachedRoutes, policy ancestors, conditions, findings. */
function finishParent(ctx: Context, p: PendingParent, lostOn: Map<ListenerState, RouteState> | undefined, semantics: AttachedRoutesSemantics): void {
  const { r, label, echo, gw, resolvedRefs } = p;
  let { accepted, attachTo, countOn } = p;
  if (lostOn && lostOn.size > 0) {
    // The clash loser is detached from the listener(s) where it lost; with v1.5 semantics it is not counted there
    // (v1.4 counts routes that passed allowedRoutes whatever their Accepted state).
    attachTo = attachTo.filter((a) => !lostOn.has(a.l));
    if (semantics === 'v1.5') countOn = countOn.filter((l) => !lostOn.has(l));
    if (attachTo.length === 0) {
      const [l, winner] = [...lostOn.entries()][0]!;
      // Reason not fixed by the spec: HostnameConflict (our choice, docs/resolution.md).
      accepted = cond('Accepted', 'False', 'HostnameConflict', `${winner.kind} ${winner.namespace}/${winner.name} is attached to listener ${l.name} with intersecting hostnames and takes precedence (older, or first by namespace/name); exactly one of an HTTPRoute and a GRPCRoute is accepted`);
    }
  }
  for (const l of countOn) l.attached.add(r);
  for (const a of attachTo) {
    a.l.attachments.push({ route: r, hostnames: a.hostnames });
  }
  if (attachTo.length > 0) {
    for (const p of r.relatedPolicies ?? []) gw.policies.set(p, { group: GATEWAY_GROUP, kind: GW_KIND, namespace: gw.namespace, name: gw.name });
  }
  if (accepted.status === 'False') {
    ctx.findings.push({ code: accepted.reason, severity: 'warning', subject: label, message: `parent ${echo.kind} ${echo.namespace}/${echo.name}: not accepted: ${accepted.message}`, detail: { parentRef: echo } });
  }
  for (const d of r.departures) ctx.depart(gw.cls.profile, d.id, label, { object: routeObj(r), parentRef: echo, field: d.field }, d.what);
  const conds = [accepted, resolvedRefs];
  if (accepted.status === 'True' && r.droppedRules) {
    // PartiallyInvalid (shared_types.go RouteConditionPartiallyInvalid): True only, reason UnsupportedValue,
    // message starting "Dropped Rule"; never for fully valid, fully invalid or not accepted routes.
    const first = r.rules.find((x) => x.problem)!.problem!;
    const pi = cond('PartiallyInvalid', 'True', 'UnsupportedValue', `Dropped Rule${r.droppedRules.length > 1 ? 's' : ''} ${r.droppedRules.join(', ')}: ${first.message}${first.reason === 'IncompatibleFilters' ? ' (IncompatibleFilters)' : ''}`);
    conds.push(pi);
    ctx.findings.push({ code: 'PartiallyInvalid', severity: 'warning', subject: label, message: `parent ${echo.kind} ${echo.namespace}/${echo.name}: ${pi.message}`, detail: { parentRef: echo } });
  }
  r.parents.push({ parentRef: echo, controllerName: gw.cls.controllerName, conditions: sortConditions(conds) });
}

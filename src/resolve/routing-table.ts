/**
 * Stage 7 (continued), the effective routing table: one entry per listener, hostnames -> routes in precedence
 * order -> rules -> backends with traffic percentages.
 */
import { compareStrings } from '../model/object.ts';
import { nsName } from './context.ts';
import { listenerAccepted, listenerConditions } from './listeners.ts';
import { comparePrecedence, routeMatchKey, type MatchKey } from './rules.ts';
import type { ListenerState, RouteState } from './state.ts';
import type { RoutingBackend, RoutingEntry, RoutingHostname, RoutingRoute, RoutingRule } from './types.ts';

function routingRules(r: RouteState): RoutingRule[] {
  if (r.routingRules) return r.routingRules;
  r.routingRules = r.rules.map((rule) => {
    const total = rule.backends.reduce((s, b) => s + (b.weight > 0 ? b.weight : 0), 0);
    return {
      index: rule.index,
      ...(rule.name ? { name: rule.name } : {}),
      matches: rule.matches,
      backends: rule.backends.map((b): RoutingBackend => {
        const { policy: _policy, relatedPolicies: _related, ...rest } = b;
        return { ...rest, percent: percentOf(b.weight > 0 ? b.weight : 0, total) };
      }),
      ...(rule.problem ? { dropped: { reason: rule.problem.reason, message: rule.problem.message } } : {}),
    };
  });
  return r.routingRules;
}

/** Precedence inputs of a route; RouteState has every field, the match key is computed once per route. */
function precedenceOf(r: RouteState): RouteState & { key: MatchKey } {
  r.key ??= routeMatchKey(r.kind, r.rules.filter((x) => !x.problem));
  return r as RouteState & { key: MatchKey };
}

function percentOf(weight: number, total: number): number {
  return total > 0 ? Math.round((weight / total) * 10000) / 100 : 0;
}

export function routingEntry(l: ListenerState, addresses: string[], gwAccepted: boolean): RoutingEntry {
  const e: RoutingEntry = {
    gateway: { namespace: l.gw.namespace, name: l.gw.name },
    ...(l.ls ? { listenerSet: { kind: l.ls.kind, namespace: l.ls.namespace, name: l.ls.name } } : {}),
    listener: l.name,
    ...(l.hostname ? { listenerHostname: l.hostname } : {}),
    port: l.port,
    protocol: l.protocol,
    ...(l.tlsMode ? { tlsMode: l.tlsMode } : {}),
    listenerAccepted: listenerAccepted(l),
    listenerProgrammed: listenerConditions(l, gwAccepted).some((c) => c.type === 'Programmed' && c.status === 'True'),
    certificateRefs: l.certRefs,
    addresses: [...addresses],
    hostnames: [],
  };
  // TCPRoute/UDPRoute: all attach, only the oldest serves traffic (tcproute-multiple-routes-attachment.go).
  const l4 = l.attachments.filter((a) => a.route.kind === 'TCPRoute' || a.route.kind === 'UDPRoute').map((a) => a.route);
  l4.sort((a, b) => compareStrings(a.creationTimestamp || '\uffff', b.creationTimestamp || '\uffff') || compareStrings(nsName(a.namespace, a.name), nsName(b.namespace, b.name)));
  const l4Winner = l4[0];
  const byHost = new Map<string, Map<RouteState, RoutingRoute>>();
  for (const a of l.attachments) {
    for (const h of a.hostnames) {
      let m = byHost.get(h);
      if (!m) byHost.set(h, (m = new Map()));
      if (m.has(a.route)) continue;
      const r = a.route;
      m.set(r, {
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        servesTraffic: r.kind === 'TCPRoute' || r.kind === 'UDPRoute' ? r === l4Winner : true,
        precedence: 0,
        rules: routingRules(r),
      });
    }
  }
  const hosts: RoutingHostname[] = [...byHost.entries()]
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([hostname, m]) => {
      // HTTP route precedence (digest §6): most specific match first, then oldest, then namespace/name.
      const ranked = [...m.entries()].map(([route, rr]) => ({ p: precedenceOf(route), rr })).sort((a, b) => comparePrecedence(a.p, b.p));
      return { hostname, routes: ranked.map((x, i) => Object.assign(x.rr, { precedence: i })) };
    });
  e.hostnames = hosts;
  return e;
}


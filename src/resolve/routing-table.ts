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
    let total = 0;
    for (const b of rule.backends) if (b.weight > 0) total += b.weight;
    // The resolved backend objects become the routing table's (percent last): they hold nothing else.
    const backends = rule.backends as RoutingBackend[];
    for (const b of backends) b.percent = percentOf(b.weight > 0 ? b.weight : 0, total);
    const out: RoutingRule = rule.name ? { index: rule.index, name: rule.name, matches: rule.matches, backends } : { index: rule.index, matches: rule.matches, backends };
    if (rule.problem) out.dropped = { reason: rule.problem.reason, message: rule.problem.message };
    return out;
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
  // hostname -> its rows, in first-attachment order; a route appears once per hostname even when two of its
  // parentRefs select this listener or its hostnames repeat (`seen` holds, per route, the hostnames it has rows for).
  const byHost = new Map<string, { route: RouteState; row: RoutingRoute }[]>();
  const seen = new Map<RouteState, readonly string[] | Set<string>>();
  for (const a of l.attachments) {
    const r = a.route;
    const before = seen.get(r);
    let hosts: readonly string[] | Set<string> = a.hostnames;
    let done: Set<string> | undefined;
    if (before !== undefined || a.hostnames.length > 1) {
      done = before === undefined ? new Set() : before instanceof Set ? before : new Set(before);
      hosts = done;
    }
    seen.set(r, hosts);
    for (const h of a.hostnames) {
      if (done) {
        if (done.has(h)) continue;
        done.add(h);
      }
      const row: RoutingRoute = {
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        servesTraffic: r.kind === 'TCPRoute' || r.kind === 'UDPRoute' ? r === l4Winner : true,
        precedence: 0,
        rules: routingRules(r),
      };
      const list = byHost.get(h);
      if (list) list.push({ route: r, row });
      else byHost.set(h, [{ route: r, row }]);
    }
  }
  const names = [...byHost.keys()].sort(compareStrings);
  const hosts: RoutingHostname[] = names.map((hostname) => {
    const list = byHost.get(hostname)!;
    if (list.length === 1) return { hostname, routes: [list[0]!.row] };
    // HTTP route precedence (digest §6): most specific match first, then oldest, then namespace/name.
    list.sort((a, b) => comparePrecedence(precedenceOf(a.route), precedenceOf(b.route)));
    return { hostname, routes: list.map((x, i) => ((x.row.precedence = i), x.row)) };
  });
  e.hostnames = hosts;
  return e;
}


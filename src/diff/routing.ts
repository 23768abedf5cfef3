/**
 * Routing diff over two Resolutions (resolve/types.ts): hostnames that now reach different backends or
 * service types, weight shifts per route rule, routes added/removed/moved between listeners, and exposures
 * (listener, hostname, route, backend) added or removed.
 */
import { compareStrings } from '../model/object.ts';
import type { Resolution, RoutingBackend, RoutingEntry } from '../resolve/types.ts';
import type { HostnameChange, PathChange, ReachedBackend, RouteChange, RouteListener, RoutingDiff, WeightShift } from './types.ts';

/** Service type of a resolved backend (policy classifier); `unclassified` when nothing says otherwise. */
export type ServiceTypeOf = (backend: RoutingBackend) => string;

export function backendLabel(b: RoutingBackend): string {
  const base = `${b.namespace}/${b.name}${b.port !== undefined ? `:${b.port}` : ''}`;
  return b.group === '' && b.kind === 'Service' ? base : `${b.kind} ${base}`;
}

function ownerOf(e: RoutingEntry): string {
  const gw = `${e.gateway.namespace}/${e.gateway.name}`;
  return gw;
}

function listenerOf(e: RoutingEntry): string {
  return e.listenerSet ? `${e.listenerSet.kind} ${e.listenerSet.namespace}/${e.listenerSet.name}:${e.listener}` : e.listener;
}

interface RuleRow {
  gateway: string;
  listener: string;
  hostname: string;
  route: string;
  rule: string;
  backends: Map<string, { weight: number; percent: number }>;
}

interface HostRow {
  gateway: string;
  listener: string;
  hostname: string;
  reached: Map<string, ReachedBackend>;
}

const SEP = '\u0000';

interface PathRow {
  gateway: string;
  listener: string;
  hostname: string;
  route: string;
  backend: string;
  serviceType: string;
}

interface Table {
  hosts: Map<string, HostRow>;
  rules: Map<string, RuleRow>;
  /** Route -> the listeners it serves traffic on (key gateway SEP listener). */
  routes: Map<string, Map<string, RouteListener>>;
  paths: Map<string, PathRow>;
}

function tabulate(res: Resolution, serviceType: ServiceTypeOf): Table {
  const hosts = new Map<string, HostRow>();
  const rules = new Map<string, RuleRow>();
  const routes = new Map<string, Map<string, RouteListener>>();
  const paths = new Map<string, PathRow>();
  for (const e of res.routing) {
    const gateway = ownerOf(e);
    const listener = listenerOf(e);
    for (const h of e.hostnames) {
      const hk = [gateway, listener, h.hostname].join(SEP);
      const host: HostRow = hosts.get(hk) ?? { gateway, listener, hostname: h.hostname, reached: new Map() };
      hosts.set(hk, host);
      for (const r of h.routes) {
        if (!r.servesTraffic) continue;
        const route = `${r.kind} ${r.namespace}/${r.name}`;
        const on = routes.get(route) ?? new Map<string, RouteListener>();
        on.set([gateway, listener].join(SEP), { gateway, listener });
        routes.set(route, on);
        for (const rule of r.rules) {
          const ruleName = rule.name !== undefined && rule.name !== '' ? rule.name : `#${rule.index}`;
          const rk = [hk, route, ruleName].join(SEP);
          const row: RuleRow = rules.get(rk) ?? { gateway, listener, hostname: h.hostname, route, rule: ruleName, backends: new Map() };
          rules.set(rk, row);
          for (const b of rule.backends) {
            const label = backendLabel(b);
            const prev = row.backends.get(label);
            row.backends.set(label, { weight: (prev?.weight ?? 0) + b.weight, percent: (prev?.percent ?? 0) + b.percent });
            // Traffic reaches a backend only when the ref resolved and it has weight (Gateway API: weight 0 = no traffic).
            if (!b.valid || b.weight <= 0) continue;
            const pk = [hk, route, label].join(SEP);
            if (!paths.has(pk)) paths.set(pk, { gateway, listener, hostname: h.hostname, route, backend: label, serviceType: serviceType(b) });
            const seen = host.reached.get(label);
            if (!seen || seen.percent < b.percent) host.reached.set(label, { backend: label, serviceType: serviceType(b), percent: b.percent });
          }
        }
      }
    }
  }
  return { hosts, rules, routes, paths };
}

function listenerList(m: Map<string, RouteListener> | undefined): RouteListener[] {
  return [...(m?.values() ?? [])].sort((a, b) => compareStrings(a.gateway, b.gateway) || compareStrings(a.listener, b.listener));
}

/** Routes that start or stop serving traffic, or serve it on other listeners. */
function routeChanges(o: Table, n: Table): RouteChange[] {
  const out: RouteChange[] = [];
  for (const route of new Set([...o.routes.keys(), ...n.routes.keys()])) {
    const oldListeners = listenerList(o.routes.get(route));
    const newListeners = listenerList(n.routes.get(route));
    const sig = (l: RouteListener[]): string => l.map((x) => [x.gateway, x.listener].join(SEP)).join(SEP + SEP);
    if (sig(oldListeners) === sig(newListeners)) continue;
    out.push({ route, op: oldListeners.length === 0 ? 'added' : newListeners.length === 0 ? 'removed' : 'moved', oldListeners, newListeners });
  }
  return out.sort((a, b) => compareStrings(a.route, b.route));
}

/** Exposures on one side only; a backend whose service type changed shows as removed (old type) and added (new). */
function pathChanges(o: Table, n: Table): PathChange[] {
  const out: PathChange[] = [];
  for (const [k, p] of o.paths) {
    const q = n.paths.get(k);
    if (!q || q.serviceType !== p.serviceType) out.push({ op: 'removed', ...p });
  }
  for (const [k, p] of n.paths) {
    const q = o.paths.get(k);
    if (!q || q.serviceType !== p.serviceType) out.push({ op: 'added', ...p });
  }
  return out.sort(
    (a, b) =>
      compareStrings(a.hostname, b.hostname) ||
      compareStrings(a.gateway, b.gateway) ||
      compareStrings(a.listener, b.listener) ||
      compareStrings(a.route, b.route) ||
      compareStrings(a.backend, b.backend) ||
      compareStrings(a.op, b.op),
  );
}

function sortedReached(m: Map<string, ReachedBackend> | undefined): ReachedBackend[] {
  return [...(m?.values() ?? [])].sort((a, b) => compareStrings(a.backend, b.backend));
}

function types(list: ReachedBackend[]): string[] {
  return [...new Set(list.map((b) => b.serviceType))].sort(compareStrings);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Each side is classified by its own classifier (labels may differ between the captures). */
export function diffRouting(oldRes: Resolution, newRes: Resolution, oldType: ServiceTypeOf, newType: ServiceTypeOf = oldType): RoutingDiff {
  const o = tabulate(oldRes, oldType);
  const n = tabulate(newRes, newType);
  const hostnames: HostnameChange[] = [];
  for (const k of new Set([...o.hosts.keys(), ...n.hosts.keys()])) {
    const oh = o.hosts.get(k);
    const nh = n.hosts.get(k);
    const oldBackends = sortedReached(oh?.reached);
    const newBackends = sortedReached(nh?.reached);
    const sig = (l: ReachedBackend[]): string => l.map((b) => `${b.backend}=${b.serviceType}`).join(SEP);
    const op: HostnameChange['op'] = oh === undefined ? 'added' : nh === undefined ? 'removed' : 'changed';
    if (op === 'changed' && sig(oldBackends) === sig(newBackends)) continue;
    const any = (nh ?? oh)!;
    hostnames.push({
      gateway: any.gateway,
      listener: any.listener,
      hostname: any.hostname,
      op,
      oldBackends,
      newBackends,
      oldServiceTypes: types(oldBackends),
      newServiceTypes: types(newBackends),
    });
  }
  const weightShifts: WeightShift[] = [];
  for (const [k, nr] of n.rules) {
    const or = o.rules.get(k);
    if (or === undefined) continue; // a new rule: its backends show in the hostname changes
    // A backend on one side only counts as a shift from/to 0% (a canary added next to the old version) when
    // the rule keeps at least one backend; a full replacement shows as a hostname change instead.
    const common = [...nr.backends.keys()].some((b) => or.backends.has(b));
    if (!common) continue;
    for (const backend of new Set([...or.backends.keys(), ...nr.backends.keys()])) {
      const ob = or.backends.get(backend) ?? { weight: 0, percent: 0 };
      const nb = nr.backends.get(backend) ?? { weight: 0, percent: 0 };
      if (round2(ob.percent) === round2(nb.percent) && ob.weight === nb.weight) continue;
      weightShifts.push({
        gateway: nr.gateway,
        listener: nr.listener,
        hostname: nr.hostname,
        route: nr.route,
        rule: nr.rule,
        backend,
        oldWeight: ob.weight,
        newWeight: nb.weight,
        oldPercent: round2(ob.percent),
        newPercent: round2(nb.percent),
      });
    }
  }
  const hostCmp = (a: { gateway: string; listener: string; hostname: string }, b: typeof a): number =>
    compareStrings(a.hostname, b.hostname) || compareStrings(a.gateway, b.gateway) || compareStrings(a.listener, b.listener);
  hostnames.sort(hostCmp);
  weightShifts.sort(
    (a, b) => hostCmp(a, b) || compareStrings(a.route, b.route) || compareStrings(a.rule, b.rule) || compareStrings(a.backend, b.backend),
  );
  return { hostnames, weightShifts, routes: routeChanges(o, n), paths: pathChanges(o, n) };
}

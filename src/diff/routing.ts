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

/**
 * The rows of one side. Keys are the row's fields joined with SEP, built by prefix (gateway+listener, then
 * hostname, then route) once per level instead of one array join per row (issue 13: ~10k hostnames, rules and
 * backends per side at 10k routes, each pair of a chain tabulating both sides).
 */
function tabulate(res: Resolution, serviceType: ServiceTypeOf): Table {
  const hosts = new Map<string, HostRow>();
  const rules = new Map<string, RuleRow>();
  const routes = new Map<string, Map<string, RouteListener>>();
  const paths = new Map<string, PathRow>();
  for (const e of res.routing) {
    const gateway = ownerOf(e);
    const listener = listenerOf(e);
    const gl = gateway + SEP + listener;
    for (const h of e.hostnames) {
      const hostname = h.hostname;
      const hk = gl + SEP + hostname;
      let host = hosts.get(hk);
      if (!host) hosts.set(hk, (host = { gateway, listener, hostname, reached: new Map() }));
      for (const r of h.routes) {
        if (!r.servesTraffic) continue;
        const route = `${r.kind} ${r.namespace}/${r.name}`;
        let on = routes.get(route);
        if (!on) routes.set(route, (on = new Map<string, RouteListener>()));
        if (!on.has(gl)) on.set(gl, { gateway, listener });
        const hr = hk + SEP + route;
        for (const rule of r.rules) {
          const ruleName = rule.name !== undefined && rule.name !== '' ? rule.name : `#${rule.index}`;
          const rk = hr + SEP + ruleName;
          let row = rules.get(rk);
          if (!row) rules.set(rk, (row = { gateway, listener, hostname, route, rule: ruleName, backends: new Map() }));
          for (const b of rule.backends) {
            const label = backendLabel(b);
            const prev = row.backends.get(label);
            if (prev) {
              prev.weight += b.weight;
              prev.percent += b.percent;
            } else row.backends.set(label, { weight: 0 + b.weight, percent: 0 + b.percent });
            // Traffic reaches a backend only when the ref resolved and it has weight (Gateway API: weight 0 = no traffic).
            if (!b.valid || b.weight <= 0) continue;
            const pk = hr + SEP + label;
            const seen = host.reached.get(label);
            const mustPath = !paths.has(pk);
            if (!mustPath && seen && seen.percent >= b.percent) continue;
            const type = serviceType(b); // pure: the same for both rows
            if (mustPath) paths.set(pk, { gateway, listener, hostname, route, backend: label, serviceType: type });
            if (!seen || seen.percent < b.percent) host.reached.set(label, { backend: label, serviceType: type, percent: b.percent });
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

/** Keys of `a` in order, then the keys of `b` not in `a`: what `new Set([...a.keys(), ...b.keys()])` iterates. */
function* unionKeys<K>(a: ReadonlyMap<K, unknown>, b: ReadonlyMap<K, unknown>): Generator<K> {
  yield* a.keys();
  for (const k of b.keys()) if (!a.has(k)) yield k;
}

/** Routes that start or stop serving traffic, or serve it on other listeners. */
function routeChanges(o: Table, n: Table): RouteChange[] {
  const out: RouteChange[] = [];
  const sig = (l: RouteListener[]): string => l.map((x) => [x.gateway, x.listener].join(SEP)).join(SEP + SEP);
  for (const route of unionKeys(o.routes, n.routes)) {
    const oldListeners = listenerList(o.routes.get(route));
    const newListeners = listenerList(n.routes.get(route));
    // Field by field first (equal lists have equal signatures); the signature decides the rest, as it always did.
    if (sameList(oldListeners, newListeners, (x, y) => x.gateway === y.gateway && x.listener === y.listener) || sig(oldListeners) === sig(newListeners)) continue;
    out.push({ route, op: oldListeners.length === 0 ? 'added' : newListeners.length === 0 ? 'removed' : 'moved', oldListeners, newListeners });
  }
  return out.sort((a, b) => compareStrings(a.route, b.route));
}

function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i]!, b[i]!)) return false;
  return true;
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

/**
 * tabulate, once per resolution and classifier: a chain compares each capture with the one before and the one
 * after it (issue 13). Tables are only read after they are made; they go with their resolution.
 */
const tables = new WeakMap<Resolution, { routing: Resolution['routing']; length: number; byType: Map<ServiceTypeOf, Table> }>();
function tableOf(res: Resolution, serviceType: ServiceTypeOf): Table {
  let memo = tables.get(res);
  if (!memo || memo.routing !== res.routing || memo.length !== res.routing.length) tables.set(res, (memo = { routing: res.routing, length: res.routing.length, byType: new Map() }));
  let t = memo.byType.get(serviceType);
  if (!t) memo.byType.set(serviceType, (t = tabulate(res, serviceType)));
  return t;
}

/** Each side is classified by its own classifier (labels may differ between the captures). */
export function diffRouting(oldRes: Resolution, newRes: Resolution, oldType: ServiceTypeOf, newType: ServiceTypeOf = oldType): RoutingDiff {
  const o = tableOf(oldRes, oldType);
  const n = tableOf(newRes, newType);
  const hostnames: HostnameChange[] = [];
  const sig = (l: ReachedBackend[]): string => l.map((b) => `${b.backend}=${b.serviceType}`).join(SEP);
  for (const k of unionKeys(o.hosts, n.hosts)) {
    const oh = o.hosts.get(k);
    const nh = n.hosts.get(k);
    const oldBackends = sortedReached(oh?.reached);
    const newBackends = sortedReached(nh?.reached);
    const op: HostnameChange['op'] = oh === undefined ? 'added' : nh === undefined ? 'removed' : 'changed';
    // Field by field first (equal lists have equal signatures); the signature decides the rest, as it always did.
    if (op === 'changed' && (sameList(oldBackends, newBackends, (x, y) => x.backend === y.backend && x.serviceType === y.serviceType) || sig(oldBackends) === sig(newBackends))) continue;
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
    for (const backend of unionKeys(or.backends, nr.backends)) {
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

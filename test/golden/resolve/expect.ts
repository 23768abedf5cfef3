/**
 * Partial-match checker for the hand-written *.expect.yaml files (the independent oracle). The shape mirrors
 * ../shared/conformance/INDEX.md (expected.json) plus routing-table, ListenerSet, BackendTLSPolicy and findings
 * assertions. `checkExpectation` returns every mismatch as a readable line (empty = the resolution satisfies it).
 */
import type {
  Condition,
  GroupKind,
  Resolution,
  RouteResolution,
  RoutingBackend,
  RoutingEntry,
  RoutingRoute,
} from '../../../src/resolve/types.ts';

/** `absent`: the condition must not be there; `NotTrue`/`NotFalse`: absent or any other status. */
export interface ExpectedCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | 'absent' | 'NotTrue' | 'NotFalse';
  reason?: string;
  messagePrefix?: string;
}

export interface ExpectedListener {
  name: string;
  attachedRoutes?: number;
  /** Expected attachedRoutesUnknown (0 = must be absent). */
  attachedRoutesUnknown?: number;
  supportedKinds?: Array<{ group?: string; kind: string }>;
  supportedKindsExact?: boolean;
  conditions?: ExpectedCondition[];
}

export interface Expectation {
  description: string;
  digest: string;
  options?: { attachedRoutesSemantics?: 'v1.4' | 'v1.5'; features?: string[] };
  /**
   * A capture from files that held no object of these kinds (missing is not absent): the runner drops them from
   * `_base.yaml` and passes kindsPresent = the kinds of the remaining objects, as collect records it.
   */
  captureOmitsKinds?: string[];
  gatewayClasses?: Array<{ name: string; absent?: boolean; conditions?: ExpectedCondition[] }>;
  gateways?: Array<{
    namespace: string;
    name: string;
    absent?: boolean;
    conditions?: ExpectedCondition[];
    listenersExact?: boolean;
    listeners?: ExpectedListener[];
  }>;
  routes?: Array<{
    kind: string;
    namespace: string;
    name: string;
    absent?: boolean;
    parent?: { namespace: string; name: string; kind?: string; sectionName?: string; port?: number };
    noEntry?: boolean;
    parentsExactCount?: number;
    parentRef?: Record<string, unknown>;
    controllerName?: string;
    conditions?: ExpectedCondition[];
  }>;
  listenerSets?: Array<{
    gateway: string;
    namespace: string;
    name: string;
    conditions?: ExpectedCondition[];
    listeners?: ExpectedListener[];
  }>;
  backendTLSPolicies?: Array<{ gateway: string; namespace: string; name: string; conditions?: ExpectedCondition[] }>;
  routing?: ExpectedRouting[];
  findings?: Array<{ code?: string; severity?: string; messageContains?: string; subjectContains?: string }>;
  /** InferencePool status (conformance-inference INDEX.md rules: parent matched by Gateway namespace/name). */
  inferencePools?: Array<{
    namespace: string;
    name: string;
    group?: string;
    /** status.parents must be empty (or the pool absent from the output). */
    noParents?: boolean;
    parentsExactCount?: number;
    parents?: Array<{ gateway: string; controllerName?: string; conditions?: ExpectedCondition[] }>;
  }>;
  /** Adjacent policies: targets are partial matches on PolicyTargetResolution, in any order. */
  policies?: Array<{
    kind: string;
    namespace: string;
    name: string;
    absent?: boolean;
    mode?: string;
    implementation?: string;
    categories?: string[];
    secretRefs?: string[];
    targets?: Array<Record<string, unknown>>;
  }>;
  /** Policy kinds known: partial match on PolicyKindResolution. */
  policyKinds?: Array<Record<string, unknown>>;
}

export interface ExpectedRouting {
  gateway: string;
  listener: string;
  listenerSet?: string;
  protocol?: string;
  tlsMode?: string;
  listenerAccepted?: boolean;
  listenerProgrammed?: boolean;
  certificateRefs?: Array<Record<string, unknown>>;
  hostname?: string;
  /** The hostname must not be served on this listener. */
  absent?: boolean;
  /** `Kind namespace/name` */
  route?: string;
  /** The route must not serve the given hostname (or any hostname when none is given) on this listener. */
  routeAbsent?: boolean;
  servesTraffic?: boolean;
  /** Exact list of `Kind namespace/name` serving `hostname` on this listener, in routing-table precedence order. */
  routeOrder?: string[];
  /** Rule index; default: the first rule of the route. */
  rule?: number;
  backends?: Array<Partial<RoutingBackend>>;
  /** Exact `Kind namespace/name` list (sorted) of the listener's policies (entry.policies, any mode). */
  listenerPolicies?: string[];
  /**
   * Exact sorted `Kind namespace/name` list of the policies covering the row: the listener's Inherited ones, the
   * rule's, and those of the backend named `coverageBackend` (none when not given).
   */
  coverage?: string[];
  coverageBackend?: string;
}

export const CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
const GW_GROUP = 'gateway.networking.k8s.io';

function fmt(c: Condition): string {
  return `${c.type}=${c.status}/${c.reason}`;
}

export function checkConditions(where: string, actual: readonly Condition[], expected: readonly ExpectedCondition[] | undefined): string[] {
  const out: string[] = [];
  for (const e of expected ?? []) {
    const found = actual.filter((c) => c.type === e.type);
    const have = found.length ? found.map(fmt).join(', ') : 'no such condition';
    if (e.status === 'absent') {
      if (found.length) out.push(`${where}: expected no ${e.type} condition, got ${have}`);
      continue;
    }
    if (e.status === 'NotTrue' || e.status === 'NotFalse') {
      const bad = e.status === 'NotTrue' ? 'True' : 'False';
      if (found.some((c) => c.status === bad)) out.push(`${where}: expected ${e.type} absent or not ${bad}, got ${have}`);
      continue;
    }
    const ok = found.some(
      (c) =>
        c.status === e.status &&
        (e.reason === undefined || c.reason === e.reason) &&
        (e.messagePrefix === undefined || c.message.startsWith(e.messagePrefix)),
    );
    if (!ok) {
      const want = `${e.type}=${e.status}${e.reason ? '/' + e.reason : ''}${e.messagePrefix ? ` (message "${e.messagePrefix}...")` : ''}`;
      out.push(`${where}: expected ${want}, got ${have}`);
    }
  }
  return out;
}

function kindsKey(k: { group?: string; kind: string }): string {
  return `${k.group ?? GW_GROUP}/${k.kind}`;
}

function checkListener(where: string, actual: { attachedRoutes: number; attachedRoutesUnknown?: number; supportedKinds: GroupKind[]; conditions: Condition[] }, e: ExpectedListener): string[] {
  const out: string[] = [];
  if (e.attachedRoutesUnknown !== undefined && (actual.attachedRoutesUnknown ?? 0) !== e.attachedRoutesUnknown) {
    out.push(`${where}: expected attachedRoutesUnknown ${e.attachedRoutesUnknown}, got ${actual.attachedRoutesUnknown ?? 0}`);
  }
  if (e.attachedRoutes !== undefined && actual.attachedRoutes !== e.attachedRoutes) {
    out.push(`${where}: expected attachedRoutes ${e.attachedRoutes}, got ${actual.attachedRoutes}`);
  }
  if (e.supportedKinds !== undefined) {
    const have = actual.supportedKinds.map(kindsKey);
    const want = e.supportedKinds.map(kindsKey);
    if (want.length === 0 || e.supportedKindsExact) {
      if ([...have].sort().join(',') !== [...want].sort().join(',')) {
        out.push(`${where}: expected supportedKinds exactly [${want.join(', ')}], got [${have.join(', ')}]`);
      }
    } else {
      for (const w of want) if (!have.includes(w)) out.push(`${where}: expected supportedKinds to include ${w}, got [${have.join(', ')}]`);
    }
  }
  out.push(...checkConditions(where, actual.conditions, e.conditions));
  return out;
}

function splitNN(s: string): [string, string] {
  const i = s.indexOf('/');
  return [s.slice(0, i), s.slice(i + 1)];
}

function partialEqual(actual: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => JSON.stringify(actual[k]) === JSON.stringify(v));
}

function routeLabel(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

function checkRouting(res: Resolution, e: ExpectedRouting): string[] {
  const out: string[] = [];
  const [gns, gname] = splitNN(e.gateway);
  const where = `routing ${e.gateway} listener ${e.listener}${e.listenerSet ? ` (ListenerSet ${e.listenerSet})` : ''}`;
  const entry: RoutingEntry | undefined = res.routing.find(
    (r) =>
      r.gateway.namespace === gns &&
      r.gateway.name === gname &&
      r.listener === e.listener &&
      (e.listenerSet === undefined || (r.listenerSet !== undefined && `${r.listenerSet.namespace}/${r.listenerSet.name}` === e.listenerSet)),
  );
  if (!entry) return [`${where}: expected a routing entry, found none`];
  if (e.protocol !== undefined && entry.protocol !== e.protocol) out.push(`${where}: expected protocol ${e.protocol}, got ${entry.protocol}`);
  if (e.tlsMode !== undefined && entry.tlsMode !== e.tlsMode) out.push(`${where}: expected tlsMode ${e.tlsMode}, got ${entry.tlsMode}`);
  if (e.listenerAccepted !== undefined && entry.listenerAccepted !== e.listenerAccepted) out.push(`${where}: expected listenerAccepted ${e.listenerAccepted}, got ${entry.listenerAccepted}`);
  if (e.listenerProgrammed !== undefined && entry.listenerProgrammed !== e.listenerProgrammed) out.push(`${where}: expected listenerProgrammed ${e.listenerProgrammed}, got ${entry.listenerProgrammed}`);
  for (const c of e.certificateRefs ?? []) {
    if (!entry.certificateRefs.some((a) => partialEqual(a as unknown as Record<string, unknown>, c))) {
      out.push(`${where}: expected a certificateRef ${JSON.stringify(c)}, got ${JSON.stringify(entry.certificateRefs.map((a) => ({ ...a, chain: undefined })))}`);
    }
  }
  const hostnames = entry.hostnames.map((h) => h.hostname);
  if (e.hostname !== undefined && e.absent) {
    if (hostnames.includes(e.hostname)) out.push(`${where}: expected hostname ${e.hostname} not to be served, got [${hostnames.join(', ')}]`);
    return out;
  }
  let scope = entry.hostnames;
  if (e.hostname !== undefined) {
    scope = entry.hostnames.filter((h) => h.hostname === e.hostname);
    if (scope.length === 0) return [...out, `${where}: expected hostname ${e.hostname}, got [${hostnames.join(', ')}]`];
  }
  if (e.routeOrder !== undefined) {
    const got = scope.flatMap((h) => h.routes.map(routeLabel));
    if (JSON.stringify(got) !== JSON.stringify(e.routeOrder)) out.push(`${where}: expected routes in order [${e.routeOrder.join(', ')}], got [${got.join(', ')}]`);
    got.forEach((label, i) => {
      const r = scope.flatMap((h) => h.routes)[i]!;
      if (r.precedence !== i) out.push(`${where}: ${label} is at position ${i} but has precedence ${r.precedence}`);
    });
  }
  if (e.route === undefined) return out;
  const routes: RoutingRoute[] = scope.flatMap((h) => h.routes).filter((r) => routeLabel(r) === e.route);
  if (e.routeAbsent) {
    if (routes.length) out.push(`${where}: expected ${e.route} not to serve ${e.hostname ?? 'any hostname'}, but it does`);
    return out;
  }
  const all = scope.flatMap((h) => h.routes.map((r) => `${h.hostname}:${routeLabel(r)}`));
  const route = routes[0];
  if (!route) return [...out, `${where}: expected ${e.route} on ${e.hostname ?? 'some hostname'}, got [${all.join(', ')}]`];
  if (e.servesTraffic !== undefined && route.servesTraffic !== e.servesTraffic) out.push(`${where}: expected ${e.route} servesTraffic=${e.servesTraffic}, got ${route.servesTraffic}`);
  if (e.listenerPolicies !== undefined) {
    const got = (entry.policies ?? []).map((p) => `${p.kind} ${p.namespace}/${p.name}`).sort();
    if (JSON.stringify(got) !== JSON.stringify([...e.listenerPolicies].sort())) out.push(`${where}: expected listener policies [${e.listenerPolicies.join(', ')}], got [${got.join(', ')}]`);
  }
  if (e.coverage !== undefined) {
    const rule = e.rule === undefined ? route.rules[0] : route.rules.find((r) => r.index === e.rule);
    const backend = e.coverageBackend === undefined ? undefined : rule?.backends.find((b) => b.name === e.coverageBackend);
    if (e.coverageBackend !== undefined && !backend) out.push(`${where}: expected backend ${e.coverageBackend} in ${e.route}`);
    const got = [...new Set([...(entry.policies ?? []).filter((p) => p.inherited), ...(rule?.policies ?? []), ...(backend?.policies ?? [])].map((p) => `${p.kind} ${p.namespace}/${p.name}`))].sort();
    if (JSON.stringify(got) !== JSON.stringify([...e.coverage].sort())) out.push(`${where}: expected ${e.route} rule ${rule?.index} covered by [${e.coverage.join(', ')}], got [${got.join(', ')}]`);
  }
  if (e.backends === undefined) return out;
  const rule = e.rule === undefined ? route.rules[0] : route.rules.find((r) => r.index === e.rule);
  if (!rule) return [...out, `${where}: expected rule ${e.rule ?? 0} of ${e.route}, got rules [${route.rules.map((r) => r.index).join(', ')}]`];
  if (e.backends.length === 0 && rule.backends.length !== 0) out.push(`${where}: expected rule ${rule.index} to have no backends, got ${rule.backends.length}`);
  const used = new Set<number>();
  for (const b of e.backends) {
    const i = rule.backends.findIndex((a, idx) => !used.has(idx) && partialEqual(a as unknown as Record<string, unknown>, b as Record<string, unknown>));
    if (i < 0) {
      out.push(
        `${where}: expected in ${e.route} rule ${rule.index} a backend ${JSON.stringify(b)}, got ${JSON.stringify(
          rule.backends.map((a) => ({ namespace: a.namespace, name: a.name, port: a.port, weight: a.weight, percent: a.percent, valid: a.valid, reason: a.reason, crossNamespace: a.crossNamespace, referenceGrant: a.referenceGrant, backendTLSPolicy: a.backendTLSPolicy })),
        )}`,
      );
    } else used.add(i);
  }
  return out;
}

/** Every way `res` fails the expectation `e` (empty when it satisfies it). */
export function checkExpectation(res: Resolution, e: Expectation): string[] {
  const out: string[] = [];
  for (const gc of e.gatewayClasses ?? []) {
    const a = res.gatewayClasses.find((x) => x.name === gc.name);
    if (gc.absent) {
      if (a) out.push(`GatewayClass ${gc.name}: expected no status, got one`);
      continue;
    }
    if (!a) {
      out.push(`GatewayClass ${gc.name}: expected status, found none`);
      continue;
    }
    out.push(...checkConditions(`GatewayClass ${gc.name}`, a.conditions, gc.conditions));
  }
  for (const g of e.gateways ?? []) {
    const where = `Gateway ${g.namespace}/${g.name}`;
    const a = res.gateways.find((x) => x.namespace === g.namespace && x.name === g.name);
    if (g.absent) {
      if (a) out.push(`${where}: expected no status, got one`);
      continue;
    }
    if (!a) {
      out.push(`${where}: expected status, found none`);
      continue;
    }
    out.push(...checkConditions(where, a.conditions, g.conditions));
    if (g.listenersExact && g.listeners && a.listeners.length !== g.listeners.length) {
      out.push(`${where}: expected exactly ${g.listeners.length} listener statuses, got ${a.listeners.length}`);
    }
    for (const l of g.listeners ?? []) {
      const al = a.listeners.find((x) => x.name === l.name);
      if (!al) out.push(`${where} listener ${l.name}: expected status, found none`);
      else out.push(...checkListener(`${where} listener ${l.name}`, al, l));
    }
  }
  for (const r of e.routes ?? []) {
    const where = `${r.kind} ${r.namespace}/${r.name}`;
    const a: RouteResolution | undefined = res.routes.find((x) => x.kind === r.kind && x.namespace === r.namespace && x.name === r.name);
    if (r.absent) {
      if (a) out.push(`${where}: expected no status (no handled parent), got ${a.parents.length} parent entries`);
      continue;
    }
    if (!a) {
      out.push(`${where}: expected status, found none`);
      continue;
    }
    if (r.parentsExactCount !== undefined && a.parents.length !== r.parentsExactCount) {
      out.push(`${where}: expected ${r.parentsExactCount} parent entries, got ${a.parents.length}`);
    }
    if (!r.parent) continue;
    const p = r.parent;
    const pw = `${where} parent ${p.kind ?? 'Gateway'} ${p.namespace}/${p.name}${p.sectionName ? '#' + p.sectionName : ''}${p.port ? ':' + p.port : ''}`;
    const entries = a.parents.filter(
      (x) =>
        x.parentRef.name === p.name &&
        (x.parentRef.namespace === undefined || x.parentRef.namespace === p.namespace) &&
        (p.kind === undefined || x.parentRef.kind === p.kind) &&
        (p.sectionName === undefined || x.parentRef.sectionName === p.sectionName) &&
        (p.port === undefined || x.parentRef.port === p.port),
    );
    if (r.noEntry) {
      if (entries.length) out.push(`${pw}: expected no parent entry, got ${entries.length}`);
      continue;
    }
    if (entries.length === 0) {
      out.push(`${pw}: expected a parent entry, got [${a.parents.map((x) => JSON.stringify(x.parentRef)).join(', ')}]`);
      continue;
    }
    const problems = entries.map((x) => {
      const errs = checkConditions(pw, x.conditions, r.conditions);
      if (r.parentRef && JSON.stringify(sortKeys(x.parentRef)) !== JSON.stringify(sortKeys(r.parentRef))) {
        errs.push(`${pw}: expected parentRef ${JSON.stringify(sortKeys(r.parentRef))}, got ${JSON.stringify(sortKeys(x.parentRef))}`);
      }
      const ctl = r.controllerName ?? CONTROLLER;
      if (x.controllerName !== ctl) errs.push(`${pw}: expected controllerName ${ctl}, got ${x.controllerName}`);
      return errs;
    });
    if (!problems.some((errs) => errs.length === 0)) out.push(...problems[0]!);
  }
  for (const ls of e.listenerSets ?? []) {
    const [gns, gname] = splitNN(ls.gateway);
    const where = `ListenerSet ${ls.namespace}/${ls.name} on Gateway ${ls.gateway}`;
    const g = res.gateways.find((x) => x.namespace === gns && x.name === gname);
    const a = g?.listenerSets?.find((x) => x.namespace === ls.namespace && x.name === ls.name);
    if (!a) {
      out.push(`${where}: expected status, found none`);
      continue;
    }
    out.push(...checkConditions(where, a.conditions, ls.conditions));
    for (const l of ls.listeners ?? []) {
      const al = a.listeners.find((x) => x.name === l.name);
      if (!al) out.push(`${where} listener ${l.name}: expected status, found none`);
      else out.push(...checkListener(`${where} listener ${l.name}`, al, l));
    }
  }
  for (const bp of e.backendTLSPolicies ?? []) {
    const [gns, gname] = splitNN(bp.gateway);
    const where = `BackendTLSPolicy ${bp.namespace}/${bp.name} ancestor Gateway ${bp.gateway}`;
    const g = res.gateways.find((x) => x.namespace === gns && x.name === gname);
    const a = g?.backendTLSPolicies?.find((x) => x.namespace === bp.namespace && x.name === bp.name);
    if (!a) {
      out.push(`${where}: expected status, found none`);
      continue;
    }
    out.push(...checkConditions(where, a.conditions, bp.conditions));
  }
  for (const r of e.routing ?? []) out.push(...checkRouting(res, r));
  for (const ip of e.inferencePools ?? []) {
    const where = `InferencePool ${ip.namespace}/${ip.name}`;
    const a = (res.inferencePools ?? []).find((x) => x.namespace === ip.namespace && x.name === ip.name && (ip.group === undefined || x.group === ip.group));
    if (ip.noParents) {
      if (a && a.parents.length > 0) out.push(`${where}: expected no parents, got ${a.parents.map((x) => `${x.parentRef.namespace}/${x.parentRef.name}`).join(', ')}`);
      continue;
    }
    if (!a) {
      out.push(`${where}: expected status, found none`);
      continue;
    }
    if (ip.parentsExactCount !== undefined && a.parents.length !== ip.parentsExactCount) out.push(`${where}: expected ${ip.parentsExactCount} parents, got ${a.parents.length}`);
    for (const pe of ip.parents ?? []) {
      const [gns, gname] = splitNN(pe.gateway);
      const entry = a.parents.find((x) => x.parentRef.namespace === gns && x.parentRef.name === gname);
      if (!entry) {
        out.push(`${where}: expected a parent entry for Gateway ${pe.gateway}, got [${a.parents.map((x) => `${x.parentRef.namespace}/${x.parentRef.name}`).join(', ')}]`);
        continue;
      }
      out.push(...checkConditions(`${where} parent ${pe.gateway}`, entry.conditions, pe.conditions));
      const ctl = pe.controllerName ?? CONTROLLER;
      if (entry.controllerName !== ctl) out.push(`${where} parent ${pe.gateway}: expected controllerName ${ctl}, got ${entry.controllerName}`);
    }
  }
  for (const pe of e.policies ?? []) {
    const where = `${pe.kind} ${pe.namespace}/${pe.name}`;
    const a = (res.policies ?? []).find((x) => x.kind === pe.kind && x.namespace === pe.namespace && x.name === pe.name);
    if (pe.absent) {
      if (a) out.push(`${where}: expected not to be recognised as a policy, but it is`);
      continue;
    }
    if (!a) {
      out.push(`${where}: expected a policy entry, found none`);
      continue;
    }
    if (pe.mode !== undefined && a.mode !== pe.mode) out.push(`${where}: expected mode ${pe.mode}, got ${a.mode}`);
    if (pe.implementation !== undefined && a.implementation !== pe.implementation) out.push(`${where}: expected implementation ${pe.implementation}, got ${a.implementation}`);
    if (pe.categories !== undefined && JSON.stringify(a.categories) !== JSON.stringify(pe.categories)) out.push(`${where}: expected categories ${JSON.stringify(pe.categories)}, got ${JSON.stringify(a.categories)}`);
    if (pe.secretRefs !== undefined && JSON.stringify(a.secretRefs) !== JSON.stringify(pe.secretRefs)) out.push(`${where}: expected secretRefs ${JSON.stringify(pe.secretRefs)}, got ${JSON.stringify(a.secretRefs)}`);
    for (const t of pe.targets ?? []) {
      if (!a.targets.some((x) => partialEqual(x as unknown as Record<string, unknown>, t))) out.push(`${where}: expected a target ${JSON.stringify(t)}, got ${JSON.stringify(a.targets)}`);
    }
  }
  for (const pk of e.policyKinds ?? []) {
    if (!(res.policyKinds ?? []).some((x) => partialEqual(x as unknown as Record<string, unknown>, pk))) out.push(`policyKinds: expected one matching ${JSON.stringify(pk)}, got ${JSON.stringify(res.policyKinds ?? [])}`);
  }
  for (const f of e.findings ?? []) {
    const ok = res.findings.some(
      (a) =>
        (f.code === undefined || a.code === f.code) &&
        (f.severity === undefined || a.severity === f.severity) &&
        (f.messageContains === undefined || a.message.includes(f.messageContains)) &&
        (f.subjectContains === undefined || (a.subject ?? '').includes(f.subjectContains)),
    );
    if (!ok) out.push(`findings: expected one matching ${JSON.stringify(f)}, got ${JSON.stringify(res.findings.map((a) => `${a.code} ${a.subject ?? ''}: ${a.message}`))}`);
  }
  return out;
}

function sortKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

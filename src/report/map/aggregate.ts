/**
 * The aggregated exposure map, for models above the detail bound: one node per Gateway (per Gateway namespace
 * when there are many), per route namespace and per service type, each with counts, findings and status marks
 * summed; edges carry the number of routing rows between them. Node counts are capped per column (the rest is one
 * `other` node), so the SVG has a fixed size bound whatever the cluster size, and building it is linear in the
 * routing rows. The report's tables keep every row.
 */
import { compareStrings } from '../../model/object.ts';
import type { ReportModel } from '../model.ts';
import type { MapEdge, MapGraph, MapNode, NodeMark } from './graph.ts';
import { caption, COLUMN, legend } from './common.ts';
import { driftTargets, objectsOf, redirectsOf } from './marks.ts';
import { COLORS, serviceTypeColor } from './style.ts';

/** Above this many distinct routes the map aggregates (issue 13: a map of every route at 1k routes was 60,704 px tall). */
export const MAP_DETAIL_MAX_ROUTES = 100;
/** ...or above this many nodes (listeners + routes + backends). */
export const MAP_DETAIL_MAX_NODES = 240;
/** Aggregated map: at most this many nodes per column; the smallest groups are merged into one `other` node. */
export const AGG_MAX_GATEWAY_NODES = 12;
export const AGG_MAX_NAMESPACE_NODES = 20;
export const AGG_MAX_TYPE_NODES = 12;

/**
 * Distinct routes and nodes (listeners + routes + backends) of the detailed map, counted until both exceed
 * `stopAbove` (then the exact figure does not matter: the map aggregates), so the check is cheap on large models.
 */
export function mapNodeCount(m: Pick<ReportModel, 'routing' | 'gateways'>, stopAbove: { routes: number; nodes: number } = { routes: Infinity, nodes: Infinity }): { routes: number; nodes: number } {
  const routes = new Set<string>();
  const backends = new Set<string>();
  const listeners = new Set<string>();
  for (const g of m.gateways) for (const l of g.listeners) listeners.add(`${g.namespace}/${g.name}/${l.name}`);
  for (const r of m.routing) {
    routes.add(`${r.route.kind}/${r.route.namespace}/${r.route.name}`);
    backends.add(`${r.backend.kind}/${r.backend.namespace}/${r.backend.name}`);
    listeners.add(`${r.gateway}/${r.listener}`);
    if (routes.size > stopAbove.routes && routes.size + backends.size + listeners.size > stopAbove.nodes) break;
  }
  return { routes: routes.size, nodes: routes.size + backends.size + listeners.size };
}

interface Group {
  id: string;
  title: string;
  /** Routing rows through the group (its weight when capping). */
  rows: number;
  members: Set<string>;
  findings: number;
  worst: 'error' | 'warning' | undefined;
  marks: Map<NodeMark['kind'], number>;
  extra: Map<string, number>;
}

function newGroup(id: string, title: string): Group {
  return { id, title, rows: 0, members: new Set(), findings: 0, worst: undefined, marks: new Map(), extra: new Map() };
}

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** Keeps the `max - 1` heaviest groups (ties by id) and merges the rest into one `other` group. */
function cap(groups: Map<string, Group>, max: number, otherId: string, otherTitle: (n: number) => string): Map<string, string> {
  const list = [...groups.values()].sort((a, b) => b.rows - a.rows || compareStrings(a.id, b.id));
  const rename = new Map<string, string>();
  if (list.length <= max) return rename;
  const other = newGroup(otherId, '');
  for (const g of list.slice(max - 1)) {
    rename.set(g.id, otherId);
    other.rows += g.rows;
    for (const x of g.members) other.members.add(x);
    other.findings += g.findings;
    if (g.worst === 'error' || (g.worst === 'warning' && other.worst === undefined)) other.worst = g.worst;
    for (const [k, v] of g.marks) bump(other.marks as Map<string, number>, k, v);
    for (const [k, v] of g.extra) bump(other.extra, k, v);
    groups.delete(g.id);
  }
  other.title = otherTitle(list.length - (max - 1));
  groups.set(otherId, other);
  return rename;
}

const MARK_WORDS: Record<string, string> = { drift: 'drift', departure: 'controller departure', stale: 'stale', missing: 'no recorded status' };

function groupNode(g: Group, column: number, cls: string, sub: string, color: string): MapNode {
  const n: MapNode = { id: g.id, cls: `aggregate ${cls}`, column, title: g.title, sub, color, marks: [], tooltip: [] };
  if (g.findings > 0 && g.worst) n.badge = { count: g.findings, worst: g.worst };
  const marks = [...g.marks.entries()].sort((a, b) => compareStrings(a[0], b[0]));
  if (marks.length > 0) {
    n.marks.push({ kind: marks[0]![0], text: `\u2260 recorded status differs: ${marks.map(([k, v]) => `${v} ${MARK_WORDS[k] ?? k}`).join(', ')}` });
  }
  return n;
}

export function aggregateGraph(m: ReportModel): MapGraph {

  // --- Gateways: one node each, or one per namespace when there are many.
  const gwNamespaces = new Set(m.gateways.map((g) => g.namespace));
  for (const r of m.routing) gwNamespaces.add(r.gateway.slice(0, r.gateway.indexOf('/')));
  const allGateways = new Set([...m.gateways.map((g) => `${g.namespace}/${g.name}`), ...m.routing.map((r) => r.gateway)]);
  const byNamespace = allGateways.size > AGG_MAX_GATEWAY_NODES;
  const gwGroupOf = (gw: string): string => (byNamespace ? `ag:${gw.slice(0, gw.indexOf('/'))}` : `ag:${gw}`);
  const gws = new Map<string, Group>();
  const gwCache = new Map<string, Group>();
  const gwGroup = (gw: string): Group => {
    const cached = gwCache.get(gw);
    if (cached) return cached;
    const id = gwGroupOf(gw);
    let g = gws.get(id);
    if (!g) {
      g = newGroup(id, byNamespace ? `Gateways in ${gw.slice(0, gw.indexOf('/'))}` : gw);
      gws.set(id, g);
    }
    g.members.add(gw);
    gwCache.set(gw, g);
    return g;
  };
  for (const g of m.gateways) {
    const gw = `${g.namespace}/${g.name}`;
    const grp = gwGroup(gw);
    bump(grp.extra, 'listeners', g.listeners.length);
    for (const l of g.listeners) {
      bump(grp.extra, `port ${l.protocol} :${l.port}`);
      if (l.public) bump(grp.extra, 'public');
    }
  }

  // --- Route namespaces and service types.
  const nss = new Map<string, Group>();
  const types = new Map<string, Group>();
  // Edges keyed by the group objects (no key strings per row).
  const edgeRows = new Map<Group, Map<Group, { rows: number; flagged: number }>>();
  const edge = (from: Group, to: Group, flagged: boolean): void => {
    let inner = edgeRows.get(from);
    if (!inner) edgeRows.set(from, (inner = new Map()));
    let e = inner.get(to);
    if (!e) inner.set(to, (e = { rows: 0, flagged: 0 }));
    e.rows++;
    if (flagged) e.flagged++;
  };
  // Per row: Map/Set operations on the strings the rows already hold (no key strings built per row).
  const nsOf = new Map<string, Group>();
  const typeOf = new Map<string, Group>();
  const routesIn = new Map<Group, Map<string, Set<string>>>(); // ns group -> kind -> names
  const backendType = new Map<string, Map<string, Group>>(); // backend namespace -> name -> type group
  let routeCount = 0;
  let backendCount = 0;
  for (const r of m.routing) {
    const gg = gwGroup(r.gateway);
    gg.rows++;
    let ns = nsOf.get(r.route.namespace);
    if (!ns) {
      ns = newGroup(`an:${r.route.namespace}`, r.route.namespace);
      nsOf.set(r.route.namespace, ns);
      nss.set(ns.id, ns);
      routesIn.set(ns, new Map());
    }
    ns.rows++;
    const byKind = routesIn.get(ns)!;
    let names = byKind.get(r.route.kind);
    if (!names) byKind.set(r.route.kind, (names = new Set()));
    if (!names.has(r.route.name)) {
      names.add(r.route.name);
      routeCount++;
      bump(ns.extra, r.route.kind);
    }
    let t = typeOf.get(r.serviceType);
    if (!t) {
      t = newGroup(`at:${r.serviceType}`, r.serviceType);
      typeOf.set(r.serviceType, t);
      types.set(t.id, t);
    }
    t.rows++;
    let inNs = backendType.get(r.backend.namespace);
    if (!inNs) backendType.set(r.backend.namespace, (inNs = new Map()));
    if (!inNs.has(r.backend.name)) {
      inNs.set(r.backend.name, t);
      backendCount++;
      bump(t.extra, 'backends');
    }
    if (r.public) bump(t.extra, 'public');
    edge(gg, ns, false);
    edge(ns, t, !r.valid || r.findings.length > 0);
  }

  // Findings, each counted once per group it names (the same code filters as the detailed map's badges).
  for (const f of m.findings) {
    const hit = new Set<Group>();
    for (const o of objectsOf(f)) {
      const k = /^([A-Za-z]+)(?:\.([^/]+))?\/(?:([^/]+)\/)?([^/]+)$/.exec(o);
      if (!k) continue;
      const [, kind, , ns, name] = k;
      if (ns === undefined) continue;
      if (/Route$/.test(kind!)) {
        const g = nsOf.get(ns);
        if (g && (f.code.startsWith('POLICY_ATTACHMENT') || f.code.startsWith('POLICY_UNEXPECTED') || !f.code.startsWith('POLICY_'))) hit.add(g);
      } else if (kind === 'Gateway') {
        if (allGateways.has(`${ns}/${name}`) && !f.code.startsWith('POLICY_SERVICE_TYPE') && !f.code.startsWith('POLICY_HOSTNAME')) hit.add(gwGroup(`${ns}/${name}`));
      } else {
        const g = backendType.get(ns)?.get(name!);
        if (g && !f.code.startsWith('POLICY_ATTACHMENT')) hit.add(g);
      }
    }
    for (const g of hit) {
      g.findings++;
      if (f.severity === 'error') g.worst = 'error';
      else if (g.worst === undefined) g.worst = 'warning';
    }
  }
  for (const rd of redirectsOf(m.findings)) if (allGateways.has(rd.gateway)) bump(gwGroup(rd.gateway).extra, 'redirects');

  // Status marks, summed per group.
  const drift = driftTargets(m.findings, { withText: false });
  let offMap = 0;
  for (const t of drift.targets) {
    if (t.kind === 'Gateway' && allGateways.has(`${t.namespace}/${t.name}`)) bump(gwGroup(`${t.namespace}/${t.name}`).marks as Map<string, number>, t.mark.kind);
    else if (/Route$/.test(t.kind) && nss.has(`an:${t.namespace}`)) bump(nss.get(`an:${t.namespace}`)!.marks as Map<string, number>, t.mark.kind);
    else offMap++;
  }
  const counts = { routes: routeCount, nodes: routeCount + backendCount + [...gws.values()].reduce((a, g) => a + (g.extra.get('listeners') ?? 0), 0) };

  const renameGw = cap(gws, AGG_MAX_GATEWAY_NODES, 'ag:*', (n) => `${n} more Gateway ${byNamespace ? 'namespaces' : 'groups'}`);
  const renameNs = cap(nss, AGG_MAX_NAMESPACE_NODES, 'an:*', (n) => `${n} more route namespaces`);
  const renameT = cap(types, AGG_MAX_TYPE_NODES, 'at:*', (n) => `${n} more service types`);
  const rn = (id: string): string => renameGw.get(id) ?? renameNs.get(id) ?? renameT.get(id) ?? id;

  const nodes: MapNode[] = [];
  for (const g of [...gws.values()].sort((a, b) => compareStrings(a.id, b.id))) {
    const ports = [...g.extra.keys()].filter((k) => k.startsWith('port ')).map((k) => k.slice(5)).sort(compareStrings);
    const sub = [
      byNamespace || g.id === 'ag:*' ? `${g.members.size} Gateway${g.members.size === 1 ? '' : 's'}` : '',
      `${g.extra.get('listeners') ?? 0} listeners`,
      ports.length > 4 ? `${ports.length} protocol/ports` : ports.join(', '),
      g.extra.get('public') ? `${g.extra.get('public')} public` : '',
      g.extra.get('redirects') ? `${g.extra.get('redirects')} HTTP \u21aa HTTPS redirects` : '',
    ].filter(Boolean).join(' \u00b7 ');
    nodes.push(groupNode(g, COLUMN.listener, (g.extra.get('public') ?? 0) > 0 ? 'gateways public' : 'gateways', sub, (g.extra.get('public') ?? 0) > 0 ? COLORS.publicListener : COLORS.listener));
  }
  for (const g of [...nss.values()].sort((a, b) => compareStrings(a.id, b.id))) {
    const kinds = [...g.extra.entries()].sort((a, b) => compareStrings(a[0], b[0])).map(([k, v]) => `${v} ${k}`);
    const n = [...g.extra.values()].reduce((a, b) => a + b, 0);
    nodes.push(groupNode(g, COLUMN.route, 'routes', `${n} route${n === 1 ? '' : 's'}${kinds.length ? ` (${kinds.join(', ')})` : ''}`, COLORS.route));
  }
  for (const g of [...types.values()].sort((a, b) => compareStrings(a.id, b.id))) {
    const nb = g.extra.get('backends') ?? 0;
    const n = groupNode(g, COLUMN.service, `services type-${g.title}`, `${nb} backend${nb === 1 ? '' : 's'}${g.extra.get('public') ? `, ${g.extra.get('public')} rows on public listeners` : ''}`, g.id === 'at:*' ? COLORS.route : serviceTypeColor(g.title));
    n.subColored = true;
    nodes.push(n);
  }

  const merged = new Map<string, { from: string; to: string; rows: number; flagged: number }>();
  for (const [fromGroup, inner] of edgeRows) for (const [toGroup, e] of inner) {
    const from = rn(fromGroup.id);
    const to = rn(toGroup.id);
    const k = `${from}|${to}`;
    const x = merged.get(k) ?? { from, to, rows: 0, flagged: 0 };
    x.rows += e.rows;
    x.flagged += e.flagged;
    merged.set(k, x);
  }
  const edges: MapEdge[] = [...merged.entries()]
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([, e]) => ({
      from: e.from,
      to: e.to,
      // No label: counts are in the nodes and the tooltip, the stroke width grows with the rows (labels would cost
      // ELK a dummy node each and the layout time with it).
      label: [],
      cls: e.flagged ? ['flagged'] : [],
      stroke: e.flagged ? COLORS.bad : COLORS.edge,
      width: Math.min(6, 1 + Math.log10(e.rows + 1) * 1.5),
      tooltip: `${e.rows} routing row${e.rows === 1 ? '' : 's'}${e.flagged ? `, ${e.flagged} with findings or an invalid backend` : ''}`,
    }));

  const cap1 = caption(drift.counts, offMap);
  cap1.push(
    `Aggregated: ${counts.routes} routes and ${counts.nodes} nodes are above the detail bound (${MAP_DETAIL_MAX_ROUTES} routes, ${MAP_DETAIL_MAX_NODES} nodes). ` +
      `One node per ${byNamespace ? 'Gateway namespace' : 'Gateway'}, route namespace and service type, with counts; edge width grows with the routing rows (counts in each edge's tooltip). The routing table below has every row.`,
  );
  return {
    title: 'Exposure map (recomputed routing, aggregated): Gateways, route namespaces, service types',
    caption: cap1,
    headings: { [COLUMN.listener]: byNamespace ? 'Gateways (by namespace)' : 'Gateways', [COLUMN.route]: 'Routes (by namespace)', [COLUMN.service]: 'Backends (by service type)' },
    nodes,
    edges,
    legend: legend(m, { redirects: false, recordedOnly: false }),
    svgClass: 'aggregated',
    layout: 'compact',
  };
}

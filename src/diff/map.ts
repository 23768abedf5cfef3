/**
 * The exposure map of a diff (`gwe diff -o html`): only what changed in the recomputed routing. Exposures
 * (listener -> route -> backend) added in green, removed in red and dashed, weight shifts and moved routes in
 * amber; routes and backends marked added / removed / moved. Drawn by the report's map renderer (ELK layout,
 * escaped labels, deterministic). Bounded: above MAP_DETAIL_MAX_NODES nodes the first changes (in the diff's
 * sorted order) are drawn and the map says how many; the lists in the diff have all of them.
 */
import type { MapEdge, MapGraph, MapNode, NodeMark } from '../report/map/graph.ts';
import { MAP_DETAIL_MAX_NODES } from '../report/map/aggregate.ts';
import { COLUMN } from '../report/map/common.ts';
import { COLORS, serviceTypeColor } from '../report/map/style.ts';
import type { BundleDiff } from './types.ts';

const listenerId = (gateway: string, listener: string): string => `l:${gateway}/${listener}`;
/** `Kind ns/name` -> `r:Kind/ns/name` (the report map's route ids). */
const routeId = (route: string): string => `r:${route.replace(' ', '/')}`;
const backendId = (backend: string): string => `s:${backend}`;

const STYLE = {
  added: { stroke: COLORS.added, width: 2, dash: undefined as string | undefined },
  removed: { stroke: COLORS.removed, width: 2, dash: '6 4' },
  changed: { stroke: COLORS.changed, width: 2, dash: undefined as string | undefined },
};

export function diffMapGraph(d: BundleDiff): MapGraph {
  const nodes = new Map<string, MapNode & { ops: Set<string> }>();
  const edges = new Map<string, MapEdge>();
  let dropped = 0;
  const full = (): boolean => nodes.size >= MAP_DETAIL_MAX_NODES;

  const node = (id: string, make: () => MapNode): (MapNode & { ops: Set<string> }) | undefined => {
    let n = nodes.get(id);
    if (!n) {
      if (full()) return undefined;
      n = { ...make(), ops: new Set() };
      nodes.set(id, n);
    }
    return n;
  };
  const listener = (gateway: string, l: string) =>
    node(listenerId(gateway, l), () => ({ id: listenerId(gateway, l), cls: 'listener', column: COLUMN.listener, title: `${gateway} \u203a ${l}`, sub: '', color: COLORS.listener, marks: [], tooltip: [] }));
  const route = (r: string) => {
    const sp = r.indexOf(' ');
    return node(routeId(r), () => ({ id: routeId(r), cls: 'route', column: COLUMN.route, title: r.slice(sp + 1), sub: r.slice(0, sp), color: COLORS.route, marks: [], tooltip: [] }));
  };
  // A backend known only from a weight shift has no service type in the diff: drawn neutral, without one.
  const backend = (b: string, type: string | undefined) =>
    node(backendId(b), () =>
      type === undefined
        ? { id: backendId(b), cls: 'service', column: COLUMN.service, title: b, sub: '', color: COLORS.route, marks: [], tooltip: [] }
        : { id: backendId(b), cls: `service type-${type}`, column: COLUMN.service, title: b, sub: type, color: serviceTypeColor(type), subColored: true, marks: [], tooltip: [] },
    );
  const edge = (from: string, to: string, op: 'added' | 'removed' | 'changed', label: string, tooltip: string): void => {
    const k = `${from}|${to}|${op}`;
    const e = edges.get(k) ?? { from, to, label: [], cls: [op], ...STYLE[op], tooltip: '' };
    if (!e.label.includes(label)) e.label.push(label);
    e.tooltip = e.tooltip ? `${e.tooltip}; ${tooltip}` : tooltip;
    edges.set(k, e);
  };

  // Exposures added or removed.
  for (const p of d.routing.paths) {
    const l = listener(p.gateway, p.listener);
    const r = route(p.route);
    const b = backend(p.backend, p.serviceType);
    if (!l || !r || !b) {
      dropped++;
      continue;
    }
    l.ops.add(p.op);
    r.ops.add(p.op);
    b.ops.add(p.op);
    edge(l.id, r.id, p.op, p.hostname, `${p.op === 'added' ? 'newly served' : 'no longer served'}: ${p.hostname}`);
    edge(r.id, b.id, p.op, p.serviceType, `${p.op}: ${p.route} -> ${p.backend} (${p.serviceType})`);
  }
  // Weight shifts on kept rules.
  for (const w of d.routing.weightShifts) {
    const r = route(w.route);
    const b = nodes.get(backendId(w.backend)) ?? backend(w.backend, undefined);
    if (!r || !b) {
      dropped++;
      continue;
    }
    r.ops.add('changed');
    b.ops.add('changed');
    edge(r.id, b.id, 'changed', `${w.rule} ${w.oldPercent}% \u2192 ${w.newPercent}%`, `${w.hostname}: weight ${w.oldWeight} -> ${w.newWeight}`);
  }
  // Routes added, removed or moved: their marks, and the listeners they left or joined.
  for (const rc of d.routing.routes) {
    const r = route(rc.route);
    if (!r) {
      dropped++;
      continue;
    }
    const oldK = new Set(rc.oldListeners.map((x) => `${x.gateway}\u0000${x.listener}`));
    const newK = new Set(rc.newListeners.map((x) => `${x.gateway}\u0000${x.listener}`));
    const mark: NodeMark =
      rc.op === 'added'
        ? { kind: 'added', text: '+ serves traffic now (route added or attached)' }
        : rc.op === 'removed'
          ? { kind: 'removed', text: '\u2212 no longer serves traffic' }
          : { kind: 'moved', text: `moved: ${rc.oldListeners.map((x) => `${x.gateway} \u203a ${x.listener}`).join(', ')} \u2192 ${rc.newListeners.map((x) => `${x.gateway} \u203a ${x.listener}`).join(', ')}` };
    r.marks.push(mark);
    if (rc.op === 'removed') r.dashed = true;
    for (const x of rc.oldListeners) {
      if (newK.has(`${x.gateway}\u0000${x.listener}`)) continue;
      const l = listener(x.gateway, x.listener);
      if (l) edge(l.id, r.id, 'removed', 'detached', `${rc.route} no longer attached to ${x.gateway} listener ${x.listener}`);
    }
    for (const x of rc.newListeners) {
      if (oldK.has(`${x.gateway}\u0000${x.listener}`)) continue;
      const l = listener(x.gateway, x.listener);
      if (l) edge(l.id, r.id, 'added', 'attached', `${rc.route} newly attached to ${x.gateway} listener ${x.listener}`);
    }
  }
  // Listeners that newly allow (or no longer allow) namespaces.
  for (const lc of d.listeners) {
    const l = nodes.get(listenerId(lc.gateway, lc.listener));
    if (!l) continue;
    if (lc.newlyAllowed.length > 0) l.marks.push({ kind: 'changed', text: `newly allows routes from ${lc.newlyAllowed.join(', ')}` });
    if (lc.noLongerAllowed.length > 0) l.marks.push({ kind: 'changed', text: `no longer allows ${lc.noLongerAllowed.join(', ')}` });
  }
  // Backends reached only through added (or removed) exposures.
  for (const n of nodes.values()) {
    if (!n.id.startsWith('s:')) continue;
    if (n.ops.size === 1 && n.ops.has('added')) n.marks.push({ kind: 'added', text: '+ newly reached' });
    else if (n.ops.size === 1 && n.ops.has('removed')) {
      n.marks.push({ kind: 'removed', text: '\u2212 no longer reached' });
      n.dashed = true;
    }
  }

  const total = d.routing.paths.length + d.routing.weightShifts.length + d.routing.routes.length;
  const caption = [
    'What changed in the recomputed (predicted) routing between the two captures: only changed exposures, routes and weights are drawn.',
    total === 0
      ? 'No exposure, route attachment or weight changed.'
      : `${d.routing.paths.filter((p) => p.op === 'added').length} exposure(s) added, ${d.routing.paths.filter((p) => p.op === 'removed').length} removed, ` +
        `${d.routing.routes.length} route(s) added/removed/moved, ${d.routing.weightShifts.length} weight shift(s)` +
        (dropped > 0 ? `; the map is bounded at ${MAP_DETAIL_MAX_NODES} nodes and leaves out ${dropped} change(s): the lists below have all of them.` : '.'),
  ];
  const types = new Set([...nodes.values()].filter((n) => n.id.startsWith('s:') && n.sub !== '').map((n) => n.sub));
  return {
    title: 'Exposure map of what changed (recomputed routing): added, removed and moved routes and exposures',
    caption,
    headings: { [COLUMN.listener]: 'Gateways & listeners', [COLUMN.route]: 'Routes', [COLUMN.service]: 'Backends (by service type)' },
    nodes: [...nodes.values()].map((n) => {
      const { ops, ...rest } = n;
      void ops;
      return rest;
    }),
    edges: [...edges.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, e]) => e),
    legend: [
      { label: 'added', kind: 'line', color: COLORS.added },
      { label: 'removed', kind: 'line', color: COLORS.removed, dash: '6 4' },
      { label: 'changed (weights, moves, namespaces)', kind: 'line', color: COLORS.changed },
      ...[...types].sort().map((t) => ({ label: t, kind: 'fill' as const, color: serviceTypeColor(t) })),
    ],
    svgClass: 'diff-map',
  };
}

/**
 * The detailed exposure map of a report model: one node per listener, route and backend; edges carry the
 * hostnames (listener -> route) and the rule weights (route -> backend); HTTP listeners whose hostnames only
 * redirect get a redirect edge to the HTTPS listener (or the external URL) they send clients to; nodes are marked
 * where the recorded status differs from the prediction, and routes that only the recorded status attaches are
 * drawn dashed.
 */
import { GATEWAY_GROUP, refKey } from '../../model/object.ts';
import type { ReportModel, RoutingRow } from '../model.ts';
import type { MapEdge, MapGraph, MapNode } from './graph.ts';
import { badgeOf, driftTargets, FindingIndex, listenerMatches, redirectsOf, type DriftTarget } from './marks.ts';
import { COLORS, serviceTypeColor } from './style.ts';
import { caption, COLUMN, headings, legend } from './common.ts';

/** At most this many hostnames are written on one listener -> route edge (the rest: `+N more`, all in the tooltip). */
const MAX_EDGE_HOSTNAMES = 6;
/** At most this many status marks are written in one node (the rest: `+N more`, all in the tooltip). */
const MAX_NODE_MARKS = 3;

const listenerId = (gateway: string, listener: string): string => `l:${gateway}/${listener}`;
const routeId = (r: { kind: string; namespace: string; name: string }): string => `r:${r.kind}/${r.namespace}/${r.name}`;
const svcId = (r: RoutingRow): string => `s:${r.backend.kind}/${r.backend.namespace}/${r.backend.name}`;

function addMarks(n: MapNode, ts: readonly DriftTarget[]): void {
  ts.forEach((t, i) => {
    if (i < MAX_NODE_MARKS) n.marks.push(t.mark);
    n.tooltip.push(t.message);
  });
  if (ts.length > MAX_NODE_MARKS) n.marks.push({ kind: ts[0]!.mark.kind, text: `+${ts.length - MAX_NODE_MARKS} more status differences (Findings)` });
}

export function detailGraph(m: ReportModel): MapGraph {
  const idx = new FindingIndex(m.findings);
  const nodes = new Map<string, MapNode>();
  const edges = new Map<string, MapEdge & { hosts?: string[] }>();
  const listenersOf = new Map<string, Array<{ id: string; name: string; protocol: string; port: number; hostname?: string }>>();

  // Listeners: every listener of every Gateway, even without routes (an exposed port is evidence too).
  for (const g of m.gateways) {
    const gw = `${g.namespace}/${g.name}`;
    const gwKey = refKey({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: g.namespace, name: g.name });
    for (const l of g.listeners) {
      const id = listenerId(gw, l.name);
      if (nodes.has(id)) continue;
      const fs = idx.of(gwKey, (f) => {
        const ev = f.detail?.evidence as { listener?: string } | undefined;
        const lname = (f.detail?.listener as string | undefined) ?? ev?.listener;
        return lname === l.name && !f.code.startsWith('POLICY_SERVICE_TYPE') && !f.code.startsWith('POLICY_HOSTNAME');
      });
      const n: MapNode = {
        id,
        cls: l.public ? 'listener public' : 'listener',
        column: COLUMN.listener,
        title: `${gw} \u203a ${l.name}`,
        sub: `${l.protocol} :${l.port}${l.hostname ? ` ${l.hostname}` : ''}${l.listenerSet ? ` (${l.listenerSet})` : ''}`,
        color: l.public ? COLORS.publicListener : COLORS.listener,
        marks: [],
        tooltip: [`attachedRoutes (predicted): ${l.attachedRoutes}`],
      };
      if (l.public) n.public = true;
      const b = badgeOf(fs);
      if (b) n.badge = b;
      nodes.set(id, n);
      const list = listenersOf.get(gw) ?? [];
      list.push({ id, name: l.name, protocol: l.protocol, port: l.port, ...(l.hostname !== undefined ? { hostname: l.hostname } : {}) });
      listenersOf.set(gw, list);
    }
  }

  for (const r of m.routing) {
    const lid = listenerId(r.gateway, r.listener);
    if (!nodes.has(lid)) {
      nodes.set(lid, { id: lid, cls: 'listener', column: COLUMN.listener, title: `${r.gateway} \u203a ${r.listener}`, sub: `${r.protocol} :${r.port}`, color: COLORS.listener, marks: [], tooltip: [] });
    }
    const rid = routeId(r.route);
    if (!nodes.has(rid)) {
      const key = refKey({ group: GATEWAY_GROUP, kind: r.route.kind, namespace: r.route.namespace, name: r.route.name });
      const n: MapNode = {
        id: rid,
        cls: 'route',
        column: COLUMN.route,
        title: `${r.route.namespace}/${r.route.name}`,
        sub: `${r.route.kind}${r.servesTraffic ? '' : ' (no traffic)'}`,
        color: COLORS.route,
        marks: [],
        tooltip: [],
      };
      const b = badgeOf(idx.of(key, (f) => f.code.startsWith('POLICY_ATTACHMENT') || f.code.startsWith('POLICY_UNEXPECTED') || !f.code.startsWith('POLICY_')));
      if (b) n.badge = b;
      nodes.set(rid, n);
    }
    const sid = svcId(r);
    if (!nodes.has(sid)) {
      const key = refKey({ group: r.backend.group, kind: r.backend.kind, namespace: r.backend.namespace, name: r.backend.name });
      const n: MapNode = {
        id: sid,
        cls: `service type-${r.serviceType}`,
        column: COLUMN.service,
        title: `${r.backend.namespace}/${r.backend.name}`,
        sub: `${r.backend.kind === 'Service' ? '' : `${r.backend.kind} \u00b7 `}${r.serviceType}`,
        color: serviceTypeColor(r.serviceType),
        subColored: true,
        marks: [],
        tooltip: [],
      };
      const b = badgeOf(idx.of(key, (f) => !f.code.startsWith('POLICY_ATTACHMENT')));
      if (b) n.badge = b;
      nodes.set(sid, n);
    }
    const hk = `${lid}|${rid}`;
    const he = edges.get(hk) ?? { from: lid, to: rid, label: [], cls: [], stroke: COLORS.edge, width: 1.5, tooltip: '', hosts: [] };
    if (!he.hosts!.includes(r.hostname)) he.hosts!.push(r.hostname);
    edges.set(hk, he);
    const bk = `${rid}|${sid}`;
    const e = edges.get(bk) ?? { from: rid, to: sid, label: [], cls: [], stroke: COLORS.edge, width: 1.5, tooltip: '' };
    const label = `r${r.rule} ${r.percent}%`;
    if (!e.label.includes(label)) e.label.push(label);
    if (!r.valid) {
      e.dash = '5 4';
      if (!e.tooltip.includes('invalid backend')) e.tooltip = e.tooltip ? `${e.tooltip}; invalid backend` : 'invalid backend';
    }
    if (!r.valid || r.findings.length > 0) {
      e.cls = ['flagged'];
      e.stroke = COLORS.bad;
      e.width = 2;
      const codes = new Set([...(e.tooltip.match(/\[(.*)\]$/)?.[1]?.split(', ') ?? []), ...r.findings]);
      e.tooltip = `${e.tooltip.replace(/ ?\[.*\]$/, '')}${codes.size ? ` [${[...codes].join(', ')}]` : ''}`.trim();
    }
    edges.set(bk, e);
  }
  for (const e of edges.values()) {
    if (!e.hosts) continue;
    e.label = e.hosts.length > MAX_EDGE_HOSTNAMES ? [...e.hosts.slice(0, MAX_EDGE_HOSTNAMES - 1), `+${e.hosts.length - MAX_EDGE_HOSTNAMES + 1} more hostnames`] : [...e.hosts];
    e.tooltip = e.hosts.join(', ');
  }

  // Redirect edges: HTTP listener -> the HTTPS listener that serves the redirect target (same Gateway first),
  // else an external node for the URL. HTTPRequestRedirectFilter: no port means the scheme's well-known port (443);
  // no status code means 302.
  const redirectSources = new Set<string>();
  for (const rd of redirectsOf(m.findings)) {
    const from = listenerId(rd.gateway, rd.listener);
    if (!nodes.has(from)) continue;
    const host = rd.to.hostname ?? rd.hostname;
    const port = rd.to.port ?? 443;
    const serving = (gw: string) => (listenersOf.get(gw) ?? []).filter((l) => l.protocol === 'HTTPS' && l.port === port && listenerMatches(l.hostname, host));
    let targets = serving(rd.gateway).map((l) => l.id);
    if (targets.length === 0) targets = [...listenersOf.keys()].sort().flatMap((gw) => serving(gw).map((l) => l.id)).slice(0, 1);
    const url = `https://${host === '*' ? '<same host>' : host}${rd.to.port !== undefined ? `:${rd.to.port}` : ''}`;
    if (targets.length === 0) {
      const xid = `x:${url}`;
      if (!nodes.has(xid)) nodes.set(xid, { id: xid, cls: 'external', column: COLUMN.listener, title: url, sub: 'redirect target not served by a captured listener', color: COLORS.redirect, marks: [], tooltip: [] });
      targets = [xid];
    }
    redirectSources.add(from);
    for (const to of targets) {
      const k = `${from}|${to}|redirect`;
      const e = edges.get(k) ?? { from, to, label: [], cls: ['redirect'], stroke: COLORS.redirect, width: 1.5, dash: '2 3', tooltip: '' };
      const line = `${rd.hostname} \u21aa ${url} (${rd.to.statusCode ?? 302})`;
      if (!e.label.includes(line)) e.label.push(line);
      e.tooltip = `${e.label.join('; ')}; redirect only, through ${rd.routes.join(', ')}`;
      edges.set(k, e);
    }
  }
  for (const id of redirectSources) nodes.get(id)!.column = COLUMN.redirectSource;

  // Where the recorded status differs from the prediction.
  const drift = driftTargets(m.findings);
  const byNode = new Map<string, DriftTarget[]>();
  const push = (id: string, t: DriftTarget): void => {
    const l = byNode.get(id) ?? [];
    l.push(t);
    byNode.set(id, l);
  };
  let offMap = 0;
  for (const t of drift.targets) {
    const gw = `${t.namespace}/${t.name}`;
    if (t.kind === 'Gateway') {
      const ls = listenersOf.get(gw) ?? [];
      if (t.listener !== undefined) {
        const l = ls.find((x) => x.name === t.listener);
        if (l) push(l.id, t);
        else offMap++;
      } else if (ls.length > 0) {
        for (const l of ls) push(l.id, t);
      } else offMap++;
      continue;
    }
    if (/Route$/.test(t.kind)) {
      const rid = routeId({ kind: t.kind, namespace: t.namespace, name: t.name });
      if (!nodes.has(rid) && t.mark.kind !== 'drift') {
        // A route the prediction attaches without a routing row (e.g. redirect-only rules): not drawn.
        offMap++;
        continue;
      }
      if (!nodes.has(rid)) {
        // Attached only in the recorded status (or a route without backends): drawn dashed, linked to its parent.
        nodes.set(rid, {
          id: rid,
          cls: 'route recorded-only',
          column: COLUMN.route,
          title: `${t.namespace}/${t.name}`,
          sub: `${t.kind} \u00b7 not in the predicted routing`,
          color: COLORS.drift,
          marks: [],
          tooltip: [],
          dashed: true,
        });
      }
      if (t.parent && t.parent.kind === 'Gateway' && nodes.get(rid)!.cls.includes('recorded-only')) {
        const ls = (listenersOf.get(`${t.parent.namespace}/${t.parent.name}`) ?? []).filter((l) => (t.parent!.sectionName === undefined || l.name === t.parent!.sectionName) && (t.parent!.port === undefined || l.port === t.parent!.port));
        for (const l of ls) {
          const k = `${l.id}|${rid}|recorded`;
          if (!edges.has(k)) edges.set(k, { from: l.id, to: rid, label: ['recorded only'], cls: ['recorded'], stroke: COLORS.drift, width: 1.5, dash: '6 4', tooltip: 'attached in the recorded status, not in the prediction' });
        }
      }
      push(rid, t);
      continue;
    }
    offMap++;
  }
  for (const [id, ts] of byNode) addMarks(nodes.get(id)!, ts);

  const sortedNodes = [...nodes.values()];
  const sortedEdges: MapEdge[] = [...edges.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, e]) => ({ from: e.from, to: e.to, label: e.label, cls: e.cls, stroke: e.stroke, width: e.width, ...(e.dash !== undefined ? { dash: e.dash } : {}), tooltip: e.tooltip }));
  return {
    title: 'Exposure map (recomputed routing): Gateways and listeners, routes, services',
    caption: caption(drift.counts, offMap),
    headings: headings(redirectSources.size > 0),
    nodes: sortedNodes,
    edges: sortedEdges,
    legend: legend(m, { redirects: redirectSources.size > 0, recordedOnly: sortedNodes.some((n) => n.dashed === true) }),
  };
}

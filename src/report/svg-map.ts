/**
 * The exposure map: an inline SVG graph, Gateways & listeners -> routes -> services, laid out in three columns
 * by us (deterministic: nodes ordered by the barycentre of their parents, ties by name). Services are coloured
 * by service type; edges carry the rule weights; nodes with findings are outlined and badged. Pure string output.
 */
import { escapeText } from '../model/display.ts';
import { GATEWAY_GROUP, refKey } from '../model/object.ts';
import type { BuiltInServiceType, ServiceType } from '../policy/types.ts';
import type { ReportFinding, ReportModel, RoutingRow } from './model.ts';

/** Colours of the built-in types; a type the policy declares gets CUSTOM_TYPE_COLOR (serviceTypeColor). */
export const SERVICE_TYPE_COLORS: Record<BuiltInServiceType, string> = {
  'public-model-endpoint': '#2563eb',
  'internal-inference': '#7c3aed',
  'agent-tool-gateway': '#0891b2',
  evaluation: '#b45309',
  retrieval: '#15803d',
  admin: '#dc2626',
  unclassified: '#6b7280',
};

export const CUSTOM_TYPE_COLOR = '#475569';

export function serviceTypeColor(t: ServiceType): string {
  return (SERVICE_TYPE_COLORS as Record<string, string>)[t] ?? CUSTOM_TYPE_COLOR;
}

/**
 * HTML text and attribute escaping. Controls, bidi overrides and other format characters are first made
 * visible (src/model/display.ts): a numeric character reference would still render them (issue 8 item 2).
 */
export function esc(s: string): string {
  return escapeText(s, { keepLines: true }).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}\u2026`;
}

interface Node {
  id: string;
  col: 0 | 1 | 2;
  title: string;
  sub: string;
  color: string;
  findings: ReportFinding[];
  y: number;
  order: number;
  cls: string;
  extra?: string;
}

const COL_X = [16, 436, 856];
const NODE_W = 260;
const NODE_H = 46;
const GAP = 14;
const TOP = 48;

/**
 * The objects a finding names. Info findings and findings restated by a policy finding (the same fact, shown
 * under it in the Findings table) name nothing here, so a node's badge counts each error/warning fact once.
 */
function objectsOf(f: ReportFinding): Set<string> {
  if (f.severity === 'info' || (f.restatedBy ?? []).length > 0) return new Set();
  return new Set([f.subject ?? '', ...((f.detail?.objects as unknown[] | undefined) ?? []).map(String)]);
}

export function renderExposureMap(m: ReportModel): string {
  const nodes = new Map<string, Node>();
  const edges = new Map<string, { from: string; to: string; labels: string[]; bad: boolean; codes: Set<string> }>();
  const listenerId = (r: { gateway: string; listener: string }): string => `l:${r.gateway}/${r.listener}`;
  const routeId = (r: RoutingRow): string => `r:${r.route.kind}/${r.route.namespace}/${r.route.name}`;
  const svcId = (r: RoutingRow): string => `s:${r.backend.kind}/${r.backend.namespace}/${r.backend.name}`;

  // Listeners: every listener of every Gateway, even without routes (an exposed port is evidence too).
  let order = 0;
  for (const g of m.gateways) {
    for (const l of g.listeners) {
      const id = listenerId({ gateway: `${g.namespace}/${g.name}`, listener: l.name });
      const gwKey = refKey({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: g.namespace, name: g.name });
      const fs = m.findings.filter((f) => {
        const o = objectsOf(f);
        const ev = f.detail?.evidence as { listener?: string } | undefined;
        const lname = (f.detail?.listener as string | undefined) ?? ev?.listener;
        return o.has(gwKey) && lname === l.name && !f.code.startsWith('POLICY_SERVICE_TYPE') && !f.code.startsWith('POLICY_HOSTNAME');
      });
      nodes.set(id, {
        id,
        col: 0,
        title: `${g.namespace}/${g.name} \u203a ${l.name}`,
        sub: `${l.protocol} :${l.port}${l.hostname ? ` ${l.hostname}` : ''}`,
        color: l.public ? '#b91c1c' : '#334155',
        findings: fs,
        y: 0,
        order: order++,
        cls: l.public ? 'listener public' : 'listener',
      });
    }
  }
  for (const r of m.routing) {
    const lid = listenerId(r);
    if (!nodes.has(lid)) {
      nodes.set(lid, { id: lid, col: 0, title: `${r.gateway} \u203a ${r.listener}`, sub: `${r.protocol} :${r.port}`, color: '#334155', findings: [], y: 0, order: order++, cls: 'listener' });
    }
    const rid = routeId(r);
    if (!nodes.has(rid)) {
      const key = refKey({ group: GATEWAY_GROUP, kind: r.route.kind, namespace: r.route.namespace, name: r.route.name });
      nodes.set(rid, {
        id: rid,
        col: 1,
        title: `${r.route.namespace}/${r.route.name}`,
        sub: `${r.route.kind}${r.servesTraffic ? '' : ' (no traffic)'}`,
        color: '#475569',
        findings: m.findings.filter((f) => objectsOf(f).has(key) && (f.code.startsWith('POLICY_ATTACHMENT') || f.code.startsWith('POLICY_UNEXPECTED') || !f.code.startsWith('POLICY_'))),
        y: 0,
        order: 0,
        cls: 'route',
      });
    }
    const sid = svcId(r);
    if (!nodes.has(sid)) {
      const key = refKey({ group: r.backend.group, kind: r.backend.kind, namespace: r.backend.namespace, name: r.backend.name });
      nodes.set(sid, {
        id: sid,
        col: 2,
        title: `${r.backend.namespace}/${r.backend.name}`,
        sub: `${r.backend.kind === 'Service' ? '' : `${r.backend.kind} \u00b7 `}${r.serviceType}`,
        color: serviceTypeColor(r.serviceType),
        findings: m.findings.filter((f) => objectsOf(f).has(key) && !f.code.startsWith('POLICY_ATTACHMENT')),
        y: 0,
        order: 0,
        cls: `service type-${r.serviceType}`,
      });
    }
    const hostEdge = `${lid}|${rid}`;
    const he = edges.get(hostEdge) ?? { from: lid, to: rid, labels: [], bad: false, codes: new Set<string>() };
    if (!he.labels.includes(r.hostname)) he.labels.push(r.hostname);
    edges.set(hostEdge, he);
    const be = `${rid}|${sid}`;
    const e = edges.get(be) ?? { from: rid, to: sid, labels: [], bad: false, codes: new Set<string>() };
    const label = `${r.percent}%`;
    if (!e.labels.includes(`r${r.rule} ${label}`)) e.labels.push(`r${r.rule} ${label}`);
    if (!r.valid) e.bad = true;
    for (const c of r.findings) e.codes.add(c);
    edges.set(be, e);
  }

  // Layout: column 0 in listener order; columns 1 and 2 by barycentre of their incoming edges.
  const col = (c: number): Node[] => [...nodes.values()].filter((n) => n.col === c);
  const place = (list: Node[]): void => {
    list.forEach((n, i) => {
      n.order = i;
      n.y = TOP + i * (NODE_H + GAP);
    });
  };
  place(col(0).sort((a, b) => a.order - b.order));
  for (const c of [1, 2]) {
    const list = col(c);
    const bary = new Map<string, number>();
    for (const n of list) {
      const ins = [...edges.values()].filter((e) => e.to === n.id).map((e) => nodes.get(e.from)!.order);
      bary.set(n.id, ins.length ? ins.reduce((a, b) => a + b, 0) / ins.length : 0);
    }
    list.sort((a, b) => bary.get(a.id)! - bary.get(b.id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    place(list);
  }
  const rows = Math.max(1, ...[0, 1, 2].map((c) => col(c).length));
  const height = TOP + rows * (NODE_H + GAP) + 56;
  const width = COL_X[2]! + NODE_W + 16;

  const out: string[] = [];
  out.push(
    `<svg class="exposure-map" role="img" aria-labelledby="map-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="map-title">Exposure map: Gateways and listeners, routes, services</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker>` +
      `<marker id="arrow-bad" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#dc2626"/></marker></defs>`,
  );
  const heads = ['Gateways & listeners', 'Routes', 'Services (by service type)'];
  heads.forEach((h, i) => out.push(`<text class="col-head" x="${COL_X[i]}" y="24" font-weight="700" font-size="13" fill="#0f172a">${esc(h)}</text>`));

  // Edges first (under the nodes).
  const sortedEdges = [...edges.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [, e] of sortedEdges) {
    const a = nodes.get(e.from)!;
    const b = nodes.get(e.to)!;
    const x1 = COL_X[a.col]! + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = COL_X[b.col]!;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const flagged = e.bad || e.codes.size > 0;
    const stroke = flagged ? '#dc2626' : '#94a3b8';
    const label = b.col === 2 ? e.labels.join(' \u00b7 ') : e.labels.join(', ');
    out.push(
      `<g class="edge${flagged ? ' flagged' : ''}" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><title>${esc(`${a.title} -> ${b.title}: ${label}${e.bad ? ' (invalid backend)' : ''}${e.codes.size ? ` [${[...e.codes].join(', ')}]` : ''}`)}</title>` +
        `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}" fill="none" stroke="${stroke}" stroke-width="${flagged ? 2 : 1.5}"${e.bad ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#${flagged ? 'arrow-bad' : 'arrow'})"/>` +
        // Hostnames sit at the route end (one route rarely has many listeners); weights at the middle.
        (b.col === 1
          ? `<text class="edge-label" x="${x2 - 10}" y="${y2 - 6}" text-anchor="end" `
          : `<text class="edge-label" x="${mx}" y="${(y1 + y2) / 2 - 4}" text-anchor="middle" `) +
        `font-size="10" fill="${flagged ? '#b91c1c' : '#334155'}" paint-order="stroke" stroke="#ffffff" stroke-width="3">${esc(clip(label, b.col === 1 ? 30 : 40))}</text></g>`,
    );
  }
  for (const n of [...nodes.values()].sort((a, b) => a.col - b.col || a.order - b.order)) {
    const x = COL_X[n.col]!;
    const flagged = n.findings.length > 0;
    const worst = n.findings.some((f) => f.severity === 'error') ? 'error' : n.findings.length ? 'warning' : '';
    out.push(
      `<g class="node ${n.cls}${flagged ? ` flagged ${worst}` : ''}" data-id="${esc(n.id)}"><title>${esc(`${n.title}\n${n.sub}${flagged ? `\n${n.findings.map((f) => `${f.severity}: ${f.code}`).join('\n')}` : ''}`)}</title>` +
        `<rect x="${x}" y="${n.y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="#ffffff" stroke="${flagged ? (worst === 'error' ? '#dc2626' : '#d97706') : '#cbd5e1'}" stroke-width="${flagged ? 2.5 : 1}"/>` +
        `<rect x="${x}" y="${n.y}" width="8" height="${NODE_H}" rx="3" fill="${n.color}"/>` +
        `<text x="${x + 16}" y="${n.y + 19}" font-weight="600" fill="#0f172a">${esc(clip(n.title, 34))}</text>` +
        `<text x="${x + 16}" y="${n.y + 36}" fill="${n.col === 2 ? n.color : '#475569'}" font-size="11">${esc(clip(n.sub, n.cls === 'listener public' ? 32 : 40))}</text>` +
        (n.cls === 'listener public'
          ? `<text class="public-mark" x="${x + NODE_W - 8}" y="${n.y + 38}" text-anchor="end" font-size="10" font-weight="700" fill="#b91c1c">PUBLIC</text>`
          : '') +
        (flagged
          ? `<g class="badge"><circle cx="${x + NODE_W - 14}" cy="${n.y + 14}" r="10" fill="${worst === 'error' ? '#dc2626' : '#d97706'}"/><text x="${x + NODE_W - 14}" y="${n.y + 18}" text-anchor="middle" font-size="11" font-weight="700" fill="#ffffff">${n.findings.length}</text></g>`
          : '') +
        `</g>`,
    );
  }
  // Legend
  const ly = height - 30;
  let lx = 16;
  out.push(`<g class="legend">`);
  for (const [t, c] of Object.entries(SERVICE_TYPE_COLORS)) {
    out.push(`<rect x="${lx}" y="${ly}" width="12" height="12" rx="2" fill="${c}"/><text x="${lx + 16}" y="${ly + 10}" font-size="11" fill="#334155">${esc(t)}</text>`);
    lx += 22 + t.length * 6.4;
  }
  out.push(
    `<rect x="${lx}" y="${ly}" width="12" height="12" rx="2" fill="#ffffff" stroke="#dc2626" stroke-width="2.5"/><text x="${lx + 16}" y="${ly + 10}" font-size="11" fill="#334155">has findings</text>`,
    `</g>`,
  );
  out.push('</svg>');
  return out.join('\n');
}

/**
 * Draws a MapGraph as one inline SVG: nodes are sized to their (wrapped, never clipped) text, then ELK's layered
 * algorithm places nodes, routes edges orthogonally and places edge labels so that nothing overlaps (layout.ts).
 * Columns are ELK partitions. Every string is escaped. Pure: the same graph gives byte-identical SVG.
 */
import { layoutGraph, type ElkEdge, type ElkGraph, type ElkNode } from './layout.ts';
import type { MapEdge, MapGraph, MapNode, NodeMark } from './graph.ts';
import { COLORS, esc } from './style.ts';
import { textWidth, wrapText } from './text.ts';

const TITLE_FS = 12;
const SUB_FS = 11;
const MARK_FS = 10.5;
const LABEL_FS = 10;
const TITLE_LH = 15;
const SUB_LH = 14;
const MARK_LH = 13;
const LABEL_LH = 12;
const NODE_MIN_W = 200;
/** Text wraps at this width inside a node; node width = text + padding. */
const NODE_TEXT_MAX = 300;
const LABEL_TEXT_MAX = 260;
const PAD_L = 16;
const PAD_R = 12;
const BADGE_W = 26;
const PUBLIC_W = 48;
const MARGIN = 16;
const CAPTION_FS = 12;
const CAPTION_LH = 16;
const HEADING_H = 24;

/** Pixels are written with at most one decimal, so output does not depend on float printing details. */
function px(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

interface Sized {
  node: MapNode;
  title: string[];
  sub: string[];
  marks: Array<{ mark: NodeMark; lines: string[] }>;
  width: number;
  height: number;
}

const MARK_COLOR: Record<NodeMark['kind'], string> = {
  drift: COLORS.drift,
  departure: COLORS.drift,
  stale: COLORS.drift,
  missing: COLORS.drift,
  added: COLORS.added,
  removed: COLORS.removed,
  changed: COLORS.changed,
  moved: COLORS.changed,
};

function sizeNode(n: MapNode): Sized {
  const right = (n.badge ? BADGE_W : 0) + 4;
  const title = wrapText(n.title, NODE_TEXT_MAX - right, TITLE_FS, true);
  const sub = n.sub === '' ? [] : wrapText(n.sub, NODE_TEXT_MAX - (n.public ? PUBLIC_W : 0), SUB_FS);
  const marks = n.marks.map((mark) => ({ mark, lines: wrapText(mark.text, NODE_TEXT_MAX, MARK_FS, true) }));
  const widest = Math.max(
    ...title.map((l) => textWidth(l, TITLE_FS, true) + right),
    ...sub.map((l) => textWidth(l, SUB_FS) + (n.public ? PUBLIC_W : 0)),
    ...marks.flatMap((m) => m.lines.map((l) => textWidth(l, MARK_FS, true))),
    0,
  );
  const width = Math.max(NODE_MIN_W, PAD_L + widest + PAD_R);
  const lines = title.length * TITLE_LH + sub.length * SUB_LH + marks.reduce((a, m) => a + m.lines.length * MARK_LH, 0);
  const height = Math.max(46, 12 + lines + 10);
  return { node: n, title, sub, marks, width, height };
}

/** Tooltip text: escaped, newlines as character references so that each node and edge stays on one line. */
function tipText(s: string): string {
  return esc(s).replace(/\r?\n/g, '&#10;');
}

function edgeId(i: number): string {
  return `e${i}`;
}

export interface RenderedMap {
  svg: string;
  width: number;
  height: number;
}

/** Lays out and draws the graph. */
export function renderMapGraph(g: MapGraph): RenderedMap {
  const compact = g.layout === 'compact';
  const sized = new Map<string, Sized>();
  for (const n of g.nodes) sized.set(n.id, sizeNode(n));
  const edges = g.edges.filter((e) => sized.has(e.from) && sized.has(e.to) && e.from !== e.to);
  const labelLines = edges.map((e) => e.label.flatMap((l) => wrapText(l, LABEL_TEXT_MAX, LABEL_FS)));

  const elkNodes: ElkNode[] = [...sized.values()].map((s) => ({
    id: s.node.id,
    width: s.width,
    height: s.height,
    layoutOptions: (compact ? { 'elk.alignment': 'LEFT' } : { 'elk.partitioning.partition': String(s.node.column), 'elk.alignment': 'LEFT' }) as Record<string, string>,
  }));
  const elkEdges: ElkEdge[] = edges.map((e, i) => {
    const lines = labelLines[i]!;
    const edge: ElkEdge = { id: edgeId(i), sources: [e.from], targets: [e.to] };
    if (lines.length > 0) {
      edge.labels = [{ text: lines.join('\n'), width: Math.max(...lines.map((l) => textWidth(l, LABEL_FS))) + 6, height: lines.length * LABEL_LH + 2 }];
    }
    return edge;
  });
  const graph: ElkGraph = {
    id: 'map',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.partitioning.activate': compact ? 'false' : 'true',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.edgeLabels.sideSelection': 'ALWAYS_UP',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      // Crossing minimisation is the cost: one sweep pass and no greedy switch keep maps of a few hundred nodes fast.
      'elk.layered.thoroughness': '1',
      'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.spacing.edgeNodeBetweenLayers': '16',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
      'elk.spacing.nodeNode': '14',
      'elk.spacing.edgeNode': '10',
      'elk.spacing.edgeEdge': '6',
      'elk.spacing.edgeLabel': '3',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      'elk.randomSeed': '1',
    },
    children: elkNodes,
    edges: elkEdges,
  };
  const laid = layoutGraph(graph);
  const pos = new Map<string, ElkNode>();
  for (const c of laid.children) pos.set(c.id, c);

  const innerW = Math.max(laid.width ?? 0, 640);
  const width = Math.ceil(innerW + 2 * MARGIN);
  const caption = g.caption.flatMap((c, i) => wrapText(c, width - 2 * MARGIN, CAPTION_FS, i === 0).map((text) => ({ text, bold: i === 0 })));
  const top = MARGIN + caption.length * CAPTION_LH + 8 + HEADING_H;

  // Legend rows, wrapped to the width.
  const legendRows: Array<Array<{ x: number; item: MapGraph['legend'][number] }>> = [[]];
  let lx = 0;
  for (const item of g.legend) {
    const w = 20 + textWidth(item.label, 11) + 18;
    if (lx + w > width - 2 * MARGIN && lx > 0) {
      legendRows.push([]);
      lx = 0;
    }
    legendRows[legendRows.length - 1]!.push({ x: lx, item });
    lx += w;
  }
  const legendTop = top + (laid.height ?? 0) + 24;
  const height = Math.ceil(legendTop + legendRows.length * 18 + MARGIN);

  const X = (x: number | undefined): number => MARGIN + (x ?? 0);
  const Y = (y: number | undefined): number => top + (y ?? 0);

  const out: string[] = [];
  out.push(
    `<svg class="exposure-map${g.svgClass ? ` ${esc(g.svgClass)}` : ''}" role="img" aria-labelledby="map-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="map-title">${esc(g.title)}</title>`,
    `<defs>` +
      [
        ['arrow', COLORS.edge],
        ['arrow-bad', COLORS.bad],
        ['arrow-redirect', COLORS.redirect],
        ['arrow-drift', COLORS.drift],
        ['arrow-added', COLORS.added],
      ]
        .map(([id, c]) => `<marker id="${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`)
        .join('') +
      `</defs>`,
  );
  out.push(`<g class="caption">`);
  caption.forEach((c, i) => {
    out.push(`<text x="${MARGIN}" y="${MARGIN + 12 + i * CAPTION_LH}" font-size="${CAPTION_FS}"${c.bold ? ' font-weight="700"' : ''} fill="${c.bold ? COLORS.ink : COLORS.muted}">${esc(c.text)}</text>`);
  });
  out.push(`</g>`);

  // Column headings at the left edge of each column's nodes.
  const colX = new Map<number, number>();
  for (const s of sized.values()) {
    const x = pos.get(s.node.id)?.x ?? 0;
    const prev = colX.get(s.node.column);
    if (prev === undefined || x < prev) colX.set(s.node.column, x);
  }
  for (const [col, heading] of Object.entries(g.headings).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const x = colX.get(Number(col));
    if (x === undefined) continue;
    out.push(`<text class="col-head" x="${px(X(x))}" y="${px(top - 10)}" font-weight="700" font-size="13" fill="${COLORS.ink}">${esc(heading)}</text>`);
  }

  // Edges first (under the nodes).
  const laidEdges = new Map<string, ElkEdge>();
  for (const e of laid.edges) laidEdges.set(e.id, e);
  edges.forEach((e: MapEdge, i) => {
    const le = laidEdges.get(edgeId(i));
    const sec = le?.sections?.[0];
    if (!sec) return;
    const pts = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint];
    const d = pts.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(X(p.x))},${px(Y(p.y))}`).join(' ');
    const marker = e.cls.includes('redirect') ? 'arrow-redirect' : e.cls.includes('recorded') ? 'arrow-drift' : e.cls.includes('added') ? 'arrow-added' : e.stroke === COLORS.bad ? 'arrow-bad' : 'arrow';
    const from = sized.get(e.from)!.node;
    const to = sized.get(e.to)!.node;
    let s = `<g class="edge${e.cls.length ? ` ${e.cls.join(' ')}` : ''}" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><title>${tipText(`${from.title} -> ${to.title}${e.tooltip ? `: ${e.tooltip}` : ''}`)}</title>`;
    s += `<path d="${d}" fill="none" stroke="${e.stroke}" stroke-width="${e.width}"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''} marker-end="url(#${marker})"/>`;
    const lab = le?.labels?.[0];
    if (lab) {
      const lines = labelLines[i]!;
      lines.forEach((l, k) => {
        s += `<text class="edge-label" x="${px(X(lab.x) + 3)}" y="${px(Y(lab.y) + LABEL_LH * (k + 1) - 2)}" font-size="${LABEL_FS}" fill="${e.stroke === COLORS.edge ? COLORS.listener : e.stroke}" paint-order="stroke" stroke="#ffffff" stroke-width="3">${esc(l)}</text>`;
      });
    }
    out.push(`${s}</g>`);
  });

  // Nodes in column, then vertical order.
  const ordered = [...sized.values()].sort((a, b) => a.node.column - b.node.column || (pos.get(a.node.id)?.y ?? 0) - (pos.get(b.node.id)?.y ?? 0) || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0));
  for (const s of ordered) {
    const n = s.node;
    const p = pos.get(n.id)!;
    const x = X(p.x);
    const y = Y(p.y);
    const flagged = n.badge !== undefined;
    const worst = n.badge?.worst ?? '';
    const markKinds = [...new Set(n.marks.map((m) => m.kind))];
    const cls = `node ${n.cls}${flagged ? ` flagged ${worst}` : ''}${markKinds.map((k) => ` mark-${k}`).join('')}`;
    const tip = [n.title, n.sub, ...n.marks.map((m) => m.text), ...n.tooltip].filter((t) => t !== '').join('\n');
    const outline = flagged ? (worst === 'error' ? COLORS.bad : COLORS.warn) : markKinds.length > 0 ? MARK_COLOR[markKinds[0]!] : COLORS.line;
    let g2 = `<g class="${esc(cls)}" data-id="${esc(n.id)}"><title>${tipText(tip)}</title>`;
    g2 += `<rect x="${px(x)}" y="${px(y)}" width="${px(s.width)}" height="${px(s.height)}" rx="6" fill="#ffffff" stroke="${outline}" stroke-width="${flagged || markKinds.length ? 2.5 : 1}"${n.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
    g2 += `<rect x="${px(x)}" y="${px(y)}" width="8" height="${px(s.height)}" rx="3" fill="${n.color}"/>`;
    let ty = y + 6;
    for (const l of s.title) {
      ty += TITLE_LH;
      g2 += `<text x="${px(x + PAD_L)}" y="${px(ty - 2)}" font-weight="600" fill="${COLORS.ink}">${esc(l)}</text>`;
    }
    for (const l of s.sub) {
      ty += SUB_LH;
      g2 += `<text x="${px(x + PAD_L)}" y="${px(ty - 1)}" fill="${n.subColored ? n.color : COLORS.muted}" font-size="${SUB_FS}">${esc(l)}</text>`;
    }
    for (const m of s.marks) {
      for (const l of m.lines) {
        ty += MARK_LH;
        g2 += `<text class="mark ${m.mark.kind}" x="${px(x + PAD_L)}" y="${px(ty - 1)}" fill="${MARK_COLOR[m.mark.kind]}" font-size="${MARK_FS}" font-weight="700">${esc(l)}</text>`;
      }
    }
    if (n.public) {
      g2 += `<text class="public-mark" x="${px(x + s.width - 8)}" y="${px(y + 6 + s.title.length * TITLE_LH + SUB_LH - 1)}" text-anchor="end" font-size="10" font-weight="700" fill="${COLORS.publicListener}">PUBLIC</text>`;
    }
    if (n.badge) {
      const c = n.badge.worst === 'error' ? COLORS.bad : COLORS.warn;
      g2 += `<g class="badge"><circle cx="${px(x + s.width - 14)}" cy="${px(y + 14)}" r="10" fill="${c}"/><text x="${px(x + s.width - 14)}" y="${px(y + 18)}" text-anchor="middle" font-size="${n.badge.count > 99 ? 8 : 11}" font-weight="700" fill="#ffffff">${n.badge.count > 999 ? '999+' : n.badge.count}</text></g>`;
    }
    out.push(`${g2}</g>`);
  }

  // Legend
  out.push(`<g class="legend">`);
  legendRows.forEach((row, r) => {
    const ly = legendTop + r * 18;
    for (const { x: ox, item } of row) {
      const lx2 = MARGIN + ox;
      if (item.kind === 'fill') out.push(`<rect x="${px(lx2)}" y="${px(ly)}" width="12" height="12" rx="2" fill="${item.color}"/>`);
      else if (item.kind === 'outline') out.push(`<rect x="${px(lx2)}" y="${px(ly)}" width="12" height="12" rx="2" fill="#ffffff" stroke="${item.color}" stroke-width="2.5"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}/>`);
      else out.push(`<line x1="${px(lx2)}" y1="${px(ly + 6)}" x2="${px(lx2 + 14)}" y2="${px(ly + 6)}" stroke="${item.color}" stroke-width="2"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}/>`);
      out.push(`<text x="${px(lx2 + 20)}" y="${px(ly + 10)}" font-size="11" fill="${COLORS.listener}">${esc(item.label)}</text>`);
    }
  });
  out.push(`</g>`, '</svg>');
  return { svg: out.join('\n'), width, height };
}

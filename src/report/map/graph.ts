/**
 * The map as data: nodes in columns (ELK partitions, left to right) and edges, before layout. Builders (detail.ts,
 * aggregate.ts, and the diff map in src/diff/map.ts) produce a MapGraph; svg.ts lays it out and draws it.
 */

/** A mark on a node: where the recorded status differs from the prediction, or how a node changed in a diff. */
export interface NodeMark {
  kind: 'drift' | 'departure' | 'stale' | 'missing' | 'added' | 'removed' | 'changed' | 'moved';
  /** One short line shown in the node box. */
  text: string;
}

export interface MapNode {
  /** Stable id (data-id attribute): `l:` listener, `r:` route, `s:` service, `x:` external, `a…:` aggregate. */
  id: string;
  /** CSS classes after `node` (e.g. `listener public`, `route`, `service type-admin`). */
  cls: string;
  /** Column, left to right (ELK partition). */
  column: number;
  title: string;
  sub: string;
  /** Colour of the side bar (and of the sub line for services). */
  color: string;
  subColored?: boolean;
  /** Public listener: a PUBLIC tag. */
  public?: boolean;
  /** Error/warning findings on the object: the badge shows the count, coloured by the worst. */
  badge?: { count: number; worst: 'error' | 'warning' };
  marks: NodeMark[];
  /** Tooltip (SVG <title>) lines after title and sub. */
  tooltip: string[];
  /** Drawn dashed: the object is only in the recorded status (not in the prediction), or removed in a diff. */
  dashed?: boolean;
}

export interface MapEdge {
  from: string;
  to: string;
  /** Label lines (hostnames, weights, redirect target). */
  label: string[];
  /** CSS classes after `edge` (e.g. `flagged`, `redirect`, `recorded`, `added`, `removed`). */
  cls: string[];
  /** Stroke colour, width and dash (undefined: solid). */
  stroke: string;
  width: number;
  dash?: string;
  tooltip: string;
}

export interface LegendItem {
  label: string;
  /** `fill`: a colour swatch; `outline`: a box outline; `line`: an edge style. */
  kind: 'fill' | 'outline' | 'line';
  color: string;
  dash?: string;
}

export interface MapGraph {
  /** The SVG <title> (accessible name). */
  title: string;
  /** Lines written above the map (what it shows; what is marked). The first is bold. */
  caption: string[];
  /** Column headings by column index. */
  headings: Record<number, string>;
  nodes: MapNode[];
  edges: MapEdge[];
  legend: LegendItem[];
  /** Extra class on the <svg> element (e.g. `aggregated`, `diff-map`). */
  svgClass?: string;
  /**
   * `columns` (default): columns are ELK partitions, so that every node kind keeps its column whatever its edges.
   * `compact`: the graph is already layered by its edges (aggregated maps): no partitions, a cheaper layout.
   */
  layout?: 'columns' | 'compact';
}

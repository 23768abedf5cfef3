/**
 * The exposure map of a report: an inline SVG graph, Gateways & listeners -> routes -> services, laid out by ELK
 * (layout.ts). Small models get the detailed map (detail.ts); above MAP_DETAIL_MAX_ROUTES routes or
 * MAP_DETAIL_MAX_NODES nodes the map aggregates (aggregate.ts) and the detail stays in the report's tables.
 * Pure and deterministic: the same model gives byte-identical SVG.
 */
import type { ReportModel } from '../model.ts';
import { aggregateGraph, MAP_DETAIL_MAX_NODES, MAP_DETAIL_MAX_ROUTES, mapNodeCount } from './aggregate.ts';
import { detailGraph } from './detail.ts';
import { renderMapGraph } from './svg.ts';

export { MAP_DETAIL_MAX_NODES, MAP_DETAIL_MAX_ROUTES } from './aggregate.ts';
export { renderMapGraph } from './svg.ts';
export type { MapGraph, MapNode, MapEdge, NodeMark, LegendItem } from './graph.ts';

export type MapMode = 'detail' | 'aggregated';

/** Which map a model gets: detailed up to the bounds, aggregated above. */
export function mapMode(m: ReportModel): MapMode {
  const c = mapNodeCount(m, { routes: MAP_DETAIL_MAX_ROUTES, nodes: MAP_DETAIL_MAX_NODES });
  return c.routes > MAP_DETAIL_MAX_ROUTES || c.nodes > MAP_DETAIL_MAX_NODES ? 'aggregated' : 'detail';
}

export function renderExposureMap(m: ReportModel): string {
  return renderMapGraph(mapMode(m) === 'detail' ? detailGraph(m) : aggregateGraph(m)).svg;
}

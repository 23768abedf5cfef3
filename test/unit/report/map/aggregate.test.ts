// Issue 13 / issue 10: above the documented bound the map aggregates (one node per Gateway or Gateway namespace,
// route namespace and service type, with counts), and its size is bounded whatever the cluster size.
import { describe, expect, it } from 'vitest';
import type { ReportModel, RoutingRow } from '../../../../src/report/index.ts';
import { AGG_MAX_GATEWAY_NODES, AGG_MAX_NAMESPACE_NODES, AGG_MAX_TYPE_NODES } from '../../../../src/report/map/aggregate.ts';
import { MAP_DETAIL_MAX_NODES, MAP_DETAIL_MAX_ROUTES, mapMode, renderExposureMap } from '../../../../src/report/svg-map.ts';
import { modelOf } from './fixture.ts';
import { labelBoxes, nodeBoxes, nodeLines, overlaps } from './geometry.ts';

const TYPES = ['public-model-endpoint', 'internal-inference', 'retrieval', 'admin', 'unclassified'];

/** A model with `routes` routes spread over `namespaces` namespaces and `gateways` Gateways (each route one row). */
export function bigModel(routes: number, namespaces: number, gateways: number): ReportModel {
  const m = modelOf();
  m.gateways = Array.from({ length: gateways }, (_, g) => ({
    namespace: `gw-ns-${g % 30}`,
    name: `gw-${g}`,
    gatewayClassName: 'gc',
    addresses: [],
    conditions: [],
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', public: g % 2 === 0, accepted: true, programmed: true, attachedRoutes: 0 },
      { name: 'https', port: 443, protocol: 'HTTPS', public: g % 2 === 0, accepted: true, programmed: true, attachedRoutes: 0 },
    ],
  }));
  const rows: RoutingRow[] = [];
  for (let i = 0; i < routes; i++) {
    const g = m.gateways[i % gateways]!;
    const ns = `team-${i % namespaces}`;
    rows.push({
      gateway: `${g.namespace}/${g.name}`,
      listener: 'https',
      port: 443,
      protocol: 'HTTPS',
      public: g.listeners[1]!.public,
      hostname: `r${i}.example.com`,
      route: { kind: i % 7 === 0 ? 'GRPCRoute' : 'HTTPRoute', namespace: ns, name: `route-${i}` },
      rule: 0,
      matches: '*',
      backend: { group: '', kind: 'Service', namespace: ns, name: `svc-${i}`, port: 8080 },
      weight: 1,
      percent: 100,
      valid: i % 101 !== 0,
      crossNamespace: false,
      serviceType: TYPES[i % TYPES.length]!,
      servesTraffic: true,
      findings: [],
    });
  }
  m.routing = rows;
  m.services = [];
  m.findings = m.findings.filter((f) => !f.code.startsWith('STATUS_') && f.code !== 'EXPOSURE_HTTP_REDIRECT');
  return m;
}

describe('exposure map (aggregated)', () => {
  it(`is detailed up to ${MAP_DETAIL_MAX_ROUTES} routes and ${MAP_DETAIL_MAX_NODES} nodes, aggregated above either bound`, () => {
    expect(mapMode(bigModel(MAP_DETAIL_MAX_ROUTES, 10, 2))).toBe('detail'); // 100 routes + 100 backends + 4 listeners
    expect(mapMode(bigModel(90, 10, 40))).toBe('aggregated'); // 90 + 90 + 80 listeners > 240 nodes
    expect(mapMode(bigModel(60, 10, 2))).toBe('detail');
    expect(mapMode(bigModel(MAP_DETAIL_MAX_ROUTES + 1, 10, 2))).toBe('aggregated');
  });

  it('draws one node per Gateway, route namespace and service type, with counts that add up', () => {
    const m = bigModel(300, 4, 3);
    const svg = renderExposureMap(m);
    expect(svg).toMatch(/^<svg class="exposure-map aggregated"/);
    const ids = nodeBoxes(svg).map((b) => b.id).sort();
    expect(ids).toEqual(['ag:gw-ns-0/gw-0', 'ag:gw-ns-1/gw-1', 'ag:gw-ns-2/gw-2', 'an:team-0', 'an:team-1', 'an:team-2', 'an:team-3', ...TYPES.map((t) => `at:${t}`).sort()].sort());
    const ns0 = nodeLines(svg).find((l) => l.includes('data-id="an:team-0"'))!;
    // team-0 holds routes 0, 4, 8, ...: 75 routes, of which i % 7 === 0 are GRPCRoutes (i = 0, 28, 56, ...: 11).
    expect(ns0).toContain('75 routes (11 GRPCRoute, 64 HTTPRoute)');
    const rows = [...svg.matchAll(/<g class="edge[^"]*" data-from="ag:[^"]*" data-to="an:[^"]*"><title>[^<]*: (\d+) routing rows?/g)].reduce((a, x) => a + Number(x[1]), 0);
    expect(rows).toBe(300);
    expect(svg).toContain('Aggregated: 300 routes');
    expect(svg).toContain('The routing table below has every row.');
    // Invalid backends (i % 101 === 0: rows 0, 101, 202) are flagged on the namespace -> type edges.
    const flagged = [...svg.matchAll(/<g class="edge flagged" data-from="an:[^"]*"[^>]*><title>[^<]*?(\d+) with findings/g)].reduce((a, x) => a + Number(x[1]), 0);
    expect(flagged).toBe(3);
  });

  it('caps every column, merging the smallest groups into one "more" node, and stays readable', () => {
    const m = bigModel(2000, 60, 40);
    const svg = renderExposureMap(m);
    const ids = nodeBoxes(svg).map((b) => b.id);
    expect(ids.filter((i) => i.startsWith('ag:'))).toHaveLength(AGG_MAX_GATEWAY_NODES);
    expect(ids.filter((i) => i.startsWith('an:'))).toHaveLength(AGG_MAX_NAMESPACE_NODES);
    expect(ids.filter((i) => i.startsWith('at:')).length).toBeLessThanOrEqual(AGG_MAX_TYPE_NODES);
    expect(ids).toContain('an:*');
    expect(nodeLines(svg).find((l) => l.includes('data-id="an:*"'))).toContain(`${60 - AGG_MAX_NAMESPACE_NODES + 1} more route namespaces`);
    // 40 Gateways in 30 namespaces: grouped by namespace.
    expect(svg).toContain('Gateways (by namespace)');
    const boxes = nodeBoxes(svg);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
    for (const l of labelBoxes(svg)) for (const b of boxes) expect(overlaps(l, b)).toBe(false);
  });

  it('a 50k-route model gives a map of bounded size (nodes, pixels, bytes), the same twice', () => {
    const m = bigModel(50_000, 900, 400);
    const svg = renderExposureMap(m);
    const nodes = nodeBoxes(svg).length;
    expect(nodes).toBeLessThanOrEqual(AGG_MAX_GATEWAY_NODES + AGG_MAX_NAMESPACE_NODES + AGG_MAX_TYPE_NODES);
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    expect(w).toBeLessThan(2400);
    expect(h).toBeLessThan(2400);
    expect(svg.length).toBeLessThan(120_000);
    expect(svg).toContain('Aggregated: 50000 routes');
    expect(renderExposureMap(m)).toBe(svg);
  });
});

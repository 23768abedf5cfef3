// Issue 10 / issue 11 item 4: the exposure map says it shows recomputed (predicted) routing, marks where the
// recorded status differs, draws HTTP -> HTTPS redirect edges, and lays out with ELK so that nothing collides
// or is cut off. Every label is escaped; the same model gives byte-identical SVG.
import { describe, expect, it } from 'vitest';
import { compareOrUpdate } from '../../../helpers/golden.ts';
import { mapMode, renderExposureMap } from '../../../../src/report/svg-map.ts';
import { PREDICTED_CAPTION } from '../../../../src/report/map/common.ts';
import { esc } from '../../../../src/report/map/style.ts';
import { modelOf } from './fixture.ts';
import { labelBoxes, nodeBoxes, nodeLines, nodeTexts, overlaps } from './geometry.ts';

const node = (svg: string, id: string): string | undefined => nodeLines(svg).find((l) => l.includes(`data-id="${esc(id)}"`));
const edgeLines = (svg: string): string[] => svg.split('\n').filter((l) => l.startsWith('<g class="edge'));

describe('exposure map (detail)', () => {
  const m = modelOf();
  const svg = renderExposureMap(m);

  it('is the detailed map for a small model', () => {
    expect(mapMode(m)).toBe('detail');
  });

  it('says on the map that it shows recomputed (predicted) routing, and counts where the recorded status differs', () => {
    expect(svg).toContain(`>${esc(PREDICTED_CAPTION)}</text>`);
    expect(svg).toMatch(/≠ marks where the recorded status differs: 2 drift \(recorded differs from the prediction\)/);
    expect(svg).toContain('<title id="map-title">Exposure map (recomputed routing)');
  });

  it('marks recorded vs predicted attachedRoutes on the listener', () => {
    const l = node(svg, 'l:infra/gw/https')!;
    expect(l).toMatch(/class="node listener[^"]* mark-drift/);
    expect(l).toContain('recorded attachedRoutes 5, predicted attachedRoutes 1');
  });

  it('draws a route that only the recorded status attaches, dashed, from the listener it was recorded on', () => {
    const r = node(svg, 'r:HTTPRoute/shop/ghost')!;
    expect(r).toMatch(/class="node route recorded-only[^"]*mark-drift/);
    expect(r).toContain('stroke-dasharray="6 4"');
    expect(r).toContain('parent infra/gw#https: recorded Accepted=True (Accepted), predicted Accepted=False');
    expect(edgeLines(svg).filter((l) => l.startsWith('<g class="edge recorded" data-from="l:infra/gw/https" data-to="r:HTTPRoute/shop/ghost"'))).toHaveLength(1);
  });

  it('does not draw routes that the prediction attaches without a routing row (redirect-only) as recorded-only', () => {
    expect(node(svg, 'r:HTTPRoute/shop/to-https')).toBeUndefined();
    expect(node(svg, 'r:HTTPRoute/shop/away')).toBeUndefined();
  });

  it('draws a redirect edge from the HTTP listener to the HTTPS listener that serves the target (default port 443)', () => {
    const e = edgeLines(svg).filter((l) => l.startsWith('<g class="edge redirect" data-from="l:infra/gw/http" data-to="l:infra/gw/https"'));
    expect(e).toHaveLength(1);
    expect(e[0]).toContain('shop.example.com ↪ https://shop.example.com (301)');
    expect(e[0]).toContain('through HTTPRoute shop/to-https');
    // The redirect source is drawn left of the listeners it redirects to.
    const boxes = new Map(nodeBoxes(svg).map((b) => [b.id, b]));
    expect(boxes.get('l:infra/gw/http')!.x + boxes.get('l:infra/gw/http')!.w).toBeLessThan(boxes.get('l:infra/gw/https')!.x);
  });

  it('draws a redirect to a host no captured listener serves as an edge to an external node (status 302 by default)', () => {
    const e = edgeLines(svg).filter((l) => l.includes('data-from="l:infra/gw/http" data-to="x:https://new.example.net"'));
    expect(e).toHaveLength(1);
    expect(e[0]).toContain('(302)');
    expect(node(svg, 'x:https://new.example.net')).toContain('redirect target not served by a captured listener');
  });

  it('keeps the hostname that serves content over HTTP as an ordinary edge, not a redirect', () => {
    const legacy = edgeLines(svg).filter((l) => l.includes('legacy.example.com'));
    expect(legacy).toHaveLength(1);
    expect(legacy[0]).toMatch(/^<g class="edge" data-from="l:infra\/gw\/http" data-to="r:HTTPRoute\/shop\/legacy"/);
  });

  it('is byte-identical for the same model (twice in one process) and matches the reviewed golden', () => {
    expect(renderExposureMap(modelOf())).toBe(svg);
    expect(compareOrUpdate(new URL('../../../golden/map/redirect-drift.svg', import.meta.url).pathname, `${svg}\n`).status).toBeDefined();
  });

  it('no two nodes overlap, no edge label overlaps a node, and every text fits inside its box', () => {
    const boxes = nodeBoxes(svg);
    expect(boxes.length).toBeGreaterThanOrEqual(8);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.id} / ${boxes[j]!.id}`).toBe(false);
    const labels = labelBoxes(svg);
    expect(labels.length).toBeGreaterThan(4);
    for (const l of labels) for (const b of boxes) expect(overlaps(l, b), `label "${l.text}" over ${b.id}`).toBe(false);
    for (const line of nodeLines(svg)) {
      const b = nodeBoxes(line)[0]!;
      for (const t of nodeTexts(line)) expect(t.right, `"${t.text}" in ${b.id}`).toBeLessThanOrEqual(b.x + b.w);
    }
    const w = Number(/viewBox="0 0 (\d+) (\d+)"/.exec(svg)![1]);
    for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(w);
  });

  it('puts each mark of a merged finding (one cause on several listeners, report/consolidate.ts) on its own listener', () => {
    const mm = modelOf();
    mm.findings = mm.findings.filter((f) => !f.code.startsWith('STATUS_'));
    mm.findings.push(
      {
        code: 'STATUS_DRIFT', severity: 'error', subject: 'Gateway infra/gw', source: 'analysis', id: 'F90', object: 'Gateway infra/gw',
        message: 'Gateway infra/gw: recorded attachedRoutes=9, predicted attachedRoutes=1 (on listener http, listener https)',
        detail: { field: 'attachedRoutes', recorded: { attachedRoutes: 9 }, recomputed: { attachedRoutes: 1 }, count: 2, subjects: ['Gateway infra/gw listener http', 'Gateway infra/gw listener https'] },
      },
      {
        code: 'STATUS_STALE', severity: 'warning', subject: 'Gateway infra/gw', source: 'analysis', id: 'F91', object: 'Gateway infra/gw',
        message: 'Gateway infra/gw: the recorded status is for generation 1, the object is at generation 2: 2 stale conditions',
        detail: { count: 2, generation: 2, conditions: [
          { subject: 'Gateway infra/gw listener https', field: 'Programmed', recorded: { type: 'Programmed', status: 'True' }, recomputed: { type: 'Programmed', status: 'False', reason: 'Invalid' }, valuesAgree: false },
          { subject: 'Gateway infra/gw listener http', field: 'Accepted', recorded: { type: 'Accepted', status: 'True' }, recomputed: { type: 'Accepted', status: 'True' }, valuesAgree: true },
        ] },
      },
    );
    const s = renderExposureMap(mm);
    for (const l of ['http', 'https']) expect(node(s, `l:infra/gw/${l}`)).toContain('recorded attachedRoutes 9, predicted attachedRoutes 1');
    expect(node(s, 'l:infra/gw/https')).toContain('stale recorded Programmed=True (generation 2), predicted Programmed=False (Invalid)');
    // A stale condition whose value agrees is not a difference.
    expect(node(s, 'l:infra/gw/http')).not.toContain('stale');
    expect(s).toContain('2 drift (recorded differs from the prediction), 1 stale recorded condition');
  });

  it('wraps a long name over lines instead of cutting it off', () => {
    const mm = modelOf();
    const long = `very-long-${'segment-'.repeat(30)}end`;
    for (const r of mm.routing) if (r.route.name === 'web') r.route.name = long;
    const s = renderExposureMap(mm);
    const line = node(s, `r:HTTPRoute/shop/${long}`)!;
    const texts = nodeTexts(line).map((t) => t.text);
    expect(texts.join('').replace(/\s/g, '')).toContain(`shop/${long}`);
    expect(texts.filter((t) => t.length > 0).length).toBeGreaterThan(3);
    const b = nodeBoxes(line)[0]!;
    for (const t of nodeTexts(line)) expect(t.right).toBeLessThanOrEqual(b.x + b.w);
  });

  it('escapes every string from the bundle: names, hostnames, redirect targets, drift messages', () => {
    const mm = modelOf();
    const evil = '<script>alert(1)</script>"\u202e';
    for (const r of mm.routing) {
      r.route.name = `web${evil}`;
      r.hostname = `${evil}.example.com`;
      r.backend.name = `svc${evil}`;
    }
    for (const f of mm.findings) {
      if (f.code === 'EXPOSURE_HTTP_REDIRECT') (f.detail as { hostname: string }).hostname = `h${evil}`;
      if (f.code === 'STATUS_DRIFT') f.message = `m${evil}`;
    }
    mm.gateways[0]!.listeners[0]!.hostname = `l${evil}`;
    const s = renderExposureMap(mm);
    expect(s).not.toContain('<script');
    expect(s).not.toContain('\u202e');
    expect(s).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
    expect(s).toContain(`data-id="r:HTTPRoute/shop/web&lt;script&gt;`);
  });
});

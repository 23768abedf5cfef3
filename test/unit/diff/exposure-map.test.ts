// Issue 10: `gwe diff -o html` gets an exposure map of what changed: routes added, removed or moved between
// listeners and exposures added or removed are highlighted; the same changes are in text, markdown and json.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { diffCaptures } from '../../../src/diff/index.ts';
import { renderDiff } from '../../../src/diff/render.ts';
import type { Capture } from '../../../src/model/collection.ts';
import { platform, route, sortObjects } from './fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/diff.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** The next quarter: a `tools` listener on port 8443, agent-tools moved to it, a new eval route, weights 50/50. */
export function nextQuarter(mutate: (c: Capture) => void = () => {}): Capture {
  const c = platform({ weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z', extra: [route('models', 'eval', 'eval.example.com', [{ name: 'llm-v1' }])] });
  for (const o of c.snapshot.objects) {
    if (o.kind === 'Gateway') o.spec.listeners.push({ ...o.spec.listeners[0], name: 'tools', port: 8443 });
    if (o.kind === 'HTTPRoute' && o.metadata.name === 'agent-tools') o.spec.parentRefs = [{ name: 'shared', namespace: 'infra', sectionName: 'tools' }];
  }
  mutate(c);
  c.snapshot.objects = sortObjects(c.snapshot.objects);
  return c;
}

const lines = (html: string, prefix: string): string[] => html.split('\n').filter((l) => l.startsWith(prefix));

/** Markdown and HTML escapes undone, so that one expectation reads the same in every format. */
function plain(s: string): string {
  return s.replace(/\\([\[\]()*_`#|<>!.-])/g, '$1').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('diff: routes and exposures that changed, and the exposure map of them', () => {
  const d = diffCaptures(platform(), nextQuarter());

  it('lists routes added and moved between listeners, and the exposures added and removed', () => {
    expect(d.routing.routes).toEqual([
      { route: 'HTTPRoute models/eval', op: 'added', oldListeners: [], newListeners: [{ gateway: 'infra/shared', listener: 'https' }] },
      { route: 'HTTPRoute tools/agent-tools', op: 'moved', oldListeners: [{ gateway: 'infra/shared', listener: 'https' }], newListeners: [{ gateway: 'infra/shared', listener: 'tools' }] },
    ]);
    expect(d.routing.paths.map((p) => `${p.op} ${p.hostname} ${p.listener} ${p.route} ${p.backend} ${p.serviceType}`)).toEqual([
      'added eval.example.com https HTTPRoute models/eval models/llm-v1:8080 public-model-endpoint',
      'removed tools.example.com https HTTPRoute tools/agent-tools tools/tool-gw:8080 agent-tool-gateway',
      'added tools.example.com tools HTTPRoute tools/agent-tools tools/tool-gw:8080 agent-tool-gateway',
    ]);
    expect(d.summary).toMatchObject({ routesAdded: 1, routesRemoved: 0, routesMoved: 1 });
    expect(validate(JSON.parse(JSON.stringify(d)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('says so in text and markdown', () => {
    for (const f of ['text', 'markdown'] as const) {
      const out = plain(renderDiff(d, f));
      expect(out).toContain('HTTPRoute tools/agent-tools: moved from infra/shared listener https to infra/shared listener tools');
      expect(out).toContain('HTTPRoute models/eval: now serves traffic on infra/shared listener https');
      expect(out).toContain('added: eval.example.com on infra/shared listener https -> HTTPRoute models/eval -> models/llm-v1:8080 [public-model-endpoint]');
    }
  });

  it('html draws the map of what changed: moved route marked, old attachment removed (red, dashed), new one added (green), weights changed', () => {
    const html = renderDiff(d, 'html');
    expect(html).toContain('<section id="map"><h2>Exposure map of what changed</h2><div class="map"><svg class="exposure-map diff-map"');
    expect(html).toContain('What changed in the recomputed (predicted) routing between the two captures');
    const moved = lines(html, '<g class="node route mark-moved" data-id="r:HTTPRoute/tools/agent-tools"');
    expect(moved).toHaveLength(1);
    expect(moved[0]).toContain('moved: infra/shared › https → infra/shared › tools');
    const removed = lines(html, '<g class="edge removed" data-from="l:infra/shared/https" data-to="r:HTTPRoute/tools/agent-tools"');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain('stroke-dasharray="6 4"');
    expect(lines(html, '<g class="edge added" data-from="l:infra/shared/tools" data-to="r:HTTPRoute/tools/agent-tools"')).toHaveLength(1);
    expect(lines(html, '<g class="node route mark-added" data-id="r:HTTPRoute/models/eval"')).toHaveLength(1);
    const w = lines(html, '<g class="edge changed" data-from="r:HTTPRoute/models/chat" data-to="s:models/llm-v1:8080"');
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('#0 90% → 50%');
    // Unchanged routes are not drawn.
    expect(html).not.toContain('data-id="r:HTTPRoute/models/other"');
    expect(renderDiff(diffCaptures(platform(), nextQuarter()), 'html')).toBe(html);
  });

  it('a diff without routing changes says so on the map', () => {
    const html = renderDiff(diffCaptures(platform(), platform({ capturedAt: '2026-06-30T00:00:00Z' })), 'html');
    expect(html).toContain('No exposure, route attachment or weight changed.');
    expect(html).not.toContain('<g class="node');
  });

  it('escapes every string on the map', () => {
    const evil = 'x<script>alert(1)</script>';
    const dd = diffCaptures(platform(), nextQuarter((c) => {
      for (const o of c.snapshot.objects) if (o.kind === 'HTTPRoute' && o.metadata.name === 'eval') o.metadata.name = `eval${evil}`;
    }));
    const html = renderDiff(dd, 'html');
    expect(dd.routing.routes.map((r) => r.route)).toContain(`HTTPRoute models/eval${evil}`);
    expect(html).not.toContain('<script');
    expect(html).toContain('data-id="r:HTTPRoute/models/evalx&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { diffCaptures } from '../../../src/diff/index.ts';
import { renderDiff, DIFF_FORMATS } from '../../../src/diff/render.ts';
import { resolve } from '../../../src/resolve/index.ts';
import { analyzeCapture } from '../../../src/verify/analysis.ts';
import type { Capture } from '../../../src/model/collection.ts';
import type { Resolution } from '../../../src/resolve/types.ts';
import { grant, platform, route, sortObjects, svc } from './fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/diff.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** Findings of the resolution engine (RefNotPermitted, BackendNotFound...) as the analysis for these tests. */
const resolutionFindings = (_c: Capture, r: Resolution) => r.findings;

function valid(d: unknown): void {
  const ok = validate(JSON.parse(JSON.stringify(d)));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe('diffCaptures', () => {
  it('identical captures give an empty diff', () => {
    const d = diffCaptures(platform(), platform({ capturedAt: '2026-06-30T00:00:00Z' }));
    const analysed = analyzeCapture(platform(), {}).findings.length;
    expect(analysed).toBeGreaterThan(0);
    expect(d.summary).toEqual({
      objectsAdded: 0, objectsRemoved: 0, objectsModified: 0, hostnamesChanged: 0, weightShifts: 0, listenersWithNewNamespaces: 0,
      grantsAdded: 0, grantsRemoved: 0, certificatesRotated: 0, certificatesExpiring: 0, findingsIntroduced: 0, findingsFixed: 0, findingsUnchanged: analysed,
      routesAdded: 0, routesRemoved: 0, routesMoved: 0, controllersChanged: 0, conformanceChanged: 0,
    });
    expect(d.notes).toEqual([]);
    valid(d);
  });

  it('weight shift 90/10 -> 50/50 on chat.example.com', () => {
    const d = diffCaptures(platform({ weights: [90, 10] }), platform({ weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' }));
    expect(d.routing.weightShifts).toEqual([
      { gateway: 'infra/shared', listener: 'https', hostname: 'chat.example.com', route: 'HTTPRoute models/chat', rule: '#0', backend: 'models/llm-v1:8080', oldWeight: 90, newWeight: 50, oldPercent: 90, newPercent: 50 },
      { gateway: 'infra/shared', listener: 'https', hostname: 'chat.example.com', route: 'HTTPRoute models/chat', rule: '#0', backend: 'models/llm-v2:8080', oldWeight: 10, newWeight: 50, oldPercent: 10, newPercent: 50 },
    ]);
    // Same backends, same service types: not a hostname change.
    expect(d.routing.hostnames).toEqual([]);
    expect(renderDiff(d, 'text')).toContain('chat.example.com: models/llm-v1:8080 90% -> 50%');
    valid(d);
  });

  it('a hostname moved to a backend of a different service type', () => {
    const d = diffCaptures(platform(), platform({ toolsBackend: 'tool-admin', capturedAt: '2026-06-30T00:00:00Z' }));
    expect(d.routing.hostnames).toEqual([
      {
        gateway: 'infra/shared', listener: 'https', hostname: 'tools.example.com', op: 'changed',
        oldBackends: [{ backend: 'tools/tool-gw:8080', serviceType: 'agent-tool-gateway', percent: 100 }],
        newBackends: [{ backend: 'tools/tool-admin:8080', serviceType: 'admin', percent: 100 }],
        oldServiceTypes: ['agent-tool-gateway'], newServiceTypes: ['admin'],
      },
    ]);
    expect(renderDiff(d, 'text')).toMatch(/tools\.example\.com on infra\/shared listener https: .*service types agent-tool-gateway -> admin/);
    valid(d);
  });

  it('a relabelled Service changes the service type reached by the same hostname', () => {
    const b = platform({ capturedAt: '2026-06-30T00:00:00Z' });
    b.snapshot.objects = sortObjects([...b.snapshot.objects.filter((o) => !(o.kind === 'Service' && o.metadata.name === 'tool-gw')), svc('tools', 'tool-gw', 'admin')]);
    const d = diffCaptures(platform(), b);
    expect(d.routing.hostnames.map((h) => [h.hostname, h.oldServiceTypes, h.newServiceTypes])).toEqual([['tools.example.com', ['agent-tool-gateway'], ['admin']]]);
    expect(d.objects.modified[0]!.changes).toEqual([
      { path: "$.metadata.labels['gateway-evidence.io/service-type']", op: 'changed', old: 'agent-tool-gateway', new: 'admin' },
    ]);
  });

  it('a namespace newly allowed on the listener by a label change, and the route it now attaches', () => {
    const extra = [route('admin', 'console', 'admin.example.com', [{ name: 'console' }]), svc('admin', 'console', 'admin')];
    const a = platform({ extra });
    const b = platform({ extra, nsLabels: { admin: { 'gateway-access': 'shared' } }, capturedAt: '2026-06-30T00:00:00Z' });
    const d = diffCaptures(a, b);
    expect(d.listeners).toEqual([{ gateway: 'infra/shared', listener: 'https', oldFrom: 'Selector', newFrom: 'Selector', newlyAllowed: ['admin'], noLongerAllowed: [] }]);
    expect(d.summary.listenersWithNewNamespaces).toBe(1);
    // The admin route now attaches: admin.example.com is newly served, by an admin service.
    expect(d.routing.hostnames).toEqual([
      expect.objectContaining({ hostname: 'admin.example.com', op: 'added', newServiceTypes: ['admin'] }),
    ]);
    valid(d);
  });

  it('a new cross-namespace grant fixes a RefNotPermitted finding', () => {
    const extra = [route('tools', 'tools-to-models', 'embed.example.com', [{ name: 'llm-v1', namespace: 'models' }])];
    const a = platform({ extra });
    const b = platform({ extra, grants: [grant('models', 'allow-tools', 'tools')], capturedAt: '2026-06-30T00:00:00Z' });
    const d = diffCaptures(a, b, { analyze: resolutionFindings });
    expect(d.grants.added).toEqual([
      { grant: 'models/allow-tools', from: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'tools' }, to: { group: '', kind: 'Service', namespace: 'models' } },
    ]);
    expect(d.findings.fixed.map((f) => f.code)).toContain('RefNotPermitted');
    expect(d.findings.introduced.filter((f) => f.severity !== 'info')).toEqual([]);
    // The backend is now reachable: embed.example.com reaches models/llm-v1.
    expect(d.routing.hostnames).toEqual([
      expect.objectContaining({ hostname: 'embed.example.com', op: 'changed', oldBackends: [], newBackends: [{ backend: 'models/llm-v1:8080', serviceType: 'public-model-endpoint', percent: 100 }] }),
    ]);
    // And the reverse direction introduces it.
    const back = diffCaptures(b, a, { analyze: resolutionFindings });
    expect(back.findings.introduced.map((f) => f.code)).toContain('RefNotPermitted');
    expect(back.grants.removed).toHaveLength(1);
    valid(d);
  });

  it('a rotated certificate and one expiring within the window', () => {
    const a = platform({ cert: { fingerprint: 'aa'.repeat(32), notAfter: '2026-07-15T00:00:00Z' } });
    const b = platform({ cert: { fingerprint: 'bb'.repeat(32), notAfter: '2026-07-20T00:00:00Z' }, capturedAt: '2026-06-30T00:00:00Z' });
    const d = diffCaptures(a, b, { expiryWindowDays: 30 });
    expect(d.certificates.rotated.map((r) => [r.secret, r.old.sha256Fingerprint.slice(0, 4), r.new.sha256Fingerprint.slice(0, 4)])).toEqual([['infra/wildcard-tls', 'aaaa', 'bbbb']]);
    expect(d.certificates.expiring.map((c) => [c.secret, c.daysLeft])).toEqual([['infra/wildcard-tls', 20]]);
    expect(diffCaptures(a, b, { expiryWindowDays: 7 }).certificates.expiring).toEqual([]);
    valid(d);
  });

  it('notes a partial side and a new capture that is not later', () => {
    const b = platform();
    b.record = { ...b.record, partial: true, capturedAt: '2026-01-01T00:00:00Z' };
    const d = diffCaptures(platform(), b);
    expect(d.notes).toEqual([
      'the new capture is partial: objects missing from it may show as removed',
      'the new capture (2026-01-01T00:00:00Z) is not later than the old one (2026-03-31T00:00:00Z)',
    ]);
  });

  it('renders every format; json validates and html is self-contained', () => {
    const d = diffCaptures(platform({ weights: [90, 10] }), platform({ weights: [50, 50], toolsBackend: 'tool-admin', capturedAt: '2026-06-30T00:00:00Z' }));
    for (const f of DIFF_FORMATS) expect(renderDiff(d, f).length).toBeGreaterThan(100);
    valid(JSON.parse(renderDiff(d, 'json')));
    const html = renderDiff(d, 'html');
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(html).toContain('Weight shifts (2)');
    expect(renderDiff(d, 'markdown')).toContain('### Weight shifts (2)');
  });

  it('uses the resolution engine by default (sanity: same routing as resolve())', () => {
    const r = resolve(platform().snapshot.objects);
    expect(r.routing[0]!.hostnames.map((h) => h.hostname)).toEqual(['chat.example.com', 'tools.example.com']);
  });
});

describe('weight shifts with a backend on one side only', () => {
  it('a canary added next to the old version is a shift from 0%', () => {
    const a = platform();
    a.snapshot.objects = sortObjects([...a.snapshot.objects.filter((o) => o.metadata.name !== 'chat'), route('models', 'chat', 'chat.example.com', [{ name: 'llm-v1' }])]);
    const d = diffCaptures(a, platform({ weights: [90, 10], capturedAt: '2026-06-30T00:00:00Z' }));
    expect(d.routing.weightShifts.map((w) => [w.backend, w.oldPercent, w.newPercent])).toEqual([
      ['models/llm-v1:8080', 100, 90],
      ['models/llm-v2:8080', 0, 10],
    ]);
  });
});

/** The Markdown with its fenced code blocks removed (a fence closes only on a run of backticks at least as long). */
function outsideFences(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (fence === undefined && m) fence = m[1];
    else if (fence !== undefined && m && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  return out.join('\n');
}

describe('hostile strings in renderers', () => {
  it('control characters never reach the terminal, markup never reaches HTML or Markdown unescaped', () => {
    const a = platform();
    const b = platform({ nsLabels: { admin: { 'gateway-access': 'shared', team: '\u001b[31m<script>alert(1)</script>' } }, capturedAt: '2026-06-30T00:00:00Z' });
    const d = diffCaptures(a, b);
    expect(renderDiff(d, 'text')).not.toContain('\u001b');
    expect(renderDiff(d, 'text')).toContain('\\u001b[31m');
    expect(renderDiff(d, 'html')).not.toContain('<script>');
    // Markdown: escaped everywhere, except inside the ```diff block of field changes, where CommonMark shows every
    // character literally (no HTML, no emphasis); the fence is longer than any backtick run inside it.
    const md = renderDiff(d, 'markdown');
    expect(outsideFences(md)).not.toContain('<script>');
    expect(md).toMatch(/```diff\n[^]*<script>alert\(1\)<\/script>[^]*\n```\n/);
    expect(md).not.toContain('\u001b');
    const fence = platform({ nsLabels: { admin: { 'gateway-access': 'shared', team: '```\n# heading <b>x</b>' } }, capturedAt: '2026-06-30T00:00:00Z' });
    const md2 = renderDiff(diffCaptures(a, fence), 'markdown');
    expect(md2).toContain('````diff');
    expect(outsideFences(md2)).not.toMatch(/<b>|^# heading/m);
  });

  it('notes captures of different clusters', () => {
    const b = platform({ capturedAt: '2026-06-30T00:00:00Z' });
    b.record = { ...b.record, cluster: { name: 'other' } };
    expect(diffCaptures(platform(), b).notes).toEqual(['the captures are of different clusters (test and other)']);
  });
});

describe('diff markdown for pull requests', () => {
  it('field changes keep their +/-/~ markers in a diff block, the verdict leads, long sections collapse, the size is bounded', () => {
    const a = platform();
    const labels: Record<string, string> = { 'gateway-access': 'shared' };
    for (let i = 0; i < 3_000; i++) labels[`x${i}`] = `value-${i}-${'y'.repeat(30)}`;
    const b = platform({ nsLabels: { admin: labels }, capturedAt: '2026-06-30T00:00:00Z' });
    const d = diffCaptures(a, b);
    const md = renderDiff(d, 'markdown');
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md).toMatch(/^## Bundle diff\n\n> \*\*.+\*\*\n/);
    expect(md).toMatch(/```diff\n@@ Namespace\/admin @@\n\+ \$\.metadata\.labels/);
    expect(md).not.toMatch(/^\s*- \+ /m);
    expect(md).toMatch(/more field change\(s\)|not shown here/);
    const small = renderDiff(diffCaptures(a, platform({ capturedAt: '2026-06-30T00:00:00Z' })), 'markdown');
    expect(small).toContain('> **NO CHANGE in objects, routing or findings**');
  });
});

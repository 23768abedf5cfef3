import { describe, expect, it } from 'vitest';
import { buildReportModel, renderReport, type ReportInput } from '../../../src/report/index.ts';
import { fixture } from '../policy/fixture.ts';

function input(): ReportInput {
  const { capture, resolution } = fixture();
  const ok = (type: string) => ({ type, status: 'True' as const, reason: type, message: '' });
  resolution.gateways[0]!.conditions = [ok('Accepted'), ok('Programmed')];
  resolution.gateways[0]!.listeners = [
    { name: 'http', attachedRoutes: 1, supportedKinds: [], conditions: [ok('Accepted'), ok('Programmed')] },
    { name: 'https', attachedRoutes: 2, supportedKinds: [], conditions: [ok('Accepted'), ok('Programmed')] },
  ];
  const gw = capture.snapshot.objects.find((o) => o.kind === 'Gateway')!;
  gw.metadata.generation = 2;
  gw.status = {
    conditions: [
      { type: 'Accepted', status: 'False', reason: 'Invalid<script>', observedGeneration: 1 },
      { type: 'Programmed', status: 'True', reason: 'Programmed', observedGeneration: 2 },
    ],
    listeners: [
      { name: 'http', attachedRoutes: 3, conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 2 }] },
      { name: 'https', attachedRoutes: 2, conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }, { type: 'Programmed', status: 'True', reason: 'Programmed' }] },
    ],
  };
  return { capture, resolution, bundleId: 'gwe-test', toolVersion: '0.1.0' };
}

describe('report model: recorded and recomputed status where they differ', () => {
  it('names the Gateway and listener fields that differ, with both values, and nothing where they agree', () => {
    const m = buildReportModel(input());
    const g = m.gateways[0]!;
    expect(g.recordedDiffers).toEqual([{ field: 'Accepted', recomputed: 'True (Accepted)', recorded: 'False (Invalid<script>)', stale: true }]);
    const http = g.listeners.find((l) => l.name === 'http')!;
    expect(http.recordedDiffers).toEqual([
      { field: 'Programmed', recomputed: 'True (Programmed)', recorded: 'not recorded' },
      { field: 'attachedRoutes', recomputed: '1', recorded: '3' },
    ]);
    expect(g.listeners.find((l) => l.name === 'https')?.recordedDiffers).toBeUndefined();
  });

  it('every human format shows the recorded value beside the recomputed one, escaped', () => {
    const m = buildReportModel(input());
    const html = renderReport(m, 'html');
    expect(html).toContain('<div class="recorded" data-field="Accepted">Accepted: True (Accepted), recorded: False (Invalid&lt;script&gt;) (stale)</div>');
    expect(html).toContain('<div class="recorded" data-field="attachedRoutes">recorded: 3</div>');
    expect(html).not.toContain('<script>');
    const text = renderReport(m, 'text');
    expect(text).toContain('    Accepted: recomputed True (Accepted), recorded: False (Invalid<script>) (stale)');
    expect(text).toMatch(/programmed=true \(recorded: not recorded\) routes=1 \(recorded: 3\)/);
    const md = renderReport(m, 'markdown');
    expect(md).toContain('Accepted True (Accepted) (**recorded False (Invalid&lt;script&gt;)**, stale)');
    expect(md).toContain('| 1 (**recorded 3**) |');
  });
});

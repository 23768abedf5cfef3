/** What every exposure map says about itself: columns, the caption (recomputed routing, status marks), the legend. */
import type { ReportModel } from '../model.ts';
import type { LegendItem, NodeMark } from './graph.ts';
import { COLORS, SERVICE_TYPE_COLORS, serviceTypeColor } from './style.ts';

/** Columns, left to right (ELK partitions). */
export const COLUMN = { redirectSource: 0, listener: 1, route: 2, service: 3 } as const;

export function headings(redirects: boolean): Record<number, string> {
  const h: Record<number, string> = { [COLUMN.listener]: 'Gateways & listeners', [COLUMN.route]: 'Routes', [COLUMN.service]: 'Services (by service type)' };
  if (redirects) h[COLUMN.redirectSource] = 'HTTP listeners (redirect)';
  return h;
}

export const PREDICTED_CAPTION =
  'Recomputed (predicted) routing: what the captured objects mean under Gateway API rules, not the status the controller recorded.';

/** The caption: the map shows a prediction, and how many places the recorded status differs. */
export function caption(counts: Record<NodeMark['kind'], number>, offMap: number): string[] {
  const parts: string[] = [];
  if (counts.drift) parts.push(`${counts.drift} drift (recorded differs from the prediction)`);
  if (counts.departure) parts.push(`${counts.departure} known controller departure${counts.departure === 1 ? '' : 's'}`);
  if (counts.stale) parts.push(`${counts.stale} stale recorded condition${counts.stale === 1 ? '' : 's'}`);
  if (counts.missing) parts.push(`${counts.missing} object${counts.missing === 1 ? '' : 's'} with no recorded status`);
  const second =
    parts.length === 0
      ? 'No drift finding: where compared, the recorded status agrees with the prediction.'
      : `\u2260 marks where the recorded status differs: ${parts.join(', ')}${offMap > 0 ? `; ${offMap} of them on objects not drawn here (GatewayClasses, policies, pools, routes without a routing row: see Findings)` : ''}.`;
  return [PREDICTED_CAPTION, second];
}

export function legend(m: Pick<ReportModel, 'routing' | 'services'>, extra: { redirects: boolean; recordedOnly: boolean }): LegendItem[] {
  const items: LegendItem[] = Object.entries(SERVICE_TYPE_COLORS).map(([t, c]) => ({ label: t, kind: 'fill', color: c }));
  const custom = new Set<string>();
  for (const s of m.services) if (!Object.prototype.hasOwnProperty.call(SERVICE_TYPE_COLORS, s.serviceType)) custom.add(s.serviceType);
  for (const t of [...custom].sort()) items.push({ label: t, kind: 'fill', color: serviceTypeColor(t) });
  items.push({ label: 'has findings', kind: 'outline', color: COLORS.bad });
  items.push({ label: '\u2260 recorded status differs', kind: 'outline', color: COLORS.drift });
  if (extra.recordedOnly) items.push({ label: 'attached only in the recorded status', kind: 'outline', color: COLORS.drift, dash: '6 4' });
  if (extra.redirects) items.push({ label: 'HTTP \u21aa HTTPS redirect', kind: 'line', color: COLORS.redirect, dash: '2 3' });
  items.push({ label: 'invalid backend', kind: 'line', color: COLORS.bad, dash: '5 4' });
  return items;
}

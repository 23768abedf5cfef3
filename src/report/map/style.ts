/** Escaping and colours shared by the exposure map, the HTML report and the diff HTML. */
import { escapeText } from '../../model/display.ts';
import type { BuiltInServiceType, ServiceType } from '../../policy/types.ts';

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
  return Object.prototype.hasOwnProperty.call(SERVICE_TYPE_COLORS, t) ? (SERVICE_TYPE_COLORS as Record<string, string>)[t]! : CUSTOM_TYPE_COLOR;
}

/**
 * HTML text and attribute escaping. Controls, bidi overrides and other format characters are first made
 * visible (src/model/display.ts): a numeric character reference would still render them (issue 8 item 2).
 */
export function esc(s: string): string {
  return escapeText(s, { keepLines: true }).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const COLORS = {
  ink: '#0f172a',
  muted: '#475569',
  line: '#cbd5e1',
  edge: '#94a3b8',
  bad: '#dc2626',
  badText: '#b91c1c',
  warn: '#d97706',
  listener: '#334155',
  publicListener: '#b91c1c',
  route: '#475569',
  redirect: '#2563eb',
  drift: '#c026d3',
  added: '#15803d',
  removed: '#dc2626',
  changed: '#d97706',
} as const;

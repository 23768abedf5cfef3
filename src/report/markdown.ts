/** Markdown rendering (pull requests, tickets). Pure. Every bundle string is escaped for Markdown and HTML. */
import type { ReportModel } from './model.ts';
import { escapeText } from '../model/display.ts';
import { bundleFacts } from './text.ts';
import { messageBody, presentFindings, reasonOf, subjectLabel } from './group.ts';
import { operationalMarkdown } from './operational.ts';

/**
 * Escapes HTML (&, <, >) and the Markdown metacharacters that matter inside a table cell or after a prefix
 * (\\ ` * _ [ ] | ~); newlines become spaces, so bundle strings can never start a line (no headings or lists);
 * controls, bidi overrides and other format characters are escaped as in text (issue 8 item 2).
 */
export function mdEscape(s: string): string {
  // Newlines become spaces; every other control, bidi or format character is escaped (src/model/display.ts).
  return escapeText(s.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

const SEV: Record<string, string> = { error: '**error**', warning: 'warning', info: 'info' };

export function renderMarkdown(m: ReportModel): string {
  const e = mdEscape;
  const out: string[] = [];
  out.push(`# Gateway API exposure report`, '');
  const v = m.verification;
  // The verdict line comes first, in bold: SIGNATURE NOT CHECKED / VERIFIED ... / VERIFICATION FAILED ...
  out.push(`> **${e(v.headline)}**`, '');
  if (v.signers.length > 0) {
    out.push('| Signer | Role | Key id | Counted |', '|---|---|---|---|');
    for (const s of v.signers) out.push(`| ${e(s.name ?? '(unknown)')} | ${e(s.role ?? '')} | \`${s.keyId.replace(/`/g, '')}\` | ${s.counted ? 'yes' : `no${s.reason ? `: ${e(s.reason)}` : ''}`} |`);
    out.push('');
  }
  out.push('| | |', '|---|---|');
  for (const [k, val] of bundleFacts(m)) out.push(`| ${k} | ${k === 'Partial' && m.bundle.partial ? `**${e(val)}**` : e(val)} |`);
  out.push('');
  for (const g of m.bundle.gaps) out.push(`- gap: ${e(g.kind)}${g.namespace ? ` in ${e(g.namespace)}` : ''}: ${e(g.message)}`);
  out.push(`## Findings (${m.summary.errors} errors, ${m.summary.warnings} warnings, ${m.summary.infos} info)`, '');
  if (m.findings.length === 0) out.push('No findings.');
  else {
    const restated = m.findings.filter((f) => (f.restatedBy ?? []).length > 0).length;
    out.push(
      'Grouped by object. A policy finding names the rule it violates; ' +
        (restated > 0 ? `${restated} analysis finding(s) observing the same fact are shown under it ("same fact").` : 'no analysis finding restates one.'),
      '',
    );
    out.push('| Object | Severity | Id | Code | Reason | Message |', '|---|---|---|---|---|---|');
    for (const g of presentFindings(m.findings)) {
      g.items.forEach(({ finding: f, sameFact }, i) => {
        const path = typeof f.detail?.path === 'string' ? `<br>path: ${e(f.detail.path)}` : '';
        const same = sameFact.map((a) => `<br>_same fact, observed by ${a.source}: ${a.id} ${e(a.code)} (${a.severity})_`).join('');
        out.push(`| ${i === 0 ? `**${e(g.object)}**` : ''} | ${SEV[f.severity]} | ${f.id} | ${e(f.code)} | ${e(reasonOf(f))} | ${e(messageBody(f))}${path}${same} |`);
      });
    }
  }
  out.push('', '## Routing table', '');
  out.push('| Listener | Hostname | Route | Rule | Match | Backend | Weight | Service type | Adjacent policies | Notes |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const r of m.routing) {
    const notes = [r.public ? 'public' : '', r.valid ? '' : `invalid: ${r.reason ?? '?'}`, r.crossNamespace ? `cross-namespace${r.referenceGrant ? ` via ${r.referenceGrant}` : ''}` : '', r.findings.join(', ')]
      .filter(Boolean)
      .join('; ');
    out.push(
      `| ${e(`${r.gateway}/${r.listener}`)} (${r.protocol} ${r.port}) | ${e(r.hostname)} | ${e(`${r.route.kind} ${r.route.namespace}/${r.route.name}`)} | ${r.rule} | ${e(r.matches)} | ${e(`${r.backend.kind === 'Service' ? '' : `${r.backend.kind} `}${r.backend.namespace}/${r.backend.name}${r.backend.port !== undefined ? `:${r.backend.port}` : ''}`)} | ${r.weight} (${r.percent}%) | ${e(r.serviceType)} | ${r.policies ? r.policies.map(e).join('<br>') : 'none'} | ${e(notes)} |`,
    );
  }
  out.push('', '## Gateways and listeners', '');
  out.push('| Gateway | Listener | Protocol | Port | Hostname | Public | Accepted | Programmed | Routes |', '|---|---|---|---|---|---|---|---|---|');
  for (const g of m.gateways) {
    for (const l of g.listeners) {
      out.push(`| ${e(`${g.namespace}/${g.name}`)} | ${e(l.name)} | ${e(l.protocol)} | ${l.port} | ${e(l.hostname ?? '*')} | ${l.public ? '**yes**' : 'no'} | ${l.accepted} | ${l.programmed} | ${l.attachedRoutes} |`);
    }
  }
  out.push('', '## Certificates', '');
  if (m.certificates.length === 0) out.push('No listener certificates.');
  else {
    out.push('| Secret | Subject | Not after | Days left | Status | Used by |', '|---|---|---|---|---|---|');
    for (const c of m.certificates) {
      out.push(`| ${e(subjectLabel(c.secret))} | ${e(c.subject ?? '?')} | ${e(c.notAfter ?? '?')} | ${c.daysRemaining ?? '?'} | ${c.status === 'valid' ? 'valid' : `**${c.status}**`} | ${e(c.usedBy.join(', '))} |`);
    }
  }
  out.push('', '## Controllers and conformance', '');
  for (const c of m.controllers.gatewayClasses) out.push(`- GatewayClass ${e(c.name)}: ${e(c.controllerName)} (Accepted=${e(c.accepted)})`);
  for (const w of m.controllers.workloads) out.push(`- ${w.kind} ${e(`${w.namespace}/${w.name}`)}: ${e(w.implementation)} (${e(w.images.join(', '))})`);
  for (const c of m.controllers.conformance) {
    out.push(`- Conformance report ${e(c.file)}: ${e(c.implementation ?? '?')} ${e(c.version ?? '')}, Gateway API ${e(c.gatewayAPIVersion ?? '?')} ${e(c.channel ?? '')}${c.error ? ` (${e(c.error)})` : ''}`);
    for (const p of c.profiles) out.push(`  - ${e(p.name)}: core ${e(p.core ?? '-')}, extended ${e(p.extended ?? '-')} (${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped)`);
  }
  if (m.operational) out.push(...operationalMarkdown(m.operational, e));
  return `${out.join('\n')}\n`;
}

/**
 * HTML rendering: ONE self-contained file. Inline CSS and inline SVG only: no script, no external font, image
 * or URL, so it works offline and from an air-gapped laptop, and prints (print CSS). Every string that comes
 * from the bundle is escaped (the bundle is hostile input). Pure.
 */
import type { ReportModel, StatusDifference } from './model.ts';
import { bundleFacts } from './text.ts';
import { messageBody, presentFindings, reasonOf, subjectLabel } from './group.ts';
import { reviewOrder } from './view.ts';
import { esc, renderExposureMap, serviceTypeColor } from './svg-map.ts';
import { truncatedNote } from './truncated.ts';
import { operationalHtml } from './operational.ts';

const CSS = `
:root { --fg:#0f172a; --muted:#475569; --line:#e2e8f0; --bad:#b91c1c; --warn:#b45309; --ok:#15803d; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f8fafc; }
main { max-width: 1240px; margin: 0 auto; padding: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { background: #f1f5f9; font-weight: 600; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.verdict { padding: 14px 18px; border-radius: 8px; font-size: 16px; font-weight: 700; margin-bottom: 14px; border: 2px solid; }
.verdict.verified { background: #f0fdf4; border-color: var(--ok); color: #14532d; }
.verdict.verified-with-findings { background: #fffbeb; border-color: var(--warn); color: #78350f; }
.verdict.failed { background: #fef2f2; border-color: var(--bad); color: #7f1d1d; }
.verdict.not-checked { background: #fff7ed; border-color: #ea580c; color: #7c2d12; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 4px; }
.facts dt { font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; }
.partial { color: var(--bad); font-weight: 700; }
.summary span { display: inline-block; margin-right: 14px; font-weight: 600; }
.sev { display: inline-block; min-width: 62px; padding: 1px 6px; border-radius: 4px; font-size: 11px; font-weight: 700; text-transform: uppercase; text-align: center; }
.sev.error { background: #fee2e2; color: var(--bad); }
.sev.warning { background: #fef3c7; color: var(--warn); }
.sev.info { background: #e0f2fe; color: #075985; }
.type { display: inline-block; padding: 0 6px; border-radius: 4px; color: #fff; font-size: 11px; }
.status-expired, .status-expiring { color: var(--bad); font-weight: 700; }
.map { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.map svg { display: block; max-width: 100%; height: auto; }
tr.flagged td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
td.code { overflow-wrap: normal; word-break: normal; }
td.subject { min-width: 150px; }
td.match { min-width: 110px; }
#routing { font-size: 12px; }
.path { color: var(--muted); font-size: 11.5px; }
tr.group th { background: #fff; font-size: 13px; padding-top: 12px; border-bottom: 2px solid var(--line); }
tr.group th.error { color: var(--bad); }
tr.group th.warning { color: var(--warn); }
td.reason { min-width: 120px; }
.same-fact { margin-top: 4px; padding-left: 8px; border-left: 3px solid var(--line); color: var(--muted); font-size: 11.5px; }
.truncated { background: #fff7ed; border-left: 3px solid #ea580c; padding: 6px 10px; font-size: 12.5px; }
.recorded { color: var(--bad); font-size: 11.5px; font-weight: 600; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  /* No orphaned headings: a heading, a group heading or a table head stays with what follows it. */
  h1, h2, h3, .group-head, tr.group, thead { break-after: avoid; page-break-after: avoid; }
  h2 + p, h2 + table, h2 + .map { break-before: avoid; }
  tr, .verdict, .facts, .summary, .same-fact { break-inside: avoid; }
  tbody.object-group { break-inside: auto; }
  thead { display: table-header-group; }
  /* No almost-empty first page: the map starts under the facts and may continue on the next page. */
  .map { border: none; overflow: visible; padding: 0; break-inside: auto; }
  .map svg { max-width: 100%; height: auto; }
  table { font-size: 10px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/**
 * A CSS string literal for any text: every character outside a small safe set becomes a CSS escape (`\\HHHHHH `),
 * so a hostile bundle id cannot close the string, the rule or the <style> element.
 */
export function cssString(s: string): string {
  let out = '"';
  for (const ch of s) out += /^[A-Za-z0-9 ._:,()-]$/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16).padStart(6, '0')} `;
  return `${out}"`;
}

/**
 * Print page boxes (CSS Paged Media margin boxes, printed by Chromium 131 and later): the bundle id and the
 * bundle's sha256 on every page, page numbers at the foot.
 */
function pageCss(m: ReportModel): string {
  const box = 'font: 8px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #475569;';
  return `
@page {
  size: A4;
  margin: 16mm 11mm 14mm 11mm;
  @top-left { content: ${cssString(`bundle ${m.bundle.id}`)}; ${box} }
  @top-right { content: ${cssString(m.bundle.sha256 ? `sha256 ${m.bundle.sha256}` : 'sha256 not recorded')}; ${box} }
  @bottom-left { content: ${cssString(`Gateway API exposure report: ${m.verification.status}`)}; ${box} }
  @bottom-right { content: "page " counter(page) " of " counter(pages); ${box} }
}
`;
}

/**
 * The HTML report's size bound (issue 13): at most this many rows per table (findings, routing, listeners,
 * certificates, the operational tables). A longer table shows its first rows (for the routing table: rows with
 * findings, invalid backends and public listeners first) and says how many it leaves out; every row is in
 * `gwe report -o json`. With the map bounded by its renderer, a 50k-route report stays a few megabytes.
 */
export const HTML_TABLE_ROWS = 2_000;

/** Escapes, then lets long names break after dots, slashes, hyphens and underscores. */
function brk(s: string): string {
  return esc(s).replace(/([./_-])/g, '$1<wbr>');
}

function typeBadge(t: string): string {
  return `<span class="type" style="background:${serviceTypeColor(t)}">${esc(t)}</span>`;
}

export function renderHtml(m: ReportModel): string {
  const v = m.verification;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: forbid every fetch the document could make (defence in depth; the file references nothing).
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>Gateway API exposure report ${esc(m.bundle.id)}</title>`,
    `<style>${CSS}${pageCss(m)}</style>`,
    '</head>',
    '<body><main>',
    '<h1>Gateway API exposure report</h1>',
  );
  out.push(`<div class="verdict ${esc(v.status)}" id="verdict" data-status="${esc(v.status)}">${esc(v.headline)}</div>`);
  if (v.signers.length > 0) {
    out.push('<table id="signers"><thead><tr><th>Signer</th><th>Role</th><th>Key id</th><th>Counted</th></tr></thead><tbody>');
    for (const s of v.signers) {
      out.push(
        `<tr><td>${esc(s.name ?? '(unknown)')}</td><td>${esc(s.role ?? '')}</td><td class="mono">${esc(s.keyId)}</td><td>${s.counted ? 'yes' : `no${s.reason ? `: ${esc(s.reason)}` : ''}`}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('<dl class="facts" id="bundle-facts">');
  for (const [k, val] of bundleFacts(m)) {
    out.push(`<dt>${esc(k)}</dt><dd${k === 'Partial' && m.bundle.partial ? ' class="partial"' : ''}${k === 'Bundle' ? ' class="mono"' : ''} data-fact="${esc(k.toLowerCase())}">${esc(val)}</dd>`);
  }
  out.push('</dl>');
  if (m.bundle.gaps.length > 0) {
    out.push('<ul class="gaps">');
    for (const g of m.bundle.gaps) out.push(`<li>gap: ${esc(g.kind)}${g.namespace ? ` in ${esc(g.namespace)}` : ''}${g.status ? ` (HTTP ${g.status})` : ''}: ${esc(g.message)}</li>`);
    out.push('</ul>');
  }
  out.push(
    `<p class="summary" id="summary"><span class="sev error">${m.summary.errors} errors</span> <span class="sev warning">${m.summary.warnings} warnings</span> <span class="sev info">${m.summary.infos} info</span></p>`,
  );

  out.push(
    '<h2 id="map">Exposure map</h2>',
    '<div class="map">',
    renderExposureMap(m),
    '</div>',
    `<p class="muted" id="map-key">Listeners &rarr; routes &rarr; services, coloured by service type. Edge labels: hostname (listener &rarr; route) and route rule with its share of traffic (route &rarr; service, e.g. &ldquo;r0 90%&rdquo; = rule 0 sends 90%). A red outline and badge mark an object with findings (the badge counts errors and warnings about it; see Findings); a dashed red edge is a backend that does not resolve. ${
      m.policy ? 'PUBLIC marks listeners the policy calls public.' : 'No policy was given, so no listener is marked public.'
    }</p>`,
  );

  out.push('<h2>Findings</h2>');
  if (m.findings.length === 0) out.push('<p>No findings.</p>');
  else {
    const restated = m.findings.filter((f) => (f.restatedBy ?? []).length > 0).length;
    out.push(
      `<p class="muted" id="findings-note">Grouped by the object each finding is about, worst first. A policy finding names the rule it violates${
        restated > 0 ? `; the ${restated} analysis finding(s) that observe the same fact are shown under it as &ldquo;same fact&rdquo; rather than as separate rows` : ''
      }.</p>`,
    );
    out.push('<table id="findings"><thead><tr><th>Severity</th><th>Id</th><th>Code</th><th>Reason</th><th>Message</th></tr></thead>');
    let budget = HTML_TABLE_ROWS;
    let shownFindings = 0;
    for (const g of presentFindings(m.findings)) {
      if (budget <= 0) break;
      out.push(`<tbody class="object-group" data-object="${esc(g.object)}"><tr class="group"><th colspan="5" class="group-head ${esc(g.worst)}">${brk(g.object)}</th></tr>`);
      for (const { finding: f, sameFact } of g.items) {
        if (budget-- <= 0) break;
        shownFindings += 1 + sameFact.length;
        const sub = f.subject && subjectLabel(f.subject) !== g.object && !f.message.includes(subjectLabel(f.subject)) ? `<div class="path">${brk(subjectLabel(f.subject))}</div>` : '';
        const path = typeof f.detail?.path === 'string' ? `<div class="path">path: ${esc(f.detail.path)}</div>` : '';
        const same = sameFact
          .map((a) => `<div class="same-fact" data-id="${esc(a.id)}">same fact, observed by ${esc(a.source)}: <span class="mono">${esc(a.id)} ${esc(a.code)}</span> (${esc(a.severity)}): ${esc(a.message)}</div>`)
          .join('');
        out.push(
          `<tr class="finding ${esc(f.severity)}" id="${esc(f.id)}" data-code="${esc(f.code)}"><td class="nowrap"><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span></td><td class="mono">${esc(f.id)}</td><td class="mono code">${brk(f.code)}</td><td class="reason">${esc(reasonOf(f))}</td><td>${esc(messageBody(f))}${sub}${path}${same}</td></tr>`,
        );
      }
      out.push('</tbody>');
    }
    out.push('</table>');
    if (shownFindings < m.findings.length) out.push(truncatedNote('findings', shownFindings, m.findings.length, 'findings (worst first)'));
  }

  out.push('<h2>Routing table</h2>');
  out.push(
    '<table id="routing"><thead><tr><th>Listener</th><th>Hostname</th><th>Route</th><th>Rule</th><th>Match</th><th>Backend</th><th>Weight</th><th>Service type</th><th>Adjacent policies</th><th>Notes</th></tr></thead><tbody>',
  );
  const routingShown = m.routing.length > HTML_TABLE_ROWS ? reviewOrder(m.routing).slice(0, HTML_TABLE_ROWS) : m.routing;
  for (const r of routingShown) {
    const notes = [
      r.public ? '<b>public listener</b>' : '',
      r.valid ? '' : `<b>invalid</b>: ${esc(r.reason ?? '?')}`,
      r.crossNamespace ? `cross-namespace${r.referenceGrant ? ` via ReferenceGrant ${esc(r.referenceGrant)}` : ''}` : '',
      r.servesTraffic ? '' : 'serves no traffic',
      r.findings.length ? `<span class="path">${r.findings.map(brk).join(', ')}</span>` : '',
    ]
      .filter(Boolean)
      .join('<br>');
    out.push(
      `<tr class="route-row${r.findings.length ? ' flagged' : ''}"><td><b>${esc(r.listener)}</b><div class="path">${brk(r.gateway)} &middot; ${esc(r.protocol)} ${r.port}</div></td><td>${brk(r.hostname)}</td><td>${esc(r.route.kind)} ${brk(`${r.route.namespace}/${r.route.name}`)}</td><td>${r.rule}${r.ruleName ? ` ${esc(r.ruleName)}` : ''}</td><td class="mono match">${brk(r.matches)}</td><td>${esc(r.backend.kind === 'Service' ? '' : `${r.backend.kind} `)}${brk(`${r.backend.namespace}/${r.backend.name}`)}${r.backend.port !== undefined ? `:${r.backend.port}` : ''}</td><td class="nowrap">${r.weight} (${r.percent}%)</td><td>${typeBadge(r.serviceType)}</td><td class="policies">${r.policies ? r.policies.map(brk).join('<br>') : '<span class="muted">none</span>'}</td><td>${notes}</td></tr>`,
    );
  }
  if (m.routing.length === 0) out.push('<tr><td colspan="10">No routes are attached to any listener.</td></tr>');
  out.push('</tbody></table>');
  if (routingShown.length < m.routing.length) out.push(truncatedNote('routing', routingShown.length, m.routing.length, 'routing rows (rows with findings, invalid backends and public listeners first)'));
  out.push(
    '<p class="muted" id="policies-key">Adjacent policies: the implementation policies (policy attachment) whose targets cover the row, as <i>Kind namespace/name [categories] (implementation)</i>. The bundle records that they are attached; what they enforce is the implementation&rsquo;s.</p>',
  );

  out.push('<h2>Gateways and listeners</h2>');
  const differing = m.gateways.filter((g) => g.recordedDiffers || g.listeners.some((l) => l.recordedDiffers)).length;
  out.push(
    `<p class="muted" id="listeners-note">Accepted, Programmed and Routes are recomputed from the captured objects: the status a conformant controller must write (a prediction). Where the controller recorded something else, the recorded value stands beside it${
      differing > 0 ? ` (${differing} Gateway(s) differ)` : ' (nothing differs here)'
    }.</p>`,
  );
  out.push('<table id="listeners"><thead><tr><th>Gateway</th><th>Listener</th><th>Protocol</th><th>Port</th><th>Hostname</th><th>TLS</th><th>Public</th><th>Accepted</th><th>Programmed</th><th>Routes</th></tr></thead><tbody>');
  const recorded = (ds: StatusDifference[] | undefined, field: string): string => {
    const d = ds?.find((x) => x.field === field);
    return d ? `<div class="recorded" data-field="${esc(field)}">recorded: ${esc(d.recorded)}${d.stale ? ' (stale)' : ''}</div>` : '';
  };
  let listenerBudget = HTML_TABLE_ROWS;
  const listenerTotal = m.gateways.reduce((n, g) => n + g.listeners.length, 0);
  for (const g of m.gateways) {
    if (listenerBudget <= 0) break;
    const gwDiff = (g.recordedDiffers ?? []).map((d) => `<div class="recorded" data-field="${esc(d.field)}">${esc(d.field)}: ${esc(d.recomputed)}, recorded: ${esc(d.recorded)}${d.stale ? ' (stale)' : ''}</div>`).join('');
    for (const l of g.listeners) {
      if (listenerBudget-- <= 0) break;
      const flagged = g.recordedDiffers || l.recordedDiffers ? ' class="status-differs"' : '';
      out.push(
        `<tr${flagged}><td>${esc(g.namespace)}/${esc(g.name)}<div class="path">class ${esc(g.gatewayClassName)}; ${esc(g.addresses.join(', ') || 'no address')}</div>${gwDiff}</td><td>${esc(l.name)}${l.listenerSet ? `<div class="path">${esc(l.listenerSet)}</div>` : ''}</td><td>${esc(l.protocol)}</td><td>${l.port}</td><td>${esc(l.hostname ?? '*')}</td><td>${esc(l.tlsMode ?? '-')}</td><td>${l.public ? '<b>yes</b>' : 'no'}</td><td>${l.accepted}${recorded(l.recordedDiffers, 'Accepted')}</td><td>${l.programmed}${recorded(l.recordedDiffers, 'Programmed')}</td><td>${l.attachedRoutes}${recorded(l.recordedDiffers, 'attachedRoutes')}</td></tr>`,
      );
    }
  }
  out.push('</tbody></table>');
  if (listenerTotal > HTML_TABLE_ROWS) out.push(truncatedNote('listeners', HTML_TABLE_ROWS, listenerTotal, 'listeners'));

  out.push('<h2>Certificates</h2>');
  if (m.certificates.length === 0) out.push('<p>No listener certificates.</p>');
  else {
    out.push('<table id="certificates"><thead><tr><th>Secret</th><th>Subject</th><th>DNS names</th><th>Not after</th><th>Days left</th><th>Status</th><th>Used by</th></tr></thead><tbody>');
    for (const c of m.certificates.slice(0, HTML_TABLE_ROWS)) {
      out.push(
        `<tr><td class="mono">${brk(subjectLabel(c.secret))}${c.position > 0 ? ` <span class="muted">(chain ${c.position})</span>` : ''}</td><td>${esc(c.subject ?? '?')}<div class="path">issuer ${esc(c.issuer ?? '?')}</div></td><td>${esc(c.dnsNames.join(', '))}</td><td>${esc(c.notAfter ?? '?')}</td><td>${c.daysRemaining ?? '?'}</td><td class="status-${c.status}">${c.status}</td><td>${c.usedBy.map(esc).join('<br>')}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
    if (m.certificates.length > HTML_TABLE_ROWS) out.push(truncatedNote('certificates', HTML_TABLE_ROWS, m.certificates.length, 'certificates'));
  }

  out.push('<h2>Controllers and conformance</h2>', '<ul id="controllers">');
  for (const c of m.controllers.gatewayClasses) out.push(`<li>GatewayClass <b>${esc(c.name)}</b>: <code>${esc(c.controllerName)}</code> (Accepted=${esc(c.accepted)})</li>`);
  for (const w of m.controllers.workloads.slice(0, HTML_TABLE_ROWS)) out.push(`<li>${esc(w.kind)} ${esc(w.namespace)}/${esc(w.name)}: ${esc(w.implementation)} <span class="path">${esc(w.images.join(', '))}</span></li>`);
  out.push('</ul>');
  for (const c of m.controllers.conformance) {
    out.push(
      `<p>Conformance report <code>${esc(c.file)}</code>: ${esc(c.implementation ?? '?')} ${esc(c.version ?? '')}, Gateway API ${esc(c.gatewayAPIVersion ?? '?')} ${esc(c.channel ?? '')}${c.mode ? `, mode ${esc(c.mode)}` : ''}${c.error ? ` <b>${esc(c.error)}</b>` : ''}</p>`,
    );
    if (c.profiles.length > 0) {
      out.push('<table class="conformance"><thead><tr><th>Profile</th><th>Core</th><th>Extended</th><th>Passed</th><th>Failed</th><th>Skipped</th></tr></thead><tbody>');
      for (const p of c.profiles) out.push(`<tr><td>${esc(p.name)}</td><td>${esc(p.core ?? '-')}</td><td>${esc(p.extended ?? '-')}</td><td>${p.passed}</td><td>${p.failed}</td><td>${p.skipped}</td></tr>`);
      out.push('</tbody></table>');
    }
  }
  if (m.controllers.conformance.length === 0) out.push('<p class="muted">No conformance report in the bundle.</p>');
  if (m.operational) out.push(...operationalHtml(m.operational, esc, HTML_TABLE_ROWS));

  out.push(
    `<footer>Generated by ${esc(m.tool.name)} ${esc(m.tool.version)} from bundle <span class="mono">${esc(m.bundle.id)}</span> (captured ${esc(m.bundle.capturedAt)}, ${esc(m.bundle.scopeLabel)}, ${m.bundle.partial ? 'PARTIAL' : 'complete'}). Verification: ${esc(v.status)}.</footer>`,
    '</main></body>',
    '</html>',
  );
  return `${out.join('\n')}\n`;
}

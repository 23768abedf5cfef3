/**
 * Markdown rendering (pull requests, tickets). Pure. Every bundle string is escaped for Markdown and HTML.
 *
 * Written for a pull-request comment (issue 10): the verdict comes first and stands out (a quoted bold line,
 * then the counts); long tables collapse in `<details>`; and the whole text stays under GitHub's comment limit
 * (65,536 characters) by summarising: tables are shortened (worst findings and flagged rows first) until the
 * output fits, each with a note saying how many rows are left out and where the full report is.
 */
import type { ReportFinding, ReportModel, RoutingRow, StatusDifference } from './model.ts';
import { escapeText } from '../model/display.ts';
import { bundleFacts } from './text.ts';
import { messageBody, presentFindings, reasonOf, subjectLabel, type PresentedItem } from './group.ts';
import { operationalMarkdownTables } from './operational.ts';
import { findingCounts, reviewOrder } from './view.ts';

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

/** GitHub's limit on the body of an issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Tables longer than this collapse in `<details>`. */
const COLLAPSE_ROWS = 10;

const SEV: Record<string, string> = { error: '**error**', warning: 'warning', info: 'info' };

export interface MarkdownOptions {
  /** Upper bound on the output length in characters (default: GitHub's comment limit, less a margin for a note). */
  maxChars?: number;
}

/**
 * Table rows whose text is made when first shown: a table is cut to at most 2,000 rows (renderMarkdown), so at
 * tens of thousands of findings and routing rows most are never shown and need no escaping (issue 13).
 */
interface Rows {
  readonly length: number;
  slice(start: number, end: number): string[];
}

function lazyRows<T>(items: readonly T[], text: (item: T) => string): Rows {
  const made: string[] = [];
  return {
    length: items.length,
    slice(start, end) {
      const to = Math.min(end, items.length);
      for (let i = made.length; i < to; i++) made.push(text(items[i]!));
      return made.slice(start, to);
    },
  };
}

/** A table (header row + separator + rows), collapsed in <details> when long, cut to `limit` rows with a note. */
function table(title: string, header: string[], rows: Rows, limit: number, leftOutNote: string): string[] {
  const shown = rows.slice(0, limit);
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`, ...shown];
  if (shown.length < rows.length) lines.push('', `_${rows.length - shown.length} of ${rows.length} rows not shown here ${leftOutNote}._`);
  if (rows.length <= COLLAPSE_ROWS) return lines;
  return [`<details><summary>${title} (${rows.length} rows)</summary>`, '', ...lines, '', '</details>'];
}

function recordedCell(value: string, ds: StatusDifference[] | undefined, field: string, e: (s: string) => string): string {
  const d = ds?.find((x) => x.field === field);
  return d ? `${value} (**recorded ${e(d.recorded)}**${d.stale ? ', stale' : ''})` : value;
}

/** The report's sections, with every table's rows built once; `(limit)` assembles them with at most `limit` rows per table. */
function prepare(m: ReportModel, pointer: string): (limit: number) => string {
  const e = mdEscape;
  const head: string[] = [];
  head.push(`# Gateway API exposure report`, '');
  const v = m.verification;
  // The verdict line comes first, in bold: SIGNATURE NOT CHECKED / VERIFIED ... / VERIFICATION FAILED ...
  head.push(`> **${e(v.headline)}**`, '>', `> ${m.summary.errors} error(s), ${m.summary.warnings} warning(s), ${m.summary.infos} info; bundle ${e(m.bundle.id)}`, '');
  if (v.signers.length > 0) {
    head.push('| Signer | Role | Key id | Counted |', '|---|---|---|---|');
    for (const s of v.signers) head.push(`| ${e(s.name ?? '(unknown)')} | ${e(s.role ?? '')} | ${e(s.keyId)} | ${s.counted ? 'yes' : `no${s.reason ? `: ${e(s.reason)}` : ''}`} |`);
    head.push('');
  }
  head.push('| | |', '|---|---|');
  for (const [k, val] of bundleFacts(m)) head.push(`| ${k} | ${k === 'Partial' && m.bundle.partial ? `**${e(val)}**` : e(val)} |`);
  head.push('');
  for (const g of m.bundle.gaps) head.push(`- gap: ${e(g.kind)}${g.namespace ? ` in ${e(g.namespace)}` : ''}: ${e(g.message)}`);
  head.push(`## Findings (${m.summary.errors} errors, ${m.summary.warnings} warnings, ${m.summary.infos} info)`, '');

  const findingItems: { object: string; first: boolean; item: PresentedItem<ReportFinding> }[] = [];
  const findingsIntro: string[] = [];
  if (m.findings.length > 0) {
    const counts = findingCounts(m.findings).map((x) => `${x.severity === 'error' ? '**' : ''}${e(x.code)} ${x.count}${x.severity === 'error' ? '**' : ''}`);
    findingsIntro.push(`By code: ${counts.join(', ')}.`, '');
    const restated = m.findings.filter((f) => (f.restatedBy ?? []).length > 0).length;
    findingsIntro.push(
      'Grouped by object, worst first. A policy finding names the rule it violates; ' +
        (restated > 0 ? `${restated} analysis finding(s) observing the same fact are shown under it ("same fact").` : 'no analysis finding restates one.'),
      '',
    );
    for (const g of presentFindings(m.findings)) g.items.forEach((item, i) => findingItems.push({ object: g.object, first: i === 0, item }));
  }
  const findingRows = lazyRows(findingItems, ({ object, first, item: { finding: f, sameFact } }) => {
    const path = typeof f.detail?.path === 'string' ? `<br>path: ${e(f.detail.path)}` : '';
    const same = sameFact.map((a) => `<br>_same fact, observed by ${a.source}: ${a.id} ${e(a.code)} (${a.severity})_`).join('');
    return `| ${first ? `**${e(object)}**` : ''} | ${SEV[f.severity]} | ${f.id} | ${e(f.code)} | ${e(reasonOf(f))} | ${e(messageBody(f))}${path}${same} |`;
  });
  const routingText = new Map<RoutingRow, string>();
  const routingRow = (r: RoutingRow): string => {
    let t = routingText.get(r);
    if (t === undefined) routingText.set(r, (t = routingRowText(r)));
    return t;
  };
  const routingRowText = (r: RoutingRow): string => {
    const notes = [r.public ? 'public' : '', r.valid ? '' : `invalid: ${r.reason ?? '?'}`, r.crossNamespace ? `cross-namespace${r.referenceGrant ? ` via ${r.referenceGrant}` : ''}` : '', r.findings.join(', ')]
      .filter(Boolean)
      .join('; ');
    return `| ${e(`${r.gateway}/${r.listener}`)} (${e(r.protocol)} ${r.port}) | ${e(r.hostname)} | ${e(`${r.route.kind} ${r.route.namespace}/${r.route.name}`)} | ${r.rule} | ${e(r.matches)} | ${e(`${r.backend.kind === 'Service' ? '' : `${r.backend.kind} `}${r.backend.namespace}/${r.backend.name}${r.backend.port !== undefined ? `:${r.backend.port}` : ''}`)} | ${r.weight} (${r.percent}%) | ${e(r.serviceType)} | ${r.policies ? r.policies.map(e).join('<br>') : 'none'} | ${e(notes)} |`;
  };
  const routingModelOrder = lazyRows(m.routing, routingRow);
  let routingReview: Rows | undefined;
  const listenerRows: string[] = [];
  for (const g of m.gateways) {
    const gwDiff = (g.recordedDiffers ?? []).map((d) => `<br>${e(d.field)} ${e(d.recomputed)} (**recorded ${e(d.recorded)}**${d.stale ? ', stale' : ''})`).join('');
    for (const l of g.listeners) {
      listenerRows.push(
        `| ${e(`${g.namespace}/${g.name}`)}${gwDiff} | ${e(l.name)} | ${e(l.protocol)} | ${l.port} | ${e(l.hostname ?? '*')} | ${l.public ? '**yes**' : 'no'} | ${recordedCell(String(l.accepted), l.recordedDiffers, 'Accepted', e)} | ${recordedCell(String(l.programmed), l.recordedDiffers, 'Programmed', e)} | ${recordedCell(String(l.attachedRoutes), l.recordedDiffers, 'attachedRoutes', e)} |`,
      );
    }
  }
  const certRows = lazyRows(
    m.certificates,
    (c) => `| ${e(subjectLabel(c.secret))} | ${e(c.subject ?? '?')} | ${e(c.notAfter ?? '?')} | ${c.daysRemaining ?? '?'} | ${c.status === 'valid' ? 'valid' : `**${c.status}**`} | ${e(c.usedBy.join(', '))} |`,
  );
  const controllers: string[] = [];
  for (const c of m.controllers.gatewayClasses) controllers.push(`- GatewayClass ${e(c.name)}: ${e(c.controllerName)} (Accepted=${e(c.accepted)})`);
  for (const w of m.controllers.workloads) controllers.push(`- ${e(w.kind)} ${e(`${w.namespace}/${w.name}`)}: ${e(w.implementation)} (${e(w.images.join(', '))})`);
  for (const c of m.controllers.conformance) {
    controllers.push(`- Conformance report ${e(c.file)}: ${e(c.implementation ?? '?')} ${e(c.version ?? '')}, Gateway API ${e(c.gatewayAPIVersion ?? '?')} ${e(c.channel ?? '')}${c.error ? ` (${e(c.error)})` : ''}`);
    for (const p of c.profiles) controllers.push(`  - ${e(p.name)}: core ${e(p.core ?? '-')}, extended ${e(p.extended ?? '-')} (${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped)`);
  }
  const operational = m.operational ? operationalMarkdownTables(m.operational, e) : undefined;

  return (limit) => {
    const out = [...head];
    if (m.findings.length === 0) out.push('No findings.');
    else out.push(...findingsIntro, ...table('Findings', ['Object', 'Severity', 'Id', 'Code', 'Reason', 'Message'], findingRows, limit, pointer));
    out.push('', '## Routing table', '');
    if (m.routing.length === 0) out.push('No routes are attached to any listener.');
    else {
      let rows = routingModelOrder;
      if (rows.length > limit) {
        rows = routingReview ??= lazyRows(reviewOrder(m.routing), routingRow);
        out.push('Rows with findings, invalid backends and public listeners first.', '');
      }
      out.push(...table('Routing table', ['Listener', 'Hostname', 'Route', 'Rule', 'Match', 'Backend', 'Weight', 'Service type', 'Adjacent policies', 'Notes'], rows, limit, pointer));
    }
    out.push('', '## Gateways and listeners', '');
    out.push('Accepted, Programmed and Routes are recomputed from the captured objects (a prediction); where the controller recorded something else, the recorded value is shown beside it in bold.', '');
    out.push(...table('Listeners', ['Gateway', 'Listener', 'Protocol', 'Port', 'Hostname', 'Public', 'Accepted', 'Programmed', 'Routes'], listenerRows, limit, pointer));
    out.push('', '## Certificates', '');
    if (certRows.length === 0) out.push('No listener certificates.');
    else out.push(...table('Certificates', ['Secret', 'Subject', 'Not after', 'Days left', 'Status', 'Used by'], certRows, limit, pointer));
    out.push('', '## Controllers and conformance', '', ...controllers.slice(0, Math.max(limit, m.controllers.gatewayClasses.length)));
    if (controllers.length > Math.max(limit, m.controllers.gatewayClasses.length)) out.push('', `_${controllers.length - Math.max(limit, m.controllers.gatewayClasses.length)} lines not shown ${pointer}._`);
    if (operational) {
      for (const sec of operational) {
        out.push('', `## ${sec.title}`, '', ...sec.intro);
        if (sec.header && sec.rows.length > 0) out.push(...table(sec.title, sec.header, sec.rows, limit, pointer));
        out.push(...sec.after);
      }
    }
    return `${out.join('\n')}\n`;
  };
}

/**
 * Renders the report as Markdown within `maxChars` (default: under GitHub's 65,536-character comment limit):
 * the full report when it fits, else the same report with every table shortened to the largest row count that
 * fits, each table saying how many rows it leaves out; the verdict, counts and bundle facts are always there.
 */
export function renderMarkdown(m: ReportModel, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? GITHUB_COMMENT_LIMIT - 1_000;
  const pointer = `(the full report: \`gwe report BUNDLE -o html\`, every row: \`-o json\`)`;
  const render = prepare(m, pointer);
  // A report with more rows than fit is never rendered whole (a 50k-route table would be tens of megabytes).
  const rowCount = m.findings.length + m.routing.length + m.certificates.length;
  if (rowCount <= 4 * max / 100) {
    const full = render(Number.MAX_SAFE_INTEGER);
    if (full.length <= max) return full;
  }
  // Largest row limit that fits: binary search over 0 .. the longest table.
  const longest = Math.max(m.findings.length, m.routing.length, m.certificates.length, m.gateways.reduce((n, g) => n + g.listeners.length, 0), 1);
  return fitRows(render, Math.min(longest, 2_000), max, pointer);
}

/**
 * The Markdown `render(rows)` gives with the largest row limit in 0..`hi` that fits `max` characters (binary
 * search: the length grows with the limit); when even no rows do not fit, that text cut at a line, saying so
 * with `pointer` (where the full report is). Shared by the report and the diff comments (GitHub's limit).
 */
export function fitRows(render: (rows: number) => string, hi: number, max: number, pointer: string): string {
  let lo = 0;
  let best = render(0);
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const s = render(mid);
    if (s.length <= max) {
      best = s;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best.length <= max) return best;
  // Even with no table rows (thousands of gateway classes or conformance profiles): cut, and say so.
  const note = `\n\n_Cut at ${max} characters to fit a comment ${pointer}._\n`;
  return `${best.slice(0, max - note.length).replace(/\n[^\n]*$/, '')}${note}`;
}

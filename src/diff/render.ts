/** Renderers for a BundleDiff: text, markdown, json, html. Pure string functions, no decisions. */
import { subjectLabel } from '../report/group.ts';
import type { Finding } from '../model/finding.ts';
import { GITHUB_COMMENT_LIMIT, fitRows, mdEscape } from '../report/markdown.ts';
import { termSafe } from '../report/text.ts';
import { esc as h } from '../report/svg-map.ts';
import { grantLabel } from './grants.ts';
import type { BundleDiff, ConformanceChange, ControllerWorkloadChange, DiffSide, FieldChange, GatewayClassChange, HostnameChange, PathChange, ReachedBackend, RouteChange, RouteListener, WeightShift } from './types.ts';
import { renderMapGraph } from '../report/map/svg.ts';
import { diffMapGraph } from './map.ts';

export type DiffFormat = 'text' | 'markdown' | 'json' | 'html';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'markdown', 'json', 'html'];

function sideLabel(s: DiffSide): string {
  const id = s.bundleId ?? s.name ?? 'capture';
  return `${id} (captured ${s.capturedAt}, ${s.scope}${s.partial ? ', PARTIAL' : ''}, ${s.objects} objects${checks(s)})`;
}

/** `, integrity ok, signatures verified (trust.yaml)`: what was checked about the side, said plainly. */
export function checks(s: DiffSide): string {
  let out = '';
  if (s.integrity !== undefined) out += `, integrity ${s.integrity === 'ok' ? 'ok' : 'FAILED'}`;
  if (s.signatures === 'verified') out += `, signatures verified (${s.trust ?? 'trust root'})`;
  else if (s.signatures === 'failed') out += `, signatures NOT VERIFIED (${s.trust ?? 'trust root'})`;
  else if (s.signatures === 'not-checked') out += ', signatures NOT CHECKED';
  return out;
}

function pct(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(2).replace(/0+$/, '')}%`;
}

function value(v: unknown): string {
  if (v === undefined) return '-';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

export function fieldChangeLine(c: FieldChange): string {
  switch (c.op) {
    case 'added':
      return `+ ${c.path}: ${value(c.new)}`;
    case 'removed':
      return `- ${c.path}: ${value(c.old)}`;
    case 'changed':
      return `~ ${c.path}: ${value(c.old)} -> ${value(c.new)}`;
  }
}

function backends(list: ReachedBackend[]): string {
  return list.length === 0 ? '(nothing)' : list.map((b) => `${b.backend} [${b.serviceType}]`).join(', ');
}

export function hostnameLine(h: HostnameChange): string {
  const where = `${h.hostname} on ${h.gateway} listener ${h.listener}`;
  switch (h.op) {
    case 'added':
      return `${where}: newly served -> ${backends(h.newBackends)}`;
    case 'removed':
      return `${where}: no longer served (was ${backends(h.oldBackends)})`;
    case 'changed': {
      const types = h.oldServiceTypes.join(',') !== h.newServiceTypes.join(',') ? ` (service types ${h.oldServiceTypes.join(', ') || 'none'} -> ${h.newServiceTypes.join(', ') || 'none'})` : '';
      return `${where}: ${backends(h.oldBackends)} -> ${backends(h.newBackends)}${types}`;
    }
  }
}

/** `chat.example.com: models/llm-v1 90% -> 50%` plus where. */
export function weightLine(w: WeightShift): string {
  return `${w.hostname}: ${w.backend} ${pct(w.oldPercent)} -> ${pct(w.newPercent)} (weight ${w.oldWeight} -> ${w.newWeight}; ${w.route} rule ${w.rule}; ${w.gateway} listener ${w.listener})`;
}

function listeners(l: RouteListener[]): string {
  return l.length === 0 ? '(none)' : l.map((x) => `${x.gateway} listener ${x.listener}`).join(', ');
}

export function routeLine(r: RouteChange): string {
  switch (r.op) {
    case 'added':
      return `${r.route}: now serves traffic on ${listeners(r.newListeners)}`;
    case 'removed':
      return `${r.route}: no longer serves traffic (was on ${listeners(r.oldListeners)})`;
    case 'moved':
      return `${r.route}: moved from ${listeners(r.oldListeners)} to ${listeners(r.newListeners)}`;
  }
}

export function pathLine(p: PathChange): string {
  return `${p.op === 'added' ? 'added' : 'removed'}: ${p.hostname} on ${p.gateway} listener ${p.listener} -> ${p.route} -> ${p.backend} [${p.serviceType}]`;
}

export function gatewayClassLine(c: GatewayClassChange): string {
  if (c.op === 'added') return `GatewayClass ${c.name} added (controllerName ${c.newControllerName || '(none)'})`;
  if (c.op === 'removed') return `GatewayClass ${c.name} removed (controllerName was ${c.oldControllerName || '(none)'})`;
  return `GatewayClass ${c.name}: controllerName ${c.oldControllerName || '(none)'} -> ${c.newControllerName || '(none)'}`;
}

export function workloadLine(w: ControllerWorkloadChange): string {
  const v = (l: string[]): string => (l.length ? l.join(', ') : '(none)');
  if (w.op === 'added') return `${w.workload} (${w.implementation}) added: version ${v(w.newVersions)} (${w.newImages.join(', ')})`;
  if (w.op === 'removed') return `${w.workload} (${w.implementation}) removed: was version ${v(w.oldVersions)}`;
  return `${w.workload} (${w.implementation}): version ${v(w.oldVersions)} -> ${v(w.newVersions)} (images ${w.oldImages.join(', ') || '(none)'} -> ${w.newImages.join(', ') || '(none)'})`;
}

export function conformanceLine(c: ConformanceChange): string {
  const f = c.new ?? c.old!;
  const what = `ConformanceReport ${c.key}${f.version ? ` ${f.version}` : ''}`;
  if (c.op === 'added') return `${what}: new report (${f.profiles.map((p) => `${p.name} core ${p.core ?? '-'}`).join(', ') || 'no profiles'})`;
  if (c.op === 'removed') return `${what}: no longer captured`;
  return `${what}: ${c.changes.length} change${c.changes.length === 1 ? '' : 's'}`;
}

function findingLine(f: Finding): string {
  return `[${f.severity}] ${f.code}${f.subject ? ` ${subjectLabel(f.subject)}` : ''}: ${f.message}`;
}

interface Section {
  title: string;
  lines: string[];
  /** Nested lines (field changes) per line index. */
  nested?: Map<number, string[]>;
}

function sections(d: BundleDiff, opts: { unchangedFindings?: boolean }): Section[] {
  const out: Section[] = [];
  const modNested = new Map<number, string[]>();
  d.objects.modified.forEach((m, i) => modNested.set(i, m.changes.map(fieldChangeLine)));
  out.push({ title: 'Objects added', lines: d.objects.added.map((o) => o.ref) });
  out.push({ title: 'Objects removed', lines: d.objects.removed.map((o) => o.ref) });
  out.push({
    title: 'Objects modified',
    lines: d.objects.modified.map((m) => `${m.ref}${m.oldApiVersion ? ` (apiVersion ${m.oldApiVersion} -> ${m.apiVersion})` : ''}`),
    nested: modNested,
  });
  out.push({ title: 'Hostnames reaching different backends', lines: d.routing.hostnames.map(hostnameLine) });
  out.push({ title: 'Routes added, removed or moved', lines: (d.routing.routes ?? []).map(routeLine) });
  out.push({ title: 'Exposures added or removed', lines: (d.routing.paths ?? []).map(pathLine) });
  out.push({ title: 'Weight shifts', lines: d.routing.weightShifts.map(weightLine) });
  out.push({
    title: 'Listener namespace access',
    lines: d.listeners.map((l) => {
      const parts: string[] = [];
      if (l.newlyAllowed.length > 0) parts.push(`newly allowed: ${l.newlyAllowed.join(', ')}`);
      if (l.noLongerAllowed.length > 0) parts.push(`no longer allowed: ${l.noLongerAllowed.join(', ')}`);
      if (l.oldFrom !== l.newFrom) parts.push(`from ${l.oldFrom ?? '(no listener)'} -> ${l.newFrom ?? '(no listener)'}`);
      return `${l.gateway} listener ${l.listener}: ${parts.join('; ')}`;
    }),
  });
  out.push({ title: 'Cross-namespace grants added', lines: d.grants.added.map(grantLabel) });
  out.push({ title: 'Cross-namespace grants removed', lines: d.grants.removed.map(grantLabel) });
  out.push({
    title: 'Certificates rotated',
    lines: d.certificates.rotated.map(
      (r) => `${r.secret} ${r.key}: ${r.old.sha256Fingerprint.slice(0, 16)}... (until ${r.old.notAfter}) -> ${r.new.sha256Fingerprint.slice(0, 16)}... (until ${r.new.notAfter})`,
    ),
  });
  out.push({
    title: 'Certificates expiring',
    lines: d.certificates.expiring.map((c) => `${c.secret} ${c.key} (${c.subject}): ${c.expired ? `EXPIRED ${-c.daysLeft} days before capture` : `expires in ${c.daysLeft} days`} (notAfter ${c.notAfter})`),
  });
  out.push({ title: 'Certificates added', lines: d.certificates.added.map((c) => `${c.secret} ${c.key} (${c.subject}, until ${c.notAfter})`) });
  out.push({ title: 'Certificates removed', lines: d.certificates.removed.map((c) => `${c.secret} ${c.key} (${c.subject})`) });
  if (d.authors) {
    // Audit evidence of the new bundle (issue 9): who changed each changed object in the window.
    out.push({
      title: 'Changed by (audit evidence of the new bundle)',
      lines: d.authors.map((a) => `${a.ref}: ${a.changes.length === 0 ? 'NO AUDIT EVENT' : a.changes.map((c) => `${c.verb}${c.subresource ? ` ${c.subresource}` : ''} by ${c.user} at ${c.time}`).join('; ')}`),
    });
  }
  if (d.controllers) {
    const c = d.controllers;
    out.push({ title: 'Controllers changed', lines: [...c.gatewayClasses.map(gatewayClassLine), ...c.workloads.map(workloadLine)] });
    const confNested = new Map<number, string[]>();
    c.conformance.forEach((x, i) => {
      if (x.op === 'changed') confNested.set(i, x.changes);
    });
    out.push({ title: 'Conformance reports changed', lines: c.conformance.map(conformanceLine), nested: confNested });
  }
  out.push({ title: 'Findings introduced', lines: d.findings.introduced.map(findingLine) });
  out.push({ title: 'Findings fixed', lines: d.findings.fixed.map(findingLine) });
  if (opts.unchangedFindings) out.push({ title: 'Findings unchanged', lines: d.findings.unchanged.map(findingLine) });
  return out;
}

function summaryLine(d: BundleDiff): string {
  const s = d.summary;
  return [
    `objects +${s.objectsAdded} -${s.objectsRemoved} ~${s.objectsModified}`,
    `hostnames changed ${s.hostnamesChanged}`,
    ...(s.routesAdded !== undefined ? [`routes +${s.routesAdded} -${s.routesRemoved ?? 0} moved ${s.routesMoved ?? 0}`] : []),
    `weight shifts ${s.weightShifts}`,
    `listeners opened ${s.listenersWithNewNamespaces}`,
    `grants +${s.grantsAdded} -${s.grantsRemoved}`,
    `certificates rotated ${s.certificatesRotated}, expiring ${s.certificatesExpiring}`,
    ...(s.controllersChanged !== undefined ? [`controllers changed ${s.controllersChanged}, conformance reports changed ${s.conformanceChanged ?? 0}`] : []),
    `findings introduced ${s.findingsIntroduced}, fixed ${s.findingsFixed}, unchanged ${s.findingsUnchanged}`,
  ].join('; ');
}

/** Plain text for terminals; bundle-controlled strings pass through termSafe (no control characters). */
export function renderDiffText(d: BundleDiff, opts: { unchangedFindings?: boolean } = {}): string {
  let out = `old: ${termSafe(sideLabel(d.old))}\nnew: ${termSafe(sideLabel(d.new))}\nsummary: ${summaryLine(d)}\n`;
  for (const n of d.notes) out += `note: ${termSafe(n)}\n`;
  for (const s of sections(d, opts)) {
    if (s.lines.length === 0) continue;
    out += `\n${s.title} (${s.lines.length}):\n`;
    s.lines.forEach((l, i) => {
      out += `  ${termSafe(l)}\n`;
      for (const n of s.nested?.get(i) ?? []) out += `      ${termSafe(n)}\n`;
    });
  }
  return out;
}

/** A one-paragraph summary for a change history (one per consecutive pair of a chain). */
export function renderDiffSummary(d: BundleDiff): string {
  const lines = [`summary: ${summaryLine(d)}`];
  for (const w of d.routing.weightShifts) lines.push(`  weight: ${weightLine(w)}`);
  for (const h of d.routing.hostnames) lines.push(`  hostname: ${hostnameLine(h)}`);
  for (const l of d.listeners) if (l.newlyAllowed.length > 0) lines.push(`  listener: ${l.gateway} ${l.listener} newly allows ${l.newlyAllowed.join(', ')}`);
  for (const g of d.grants.added) lines.push(`  grant: ${grantLabel(g)}`);
  for (const r of d.certificates.rotated) lines.push(`  certificate rotated: ${r.secret} ${r.key}`);
  for (const r of d.routing.routes ?? []) lines.push(`  route: ${routeLine(r)}`);
  for (const c of d.controllers?.gatewayClasses ?? []) lines.push(`  controller: ${gatewayClassLine(c)}`);
  for (const w of d.controllers?.workloads ?? []) lines.push(`  controller: ${workloadLine(w)}`);
  for (const c of d.controllers?.conformance ?? []) lines.push(`  conformance: ${conformanceLine(c)}${c.changes.length && c.op === 'changed' ? ` (${c.changes.join('; ')})` : ''}`);
  for (const f of d.findings.introduced) lines.push(`  finding introduced: ${findingLine(f)}`);
  for (const f of d.findings.fixed) lines.push(`  finding fixed: ${findingLine(f)}`);
  return lines.map(termSafe).join('\n') + '\n';
}

/** The line a reviewer reads first: whether to trust the two sides, then what changed that matters. */
export function diffVerdict(d: BundleDiff): string {
  const s = d.summary;
  const distrust = (['old', 'new'] as const).filter((k) => d[k].integrity === 'failed' || d[k].signatures === 'failed');
  if (distrust.length > 0) return `DO NOT TRUST THIS DIFF: the ${distrust.join(' and the ')} bundle did not verify (${distrust.map((k) => checks(d[k]).replace(/^, /, '')).join('; ')})`;
  const errors = d.findings.introduced.filter((f) => f.severity === 'error').length;
  const parts = [
    s.findingsIntroduced > 0 ? `${s.findingsIntroduced} finding(s) introduced${errors > 0 ? ` (${errors} error(s))` : ''}` : '',
    s.findingsFixed > 0 ? `${s.findingsFixed} fixed` : '',
    s.hostnamesChanged > 0 ? `${s.hostnamesChanged} hostname(s) reach different backends` : '',
    s.weightShifts > 0 ? `${s.weightShifts} weight shift(s)` : '',
    s.listenersWithNewNamespaces > 0 ? `${s.listenersWithNewNamespaces} listener(s) open to new namespaces` : '',
    s.grantsAdded > 0 ? `${s.grantsAdded} cross-namespace grant(s) added` : '',
    s.objectsAdded + s.objectsRemoved + s.objectsModified > 0 ? `objects +${s.objectsAdded} -${s.objectsRemoved} ~${s.objectsModified}` : '',
  ].filter(Boolean);
  const unchecked = (['old', 'new'] as const).filter((k) => d[k].signatures === 'not-checked');
  const sig = unchecked.length > 0 ? `; signatures NOT CHECKED (${unchecked.join(', ')})` : '';
  return `${parts.length > 0 ? `${errors > 0 ? 'REVIEW: ' : ''}${parts.join(', ')}` : 'NO CHANGE in objects, routing or findings'}${sig}`;
}

/** A fenced code block whose fence no line inside can close (CommonMark: a closing fence is at least as long). */
function fenced(info: string, lines: string[]): string[] {
  let run = 2;
  for (const l of lines) for (const m of l.matchAll(/`+/g)) run = Math.max(run, m[0].length);
  const fence = '`'.repeat(run + 1);
  return [`${fence}${info}`, ...lines, fence];
}

/** A line inside a code block: controls, bidi and format characters escaped, newlines cannot occur. */
function codeLine(s: string): string {
  return termSafe(s.replace(/[\r\n]+/g, ' '));
}

/**
 * Markdown for a pull request (issue 10): the verdict first, in bold; each section's lines as a list, or, for
 * the objects modified, as a ```diff block so `+`/`-`/`~` field changes keep their markers (as a list item,
 * `- + path` rendered as an empty bullet); sections longer than 10 lines collapse in <details>; and the whole
 * text stays within `maxChars` (default under GitHub's 65,536-character comment limit): sections are shortened,
 * each saying how many lines it leaves out and where the full diff is.
 */
export function renderDiffMarkdown(d: BundleDiff, opts: { unchangedFindings?: boolean; maxChars?: number } = {}): string {
  const max = opts.maxChars ?? GITHUB_COMMENT_LIMIT - 1_000;
  const e = mdEscape;
  let head = `## Bundle diff\n\n> **${e(diffVerdict(d))}**\n\n| | bundle | captured | scope | partial | objects |\n|---|---|---|---|---|---|\n`;
  for (const [label, s] of [['old', d.old], ['new', d.new]] as const) {
    head += `| ${label} | ${e(s.bundleId ?? s.name ?? 'capture')}${e(checks(s))} | ${e(s.capturedAt)} | ${e(s.scope)} | ${s.partial ? '**yes**' : 'no'} | ${s.objects} |\n`;
  }
  head += `\n${e(summaryLine(d))}\n`;
  for (const n of d.notes) head += `\n> **Note:** ${e(n)}\n`;
  const secs = sections(d, opts).filter((s) => s.lines.length > 0);
  const pointer = '(the full diff: `gwe diff OLD NEW -o html`, every change: `-o json`)';
  const render = (limit: number): string => {
    let out = head;
    for (const s of secs) {
      const shown = s.lines.slice(0, limit);
      let body: string[];
      if (s.nested) {
        // Field changes keep their +/-/~ markers in a diff block; each object is a hunk header line.
        const lines: string[] = [];
        shown.forEach((l, i) => {
          lines.push(`@@ ${codeLine(l)} @@`);
          for (const n of (s.nested!.get(i) ?? []).slice(0, Math.max(limit, 1))) lines.push(codeLine(n));
          const more = (s.nested!.get(i) ?? []).length - Math.max(limit, 1);
          if (more > 0) lines.push(`  ... ${more} more field change(s)`);
        });
        body = fenced('diff', lines);
      } else body = shown.map((l) => `- ${e(l)}`);
      if (shown.length < s.lines.length) body.push('', `_${s.lines.length - shown.length} of ${s.lines.length} not shown here ${pointer}._`);
      const title = `${e(s.title)} (${s.lines.length})`;
      out += s.lines.length > 10 ? `\n<details><summary><b>${title}</b></summary>\n\n${body.join('\n')}\n\n</details>\n` : `\n### ${title}\n\n${body.join('\n')}\n`;
    }
    return out;
  };
  const full = render(Number.MAX_SAFE_INTEGER);
  if (full.length <= max) return full;
  return fitRows(render, Math.min(secs.reduce((n, s) => Math.max(n, s.lines.length, ...[...(s.nested?.values() ?? [])].map((x) => x.length)), 1), 5_000), max, pointer);
}

export function renderDiffJson(d: BundleDiff): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

/** One self-contained HTML file: inline CSS, no script, no network. */
export function renderDiffHtml(d: BundleDiff, opts: { unchangedFindings?: boolean } = {}): string {
  let body = `<h1>Bundle diff</h1>\n<table class="sides"><tr><th></th><th>bundle</th><th>captured</th><th>scope</th><th>partial</th><th>objects</th></tr>\n`;
  for (const [label, s] of [['old', d.old], ['new', d.new]] as const) {
    body += `<tr><th>${label}</th><td><code>${h(s.bundleId ?? s.name ?? 'capture')}</code>${h(checks(s))}</td><td>${h(s.capturedAt)}</td><td>${h(s.scope)}</td><td>${s.partial ? '<strong class="warn">yes</strong>' : 'no'}</td><td>${s.objects}</td></tr>\n`;
  }
  body += `</table>\n<p class="summary">${h(summaryLine(d))}</p>\n`;
  for (const n of d.notes) body += `<p class="note">${h(n)}</p>\n`;
  // The exposure map of what changed (src/diff/map.ts; the report's ELK renderer, every label escaped).
  body += `<section id="map"><h2>Exposure map of what changed</h2><div class="map">${renderMapGraph(diffMapGraph(d)).svg}</div></section>\n`;
  for (const s of sections(d, opts)) {
    if (s.lines.length === 0) continue;
    const id = s.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    body += `<section id="${id}"><h2>${h(s.title)} (${s.lines.length})</h2><ul>\n`;
    s.lines.forEach((l, i) => {
      const nested = s.nested?.get(i) ?? [];
      body += `<li>${h(l)}${nested.length > 0 ? `<pre>${nested.map(h).join('\n')}</pre>` : ''}</li>\n`;
    });
    body += `</ul></section>\n`;
  }
  const css =
    'body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}' +
    'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}' +
    'pre{background:#f6f6f6;padding:.4em;overflow-x:auto;white-space:pre-wrap}.warn{color:#b00}.note{background:#fff4d6;padding:.4em}' +
    '.map{overflow-x:auto;border:1px solid #ddd;border-radius:6px;padding:6px}.map svg{display:block;max-width:100%;height:auto}' +
    '@media print{pre{white-space:pre-wrap}.map{overflow:visible;border:none}}';
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>gwe diff ${h(d.old.bundleId ?? d.old.name ?? d.old.capturedAt)} -> ${h(d.new.bundleId ?? d.new.name ?? d.new.capturedAt)}</title><style>${css}</style></head>\n<body>\n${body}</body></html>\n`;
}

export function renderDiff(d: BundleDiff, format: DiffFormat, opts: { unchangedFindings?: boolean } = {}): string {
  switch (format) {
    case 'text':
      return renderDiffText(d, opts);
    case 'markdown':
      return renderDiffMarkdown(d, opts);
    case 'json':
      return renderDiffJson(d);
    case 'html':
      return renderDiffHtml(d, opts);
  }
}

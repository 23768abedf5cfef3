/**
 * The operational record in reports (issue 9): change history per object (who, when, verb), owners
 * (ownerReferences, field managers, the policy's ownership keys), the audit window and its files, the DNS
 * exports, and attachments (listed, never parsed). The DNS and audit cross-checks are findings and appear
 * with every other finding. Pure: built from the capture; renderers only format it.
 */
import type { Capture } from '../model/collection.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, groupOf, refKey, refOf, type KubeObject } from '../model/object.ts';

const OWNED_GROUPS = new Set([GATEWAY_GROUP, GATEWAY_X_GROUP, 'inference.networking.k8s.io', 'inference.networking.x-k8s.io']);
import type { ChangeEntry, UnexplainedChange } from '../model/operational.ts';
import { ownershipValues } from '../audit/checks.ts';
import { truncatedNote } from './truncated.ts';

export interface ReportOwner {
  object: string;
  ownerReferences: string[];
  managers: string[];
  /** Policy ownership keys and their values (label or annotation on the object or its Namespace). */
  keys: Record<string, string>;
}

/** A signed change approval of this bundle (gwe report --approval; docs/approvals.md). */
export interface ReportApproval {
  file: string;
  valid: boolean;
  /** False when the previous bundle was not given: the signed diff digest could not be recomputed. */
  diffChecked: boolean;
  approver?: string;
  keyId?: string;
  ticket?: string;
  note?: string;
  approvedAt?: string;
  /** The bundle the approved change starts from. */
  from?: string;
  /** Finding codes that make it invalid. */
  problems: string[];
}

export interface ReportOperational {
  audit?: {
    since?: string;
    until: string;
    files: { name: string; gzip: boolean; lines: number; kept: number; malformed: number; first?: string; last?: string }[];
    events: number;
    /** Per object, its changes in the window, chronological. */
    history: { object: string; changes: ChangeEntry[] }[];
    unexplained: UnexplainedChange[];
  };
  owners: ReportOwner[];
  dns?: { files: { name: string; format: string; records: number }[]; records: number };
  attachments: { name: string; path: string; mediaType: string; bytes: number; sha256: string }[];
  approvals?: ReportApproval[];
}

export function operationalSection(capture: Capture, ownershipKeys: readonly string[] = []): ReportOperational | undefined {
  const ev = capture.evidence;
  const rec = capture.record;
  const owners: ReportOwner[] = [];
  const namespaces = new Map<string, KubeObject>();
  for (const o of capture.snapshot.objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.metadata.name, o);
  for (const o of capture.snapshot.objects) {
    // Owners of the routing objects (Gateway API kinds) and the Services they reach; other kinds' managers are in the bundle.
    if (!OWNED_GROUPS.has(groupOf(o.apiVersion)) && !(o.apiVersion === 'v1' && o.kind === 'Service')) continue;
    const keys = ownershipValues(o, ownershipKeys, namespaces.get(o.metadata.namespace ?? ''));
    const refs = (o.metadata.ownerReferences ?? []).map((r) => `${r.kind} ${r.name}${r.controller ? ' (controller)' : ''}`);
    const managers = (o.metadata.managedFields ?? []).map((m) => `${m.manager}${m.operation ? ` ${m.operation}` : ''}${m.subresource ? ` /${m.subresource}` : ''}${m.time ? ` ${m.time}` : ''}`);
    if (refs.length === 0 && managers.length === 0 && Object.keys(keys).length === 0) continue;
    owners.push({ object: refKey(refOf(o)), ownerReferences: refs, managers, keys });
  }
  owners.sort((a, b) => compareStrings(a.object, b.object));
  if (!ev && owners.length === 0) return undefined;
  const out: ReportOperational = { owners, attachments: (rec.attachments ?? []).map((a) => ({ name: a.name, path: a.path, mediaType: a.mediaType, bytes: a.bytes, sha256: a.sha256 })) };
  if (ev?.audit && rec.audit) {
    out.audit = {
      ...(rec.audit.since !== undefined ? { since: rec.audit.since } : {}),
      until: rec.audit.until,
      files: rec.audit.files.map((f) => ({ name: f.name, gzip: f.gzip, lines: f.lines, kept: f.kept, malformed: f.malformed, ...(f.first ? { first: f.first } : {}), ...(f.last ? { last: f.last } : {}) })),
      events: ev.audit.events.length,
      history: ev.audit.history.objects.map((o) => ({ object: o.ref, changes: o.changes })),
      unexplained: ev.audit.history.unexplained ?? [],
    };
  }
  if (ev?.dns) out.dns = { files: (rec.dns?.files ?? []).map((f) => ({ name: f.name, format: f.format, records: f.records })), records: ev.dns.records.length };
  return out;
}

/** One line per change: `2026-11-20T10:00:00Z patch by alice (as bob) [status] -> 200`. */
export function changeLine(c: ChangeEntry): string {
  return `${c.time} ${c.verb}${c.subresource ? ` ${c.subresource}` : ''} by ${c.user}${c.impersonatedUser ? ` (as ${c.impersonatedUser})` : ''}${c.code !== undefined ? ` -> ${c.code}` : ''}`;
}

/** Text lines (terminal); `s` escapes bundle strings. */
export function operationalText(op: ReportOperational, s: (x: string) => string): string[] {
  const out: string[] = [];
  if (op.audit) {
    const a = op.audit;
    out.push('', `Change history (audit window ${s(a.since ?? '(open)')} .. ${s(a.until)}, ${a.events} change event(s))`);
    for (const f of a.files) out.push(`  audit log ${s(f.name)}${f.gzip ? ' (gzip)' : ''}: ${f.lines} lines, ${f.kept} kept, ${f.malformed} malformed, ${s(f.first ?? '?')} .. ${s(f.last ?? '?')}`);
    for (const h of a.history) {
      out.push(`  ${s(h.object)}`);
      for (const c of h.changes) out.push(`    ${s(changeLine(c))}`);
    }
    if (a.history.length === 0) out.push('  (no change in the window)');
    for (const u of a.unexplained) out.push(`  UNEXPLAINED ${s(u.ref)}: ${u.field} ${s(u.old)} -> ${s(u.new)} with no audit event`);
  }
  if (op.owners.length > 0) {
    out.push('', 'Owners');
    for (const o of op.owners) {
      const parts = [
        ...Object.entries(o.keys).map(([k, v]) => `${k}=${v}`),
        ...(o.ownerReferences.length > 0 ? [`ownerReferences ${o.ownerReferences.join(', ')}`] : []),
        ...(o.managers.length > 0 ? [`managers ${o.managers.join(', ')}`] : []),
      ];
      out.push(`  ${s(o.object)}: ${s(parts.join('; '))}`);
    }
  }
  if (op.dns) {
    out.push('', `DNS evidence (${op.dns.records} records; cross-checks are in the findings, codes DNS_*)`);
    for (const f of op.dns.files) out.push(`  ${s(f.name)} (${s(f.format)}): ${f.records} records`);
  }
  if (op.approvals) {
    out.push('', 'Change approvals');
    for (const a of op.approvals) out.push(`  ${s(approvalLine(a))}`);
  }
  if (op.attachments.length > 0) {
    out.push('', 'Attachments (kept byte for byte, not parsed)');
    for (const a of op.attachments) out.push(`  ${s(a.name)} ${s(a.mediaType)} ${a.bytes} bytes sha256 ${a.sha256} at ${s(a.path)}`);
  }
  return out;
}

/** One Markdown section of the operational record: a title, lines before the table, the table, lines after. */
export interface MarkdownSection {
  title: string;
  intro: string[];
  header?: string[];
  rows: string[];
  after: string[];
}

/** The operational record as Markdown sections whose tables the caller may shorten (report/markdown.ts). */
export function operationalMarkdownTables(op: ReportOperational, e: (x: string) => string): MarkdownSection[] {
  const out: MarkdownSection[] = [];
  if (op.audit) {
    const a = op.audit;
    const rows: string[] = [];
    for (const h of a.history) for (const c of h.changes) rows.push(`| ${e(h.object)} | ${e(c.time)} | ${e(c.verb)}${c.subresource ? ` ${e(c.subresource)}` : ''} | ${e(c.user)}${c.impersonatedUser ? ` (as ${e(c.impersonatedUser)})` : ''} | ${c.code ?? ''} |`);
    out.push({
      title: 'Change history',
      intro: [`Audit window ${e(a.since ?? '(open)')} .. ${e(a.until)}: ${a.events} change event(s) from ${a.files.map((f) => e(f.name)).join(', ')}.`, ''],
      header: ['Object', 'When', 'Verb', 'Who', 'Status'],
      rows,
      after: a.unexplained.flatMap((u) => ['', `- **unexplained change** ${e(u.ref)}: ${e(u.field)} ${e(u.old)} -> ${e(u.new)}, no audit event`]),
    });
  }
  if (op.owners.length > 0) {
    out.push({
      title: 'Owners',
      intro: [],
      header: ['Object', 'Ownership keys', 'Owner references', 'Field managers'],
      rows: op.owners.map((o) => `| ${e(o.object)} | ${e(Object.entries(o.keys).map(([k, v]) => `${k}=${v}`).join(', '))} | ${e(o.ownerReferences.join(', '))} | ${e(o.managers.join(', '))} |`),
      after: [],
    });
  }
  if (op.dns) {
    out.push({ title: 'DNS evidence', intro: [`${op.dns.records} records; cross-checks (DNS_*) are listed with the findings.`, ''], rows: [], after: op.dns.files.map((f) => `- ${e(f.name)} (${e(f.format)}): ${f.records} records`) });
  }
  if (op.approvals) out.push({ title: 'Change approvals', intro: [], rows: [], after: op.approvals.map((a) => `- ${e(approvalLine(a))}`) });
  if (op.attachments.length > 0) {
    out.push({
      title: 'Attachments',
      intro: [],
      header: ['File', 'Media type', 'Bytes', 'SHA-256'],
      rows: op.attachments.map((a) => `| ${e(a.name)} | ${e(a.mediaType)} | ${a.bytes} | ${e(a.sha256)} |`),
      after: [],
    });
  }
  return out;
}

/** The operational record as Markdown, every row (see operationalMarkdownTables for a bounded rendering). */
export function operationalMarkdown(op: ReportOperational, e: (x: string) => string): string[] {
  const out: string[] = [];
  for (const sec of operationalMarkdownTables(op, e)) {
    out.push('', `## ${sec.title}`, '', ...sec.intro);
    if (sec.header && sec.rows.length > 0) out.push(`| ${sec.header.join(' | ')} |`, `|${sec.header.map(() => '---|').join('')}`, ...sec.rows);
    out.push(...sec.after);
  }
  return out;
}

export function operationalHtml(op: ReportOperational, esc: (x: string) => string, maxRows = Number.MAX_SAFE_INTEGER): string[] {
  const out: string[] = [];
  const more = (id: string, total: number, what: string): void => {
    if (total > maxRows) out.push(truncatedNote(id, maxRows, total, what));
  };
  if (op.audit) {
    const a = op.audit;
    out.push('<h2>Change history</h2>', `<p>Audit window ${esc(a.since ?? '(open)')} .. ${esc(a.until)}: ${a.events} change event(s) from ${a.files.map((f) => `<code>${esc(f.name)}</code>`).join(', ')}.</p>`);
    out.push('<table id="change-history"><thead><tr><th>Object</th><th>When</th><th>Verb</th><th>Who</th><th>Status</th></tr></thead><tbody>');
    const changes = a.history.flatMap((h) => h.changes.map((c) => ({ h, c })));
    for (const { h, c } of changes.slice(0, maxRows)) out.push(`<tr><td class="mono">${esc(h.object)}</td><td>${esc(c.time)}</td><td>${esc(c.verb)}${c.subresource ? ` ${esc(c.subresource)}` : ''}</td><td>${esc(c.user)}${c.impersonatedUser ? ` (as ${esc(c.impersonatedUser)})` : ''}</td><td>${c.code ?? ''}</td></tr>`);
    out.push('</tbody></table>');
    more('change-history', changes.length, 'changes');
    if (a.unexplained.length > 0) {
      out.push('<ul id="unexplained">');
      for (const u of a.unexplained) out.push(`<li><b>unexplained change</b> <code>${esc(u.ref)}</code>: ${esc(u.field)} ${esc(u.old)} &rarr; ${esc(u.new)}, no audit event</li>`);
      out.push('</ul>');
    }
  }
  if (op.owners.length > 0) {
    out.push('<h2>Owners</h2>', '<table id="owners"><thead><tr><th>Object</th><th>Ownership keys</th><th>Owner references</th><th>Field managers</th></tr></thead><tbody>');
    for (const o of op.owners.slice(0, maxRows)) out.push(`<tr><td class="mono">${esc(o.object)}</td><td>${esc(Object.entries(o.keys).map(([k, v]) => `${k}=${v}`).join(', '))}</td><td>${o.ownerReferences.map(esc).join('<br>')}</td><td>${o.managers.map(esc).join('<br>')}</td></tr>`);
    out.push('</tbody></table>');
    more('owners', op.owners.length, 'objects with owners');
  }
  if (op.dns) {
    out.push('<h2>DNS evidence</h2>', `<p>${op.dns.records} records; cross-checks (DNS_*) are listed with the findings.</p>`, '<ul id="dns-files">');
    for (const f of op.dns.files) out.push(`<li><code>${esc(f.name)}</code> (${esc(f.format)}): ${f.records} records</li>`);
    out.push('</ul>');
  }
  if (op.approvals) {
    out.push('<h2>Change approvals</h2>', '<ul id="approvals">');
    for (const a of op.approvals) out.push(`<li${a.valid ? '' : ' class="status-expired"'}>${esc(approvalLine(a))}</li>`);
    out.push('</ul>');
  }
  if (op.attachments.length > 0) {
    out.push('<h2>Attachments</h2>', '<table id="attachments"><thead><tr><th>File</th><th>Media type</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>');
    for (const a of op.attachments.slice(0, maxRows)) out.push(`<tr><td>${esc(a.name)}</td><td>${esc(a.mediaType)}</td><td>${a.bytes}</td><td class="mono">${esc(a.sha256)}</td></tr>`);
    out.push('</tbody></table>');
  }
  return out;
}

export function approvalLine(a: ReportApproval): string {
  const who = `${a.approver ?? a.keyId ?? 'unknown signer'}${a.ticket ? ` (ticket ${a.ticket})` : ''}${a.approvedAt ? ` at ${a.approvedAt}` : ''}`;
  const state = !a.valid ? `REJECTED (${a.problems.join(', ')})` : a.diffChecked ? 'valid' : 'valid signature; diff not recomputed (give --previous-bundle)';
  return `${a.file}: ${state}: approved by ${who}${a.from ? `, change from ${a.from}` : ''}${a.note ? `: ${a.note}` : ''}`;
}

/** Plain-text (terminal) rendering of the report model. Pure. Control characters from the bundle are escaped. */
import type { ReportModel } from './model.ts';
import { escapeText } from '../model/display.ts';
import { messageBody, presentFindings, reasonOf, subjectLabel } from './group.ts';
import { operationalText } from './operational.ts';

/**
 * Makes a bundle-controlled string safe for a terminal: every control, bidi and format character (ANSI
 * escapes, CR, newlines) is escaped by the shared escaper (src/model/display.ts, issue 8 item 2).
 */
export function termSafe(s: string): string {
  return escapeText(s);
}

function table(headers: string[], rows: string[][]): string[] {
  const w = headers.map((h) => h.length);
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(headers), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)];
}

export { subjectLabel };

export function bundleFacts(m: ReportModel): [string, string][] {
  const b = m.bundle;
  return [
    ['Bundle', b.id],
    ['Captured', b.capturedAt],
    ['Cluster', [b.cluster.name, b.cluster.serverVersion].filter(Boolean).join(' ') || '(unnamed)'],
    ['Scope', b.scopeLabel],
    ['Partial', b.partial ? `YES: ${b.gaps.length} gap(s), the capture is known to be incomplete` : 'no (complete capture)'],
    ['Mode', b.mode],
    // collect counts a ConformanceReport among its objects; the snapshot keeps it apart, so say both.
    ['Objects', `${b.objects}${m.controllers.conformance.length > 0 ? ` (+ ${m.controllers.conformance.length} conformance report${m.controllers.conformance.length === 1 ? '' : 's'})` : ''}`],
    ...(m.policy ? ([['Policy', `${m.policy.name ?? '(unnamed)'} (${m.policy.source}, ${m.policy.rules} rules)`]] as [string, string][]) : []),
    ...(b.previousBundle ? ([['Previous', `${b.previousBundle.bundleId} (${b.previousBundle.digest})`]] as [string, string][]) : []),
  ];
}

export function renderText(m: ReportModel): string {
  const out: string[] = [];
  const s = termSafe;
  out.push(`gateway-evidence report (${m.tool.name} ${m.tool.version})`, '');
  out.push(s(m.verification.headline));
  for (const sg of m.verification.signers) {
    out.push(`  signer ${s(sg.name ?? '(unknown)')}${sg.role ? ` [${s(sg.role)}]` : ''} key ${s(sg.keyId)}: ${sg.counted ? 'counted' : `not counted${sg.reason ? ` (${s(sg.reason)})` : ''}`}`);
  }
  out.push('');
  for (const [k, v] of bundleFacts(m)) out.push(`${k.padEnd(9)} ${s(v)}`);
  for (const g of m.bundle.gaps) out.push(`  gap: ${s(g.kind)}${g.namespace ? ` in ${s(g.namespace)}` : ''}: ${s(g.message)}`);
  const restated = m.findings.filter((f) => (f.restatedBy ?? []).length > 0).length;
  out.push(
    '',
    `Findings: ${m.summary.errors} error(s), ${m.summary.warnings} warning(s), ${m.summary.infos} info` +
      (restated > 0 ? `; ${restated} of them observe the same fact as a policy violation and are shown under it` : ''),
  );
  out.push('  (grouped by object; a policy finding names the rule it violates)');
  for (const g of presentFindings(m.findings)) {
    out.push('', `  ${s(g.object)}`);
    for (const { finding: f, sameFact } of g.items) {
      const sub = f.subject && subjectLabel(f.subject) !== g.object && !f.message.includes(subjectLabel(f.subject)) ? ` (${s(subjectLabel(f.subject))})` : '';
      out.push(`    ${f.severity.toUpperCase().padEnd(7)} ${f.id} ${s(f.code)}: ${s(reasonOf(f))}${sub}`);
      out.push(`            ${s(messageBody(f))}`);
      if (typeof f.detail?.path === 'string') out.push(`            path: ${s(f.detail.path)}`);
      for (const a of sameFact) out.push(`            same fact, observed by ${a.source}: ${a.id} ${s(a.code)} (${a.severity}): ${s(a.message)}`);
    }
  }
  out.push('', 'Controllers');
  for (const c of m.controllers.gatewayClasses) out.push(`  GatewayClass ${s(c.name)}: ${s(c.controllerName)} (Accepted=${c.accepted})`);
  for (const w of m.controllers.workloads) out.push(`  ${w.kind} ${s(w.namespace)}/${s(w.name)}: ${s(w.implementation)} ${s(w.images.join(', '))}`);
  for (const c of m.controllers.conformance) {
    out.push(`  conformance ${s(c.file)}: ${s(c.implementation ?? '?')} ${s(c.version ?? '')} Gateway API ${s(c.gatewayAPIVersion ?? '?')} ${s(c.channel ?? '')}${c.error ? ` (${s(c.error)})` : ''}`);
    for (const p of c.profiles) out.push(`    ${s(p.name)}: core ${s(p.core ?? '-')}, extended ${s(p.extended ?? '-')} (${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped)`);
  }
  out.push('', 'Gateways (accepted, programmed, routes: recomputed, a prediction; "recorded:" what the controller wrote, where it differs)');
  for (const g of m.gateways) {
    out.push(`  Gateway ${s(g.namespace)}/${s(g.name)} class ${s(g.gatewayClassName)} addresses ${s(g.addresses.join(', ') || '-')}`);
    for (const d of g.recordedDiffers ?? []) out.push(`    ${s(d.field)}: recomputed ${s(d.recomputed)}, recorded: ${s(d.recorded)}${d.stale ? ' (stale)' : ''}`);
    for (const l of g.listeners) {
      const rec = (field: string): string => {
        const d = l.recordedDiffers?.find((x) => x.field === field);
        return d ? ` (recorded: ${s(d.recorded)}${d.stale ? ', stale' : ''})` : '';
      };
      out.push(
        `    listener ${s(l.name)} ${l.protocol} ${l.port}${l.hostname ? ` ${s(l.hostname)}` : ''}${l.tlsMode ? ` tls=${l.tlsMode}` : ''}${l.public ? ' PUBLIC' : ''} accepted=${l.accepted}${rec('Accepted')} programmed=${l.programmed}${rec('Programmed')} routes=${l.attachedRoutes}${rec('attachedRoutes')}`,
      );
    }
  }
  out.push('', 'Routing table');
  out.push(
    ...table(
      ['LISTENER', 'HOSTNAME', 'ROUTE', 'RULE', 'MATCH', 'BACKEND', 'WEIGHT', 'TYPE', 'NOTES'],
      m.routing.map((r) => [
        `${s(r.gateway)}/${s(r.listener)}${r.public ? '*' : ''}`,
        s(r.hostname),
        `${r.route.kind} ${s(r.route.namespace)}/${s(r.route.name)}`,
        String(r.rule),
        s(r.matches),
        `${s(r.backend.namespace)}/${s(r.backend.name)}${r.backend.port !== undefined ? `:${r.backend.port}` : ''}`,
        `${r.weight} (${r.percent}%)`,
        r.serviceType,
        [r.valid ? '' : `invalid: ${s(r.reason ?? '?')}`, r.crossNamespace ? `cross-ns${r.referenceGrant ? ` via ${s(r.referenceGrant)}` : ''}` : '', r.servesTraffic ? '' : 'no traffic', r.findings.join(','), r.policies ? `policies: ${r.policies.map(s).join(', ')}` : '']
          .filter(Boolean)
          .join('; '),
      ]),
    ).map((l) => `  ${l}`),
  );
  out.push('  (* = public listener)', '', 'Certificates');
  for (const c of m.certificates) {
    out.push(
      `  ${s(subjectLabel(c.secret))}${c.position > 0 ? ` [chain ${c.position}]` : ''}: ${s(c.subject ?? '?')} notAfter ${s(c.notAfter ?? '?')} (${c.daysRemaining ?? '?'} days) ${c.status.toUpperCase()}`,
    );
  }
  if (m.certificates.length === 0) out.push('  (no listener certificates)');
  if (m.operational) out.push(...operationalText(m.operational, s));
  return `${out.join('\n')}\n`;
}

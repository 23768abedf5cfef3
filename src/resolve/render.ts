/** Text rendering of a Resolution for a person at a terminal (pure: returns a string). */
import type { Condition, PolicyCoverage, Resolution, RoutingEntry } from './types.ts';

/** `SecurityPolicy ns/name [authentication] (envoy-gateway)`: what a policy is, and whose enforcement it is. */
function coverageLabel(c: PolicyCoverage): string {
  return `${c.kind} ${c.namespace}/${c.name} [${c.categories.join(', ')}] (${c.implementation}${c.inherited || c.attachedTo === 'Route' || c.attachedTo === 'Rule' || c.attachedTo === 'Backend' ? '' : ', Direct: this listener only'})`;
}
import { escapeText } from '../model/display.ts';

function condSummary(conds: readonly Condition[], types: readonly string[]): string {
  return types
    .map((t) => conds.find((c) => c.type === t))
    .filter((c): c is Condition => c !== undefined)
    .map((c) => (c.status === 'True' && c.reason === c.type ? `${c.type}` : `${c.type}=${c.status}(${c.reason})`))
    .join(' ');
}

function table(rows: string[][], indent: string): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function backendLines(e: RoutingEntry, indent: string): string[] {
  const out: string[] = [];
  if (e.policies?.length) out.push(`${indent}policies on the listener (enforced by the implementation, not evaluated): ${e.policies.map(coverageLabel).join(', ')}`);
  for (const h of e.hostnames) {
    out.push(`${indent}${h.hostname}`);
    for (const r of h.routes) {
      out.push(`${indent}  #${r.precedence} ${r.kind} ${r.namespace}/${r.name}${r.servesTraffic ? '' : '  (attached, no traffic: not the oldest route on this listener)'}`);
      for (const rule of r.rules) {
        const m = rule.matches.length ? ` ${JSON.stringify(rule.matches)}` : '';
        out.push(`${indent}    rule ${rule.index}${rule.name ? ` (${rule.name})` : ''}${m}${rule.dropped ? `  DROPPED (${rule.dropped.reason}: ${rule.dropped.message})` : ''}`);
        if (rule.policies?.length) out.push(`${indent}      policies: ${rule.policies.map(coverageLabel).join(', ')}`);
        if (rule.backends.length === 0) out.push(`${indent}      (no backends)`);
        for (const b of rule.backends) {
          const flags: string[] = [];
          if (b.crossNamespace) flags.push(`cross-namespace${b.referenceGrant ? ` via ReferenceGrant ${b.referenceGrant}` : ''}`);
          if (b.service) flags.push(`Service type ${b.service.type}`);
          if (b.serviceImport) flags.push(`ServiceImport type ${b.serviceImport.type}`);
          if (b.backendTLSPolicy) flags.push(`BackendTLSPolicy ${b.backendTLSPolicy}`);
          if (b.inferencePool) {
            const p = b.inferencePool;
            const sel = Object.entries(p.selector).map(([k, v]) => `${k}=${v}`).join(',');
            const epp = p.endpointPicker ? `endpoint picker ${p.endpointPicker.kind} ${p.endpointPicker.name}${p.endpointPicker.port !== undefined ? `:${p.endpointPicker.port}` : ''}${p.endpointPicker.found ? '' : ' (not found)'}` : 'no endpoint picker';
            flags.push(`pool selector ${sel || '-'}, ports ${p.targetPorts.join(',') || '-'}, ${epp}${p.objectives.length ? `, objectives ${p.objectives.join(',')}` : ''}${p.models.length ? `, models ${p.models.join(',')}` : ''}`);
          }
          for (const c of b.policies ?? []) flags.push(`policy ${coverageLabel(c)}`);
          if (!b.valid) flags.push(`INVALID ${b.reason}: ${b.message ?? ''}`);
          const kind = b.kind === 'Service' && b.group === '' ? '' : `${b.kind} `;
          out.push(`${indent}      ${String(b.percent).padStart(6)}%  ${kind}${b.namespace}/${b.name}${b.port !== undefined ? `:${b.port}` : ''}  weight ${b.weight}${flags.length ? `  [${flags.join('; ')}]` : ''}`);
        }
      }
    }
  }
  return out;
}

export function renderResolutionText(res: Resolution): string {
  const out: string[] = [];
  for (const gc of res.gatewayClasses) out.push(`GatewayClass ${gc.name}  controller ${gc.controllerName}  ${condSummary(gc.conditions, ['Accepted'])}`);
  if (res.gatewayClasses.length) out.push('');
  for (const g of res.gateways) {
    out.push(`Gateway ${g.namespace}/${g.name}  class ${g.gatewayClassName}  ${condSummary(g.conditions, ['Accepted', 'Programmed', 'ResolvedRefs'])}`);
    const entries = res.routing.filter((e) => e.gateway.namespace === g.namespace && e.gateway.name === g.name);
    const addresses = entries[0]?.addresses ?? [];
    out.push(`  addresses: ${addresses.length ? addresses.join(', ') : '(none recorded)'}`);
    const rows: string[][] = [['LISTENER', 'PORT', 'PROTOCOL', 'TLS', 'HOSTNAME', 'ROUTES', 'STATUS']];
    const statusOf = (name: string, ls?: { namespace: string; name: string }): string => {
      const list = ls ? g.listenerSets?.find((x) => x.namespace === ls.namespace && x.name === ls.name)?.listeners : g.listeners;
      const l = list?.find((x) => x.name === name);
      return l ? `${condSummary(l.conditions, ['Accepted', 'ResolvedRefs', 'Programmed'])}${l.conditions.some((c) => c.type === 'Conflicted' && c.status === 'True') ? ' Conflicted' : ''}` : '';
    };
    for (const e of entries) {
      const list = e.listenerSet ? g.listenerSets?.find((x) => x.namespace === e.listenerSet!.namespace && x.name === e.listenerSet!.name)?.listeners : g.listeners;
      const attached = list?.find((x) => x.name === e.listener)?.attachedRoutes ?? 0;
      rows.push([
        e.listenerSet ? `${e.listenerSet.name}/${e.listener}` : e.listener,
        String(e.port),
        e.protocol,
        e.tlsMode ?? '-',
        e.listenerHostname ?? '*',
        String(attached),
        statusOf(e.listener, e.listenerSet),
      ]);
    }
    out.push(...table(rows, '  '));
    for (const e of entries) {
      if (e.hostnames.length === 0 && e.certificateRefs.length === 0) continue;
      out.push(`  listener ${e.listenerSet ? `${e.listenerSet.name}/` : ''}${e.listener} (${e.protocol}/${e.port}${e.protocol === 'HTTP' || e.protocol === 'TCP' || e.protocol === 'UDP' ? ', no TLS' : ''}):`);
      for (const c of e.certificateRefs) {
        const leaf = c.chain[0];
        out.push(`    certificate ${c.namespace}/${c.name}: ${c.resolved ? 'resolved' : `UNRESOLVED ${c.reason}`}${leaf ? `  SANs ${leaf.dnsNames.join(',') || '-'}  notAfter ${leaf.notAfter ?? '?'}` : ''}`);
      }
      out.push(...backendLines(e, '    '));
    }
    out.push('');
  }
  for (const p of res.inferencePools ?? []) {
    const parents = p.parents.map((x) => `${x.parentRef.namespace}/${x.parentRef.name} ${condSummary(x.conditions, ['Accepted', 'ResolvedRefs'])}`);
    out.push(`InferencePool ${p.namespace}/${p.name}  parents: ${parents.length ? parents.join('; ') : '(none: no route references it)'}`);
  }
  if (res.inferencePools?.length) out.push('');
  const unattached = res.routes.filter((r) => r.parents.every((p) => p.conditions.some((c) => c.type === 'Accepted' && c.status === 'False')));
  if (unattached.length) {
    out.push('Routes not accepted by any parent:');
    for (const r of unattached) {
      for (const p of r.parents) {
        const a = p.conditions.find((c) => c.type === 'Accepted')!;
        out.push(`  ${r.kind} ${r.namespace}/${r.name} -> ${p.parentRef.kind} ${p.parentRef.namespace}/${p.parentRef.name}${p.parentRef.sectionName ? `#${p.parentRef.sectionName}` : ''}: ${a.reason}: ${a.message}`);
      }
    }
    out.push('');
  }
  const notable = res.findings.filter((f) => f.severity !== 'info');
  out.push(`Findings: ${notable.length} (${res.findings.length - notable.length} info)`);
  for (const f of notable) out.push(`  ${f.severity.padEnd(7)} ${f.code}  ${f.subject ?? ''}: ${f.message}`);
  // Every element of `out` is one line: escaping each (newlines included) keeps input strings from adding
  // lines or terminal controls (issue 8 item 2, src/model/display.ts).
  return out.map((l) => escapeText(l)).join('\n') + '\n';
}

/**
 * Stage 4, BackendTLSPolicy (apis/v1/backendtlspolicy_types.go): validity, targets, precedence between policies
 * on one target; routes (backends.ts) look policies up here.
 */
import { compareStrings } from '../model/object.ts';
import { cond, nsName, sortConditions, str, type Context } from './context.ts';
import type { PolicyState } from './state.ts';
import type { Condition } from './types.ts';

/**
 * BackendTLSPolicies indexed by target. `byTarget` key: `ns/service#sectionName` ('' = the whole Service); each list
 * is in precedence order (older creationTimestamp, then namespace/name; backendtlspolicy_types.go TargetRefs), so
 * `[0]` is the policy that applies and the others are Conflicted. `byService` lists every policy that targets a
 * Service name (any section), for ancestor status.
 */
export interface PolicyIndex {
  byTarget: Map<string, PolicyState[]>;
  byService: Map<string, PolicyState[]>;
}

export function resolvePolicies(ctx: Context): PolicyIndex {
  const index: PolicyIndex = { byTarget: new Map(), byService: new Map() };
  const sorted = [...ctx.backendTLSPolicies].sort(
    (a, b) =>
      compareStrings(a.metadata.creationTimestamp || '\uffff', b.metadata.creationTimestamp || '\uffff') ||
      compareStrings(nsName(a.metadata.namespace, a.metadata.name), nsName(b.metadata.namespace, b.metadata.name)),
  );
  for (const o of sorted) {
    const ns = o.metadata.namespace ?? '';
    const p: PolicyState = { obj: o, namespace: ns, name: o.metadata.name, valid: false, targetKeys: new Set() };
    const v = o.spec?.validation ?? {};
    const refs: unknown[] = Array.isArray(v.caCertificateRefs) ? v.caCertificateRefs : [];
    const wellKnown = str(v.wellKnownCACertificates);
    let validCA = 0;
    for (const r of refs as Record<string, unknown>[]) {
      const group = str(r?.['group']) ?? '';
      const kind = str(r?.['kind']) ?? '';
      const name = str(r?.['name']) ?? '';
      if (group !== '' || kind !== 'ConfigMap') {
        p.resolvedRefs ??= { reason: 'InvalidKind', message: `caCertificateRef ${kind} ${name}: expected group "" kind ConfigMap, found group "${group}" kind ${kind}` };
        continue;
      }
      const view = ctx.caView('ConfigMap', ns, name);
      if (!view.exists || !view.certValid) {
        p.resolvedRefs ??= { reason: 'InvalidCACertificateRef', message: `caCertificateRef ConfigMap ${ns}/${name}: ${view.error ?? 'invalid'}` };
        continue;
      }
      validCA++;
    }
    if (!str(v.hostname)) p.accepted = { reason: 'Invalid', message: 'spec.validation.hostname is required' };
    else if (refs.length > 0 && wellKnown !== undefined) p.accepted = { reason: 'Invalid', message: 'caCertificateRefs and wellKnownCACertificates are mutually exclusive' };
    else if (wellKnown !== undefined && wellKnown !== 'System') p.accepted = { reason: 'Invalid', message: `wellKnownCACertificates "${wellKnown}" is not supported (expected System)` };
    else if (wellKnown === undefined && validCA === 0) p.accepted = { reason: 'NoValidCACertificate', message: p.resolvedRefs ? `no valid CA certificate: ${p.resolvedRefs.message}` : 'no caCertificateRefs and no wellKnownCACertificates' };
    const targets: unknown[] = Array.isArray(o.spec?.targetRefs) ? o.spec.targetRefs : [];
    for (const t of targets as Record<string, unknown>[]) {
      const group = str(t?.['group']) ?? '';
      const kind = str(t?.['kind']) ?? '';
      const name = str(t?.['name']) ?? '';
      const section = str(t?.['sectionName']) ?? '';
      if (group !== '' || kind !== 'Service') continue;
      const svcKey = nsName(ns, name);
      p.targetKeys.add(`${svcKey}#${section}`);
      let related = index.byService.get(svcKey);
      if (!related) index.byService.set(svcKey, (related = []));
      if (!related.includes(p)) related.push(p);
      if (!ctx.services.has(svcKey)) {
        p.accepted ??= { reason: 'TargetNotFound', message: `target Service ${svcKey} not found` };
        continue;
      }
      const key = `${svcKey}#${section}`;
      let list = index.byTarget.get(key);
      if (!list) index.byTarget.set(key, (list = []));
      if (list.includes(p)) continue;
      const prev = list[0];
      // backendtlspolicy_types.go TargetRefs: several policies on one target and sectionName -> the older
      // (creationTimestamp, then namespace/name) takes precedence; the others get Accepted=False/Conflicted.
      if (prev) p.accepted ??= { reason: 'Conflicted', message: `Service ${svcKey}${section ? ` section ${section}` : ''} is already targeted by BackendTLSPolicy ${prev.namespace}/${prev.name}, which takes precedence` };
      list.push(p);
    }
    p.valid = p.accepted === undefined;
    if (!p.valid || p.resolvedRefs) {
      ctx.findings.push({
        code: p.accepted?.reason ?? p.resolvedRefs!.reason,
        severity: 'warning',
        subject: `BackendTLSPolicy ${ns}/${o.metadata.name}`,
        message: (p.accepted ?? p.resolvedRefs)!.message,
      });
    }
  }
  return index;
}

/**
 * The policy that applies to a backendRef to Service `svcKey` port `portName` (the Service port's name): a policy
 * whose targetRef names that section takes precedence over one for the whole Service (the more specific target;
 * our choice, the spec only orders policies on the same target and section).
 */
export function policyFor(index: PolicyIndex, svcKey: string, portName: string | undefined): PolicyState | undefined {
  if (portName) {
    const section = index.byTarget.get(`${svcKey}#${portName}`);
    if (section && section.length > 0) return section[0];
  }
  return index.byTarget.get(`${svcKey}#`)?.[0];
}

export function policyConditions(p: PolicyState): Condition[] {
  return sortConditions([
    p.accepted ? cond('Accepted', 'False', p.accepted.reason, p.accepted.message) : cond('Accepted', 'True', 'Accepted', 'policy is accepted'),
    p.resolvedRefs ? cond('ResolvedRefs', 'False', p.resolvedRefs.reason, p.resolvedRefs.message) : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'all references are resolved'),
  ]);
}

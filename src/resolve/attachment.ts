/**
 * Adjacent policies (policy attachment, GEP-713; docs/policy-attachment.md): which objects each policy targets,
 * whether those targets exist, and which routing-table rows it covers. Pure post-pass over a Resolution.
 *
 * Coverage follows gwctl's "effective policies" (kubernetes-sigs/gwctl pkg/policymanager): a row (listener ->
 * route -> rule -> backend) is covered by every policy that targets its route, its rule (sectionName = rule name)
 * or its backend, and by the Inherited policies that target its GatewayClass, Gateway, ListenerSet or listener
 * (sectionName = listener name). A Direct policy on a Gateway or listener is listed on that listener only.
 *
 * We record that a policy of a kind targets an object; what it does is the implementation's to enforce.
 */
import type { Finding } from '../model/finding.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { INFERENCE_GROUP, INFERENCE_X_GROUP } from '../model/inference.ts';
import { categoriesOf, discoverPolicyKinds, policyKindKey, type DiscoveredPolicyKind } from '../model/policy-kinds.ts';
import { selectorMatches, type LabelSelector } from './labels.ts';
import { ROUTE_KINDS, str } from './context.ts';
import type { PolicyCoverage, PolicyKindResolution, PolicyResolution, PolicyTargetResolution, Resolution, RoutingBackend } from './types.ts';

/** Kinds a bundle holds, so a target of one of them that is absent is really missing. */
const CAPTURED = new Set([
  ...['GatewayClass', 'Gateway', 'ListenerSet', ...ROUTE_KINDS].map((k) => `${GATEWAY_GROUP}|${k}`),
  `${GATEWAY_X_GROUP}|XListenerSet`,
  `${GATEWAY_X_GROUP}|ListenerSet`,
  '|Service',
  '|Namespace',
  `${INFERENCE_GROUP}|InferencePool`,
  `${INFERENCE_X_GROUP}|InferencePool`,
]);

/** GEP-713 target refs carry a group; when a kind omits it, the group its kind lives in. */
function defaultGroup(kind: string): string {
  if (kind === 'Service' || kind === 'Namespace') return '';
  if (kind === 'InferencePool') return INFERENCE_GROUP;
  return GATEWAY_GROUP;
}

interface Attached {
  policy: PolicyResolution;
  info: DiscoveredPolicyKind;
  sectionName?: string;
}

function key(group: string, kind: string, ns: string | undefined, name: string): string {
  return `${group}|${kind}|${ns ?? ''}|${name}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Adds `policies`, `policyKinds`, listener/rule/backend coverage and policy findings to `res` (in place). */
export function attachPolicies(objects: readonly KubeObject[], res: Resolution): void {
  const kinds = discoverPolicyKinds(objects);
  for (const [k, info] of kinds) if (info.group === GATEWAY_GROUP || info.group === GATEWAY_X_GROUP) kinds.delete(k); // BackendTLSPolicy & co.: the engine
  // Every object by key, for target and Service port lookups: built on first use (a capture with no adjacent
  // policy never needs it; issue 13).
  let objectsByKey: Map<string, KubeObject> | undefined;
  const byKey = (): Map<string, KubeObject> => {
    if (!objectsByKey) {
      objectsByKey = new Map();
      for (const o of objects) objectsByKey.set(key(groupOf(o.apiVersion), o.kind, o.metadata.namespace, o.metadata.name), o);
    }
    return objectsByKey;
  };

  const policies: PolicyResolution[] = [];
  const index = new Map<string, Attached[]>();
  const counts = new Map<string, number>();
  const findings: Finding[] = [];

  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    const info = kinds.get(policyKindKey(group, o.kind));
    if (!info) continue;
    counts.set(policyKindKey(group, o.kind), (counts.get(policyKindKey(group, o.kind)) ?? 0) + 1);
    const ns = o.metadata.namespace ?? '';
    const spec = isObj(o.spec) ? o.spec : {};
    const subject = `${o.kind} ${ns}/${o.metadata.name}`;
    const enforced = `enforcement is ${info.implementation}'s, not evaluated here`;
    const p: PolicyResolution = {
      group,
      kind: o.kind,
      namespace: ns,
      name: o.metadata.name,
      implementation: info.implementation,
      mode: info.mode,
      categories: categoriesOf(info, spec),
      targets: [],
      secretRefs: secretRefsOf(spec, ns),
      recordedAncestors: Array.isArray(o.status?.ancestors) ? (o.status.ancestors as unknown[]).length : 0,
    };
    const refs: Array<{ ref: Record<string, unknown>; via: string }> = [];
    if (isObj(spec['targetRef'])) refs.push({ ref: spec['targetRef'], via: 'targetRef' });
    if (Array.isArray(spec['targetRefs'])) (spec['targetRefs'] as unknown[]).forEach((r, i) => isObj(r) && refs.push({ ref: r, via: `targetRefs[${i}]` }));
    // Envoy AI Gateway routes attach through parentRefs (newer releases) or targetRefs (older ones).
    if (info.kind === 'AIGatewayRoute' && Array.isArray(spec['parentRefs'])) (spec['parentRefs'] as unknown[]).forEach((r, i) => isObj(r) && refs.push({ ref: r, via: `parentRefs[${i}]` }));
    for (const { ref, via } of refs) {
      const kind = str(ref['kind']) ?? (via.startsWith('parentRefs') ? 'Gateway' : '');
      const tgroup = str(ref['group']) ?? defaultGroup(kind);
      const tns = str(ref['namespace']) ?? ns;
      const name = str(ref['name']) ?? '';
      const section = str(ref['sectionName']);
      p.targets.push(resolveTarget(byKey, { group: tgroup, kind, namespace: isClusterScoped(kind) ? undefined : tns, name, sectionName: section, via }));
      if (tns !== ns && !isClusterScoped(kind)) {
        findings.push({ code: 'POLICY_TARGET_CROSS_NAMESPACE', severity: 'warning', subject, message: `${subject} targets ${kind} ${tns}/${name} in another namespace; GEP-713 targets are local to the policy's namespace and ${info.implementation} may ignore it (${enforced})`, detail: { implementation: info.implementation, via } });
      }
    }
    if (Array.isArray(spec['targetSelectors'])) {
      (spec['targetSelectors'] as unknown[]).forEach((sel, i) => {
        if (!isObj(sel)) return;
        const kind = str(sel['kind']) ?? '';
        const tgroup = str(sel['group']) ?? defaultGroup(kind);
        const via = `targetSelectors[${i}]`;
        const matched = objects.filter((t) => groupOf(t.apiVersion) === tgroup && t.kind === kind && (t.metadata.namespace ?? '') === ns && selectorMatches(sel as LabelSelector, t.metadata.labels ?? {}));
        for (const t of matched.sort((a, b) => compareStrings(a.metadata.name, b.metadata.name))) {
          p.targets.push({ group: tgroup, kind, namespace: ns, name: t.metadata.name, via, state: 'found' });
        }
        if (matched.length === 0) {
          findings.push({ code: 'POLICY_SELECTOR_MATCHES_NOTHING', severity: 'warning', subject, message: `${subject} ${via} selects no ${kind} in namespace ${ns}, so it covers nothing (${enforced})`, detail: { implementation: info.implementation, via } });
        }
      });
    }
    for (const t of p.targets) {
      const what = `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}${t.sectionName ? ` section ${t.sectionName}` : ''}`;
      if (t.state === 'missing') {
        findings.push({ code: 'POLICY_TARGET_NOT_FOUND', severity: 'warning', subject, message: `${subject} ${t.via} targets ${what}, which is not in the snapshot; the policy covers nothing there (${enforced})`, detail: { implementation: info.implementation, target: { ...t } } });
      } else if (t.state === 'not-captured') {
        findings.push({ code: 'POLICY_TARGET_NOT_CAPTURED', severity: 'info', subject, message: `${subject} ${t.via} targets ${what}, a kind the bundle does not hold; its existence cannot be checked offline (${enforced})`, detail: { implementation: info.implementation, target: { ...t } } });
      }
    }
    if (refs.length === 0 && !Array.isArray(spec['targetSelectors'])) {
      const selectorOnly = isObj(spec['selector']);
      findings.push({
        code: selectorOnly ? 'POLICY_WORKLOAD_SELECTOR' : 'POLICY_WITHOUT_TARGET',
        severity: selectorOnly ? 'info' : 'warning',
        subject,
        message: selectorOnly
          ? `${subject} selects workloads by label (spec.selector), not Gateway API objects; its coverage is not derivable from Gateway API objects (${enforced})`
          : `${subject} has no targetRef, targetRefs or targetSelectors; expected at least one (${enforced})`,
        detail: { implementation: info.implementation },
      });
    }
    for (const t of p.targets) {
      if (t.state !== 'found') continue;
      const k = key(t.group, t.kind, t.namespace, t.name);
      index.set(k, [...(index.get(k) ?? []), { policy: p, info, ...(t.sectionName !== undefined ? { sectionName: t.sectionName } : {}) }]);
    }
    policies.push(p);
  }

  const coverage = (a: Attached, attachedTo: PolicyCoverage['attachedTo']): PolicyCoverage => ({
    group: a.policy.group,
    kind: a.policy.kind,
    namespace: a.policy.namespace,
    name: a.policy.name,
    implementation: a.policy.implementation,
    categories: a.policy.categories,
    attachedTo,
    inherited: a.policy.mode === 'Inherited',
  });
  const classOf = new Map(res.gateways.map((g) => [`${g.namespace}/${g.name}`, g.gatewayClassName]));
  const ruleDone = new Set<object>();
  // No policy targets a found object: no row gets coverage, so the routing table is not walked.
  for (const e of index.size > 0 ? res.routing : []) {
    const cov: PolicyCoverage[] = [];
    const cls = classOf.get(`${e.gateway.namespace}/${e.gateway.name}`);
    if (cls !== undefined) for (const a of index.get(key(GATEWAY_GROUP, 'GatewayClass', undefined, cls)) ?? []) if (a.sectionName === undefined) cov.push(coverage(a, 'GatewayClass'));
    for (const a of index.get(key(GATEWAY_GROUP, 'Gateway', e.gateway.namespace, e.gateway.name)) ?? []) {
      if (a.sectionName === undefined) cov.push(coverage(a, 'Gateway'));
      else if (!e.listenerSet && a.sectionName === e.listener) cov.push(coverage(a, 'Listener'));
    }
    if (e.listenerSet) {
      const lsGroup = e.listenerSet.kind === 'XListenerSet' ? GATEWAY_X_GROUP : GATEWAY_GROUP;
      for (const a of [...(index.get(key(lsGroup, e.listenerSet.kind, e.listenerSet.namespace, e.listenerSet.name)) ?? [])]) {
        if (a.sectionName === undefined) cov.push(coverage(a, 'ListenerSet'));
        else if (a.sectionName === e.listener) cov.push(coverage(a, 'Listener'));
      }
    }
    if (cov.length > 0) e.policies = sortCoverage(cov);
    for (const h of e.hostnames) {
      for (const r of h.routes) {
        for (const rule of r.rules) {
          if (ruleDone.has(rule)) continue; // rules are shared between the entries of one route
          ruleDone.add(rule);
          const rc: PolicyCoverage[] = [];
          for (const a of index.get(key(GATEWAY_GROUP, r.kind, r.namespace, r.name)) ?? []) {
            if (a.sectionName === undefined) rc.push(coverage(a, 'Route'));
            else if (rule.name !== undefined && a.sectionName === rule.name) rc.push(coverage(a, 'Rule'));
          }
          if (rc.length > 0) rule.policies = sortCoverage(rc);
          for (const b of rule.backends) backendCoverage(b, index, byKey, coverage);
        }
      }
    }
  }

  const kindsOut: PolicyKindResolution[] = [];
  const crdKinds = new Set(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => policyKindKey(String(o.spec?.group ?? ''), String(o.spec?.names?.kind ?? ''))));
  for (const [k, info] of kinds) {
    const n = counts.get(k) ?? 0;
    if (n === 0 && !crdKinds.has(k)) continue;
    kindsOut.push({
      group: info.group,
      kind: info.kind,
      implementation: info.implementation,
      mode: info.mode,
      categories: [...info.categories, ...new Set(Object.values(info.fieldCategories ?? {}))].filter((c, i, a) => a.indexOf(c) === i),
      sources: [...info.sources],
      ...(info.crd !== undefined ? { crd: info.crd } : {}),
      ...(info.note !== undefined ? { note: info.note } : {}),
      objects: n,
    });
  }
  if (kindsOut.length > 0) res.policyKinds = kindsOut.sort((a, b) => compareStrings(a.group, b.group) || compareStrings(a.kind, b.kind));
  if (policies.length > 0) res.policies = policies.sort((a, b) => compareStrings(a.group, b.group) || compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
  res.findings.push(...findings);
}

function backendCoverage(b: RoutingBackend, index: Map<string, Attached[]>, byKey: () => Map<string, KubeObject>, coverage: (a: Attached, t: PolicyCoverage['attachedTo']) => PolicyCoverage): void {
  const list = index.get(key(b.group, b.kind, b.namespace, b.name));
  if (!list) return;
  // A Service section is a port name: find the name of the port the backendRef uses.
  let portName: string | undefined;
  if (b.group === '' && b.kind === 'Service' && b.port !== undefined) {
    const svc = byKey().get(key('', 'Service', b.namespace, b.name));
    const ports: unknown[] = Array.isArray(svc?.spec?.ports) ? svc!.spec.ports : [];
    portName = str((ports as Array<Record<string, unknown>>).find((p) => p?.['port'] === b.port)?.['name']);
  }
  const cov = list.filter((a) => a.sectionName === undefined || a.sectionName === portName).map((a) => coverage(a, 'Backend'));
  if (cov.length > 0) b.policies = sortCoverage(cov);
}

function sortCoverage(c: PolicyCoverage[]): PolicyCoverage[] {
  return c.sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name) || compareStrings(a.attachedTo, b.attachedTo));
}

function isClusterScoped(kind: string): boolean {
  return kind === 'GatewayClass' || kind === 'Namespace';
}

function resolveTarget(byKey: () => Map<string, KubeObject>, t: Omit<PolicyTargetResolution, 'state' | 'sectionName'> & { sectionName: string | undefined }): PolicyTargetResolution {
  const { sectionName, ...rest } = t;
  const out: PolicyTargetResolution = { ...rest, ...(sectionName !== undefined ? { sectionName } : {}), state: 'found' };
  if (!CAPTURED.has(`${t.group}|${t.kind}`)) return { ...out, state: 'not-captured' };
  const obj = byKey().get(key(t.group, t.kind, t.namespace, t.name));
  if (!obj) return { ...out, state: 'missing' };
  if (sectionName !== undefined && !hasSection(obj, sectionName)) return { ...out, state: 'missing' };
  return out;
}

/** sectionName of a target: a listener name (Gateway, ListenerSet), a rule name (routes), a port name (Service). */
function hasSection(obj: KubeObject, section: string): boolean {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const list = obj.kind === 'Service' ? spec['ports'] : obj.kind === 'Gateway' || obj.kind.endsWith('ListenerSet') ? spec['listeners'] : spec['rules'];
  return Array.isArray(list) && (list as unknown[]).some((x) => isObj(x) && x['name'] === section);
}

/**
 * Secrets a policy names: every object under spec whose kind is Secret, or that sits under a member whose name
 * mentions a secret or credential (SecurityPolicy oidc.clientSecret, basicAuth.users, apiKeyAuth.credentialRefs,
 * BackendSecurityPolicy apiKey.secretRef, ...). Only `namespace/name` is kept; a Secret's data is never read.
 */
function secretRefsOf(spec: unknown, ns: string): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, hint: boolean, depth: number): void => {
    if (depth > 32) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, hint, depth + 1);
      return;
    }
    if (!isObj(v)) return;
    const kind = str(v['kind']);
    const name = str(v['name']);
    if (name !== undefined && (kind === 'Secret' || (hint && (kind === undefined || kind === 'Secret') && (v['group'] === undefined || v['group'] === '')))) {
      out.add(`${str(v['namespace']) ?? ns}/${name}`);
    }
    for (const [k, x] of Object.entries(v)) visit(x, /secret|credential|^users$/i.test(k), depth + 1);
  };
  visit(spec, false, 0);
  return [...out].sort(compareStrings);
}

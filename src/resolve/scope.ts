/**
 * kubectl-style scoping (`-n/--namespace` repeatable, `-A`, `--exclude-namespace`, `-l/--selector`) over
 * captured objects and over a resolution. Pure.
 *
 * Rules (the same for collect, resolve, inspect and report):
 * - namespaces apply to namespaced objects; cluster-scoped objects (GatewayClass, Namespace, CRDs) are kept,
 *   as are gateway controller workloads (Deployment, DaemonSet, Pod), which live outside the routing
 *   namespaces (the live collector reads them the same way: src/collector/live/source.ts);
 * - the label selector applies to the namespaced routing objects kubectl would list with
 *   `kubectl get gateways,httproutes,...,services -l SEL`: Gateway API kinds and Services. Referenced
 *   Secrets/ConfigMaps, Namespaces and controllers are kept (they are context, not the selection).
 */
import { groupOf, type KubeObject } from '../model/object.ts';
import { selectorMatches, type LabelSelector } from './labels.ts';
import type { Finding } from '../model/finding.ts';
import type { Resolution, RoutingEntry } from './types.ts';

export interface ObjectScope {
  /** Only these namespaces (empty/absent: all). */
  namespaces?: string[];
  excludeNamespaces?: string[];
  /** Parsed `-l` selector. */
  selector?: LabelSelector;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'GatewayClass']);
const CONTROLLER_KINDS = new Set(['Deployment', 'DaemonSet', 'Pod']);
const SELECTABLE_CORE = new Set(['Service']);
/** Inference Extension groups: an InferencePool is a backend, selected like a Service. */
const SELECTABLE_GROUPS = new Set(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io', 'networking.x-k8s.io', 'inference.networking.k8s.io', 'inference.networking.x-k8s.io']);

export function isScoped(s: ObjectScope): boolean {
  return (s.namespaces?.length ?? 0) > 0 || (s.excludeNamespaces?.length ?? 0) > 0 || s.selector !== undefined;
}

/** Whether a namespace passes the namespace part of the scope. */
export function namespaceInScope(ns: string, s: ObjectScope): boolean {
  if (s.namespaces && s.namespaces.length > 0 && !s.namespaces.includes(ns)) return false;
  return !(s.excludeNamespaces ?? []).includes(ns);
}

function selectable(o: KubeObject): boolean {
  const g = groupOf(o.apiVersion);
  if (g === '') return SELECTABLE_CORE.has(o.kind);
  return SELECTABLE_GROUPS.has(g);
}

/** Whether an object is in scope (see the module comment for which rule applies to which kind). */
export function objectInScope(o: KubeObject, s: ObjectScope): boolean {
  if (CLUSTER_SCOPED.has(o.kind) || CONTROLLER_KINDS.has(o.kind)) return true;
  const ns = o.metadata.namespace ?? 'default';
  if (!namespaceInScope(ns, s)) return false;
  if (s.selector && selectable(o)) return selectorMatches(s.selector, o.metadata.labels ?? {});
  return true;
}

export type SelectorParse = { ok: true; selector: LabelSelector } | { ok: false; error: string };

// Label keys/values as the API server accepts them (k8s.io/apimachinery validation: qualified names).
const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/**
 * Parses a kubectl label selector string (k8s.io/apimachinery/pkg/labels.Parse): comma-separated
 * requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k` (does not exist).
 * Requirements are ANDed. `k!=v` matches objects without the key (labels.Requirement.Matches).
 */
export function parseSelector(text: string): SelectorParse {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return { ok: false, error: `unbalanced ")" in ${JSON.stringify(text)}` };
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) return { ok: false, error: `unbalanced "(" in ${JSON.stringify(text)}` };
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') return { ok: false, error: `empty requirement in ${JSON.stringify(text)}` };
    let m: RegExpExecArray | null;
    const bad = (what: string): SelectorParse => ({ ok: false, error: `${what} in requirement ${JSON.stringify(p)}` });
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(p))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      if (!KEY.test(m[1]!)) return bad(`invalid label key ${JSON.stringify(m[1])}`);
      for (const v of values) if (!VALUE.test(v)) return bad(`invalid label value ${JSON.stringify(v)}`);
      matchExpressions.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(p))) {
      if (!KEY.test(m[1]!)) return bad(`invalid label key ${JSON.stringify(m[1])}`);
      if (!VALUE.test(m[3]!)) return bad(`invalid label value ${JSON.stringify(m[3])}`);
      if (m[2] === '!=') matchExpressions.push({ key: m[1]!, operator: 'NotIn', values: [m[3]!] });
      else if (m[1]! in matchLabels && matchLabels[m[1]!] !== m[3]) matchExpressions.push({ key: m[1]!, operator: 'In', values: [m[3]!] });
      else matchLabels[m[1]!] = m[3]!;
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(p))) {
      if (!KEY.test(m[1]!)) return bad(`invalid label key ${JSON.stringify(m[1])}`);
      matchExpressions.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if ((m = /^([^\s!=(),]+)$/.exec(p))) {
      if (!KEY.test(m[1]!)) return bad(`invalid label key ${JSON.stringify(m[1])}`);
      matchExpressions.push({ key: m[1]!, operator: 'Exists' });
    } else {
      return bad('expected k=v, k!=v, k in (a,b), k notin (a,b), k or !k');
    }
  }
  const sel: LabelSelector = {};
  if (Object.keys(matchLabels).length > 0) sel.matchLabels = matchLabels;
  if (matchExpressions.length > 0) sel.matchExpressions = matchExpressions;
  return { ok: true, selector: sel };
}

/** Namespace named by a finding subject such as `HTTPRoute ns/name` or `Gateway ns/name listener x`. */
export function subjectNamespace(subject: string | undefined): string | undefined {
  if (subject === undefined) return undefined;
  const m = /^[A-Za-z]+(?:\.[a-z0-9.-]+)? ([^/\s]+)\/[^/\s]+/.exec(subject);
  return m ? m[1] : undefined;
}

/**
 * The part of a resolution that is in scope. Resolution itself always runs on every captured object (a
 * route's status depends on Gateways and grants in other namespaces); scoping only selects what is shown:
 * Gateways and routes in scope, listeners of in-scope Gateways, plus other Gateways and their listeners that
 * serve an in-scope route (only those hostnames), and findings whose subject is in scope or names no namespace.
 */
export function scopeResolution(res: Resolution, objects: readonly KubeObject[], s: ObjectScope): Resolution {
  if (!isScoped(s)) return res;
  const inScope = new Set(objects.filter((o) => objectInScope(o, s)).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const has = (kind: string, ns: string, name: string): boolean => inScope.has(`${kind}/${ns}/${name}`);
  const routing: RoutingEntry[] = [];
  for (const e of res.routing) {
    if (has('Gateway', e.gateway.namespace, e.gateway.name)) {
      routing.push(e);
      continue;
    }
    const hostnames = e.hostnames.filter((h) => h.routes.some((r) => has(r.kind, r.namespace, r.name)));
    if (hostnames.length > 0) routing.push({ ...e, hostnames });
  }
  const findings: Finding[] = res.findings.filter((f) => {
    const ns = subjectNamespace(f.subject);
    if (ns === undefined) return true;
    if (!namespaceInScope(ns, s)) return false;
    const m = /^([A-Za-z]+) ([^/\s]+)\/([^/\s]+)/.exec(f.subject ?? '');
    if (!m || !s.selector) return true;
    const obj = objects.find((o) => o.kind === m[1] && o.metadata.namespace === m[2] && o.metadata.name === m[3]);
    return obj === undefined || objectInScope(obj, s);
  });
  // A Gateway outside the scope is shown when it serves an in-scope route (the route's parent is context).
  const shownGateways = new Set(routing.map((e) => `${e.gateway.namespace}/${e.gateway.name}`));
  const out: Resolution = {
    ...res,
    gatewayClasses: res.gatewayClasses,
    gateways: res.gateways.filter((g) => has('Gateway', g.namespace, g.name) || shownGateways.has(`${g.namespace}/${g.name}`)),
    routes: res.routes.filter((r) => has(r.kind, r.namespace, r.name)),
    routing,
    findings,
  };
  // InferencePools and policy objects are namespaced like routes; policy kinds are cluster-wide facts.
  if (res.inferencePools) out.inferencePools = res.inferencePools.filter((p) => namespaceInScope(p.namespace, s));
  if (res.policies) out.policies = res.policies.filter((p) => p.namespace === '' || namespaceInScope(p.namespace, s));
  return out;
}

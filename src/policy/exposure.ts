/**
 * The exposure graph: every path listener -> hostname -> route -> rule -> backend in the routing table,
 * with the backend's service type. Shared by policy evaluation, the report model and the HTML map. Pure.
 */
import type { Capture } from '../model/collection.ts';
import type { Finding, Severity } from '../model/finding.ts';
import { GATEWAY_GROUP, refKey, type KubeObject } from '../model/object.ts';
import type { Resolution, RoutingBackend, RoutingEntry, RoutingRoute, RoutingRule } from '../resolve/types.ts';
import { globMatch, hostnamesIntersect } from './match.ts';
import { classifyBackend, type Classification } from './service-type.ts';
import type { ListenerSelector, Policy } from './types.ts';

export interface ExposurePath {
  entry: RoutingEntry;
  hostname: string;
  route: RoutingRoute;
  rule: RoutingRule;
  backend: RoutingBackend;
  classification: Classification;
  /** True when the backend is valid and the route serves traffic: requests can reach it. */
  reachable: boolean;
}

/** Index of the snapshot's objects by refKey. */
export function objectIndex(capture: Capture): Map<string, KubeObject> {
  const m = new Map<string, KubeObject>();
  for (const o of capture.snapshot.objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf('/')) : '';
    const ref = o.metadata.namespace !== undefined
      ? { group, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }
      : { group, kind: o.kind, name: o.metadata.name };
    m.set(refKey(ref), o);
  }
  return m;
}

export function listenerLabel(e: RoutingEntry): string {
  const via = e.listenerSet ? ` via ${e.listenerSet.kind} ${e.listenerSet.namespace}/${e.listenerSet.name}` : '';
  return `Gateway ${e.gateway.namespace}/${e.gateway.name} listener ${e.listener}${via} (${e.protocol} ${e.port})`;
}

export function routeLabel(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

export function backendLabel(b: RoutingBackend): string {
  return `${b.kind} ${b.namespace}/${b.name}${b.port !== undefined ? `:${b.port}` : ''}`;
}

/** `listener -> hostname -> route rule -> backend`, the evidence path a finding cites. */
export function pathLabel(p: ExposurePath): string {
  const rule = p.rule.name ? `rule ${p.rule.index} (${p.rule.name})` : `rule ${p.rule.index}`;
  return `${listenerLabel(p.entry)} -> hostname ${p.hostname} -> ${routeLabel(p.route)} ${rule} -> ${backendLabel(p.backend)} (weight ${p.backend.weight}, ${p.backend.percent}%)`;
}

export function pathDetail(p: ExposurePath): Record<string, unknown> {
  return {
    gateway: `${p.entry.gateway.namespace}/${p.entry.gateway.name}`,
    listener: p.entry.listener,
    port: p.entry.port,
    protocol: p.entry.protocol,
    hostname: p.hostname,
    route: `${p.route.kind} ${p.route.namespace}/${p.route.name}`,
    rule: p.rule.index,
    backend: backendLabel(p.backend),
    weight: p.backend.weight,
    percent: p.backend.percent,
    serviceType: p.classification.type,
  };
}

export function gatewayObject(index: Map<string, KubeObject>, e: RoutingEntry): KubeObject | undefined {
  return index.get(refKey({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: e.gateway.namespace, name: e.gateway.name }));
}

function labelsMatch(want: Record<string, string> | undefined, have: Record<string, string> | undefined): boolean {
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => have?.[k] !== undefined && globMatch(v, have[k]!));
}

/** Whether a listener matches a selector (without the `public` field). Every field given must match. */
function selectorMatchesPlain(sel: Omit<ListenerSelector, 'public'>, e: RoutingEntry, gw: KubeObject | undefined): boolean {
  if (sel.gateways && !sel.gateways.some((g) => globMatch(g, `${e.gateway.namespace}/${e.gateway.name}`))) return false;
  if (sel.listeners && !sel.listeners.some((l) => globMatch(l, e.listener))) return false;
  if (sel.ports && !sel.ports.includes(e.port)) return false;
  if (sel.protocols && !sel.protocols.some((p) => p.toUpperCase() === e.protocol.toUpperCase())) return false;
  if (sel.hostnames && !sel.hostnames.some((h) => hostnamesIntersect(h, e.listenerHostname ?? '*'))) return false;
  if (sel.gatewayLabels && !labelsMatch(sel.gatewayLabels, gw?.metadata.labels)) return false;
  return true;
}

/** A listener is public when it matches any selector in `policy.public` (none given: no listener is public). */
export function isPublicListener(policy: Policy | undefined, e: RoutingEntry, gw: KubeObject | undefined): boolean {
  return (policy?.public ?? []).some((sel) => selectorMatchesPlain(sel, e, gw));
}

export function listenerSelected(sel: ListenerSelector | undefined, policy: Policy, e: RoutingEntry, gw: KubeObject | undefined): boolean {
  if (!sel) return true;
  if (sel.public !== undefined && isPublicListener(policy, e, gw) !== sel.public) return false;
  return selectorMatchesPlain(sel, e, gw);
}

/**
 * Every listener -> hostname -> route -> rule -> backend path, in routing-table order.
 * @param index objectIndex(capture), when the caller already has it (it is built otherwise)
 */
export function exposurePaths(capture: Capture, resolution: Resolution, policy?: Policy, index: Map<string, KubeObject> = objectIndex(capture)): ExposurePath[] {
  const cache = new Map<string, Classification>();
  // The resolver shares one rules array per route between its listener and hostname entries, so most backends
  // are met again: their classification is looked up by object first, by refKey (built once) otherwise.
  const byBackend = new WeakMap<RoutingBackend, Classification>();
  const out: ExposurePath[] = [];
  for (const entry of resolution.routing) {
    for (const h of entry.hostnames) {
      for (const route of h.routes) {
        for (const rule of route.rules) {
          for (const backend of rule.backends) {
            let c = byBackend.get(backend);
            if (c) {
              out.push({ entry, hostname: h.hostname, route, rule, backend, classification: c, reachable: backend.valid && route.servesTraffic });
              continue;
            }
            const key = refKey({ group: backend.group, kind: backend.kind, namespace: backend.namespace, name: backend.name });
            c = cache.get(key);
            if (!c) {
              const obj = index.get(key);
              const labels = backend.service?.labels ?? obj?.metadata.labels;
              const annotations = backend.service?.annotations ?? obj?.metadata.annotations;
              c = classifyBackend(
                {
                  group: backend.group,
                  kind: backend.kind,
                  namespace: backend.namespace,
                  name: backend.name,
                  ...(labels ? { labels } : {}),
                  ...(annotations ? { annotations } : {}),
                },
                index.get(refKey({ group: '', kind: 'Namespace', name: backend.namespace })),
                policy,
              );
              cache.set(key, c);
            }
            byBackend.set(backend, c);
            out.push({ entry, hostname: h.hostname, route, rule, backend, classification: c, reachable: backend.valid && route.servesTraffic });
          }
        }
      }
    }
  }
  return out;
}

export function backendKey(b: RoutingBackend): string {
  return refKey({ group: b.group, kind: b.kind, namespace: b.namespace, name: b.name });
}

/**
 * Findings about classification itself: UNCLASSIFIED_SERVICE for every backend reachable from a Gateway
 * that no source classifies (issue 5), INVALID_SERVICE_TYPE for a declared value that is not a known type.
 */
export function classificationFindings(paths: ExposurePath[], severity: Severity = 'warning'): Finding[] {
  const byBackend = new Map<string, ExposurePath[]>();
  for (const p of paths) {
    const k = backendKey(p.backend);
    const list = byBackend.get(k) ?? [];
    list.push(p);
    byBackend.set(k, list);
  }
  const out: Finding[] = [];
  for (const [key, list] of byBackend) {
    const first = list[0]!;
    const c = first.classification;
    if (c.invalid) {
      out.push({
        code: 'INVALID_SERVICE_TYPE',
        severity: 'warning',
        subject: key,
        message: `${backendLabel(first.backend)}: expected a ${'gateway-evidence.io/service-type'} value among the known service types, found ${JSON.stringify(c.invalid.value)} (${c.invalid.source})`,
        detail: { source: c.invalid.source, value: c.invalid.value },
      });
    }
    const reachable = list.filter((p) => p.reachable);
    if (c.type === 'unclassified' && reachable.length > 0) {
      out.push({
        code: 'UNCLASSIFIED_SERVICE',
        severity,
        subject: key,
        message: `${backendLabel(first.backend)} is reachable from ${reachable.length} listener path(s) but has no service type (policy rule, label or annotation gateway-evidence.io/service-type on it or its namespace)`,
        detail: { paths: reachable.map(pathLabel), evidence: pathDetail(reachable[0]!) },
      });
    }
  }
  return out;
}

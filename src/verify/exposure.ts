/**
 * Exposure analysis over the recomputed routing table (pure):
 *  - hostnames reachable on listeners that carry no TLS (HTTP, TCP, UDP; TLS Passthrough is encrypted end to end
 *    but not terminated, so it is not plaintext),
 *  - backends reached across namespaces, with the ReferenceGrant that allows it,
 *  - routes to Services and InferencePools of each service type, classified by the
 *    `gateway-evidence.io/service-type` label or annotation on the backend, else on its Namespace.
 * Only traffic-carrying paths count: listener accepted, route serving traffic, backend valid.
 */
import type { Finding } from '../model/finding.ts';
import { compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { isInferencePoolRef } from '../resolve/inference.ts';
import type { Resolution, RoutingBackend, RoutingEntry } from '../resolve/types.ts';

export const SERVICE_TYPE_KEY = 'gateway-evidence.io/service-type';
export const SERVICE_TYPES = ['public-model-endpoint', 'internal-inference', 'agent-tool-gateway', 'evaluation', 'retrieval', 'admin'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number] | 'unclassified';

export interface ServiceClassification {
  type: ServiceType;
  /** Where the type came from, e.g. `Service label`, `Namespace annotation`; absent when unclassified. */
  source?: 'Service label' | 'Service annotation' | 'InferencePool label' | 'InferencePool annotation' | 'Namespace label' | 'Namespace annotation';
  /** A value that is not one of SERVICE_TYPES (the Service is then unclassified). */
  invalidValue?: string;
}

export interface ExposedPath {
  gateway: string;
  listener: string;
  port: number;
  protocol: string;
  hostname: string;
  route: string;
  backend: string;
  serviceType: ServiceType;
  tls: boolean;
  crossNamespace: boolean;
  referenceGrant?: string;
}

/**
 * A plaintext listener hostname whose routes only redirect to HTTPS (every rule a RequestRedirect filter with
 * `scheme: https`): no content is served over HTTP there; the edge goes to the HTTPS URL.
 */
export interface RedirectEdge {
  gateway: string;
  listener: string;
  port: number;
  hostname: string;
  routes: string[];
  /** Redirect target: scheme https, and the hostname/port when the filter sets them. */
  to: { scheme: 'https'; hostname?: string; port?: number; statusCode?: number };
}

export interface ExposureSummary {
  /** Every listener/hostname/route/backend path that carries traffic, sorted. */
  paths: ExposedPath[];
  /** Plaintext listener hostnames that only redirect to HTTPS, sorted. */
  redirects: RedirectEdge[];
  /** Distinct backends per service type. */
  servicesByType: Record<ServiceType, string[]>;
}

/** Service type of a Service (by labels/annotations), falling back to its Namespace. */
export function classifyService(
  service: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined,
  namespace: KubeObject | undefined,
): ServiceClassification {
  // First of: Service label, Service annotation, Namespace label, Namespace annotation (no candidate array per
  // call: this runs once per distinct backend of the routing table).
  let value = service?.labels?.[SERVICE_TYPE_KEY];
  let source: ServiceClassification['source'] = 'Service label';
  if (value === undefined) {
    value = service?.annotations?.[SERVICE_TYPE_KEY];
    source = 'Service annotation';
  }
  if (value === undefined) {
    value = namespace?.metadata.labels?.[SERVICE_TYPE_KEY];
    source = 'Namespace label';
  }
  if (value === undefined) {
    value = namespace?.metadata.annotations?.[SERVICE_TYPE_KEY];
    source = 'Namespace annotation';
  }
  if (value === undefined) return { type: 'unclassified' };
  if ((SERVICE_TYPES as readonly string[]).includes(value)) return { type: value as ServiceType, source };
  return { type: 'unclassified', invalidValue: value };
}

function isPlaintext(e: RoutingEntry): boolean {
  return e.protocol === 'HTTP' || e.protocol === 'TCP' || e.protocol === 'UDP';
}

/** RequestRedirect filters of one rule (HTTPRoute; routing-table rules keep matches and backends, not filters). */
function httpsRedirect(rule: unknown): RedirectEdge['to'] | undefined {
  const filters: unknown[] = Array.isArray((rule as { filters?: unknown } | undefined)?.filters) ? (rule as { filters: unknown[] }).filters : [];
  for (const f of filters as Record<string, any>[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (f?.['type'] !== 'RequestRedirect' || !f['requestRedirect'] || f['requestRedirect'].scheme !== 'https') continue;
    const r = f['requestRedirect'];
    return {
      scheme: 'https',
      ...(typeof r.hostname === 'string' ? { hostname: r.hostname } : {}),
      ...(typeof r.port === 'number' ? { port: r.port } : {}),
      ...(typeof r.statusCode === 'number' ? { statusCode: r.statusCode } : {}),
    };
  }
  return undefined;
}

function backendLabel(b: RoutingBackend): string {
  return `${b.kind} ${b.namespace}/${b.name}${b.port !== undefined ? ':' + b.port : ''}`;
}

export function analyzeExposure(resolution: Resolution, objects: readonly KubeObject[]): { findings: Finding[]; summary: ExposureSummary } {
  const namespaces = new Map<string, KubeObject>();
  const httpRoutes = new Map<string, KubeObject>();
  const pools = new Map<string, KubeObject>();
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.metadata.name, o);
    else if (o.kind === 'HTTPRoute') httpRoutes.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    else if (o.kind === 'InferencePool') pools.set(`${groupOf(o.apiVersion)}|${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  }
  // A pool is classified like a Service (issue 12): by the label/annotation on the pool, else its Namespace.
  const classifyOnce = (b: RoutingBackend): ServiceClassification => {
    if (b.kind === 'Service' && b.group === '') return classifyService(b.service, namespaces.get(b.namespace));
    if (isInferencePoolRef(b.group, b.kind)) {
      const c = classifyService(pools.get(`${b.group}|${b.namespace}/${b.name}`)?.metadata, namespaces.get(b.namespace));
      return c.source === 'Service label' || c.source === 'Service annotation' ? { ...c, source: c.source === 'Service label' ? 'InferencePool label' : 'InferencePool annotation' } : c;
    }
    return { type: 'unclassified' };
  };
  // A backend's classification depends only on the backend object (group, kind, namespace, name: the Service or
  // pool and its Namespace), so it is computed once per distinct backend, not once per path (issue 13).
  const classified = new Map<string, ServiceClassification>();
  const classify = (b: RoutingBackend, label: string): ServiceClassification => {
    const k = `${b.group}|${label}`;
    let c = classified.get(k);
    if (c === undefined) {
      c = classifyOnce(b);
      classified.set(k, c);
    }
    return c;
  };
  const redirects: RedirectEdge[] = [];
  /** The HTTPS redirect every carried rule of these routes makes, or undefined when one of them serves content. */
  const onlyRedirects = (routes: Array<{ kind: string; namespace: string; name: string; rules: Array<{ index: number; dropped?: unknown }> }>): RedirectEdge['to'] | undefined => {
    let to: RedirectEdge['to'] | undefined;
    for (const r of routes) {
      if (r.kind !== 'HTTPRoute') return undefined;
      const rules: unknown = httpRoutes.get(`${r.namespace}/${r.name}`)?.spec?.rules;
      const specRules: unknown[] = Array.isArray(rules) ? rules : [];
      const carried = r.rules.filter((x) => x.dropped === undefined);
      if (carried.length === 0) return undefined;
      for (const rule of carried) {
        const t = httpsRedirect(specRules[rule.index]);
        if (!t) return undefined;
        to ??= t;
      }
    }
    return to;
  };

  const findings: Finding[] = [];
  const paths: ExposedPath[] = [];
  const servicesByType = Object.fromEntries([...SERVICE_TYPES, 'unclassified'].map((t) => [t, [] as string[]])) as unknown as Record<ServiceType, string[]>;
  const plaintextSeen = new Set<string>();
  const crossSeen = new Set<string>();
  const typeSeen = new Set<string>();
  const typedBackends = new Set<string>(); // `${type}|${backend}`: keeps servicesByType distinct in O(1)

  for (const entry of resolution.routing) {
    if (!entry.listenerAccepted) continue;
    const gw = `${entry.gateway.namespace}/${entry.gateway.name}`;
    const listenerLabel = `Gateway ${gw} listener ${entry.listener}`;
    const plaintext = isPlaintext(entry);
    for (const h of entry.hostnames) {
      const live = h.routes.filter((r) => r.servesTraffic);
      if (live.length === 0) continue;
      // An HTTP listener hostname whose routes only redirect to HTTPS serves no content in plaintext: a redirect
      // (info) and a redirect edge, not a plaintext exposure.
      const redirectTo = entry.protocol === 'HTTP' ? onlyRedirects(live) : undefined;
      if (redirectTo) {
        const k = `${listenerLabel}|${h.hostname}`;
        if (!plaintextSeen.has(k)) {
          plaintextSeen.add(k);
          const routes = live.map((r) => `${r.kind} ${r.namespace}/${r.name}`);
          redirects.push({ gateway: gw, listener: entry.listener, port: entry.port, hostname: h.hostname, routes, to: redirectTo });
          const target = `https://${redirectTo.hostname ?? (h.hostname === '*' ? '<host>' : h.hostname)}${redirectTo.port !== undefined ? `:${redirectTo.port}` : ''}`;
          findings.push({
            code: 'EXPOSURE_HTTP_REDIRECT',
            severity: 'info',
            subject: listenerLabel,
            message: `hostname ${h.hostname} on ${listenerLabel} (HTTP port ${entry.port}) only redirects to ${target} through ${routes.join(', ')}; no content is served without TLS`,
            detail: { gateway: gw, listener: entry.listener, port: entry.port, hostname: h.hostname, routes, to: redirectTo },
          });
        }
      } else if (plaintext) {
        const k = `${listenerLabel}|${h.hostname}`;
        if (!plaintextSeen.has(k)) {
          plaintextSeen.add(k);
          const routes = live.map((r) => `${r.kind} ${r.namespace}/${r.name}`);
          findings.push({
            code: 'EXPOSURE_PLAINTEXT_HOSTNAME',
            severity: 'warning',
            subject: listenerLabel,
            message: `hostname ${h.hostname} is reachable without TLS on ${listenerLabel} (${entry.protocol} port ${entry.port}) through ${routes.join(', ')}`,
            detail: { gateway: gw, listener: entry.listener, port: entry.port, protocol: entry.protocol, hostname: h.hostname, routes },
          });
        }
      }
      for (const route of live) {
        const routeLabel = `${route.kind} ${route.namespace}/${route.name}`;
        for (const rule of route.rules) {
          for (const b of rule.backends) {
            if (!b.valid) continue;
            const bl = backendLabel(b);
            const classification = classify(b, bl);
            const path: ExposedPath = {
              gateway: gw,
              listener: entry.listener,
              port: entry.port,
              protocol: entry.protocol,
              hostname: h.hostname,
              route: routeLabel,
              backend: bl,
              serviceType: classification.type,
              tls: !plaintext,
              crossNamespace: b.crossNamespace,
            };
            if (b.referenceGrant) path.referenceGrant = b.referenceGrant;
            paths.push(path);
            if (b.crossNamespace) {
              const k = `${routeLabel}|${bl}`;
              if (!crossSeen.has(k)) {
                crossSeen.add(k);
                findings.push({
                  code: 'EXPOSURE_CROSS_NAMESPACE_BACKEND',
                  severity: 'info',
                  subject: routeLabel,
                  message: `${routeLabel} reaches ${bl} in another namespace, allowed by ReferenceGrant ${b.referenceGrant ?? '(none recorded)'}`,
                  detail: { route: routeLabel, backend: bl, referenceGrant: b.referenceGrant ?? null },
                });
              }
            }
            const tk = `${routeLabel}|${bl}`;
            if (!typeSeen.has(tk)) {
              typeSeen.add(tk);
              if (!typedBackends.has(`${classification.type}|${bl}`)) {
                typedBackends.add(`${classification.type}|${bl}`);
                servicesByType[classification.type].push(bl);
              }
              // admin Services behind a Gateway are the sensitive case: warn; everything else is inventory.
              const severity = classification.type === 'admin' ? 'warning' : 'info';
              const how = classification.source ? ` (from the ${classification.source})` : classification.invalidValue !== undefined ? ` (unknown ${SERVICE_TYPE_KEY} value "${classification.invalidValue}")` : '';
              findings.push({
                code: 'EXPOSURE_SERVICE_TYPE',
                severity,
                subject: routeLabel,
                message: `${routeLabel} routes to ${bl}, service type ${classification.type}${how}`,
                detail: { route: routeLabel, backend: bl, serviceType: classification.type, source: classification.source ?? null, invalidValue: classification.invalidValue ?? null },
              });
            }
          }
        }
      }
    }
  }
  for (const list of Object.values(servicesByType)) list.sort(compareStrings);
  paths.sort(
    (a, b) =>
      compareStrings(a.gateway, b.gateway) ||
      compareStrings(a.listener, b.listener) ||
      compareStrings(a.hostname, b.hostname) ||
      compareStrings(a.route, b.route) ||
      compareStrings(a.backend, b.backend),
  );
  redirects.sort((a, b) => compareStrings(a.gateway, b.gateway) || compareStrings(a.listener, b.listener) || compareStrings(a.hostname, b.hostname));
  return { findings, summary: { paths, redirects, servicesByType } };
}

/**
 * Synthetic cluster generator for the resolve bench: N routes with Gateways, listeners, Services,
 * namespaces and ReferenceGrants in proportion. Deterministic (no randomness).
 *   per 50 routes: 1 route namespace (+ its Namespace object), 1 ReferenceGrant
 *   per 250 routes: 1 Gateway with 4 listeners (HTTP *.example.com, HTTPS with a cert, HTTP 8080 Selector, TCP)
 *   per route: 1 Service (plus a shared canary Service per namespace); 10% of routes use a cross-namespace backend
 */
const G = 'gateway.networking.k8s.io';
const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

export function generateCluster(n) {
  const objs = [{ apiVersion: `${G}/v1`, kind: 'GatewayClass', metadata: { name: 'bench' }, spec: { controllerName: 'example.com/bench' } }];
  const gateways = Math.max(1, Math.ceil(n / 250));
  const namespaces = Math.max(1, Math.ceil(n / 50));
  objs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra', labels: { 'kubernetes.io/metadata.name': 'infra' } } });
  objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'infra', name: 'wildcard' }, type: 'kubernetes.io/tls', data: { 'tls.crt': PEM, 'tls.key': PEM } });
  for (let g = 0; g < gateways; g++) {
    objs.push({
      apiVersion: `${G}/v1`,
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: `gw-${g}` },
      spec: {
        gatewayClassName: 'bench',
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { certificateRefs: [{ name: 'wildcard' }] }, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'internal', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['internal'] }] } } } },
          { name: 'tcp', port: 9000, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    });
  }
  for (let i = 0; i < namespaces; i++) {
    const ns = `team-${i}`;
    objs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, tier: i % 3 === 0 ? 'internal' : 'public' } } });
    objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name: 'canary' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } });
    // grant: routes of the previous namespace may reference Services here
    objs.push({
      apiVersion: `${G}/v1beta1`,
      kind: 'ReferenceGrant',
      metadata: { namespace: ns, name: 'from-prev' },
      spec: { from: [{ group: G, kind: 'HTTPRoute', namespace: `team-${(i + namespaces - 1) % namespaces}` }], to: [{ group: '', kind: 'Service' }] },
    });
  }
  for (let r = 0; r < n; r++) {
    const nsIdx = r % namespaces;
    const ns = `team-${nsIdx}`;
    const gw = `gw-${r % gateways}`;
    objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name: `svc-${r}`, labels: { app: `a${r}` } }, spec: { type: r % 20 === 0 ? 'LoadBalancer' : 'ClusterIP', ports: [{ port: 80 }] } });
    const cross = r % 10 === 0;
    objs.push({
      apiVersion: `${G}/v1`,
      kind: 'HTTPRoute',
      metadata: { namespace: ns, name: `route-${r}`, creationTimestamp: `2026-01-01T00:00:${String(r % 60).padStart(2, '0')}Z` },
      spec: {
        parentRefs: [{ name: gw, namespace: 'infra', ...(r % 4 === 0 ? { sectionName: 'internal' } : {}) }],
        hostnames: [`app-${r}.example.com`],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [
              { name: `svc-${r}`, port: 80, weight: 90 },
              cross ? { name: 'canary', namespace: `team-${(nsIdx + 1) % namespaces}`, port: 80, weight: 10 } : { name: 'canary', port: 80, weight: 10 },
            ],
          },
        ],
      },
    });
  }
  return objs;
}

// Synthetic report models for the exposure map (bench/map.mjs, scripts/elk-code-cache.mjs): the fields renderExposureMap
// reads, for a cluster of `routes` routes.
const TYPES = ['public-model-endpoint', 'internal-inference', 'agent-tool-gateway', 'retrieval', 'admin', 'unclassified'];

/** Per 1000 routes: 10 Gateways of 4 listeners, 50 namespaces; one Service per route; 1 finding per 20 routes. */
export function syntheticMapModel(routes) {
  const gateways = Math.max(2, Math.ceil(routes / 100));
  const namespaces = Math.max(2, Math.ceil(routes / 20));
  const m = { gateways: [], routing: [], services: [], findings: [] };
  for (let g = 0; g < gateways; g++) {
    m.gateways.push({
      namespace: `gw-${g % 8}`,
      name: `gw-${g}`,
      gatewayClassName: 'gc',
      addresses: [],
      conditions: [],
      listeners: ['http:80:HTTP', 'https:443:HTTPS', 'tools:8443:HTTPS', 'tcp:9000:TCP'].map((s) => {
        const [name, port, protocol] = s.split(':');
        return { name, port: Number(port), protocol, public: g % 3 === 0, accepted: true, programmed: true, attachedRoutes: 0 };
      }),
    });
  }
  for (let i = 0; i < routes; i++) {
    const g = m.gateways[i % gateways];
    const ns = `team-${i % namespaces}`;
    m.routing.push({
      gateway: `${g.namespace}/${g.name}`, listener: 'https', port: 443, protocol: 'HTTPS', public: g.listeners[1].public,
      hostname: `r${i}.example.com`, route: { kind: 'HTTPRoute', namespace: ns, name: `route-${i}` }, rule: 0, matches: '*',
      backend: { group: '', kind: 'Service', namespace: ns, name: `svc-${i}`, port: 8080 }, weight: 1, percent: 100,
      valid: true, crossNamespace: false, serviceType: TYPES[i % TYPES.length], servesTraffic: true, findings: [],
    });
    if (i % 20 === 0) {
      m.findings.push({ code: 'STATUS_DRIFT', severity: 'error', subject: `HTTPRoute ${ns}/route-${i} parent ${g.namespace}/${g.name}#https`, message: 'drift', detail: { field: 'Accepted', recorded: { type: 'Accepted', status: 'False' }, recomputed: { type: 'Accepted', status: 'True' } }, source: 'analysis', id: `F${i}`, object: `HTTPRoute ${ns}/route-${i}` });
    }
  }
  return m;
}

#!/usr/bin/env node
// Exposure-map benchmark (issues 10 and 13): renderExposureMap on synthetic report models of 1k/10k/50k routes
// (aggregated above the detail bound) and at the detail bound (100 routes), against a floor measured in the same
// run: one pass over the model's routing rows putting each route key in a Set (the least any aggregation does).
// Medians of --runs after one warm-up (the warm-up also loads elkjs). Imports the built library from dist/.
//
//   npx tsc -p tsconfig.json && node bench/map.mjs [--routes 100,1000,10000,50000] [--runs 5]
//   node bench/map.mjs --cold [--routes 10000] [--runs 5]     # elkjs load, first (cold) and warm map, fresh processes
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { renderExposureMap, mapMode } = await import(join(here, '..', 'dist', 'report', 'svg-map.js'));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const TYPES = ['public-model-endpoint', 'internal-inference', 'agent-tool-gateway', 'retrieval', 'admin', 'unclassified'];

/** Per 1000 routes: 10 Gateways of 4 listeners, 50 namespaces; one Service per route; 1 finding per 20 routes. */
function model(routes) {
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

// --cold: what a report process pays for the aggregated map, in fresh processes (CPU, user + sys): loading elkjs
// (its 1.6 MB of code compiled), the first map's aggregation and ELK layout + SVG (ELK's code runs cold), and the
// same again in that process (warm). Each child prints one JSON line; medians of --runs.
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
if (args.includes('--cold-child')) {
  const m = model(Number(opt('routes', '10000')));
  const { createRequire } = await import('node:module');
  const c0 = cpuMs();
  createRequire(join(here, '..', 'dist', 'report', 'map', 'layout.js'))('elkjs/lib/elk-worker.min.js');
  const { aggregateGraph } = await import(join(here, '..', 'dist', 'report', 'map', 'aggregate.js'));
  const { renderMapGraph } = await import(join(here, '..', 'dist', 'report', 'map', 'svg.js'));
  const c1 = cpuMs();
  const g1 = aggregateGraph(m);
  const c2 = cpuMs();
  renderMapGraph(g1);
  const c3 = cpuMs();
  const g2 = aggregateGraph(m);
  const c4 = cpuMs();
  renderMapGraph(g2);
  const c5 = cpuMs();
  console.log(JSON.stringify({ load: c1 - c0, aggregate: c2 - c1, layout: c3 - c2, aggregateWarm: c4 - c3, layoutWarm: c5 - c4 }));
  process.exit(0);
}
if (args.includes('--cold')) {
  const { spawnSync } = await import('node:child_process');
  const n = Number(opt('routes', '10000').split(',')[0]);
  const runs = Number(opt('runs', '5'));
  const xs = [];
  for (let k = 0; k < runs; k++) {
    const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', '--routes', String(n)], { encoding: 'utf8' });
    if (c.status !== 0) throw new Error(`map bench child failed: ${c.stderr}`);
    xs.push(JSON.parse(c.stdout.trim().split('\n').pop()));
  }
  const med = (k) => median(xs.map((x) => x[k])).toFixed(0);
  console.log(`map bench (cold): node ${process.version}, load average ${loadavg()[0].toFixed(1)}, ${runs} fresh processes, ${n} routes`);
  console.log(`CPU ms: elkjs load ${med('load')}; first map: aggregation ${med('aggregate')}, ELK layout + SVG ${med('layout')}; the same map again in that process: aggregation ${med('aggregateWarm')}, layout + SVG ${med('layoutWarm')}`);
  process.exit(0);
}

const sizes = opt('routes', '100,1000,10000,50000').split(',').map(Number);
const runs = Number(opt('runs', '5'));
console.log(`map bench: node ${process.version}, load average ${loadavg()[0].toFixed(1)}, runs ${runs}`);
console.log('| routes | mode | map ms | floor ms | ratio | SVG KiB |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const n of sizes) {
  const m = model(n);
  const floor = () => {
    const s = new Set();
    for (const r of m.routing) s.add(`${r.route.kind}/${r.route.namespace}/${r.route.name}`);
    return s.size;
  };
  renderExposureMap(m);
  floor();
  const t = [];
  const f = [];
  let svg = '';
  for (let k = 0; k < runs; k++) {
    let a = performance.now();
    svg = renderExposureMap(m);
    t.push(performance.now() - a);
    a = performance.now();
    floor();
    f.push(performance.now() - a);
  }
  const mt = median(t);
  const ft = median(f);
  console.log(`| ${n} | ${mapMode(m)} | ${mt.toFixed(0)} | ${ft.toFixed(1)} | ${(mt / ft).toFixed(1)} | ${(svg.length / 1024).toFixed(0)} |`);
}

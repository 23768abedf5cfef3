// Synthetic cluster generator for benchmarks: N routes with Gateways, listeners, Services, ReferenceGrants,
// Namespaces and TLS Secrets (real certificates) in proportion, written as `kubectl get -o json` List files.
//
//   node bench/synthetic.mjs --routes 10000 --out /tmp/gwe-bench/10k
//   import { generateCluster, syntheticObjects, syntheticCapture } from './synthetic.mjs'
//
// syntheticCapture(n) (used by bench/verify.mjs) normalises the same objects in memory with the built
// collector (dist/, run `npx tsc -p tsconfig.json` first): the Capture that `gwe collect` would produce.
//
// Proportions (per 1000 routes): 10 Gateways of 8 listeners (4 HTTPS, each with its own TLS Secret),
// 50 namespaces, 1000 Services (one backend per route, 1 in 10 routes also splits 80/20 to a second Service),
// 20 ReferenceGrants (1 route in 50 sends traffic to a shared namespace), plus the GatewayClass.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const collector = await import(new URL('../dist/index.js', import.meta.url).href).catch(() => undefined);

const GW = 'gateway.networking.k8s.io';

/** A small pool of real self-signed certificates (openssl), reused across Secrets. */
function certPool(n) {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-bench-certs-'));
  const pool = [];
  for (let i = 0; i < n; i++) {
    const args = ['req', '-x509', '-newkey', i % 2 ? 'rsa:2048' : 'ec', ...(i % 2 ? [] : ['-pkeyopt', 'ec_paramgen_curve:P-256']), '-nodes',
      '-keyout', join(dir, `${i}.key`), '-out', join(dir, `${i}.crt`), '-days', '365', '-subj', `/CN=bench-${i}.example`, '-addext', `subjectAltName=DNS:*.bench-${i}.example`];
    execFileSync('openssl', args, { stdio: 'ignore' });
    pool.push({ crt: readFileSync(join(dir, `${i}.crt`)), key: readFileSync(join(dir, `${i}.key`)) });
  }
  return pool;
}

function listText(items) {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }, null, 2) + '\n';
}

const meta = (name, namespace, i) => ({
  name, ...(namespace ? { namespace } : {}), uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resourceVersion: String(1000 + i),
  generation: 1, creationTimestamp: '2026-01-01T00:00:00Z',
  managedFields: [{ apiVersion: 'v1', fieldsType: 'FieldsV1', manager: 'kubectl', operation: 'Update', time: '2026-01-01T00:00:00Z', fieldsV1: { 'f:spec': {} } }],
  labels: { 'app.kubernetes.io/part-of': 'bench' },
});

let poolCache;

/** The synthetic cluster in memory: { [fileName]: items[] }, one kubectl List per file. */
export function syntheticObjects(routes) {
  const pool = (poolCache ??= certPool(4));
  const per = (k) => Math.max(1, Math.round((routes * k) / 1000));
  const nGateways = per(10);
  const nNamespaces = per(50);
  const nGrants = per(20);
  let uid = 0;
  const files = {};
  const list = (items) => items;
  const namespaces = [];
  for (let i = 0; i < nNamespaces; i++) namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { ...meta(`team-${i}`, undefined, ++uid), labels: { 'kubernetes.io/metadata.name': `team-${i}`, 'gateway-access': 'shared' } }, spec: {}, status: { phase: 'Active' } });
  namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { ...meta('shared', undefined, ++uid) }, spec: {}, status: { phase: 'Active' } });
  namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { ...meta('gateways', undefined, ++uid) }, spec: {}, status: { phase: 'Active' } });
  files['namespaces.json'] = list(namespaces);

  const gateways = [{ apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: meta('bench', undefined, ++uid), spec: { controllerName: 'example.com/bench' }, status: { conditions: [] } }];
  const secrets = [];
  for (let g = 0; g < nGateways; g++) {
    const listeners = [];
    for (let l = 0; l < 8; l++) {
      const https = l % 2 === 1;
      const name = `l${l}`;
      if (https) {
        const c = pool[(g + l) % pool.length];
        secrets.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: meta(`gw-${g}-${name}-tls`, 'gateways', ++uid), data: { 'tls.crt': c.crt.toString('base64'), 'tls.key': c.key.toString('base64') } });
      }
      listeners.push({ name, port: https ? 443 : 80, protocol: https ? 'HTTPS' : 'HTTP', hostname: `*.l${l}.gw${g}.bench.example`,
        ...(https ? { tls: { mode: 'Terminate', certificateRefs: [{ name: `gw-${g}-${name}-tls` }] } } : {}),
        allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'shared' } } } } });
    }
    gateways.push({ apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: meta(`gw-${g}`, 'gateways', ++uid), spec: { gatewayClassName: 'bench', listeners },
      status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' }],
        listeners: listeners.map((l) => ({ name: l.name, attachedRoutes: 0, supportedKinds: [{ group: GW, kind: 'HTTPRoute' }], conditions: [] })) } });
  }
  files['gateways.json'] = list(gateways);
  files['secrets.json'] = list(secrets);

  const services = [];
  const routeItems = [];
  const grants = [];
  for (let s = 0; s < Math.max(1, Math.ceil(nGrants / 2)); s++) {
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(`shared-${s}`, 'shared', ++uid), spec: { type: 'ClusterIP', clusterIP: `10.0.${s >> 8}.${s & 255}`, ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { app: `shared-${s}` } }, status: { loadBalancer: {} } });
  }
  for (let r = 0; r < routes; r++) {
    const ns = `team-${r % nNamespaces}`;
    const g = r % nGateways;
    const l = r % 8;
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(`svc-${r}`, ns, ++uid), spec: { type: 'ClusterIP', clusterIP: `10.1.${(r >> 8) & 255}.${r & 255}`, ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { app: `svc-${r}` } }, status: { loadBalancer: {} } });
    const backendRefs = [{ name: `svc-${r}`, port: 8080, weight: r % 10 === 0 ? 80 : 1 }];
    if (r % 10 === 0 && r + 1 < routes) backendRefs.push({ name: `svc-${r + 1}`, namespace: `team-${(r + 1) % nNamespaces}`, port: 8080, weight: 20 });
    const rules = [{ matches: [{ path: { type: 'PathPrefix', value: `/api/${r}` } }], backendRefs }];
    if (r % 50 === 0) rules.push({ matches: [{ path: { type: 'PathPrefix', value: `/shared/${r}` } }], backendRefs: [{ name: `shared-${(r / 50) % Math.max(1, Math.ceil(nGrants / 2))}`, namespace: 'shared', port: 8080 }] });
    routeItems.push({ apiVersion: `${GW}/v1`, kind: 'HTTPRoute', metadata: meta(`route-${r}`, ns, ++uid),
      spec: { parentRefs: [{ name: `gw-${g}`, namespace: 'gateways', sectionName: `l${l}` }], hostnames: [`r${r}.l${l}.gw${g}.bench.example`], rules },
      status: { parents: [{ parentRef: { name: `gw-${g}`, namespace: 'gateways', sectionName: `l${l}` }, controllerName: 'example.com/bench',
        conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' }] }] } });
  }
  for (let i = 0; i < nGrants; i++) {
    grants.push({ apiVersion: `${GW}/v1beta1`, kind: 'ReferenceGrant', metadata: meta(`from-team-${i % nNamespaces}-${i}`, 'shared', ++uid),
      spec: { from: [{ group: GW, kind: 'HTTPRoute', namespace: `team-${i % nNamespaces}` }], to: [{ group: '', kind: 'Service' }] } });
  }
  files['services.json'] = list(services);
  files['referencegrants.json'] = list(grants);
  // Routes in chunks of 10k, as several `kubectl get` calls would write them.
  for (let i = 0; i * 10000 < routeItems.length; i++) files[`httproutes-${String(i).padStart(2, '0')}.json`] = list(routeItems.slice(i * 10000, (i + 1) * 10000));

  return files;
}

/** Writes the synthetic cluster into `out` as kubectl List JSON files and returns { files, bytes, objects }. */
export function generateCluster(routes, out) {
  mkdirSync(out, { recursive: true });
  let bytes = 0;
  let objects = 0;
  const objs = syntheticObjects(routes);
  for (const [name, items] of Object.entries(objs)) {
    const text = listText(items);
    writeFileSync(join(out, name), text);
    bytes += Buffer.byteLength(text);
    objects += items.length;
  }
  return { files: Object.keys(objs).sort().map((f) => join(out, f)), bytes, objects };
}

/** The Capture `gwe collect` would make of the synthetic cluster (normalised in memory by dist/). */
export function syntheticCapture(routes, capturedAt = '2026-11-01T00:00:00Z') {
  if (!collector) throw new Error('syntheticCapture needs the built library: run `npx tsc -p tsconfig.json` first');
  const input = { objects: [], conformanceReports: [], sources: [] };
  for (const [name, items] of Object.entries(syntheticObjects(routes))) {
    const text = listText(items);
    input.sources.push({ name, sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) });
    items.forEach((object, i) => input.objects.push({ object: structuredClone(object), source: `${name}#items[${i}]` }));
  }
  return collector.normalize(input, { capturedAt, mode: 'files', toolVersion: collector.VERSION, clusterName: `synthetic-${routes}` });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
  const routes = Number(arg('--routes', '1000'));
  const out = arg('--out', join(tmpdir(), `gwe-bench-${routes}`));
  if (existsSync(join(out, 'namespaces.json')) && !process.argv.includes('--force')) {
    console.error(`${out} already holds a cluster; pass --force to rewrite it`);
    process.exit(64);
  }
  const r = generateCluster(routes, out);
  console.log(JSON.stringify({ out, routes, objects: r.objects, bytes: r.bytes, files: r.files.length }));
}

#!/usr/bin/env node
// Audit-log ingestion benchmark (issue 9): `readAuditLogs` (stream a gzip audit log -> gunzip -> split lines
// -> JSON.parse -> reduce -> keep in-scope changes) against its floor, `gzip -dc FILE | wc -l` of the same file,
// measured in the same run. Medians over --runs, plus peak RSS (the ingestion runs in a child process; the
// floor's RSS comes from /usr/bin/time when present). Imports the built library from dist/ (run
// `npx tsc -p tsconfig.json` first).
//
//   node bench/audit.mjs [--events 200000,1000000] [--runs 3]
//
// The synthetic audit log: events as a 2k-route cluster's API server writes them at the Metadata level, with
// 1 in 50 at RequestResponse level with a request and response body of ~2 KiB; 70% reads (get/list/watch),
// 20% Pod/Lease/Event writes (out of scope), 10% writes to HTTPRoutes/Gateways/Services/Secrets (in scope).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const runs = Number(opt('runs', '3'));
const GW = 'gateway.networking.k8s.io';

if (args[0] === '--child') {
  const [, file, n] = args;
  const lib = await import(join(here, '..', 'dist', 'index.js'));
  const objects = [];
  for (let i = 0; i < 2000; i++) objects.push({ apiVersion: `${GW}/v1`, kind: 'HTTPRoute', metadata: { name: `r${i}`, namespace: `ns${i % 50}` }, spec: {} });
  const capture = { snapshot: { objects, conformanceReports: [] }, record: { scope: {}, capturedAt: '2026-12-01T00:00:00Z' } };
  const scope = lib.auditScope(capture);
  const times = [];
  let kept = 0;
  let lines = 0;
  for (let i = 0; i < Number(n) + 1; i++) {
    const acc = lib.createAuditAccumulator(scope, { since: Date.parse('2026-09-01T00:00:00Z'), until: Date.parse('2026-12-01T00:00:00Z') });
    const t = process.hrtime.bigint();
    const rec = await lib.readAuditLogs([file], acc, { cwd: '/' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (i > 0) times.push(ms); // first run warms the page cache and the JIT
    kept = acc.events().length;
    lines = rec[0].lines;
  }
  process.stdout.write(JSON.stringify({ ms: median(times), maxRssKb: process.resourceUsage().maxRSS, kept, lines }));
  process.exit(0);
}

async function generate(file, events) {
  const gz = createGzip({ level: 6 });
  const out = createWriteStream(file);
  gz.pipe(out);
  const body = { apiVersion: `${GW}/v1`, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'ns', labels: { app: 'x'.repeat(40) } }, spec: { rules: Array.from({ length: 12 }, (_, k) => ({ backendRefs: [{ name: `svc-${k}`, port: 8080, weight: 50 }], matches: [{ path: { type: 'PathPrefix', value: `/v1/${k}/${'p'.repeat(40)}` } }] })) } };
  const t0 = Date.parse('2026-09-01T00:00:00Z');
  for (let i = 0; i < events; i++) {
    const r = i % 10;
    const verb = r < 7 ? ['get', 'list', 'watch'][i % 3] : ['update', 'patch', 'create'][i % 3];
    const inScope = r === 9;
    const resource = inScope ? ['httproutes', 'gateways', 'services', 'secrets'][i % 4] : r < 7 ? 'httproutes' : ['pods', 'leases', 'events'][i % 3];
    const group = resource === 'httproutes' || resource === 'gateways' ? GW : resource === 'leases' ? 'coordination.k8s.io' : '';
    const rr = i % 50 === 0;
    const at = new Date(t0 + i * 7).toISOString();
    const ev = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: rr ? 'RequestResponse' : 'Metadata', auditID: `a${i.toString(16).padStart(12, '0')}-0000-4000-8000-000000000000`, stage: 'ResponseComplete',
      requestURI: `/apis/${group}/v1/namespaces/ns${i % 50}/${resource}/r${i % 2000}`, verb,
      user: { username: i % 3 ? 'system:serviceaccount:argocd:argocd-application-controller' : 'alice@example.com', groups: ['system:authenticated'] },
      sourceIPs: ['10.0.0.7'], userAgent: 'argocd-application-controller/v2.13.1',
      objectRef: { resource, namespace: `ns${i % 50}`, name: `r${i % 2000}`, ...(group ? { apiGroup: group } : {}), apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
      ...(rr ? { requestObject: body, responseObject: body } : {}),
      requestReceivedTimestamp: at, stageTimestamp: at,
      annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "argocd"' },
    };
    if (!gz.write(`${JSON.stringify(ev)}\n`)) await once(gz, 'drain');
  }
  gz.end();
  await once(out, 'finish');
}

function floor(file) {
  const script = `gzip -dc '${file}' | wc -l > /dev/null`;
  const hasTime = existsSync('/usr/bin/time');
  const times = [];
  let rssKb = null;
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    const r = hasTime ? spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', script], { encoding: 'utf8' }) : spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`floor failed: ${r.stderr}`);
    if (i > 0) times.push(ms);
    if (hasTime) rssKb = Math.max(rssKb ?? 0, Number(r.stderr.trim().split('\n').pop()));
  }
  return { ms: median(times), rssKb };
}

const sizes = opt('events', '200000,1000000').split(',').map(Number);
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-audit-'));
const rows = [];
try {
  for (const events of sizes) {
    const file = join(tmp, `audit-${events}.log.gz`);
    await generate(file, events);
    const gzBytes = statSync(file).size;
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(child.stderr);
    const r = JSON.parse(child.stdout);
    const f = floor(file);
    rows.push({ events, gzMiB: gzBytes / 1048576, ...r, floorMs: f.ms, floorRssKb: f.rssKb });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`audit ingestion vs floor (gzip -dc | wc -l), medians of ${runs} run(s), node ${process.version}, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
console.log('| events | gzip MiB | kept | ingest ms | events/s | floor ms | ratio | ingest RSS MiB | floor RSS MiB |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.events} | ${r.gzMiB.toFixed(1)} | ${r.kept} | ${Math.round(r.ms)} | ${Math.round((r.lines / r.ms) * 1000)} | ${Math.round(r.floorMs)} | ${(r.ms / r.floorMs).toFixed(1)} | ${Math.round(r.maxRssKb / 1024)} | ${r.floorRssKb !== null ? Math.round(r.floorRssKb / 1024) : '-'} |`);
}

#!/usr/bin/env node
/**
 * Bench for the resolution engine (imports the built engine from dist/; run `npx tsc -p tsconfig.json` first).
 *   node bench/resolve.mjs [--sizes 1000,10000,50000] [--runs 5]
 * Each size runs in its own child process so that peak RSS (maxRSS) is per size. Reports the median wall
 * time of `resolve()` over the runs (generation excluded), peak RSS, and the growth ratio per 10x routes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};

if (opt('--child')) {
  const n = Number(opt('--child'));
  const runs = Number(opt('--runs', '5'));
  const { resolve } = await import('../dist/resolve/index.js');
  const { generateCluster } = await import('./resolve-generate.mjs');
  const objects = generateCluster(n);
  const times = [];
  let summary;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const res = resolve(objects);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    summary = { routes: res.routes.length, routing: res.routing.length, findings: res.findings.length, attached: res.gateways.reduce((s, g) => s + g.listeners.reduce((a, l) => a + l.attachedRoutes, 0), 0) };
  }
  times.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ n, objects: objects.length, medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxRssMiB: process.resourceUsage().maxRSS / 1024, ...summary }) + '\n');
  process.exit(0);
}

const sizes = opt('--sizes', '1000,10000,50000').split(',').map(Number);
const runs = opt('--runs', '5');
const self = fileURLToPath(import.meta.url);
const rows = [];
for (const n of sizes) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', self, '--child', String(n), '--runs', runs], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  rows.push(JSON.parse(r.stdout));
}
console.log(`node ${process.version}, ${runs} runs per size (median of resolve() only; generation excluded)`);
console.log('routes   objects   median ms   min ms   peak RSS MiB   attached   ms/route');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(6)}  ${String(r.objects).padStart(8)}  ${r.medianMs.toFixed(1).padStart(10)}  ${r.minMs.toFixed(1).padStart(7)}  ${r.maxRssMiB.toFixed(0).padStart(13)}  ${String(r.attached).padStart(9)}  ${(r.medianMs / r.n).toFixed(4).padStart(9)}`,
  );
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1];
  const b = rows[i];
  console.log(`growth ${a.n} -> ${b.n} routes (x${(b.n / a.n).toFixed(1)}): time x${(b.medianMs / a.medianMs).toFixed(2)}, per-route cost x${(b.medianMs / b.n / (a.medianMs / a.n)).toFixed(2)}`);
}

#!/usr/bin/env node
/**
 * Bench for the resolution engine (imports the built engine from dist/; run `npx tsc -p tsconfig.json` first).
 *   node bench/resolve.mjs [--sizes 1000,10000,50000] [--runs 5]
 * Each size runs in its own child process so that peak RSS (maxRSS, read after the first resolve() and before the
 * first clone) is per size. Reports the median wall
 * time of `resolve()` over the runs (generation excluded), peak RSS, the growth ratio per 10x routes, and the
 * floor (issue 13: resolve <= 2x it): `JSON.parse` of the same objects as one JSON dump, timed in the same child,
 * alternating with the resolve() calls; and a second floor, `structuredClone` of resolve()'s result (what merely
 * allocating its output costs), timed separately in the same child. `out MiB` is the result as JSON (objects
 * shared inside the result counted each time they appear).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
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
  const dump = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
  JSON.parse(dump); // warm-up of the floor
  const times = [];
  const floor = [];
  const outFloor = [];
  // CPU time of the process (all threads, GC helpers included) for each timed step: steadier than wall time on
  // a shared machine.
  const cpu = [];
  const floorCpu = [];
  const outFloorCpu = [];
  const cpuMs = (c) => {
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000;
  };
  let summary;
  let outMiB = 0;
  let rssMiB = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let res = resolve(objects);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push(cpuMs(c0));
    // Peak RSS of resolve() alone: read before the first clone (maxRSS only grows).
    if (i === 0) rssMiB = process.resourceUsage().maxRSS / 1024;
    summary = { routes: res.routes.length, routing: res.routing.length, findings: res.findings.length, attached: res.gateways.reduce((s, g) => s + g.listeners.reduce((a, l) => a + l.attachedRoutes, 0), 0) };
    // Second floor: merely allocating what resolve() returns. structuredClone copies the Resolution's object graph
    // (objects shared inside it, e.g. a route's rules under each listener, are copied once, as resolve builds them);
    // the clone is made while the original is still alive, as resolve's output is while it is built.
    const c2 = process.cpuUsage();
    const t2 = process.hrtime.bigint();
    const copy = structuredClone(res);
    outFloor.push(Number(process.hrtime.bigint() - t2) / 1e6);
    outFloorCpu.push(cpuMs(c2));
    if (copy.routes.length !== res.routes.length) throw new Error('clone');
    if (i === 0) outMiB = JSON.stringify(res).length / 1048576;
    res = undefined;
    const c1 = process.cpuUsage();
    const t1 = process.hrtime.bigint();
    if (JSON.parse(dump).items.length !== objects.length) throw new Error('dump');
    floor.push(Number(process.hrtime.bigint() - t1) / 1e6);
    floorCpu.push(cpuMs(c1));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const medianMs = median(times);
  process.stdout.write(JSON.stringify({ n, objects: objects.length, dumpMiB: dump.length / 1048576, outMiB, medianMs, minMs: times[0], floorMs: median(floor), outFloorMs: median(outFloor), cpuMs: median(cpu), floorCpuMs: median(floorCpu), outFloorCpuMs: median(outFloorCpu), maxRssMiB: rssMiB, ...summary }) + '\n');
  process.exit(0);
}

const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
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
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`node ${process.version}, ${runs} runs per size (median of resolve() only; generation excluded), load average at start ${loadStart}, at end ${load}`);
console.log('floor: JSON.parse of the same objects as one kubectl List dump, in the same child, alternating with resolve()');
console.log("output floor: structuredClone of resolve()'s result (the cost of merely allocating what it returns), same child");
console.log('routes   objects   dump MiB   out MiB   median ms   min ms   floor ms   ratio   out floor ms   ratio   peak RSS MiB   attached   ms/route');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(6)}  ${String(r.objects).padStart(8)}  ${r.dumpMiB.toFixed(1).padStart(8)}  ${r.outMiB.toFixed(1).padStart(7)}  ${r.medianMs.toFixed(1).padStart(10)}  ${r.minMs.toFixed(1).padStart(7)}  ${r.floorMs.toFixed(1).padStart(8)}  ${(r.medianMs / r.floorMs).toFixed(2).padStart(5)}x  ${r.outFloorMs.toFixed(1).padStart(12)}  ${(r.medianMs / r.outFloorMs).toFixed(2).padStart(5)}x  ${r.maxRssMiB.toFixed(0).padStart(13)}  ${String(r.attached).padStart(9)}  ${(r.medianMs / r.n).toFixed(4).padStart(9)}`,
  );
}
console.log('CPU (process CPU time, all threads): routes   resolve ms   JSON.parse ms   ratio   structuredClone ms   ratio');
for (const r of rows) {
  console.log(`${String(r.n).padStart(6)}  ${r.cpuMs.toFixed(0).padStart(10)}  ${r.floorCpuMs.toFixed(0).padStart(13)}  ${(r.cpuMs / r.floorCpuMs).toFixed(2).padStart(5)}x  ${r.outFloorCpuMs.toFixed(0).padStart(18)}  ${(r.cpuMs / r.outFloorCpuMs).toFixed(2).padStart(5)}x`);
}
for (let i = 1; i < rows.length; i++) {
  const a = rows[i - 1];
  const b = rows[i];
  console.log(`growth ${a.n} -> ${b.n} routes (x${(b.n / a.n).toFixed(1)}): time x${(b.medianMs / a.medianMs).toFixed(2)}, per-route cost x${(b.medianMs / b.n / (a.medianMs / a.n)).toFixed(2)}; CPU x${(b.cpuMs / a.cpuMs).toFixed(2)}, per route x${(b.cpuMs / b.n / (a.cpuMs / a.n)).toFixed(2)}`);
}

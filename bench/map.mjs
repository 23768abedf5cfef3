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
const { syntheticMapModel } = await import(join(here, '..', 'scripts', 'map-model.mjs'));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const model = syntheticMapModel;

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
  const { setElkLoader } = await import(join(here, '..', 'dist', 'report', 'map', 'elk-loader.js'));
  const { elkCodeCacheState } = await import(join(here, '..', 'dist', 'report', 'map', 'layout.js'));
  const { loadElk } = await import(join(here, '..', 'dist', 'io', 'elk.js'));
  const { aggregateGraph } = await import(join(here, '..', 'dist', 'report', 'map', 'aggregate.js'));
  const { renderMapGraph } = await import(join(here, '..', 'dist', 'report', 'map', 'svg.js'));
  const c0 = cpuMs();
  // --elk cli: the CLI's loader (src/io/elk.ts: the build's code cache, first layout without TurboFan);
  // --elk plain: `require` and TurboFan on, as a library user who installs no loader gets.
  const elk = opt('elk', 'cli') === 'plain' ? { Worker: createRequire(join(here, '..', 'dist', 'report', 'map', 'layout.js'))('elkjs/lib/elk-worker.min.js').Worker, cache: 'none' } : loadElk();
  setElkLoader(() => elk);
  const c1 = cpuMs();
  const g1 = aggregateGraph(m);
  const c2 = cpuMs();
  renderMapGraph(g1);
  const c3 = cpuMs();
  const g2 = aggregateGraph(m);
  const c4 = cpuMs();
  renderMapGraph(g2);
  const c5 = cpuMs();
  console.log(JSON.stringify({ cache: elkCodeCacheState(), load: c1 - c0, aggregate: c2 - c1, layout: c3 - c2, aggregateWarm: c4 - c3, layoutWarm: c5 - c4 }));
  process.exit(0);
}
if (args.includes('--cold')) {
  const { spawnSync } = await import('node:child_process');
  const n = Number(opt('routes', '10000').split(',')[0]);
  const runs = Number(opt('runs', '5'));
  const kinds = opt('elk', 'cli,plain').split(',');
  console.log(`map bench (cold): node ${process.version}, load average ${loadavg()[0].toFixed(1)}, ${runs} fresh processes per loader, alternated, ${n} routes`);
  const xs = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let k = 0; k < runs; k++) {
    for (const kind of kinds) {
      const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', '--routes', String(n), '--elk', kind], { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(`map bench child failed: ${c.stderr}`);
      xs[kind].push(JSON.parse(c.stdout.trim().split('\n').pop()));
    }
  }
  for (const kind of kinds) {
    const med = (k) => median(xs[kind].map((x) => x[k])).toFixed(0);
    const total = median(xs[kind].map((x) => x.load + x.layout)).toFixed(0);
    console.log(`--elk ${kind} (code cache: ${[...new Set(xs[kind].map((x) => x.cache))].join(', ')}): CPU ms: elkjs load ${med('load')}; first map: aggregation ${med('aggregate')}, ELK layout + SVG ${med('layout')} (load + first layout ${total}); the same map again in that process: aggregation ${med('aggregateWarm')}, layout + SVG ${med('layoutWarm')}`);
  }
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

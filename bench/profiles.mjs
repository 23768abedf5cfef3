#!/usr/bin/env node
// The analysis of a capture whose GatewayClass names a controller with a profile (Istio, Envoy Gateway) against
// the same capture under a controller without one (issue 13: "Istio/EG captures get two resolutions").
//
//   node bench/profiles.mjs [--routes 10000] [--runs 5]
//
// One synthetic cluster (bench/synthetic.mjs), three copies differing only in the GatewayClass controllerName and
// the routes' status controllerName: example.com/bench (no profile: one resolution), istio.io/gateway-controller,
// gateway.envoyproxy.io/gatewayclass-controller. Floor, same run, same objects: one resolve() in `spec`. The
// analysis recomputes the status in `spec` and, when a class has a profile, once more in that profile, because each
// drift entry is classified by comparing the recorded status with both (docs/resolution.md "Controller
// profiles": a disagreement the profile predicts is the controller's known habit, not drift). Medians of --runs
// in-process calls after one warm-up, alternating the three captures. Imports dist/ (`npm run build` first).
import { loadavg } from 'node:os';
import { syntheticCapture } from './synthetic.mjs';
import { median, option } from './bundles.mjs';

const routes = Number(option('routes', '10000'));
const runs = Number(option('runs', '5'));
const { analyzeCapture } = await import(new URL('../dist/verify/analysis.js', import.meta.url).href);
const { resolve } = await import(new URL('../dist/resolve/index.js', import.meta.url).href);

const base = syntheticCapture(routes);
const withController = (controllerName) => {
  const c = structuredClone(base);
  for (const o of c.snapshot.objects) {
    if (o.kind === 'GatewayClass') o.spec.controllerName = controllerName;
    for (const p of o.status?.parents ?? []) p.controllerName = controllerName;
  }
  return c;
};
const captures = {
  'no profile (example.com/bench)': base,
  'istio (istio.io/gateway-controller)': withController('istio.io/gateway-controller'),
  'envoy-gateway (gateway.envoyproxy.io/gatewayclass-controller)': withController('gateway.envoyproxy.io/gatewayclass-controller'),
};
const time = (f) => {
  const s = performance.now();
  f();
  return performance.now() - s;
};
const t = { floor: [] };
for (const k of Object.keys(captures)) t[k] = [];
const load0 = loadavg()[0];
for (let i = 0; i <= runs; i++) {
  const floor = time(() => resolve(base.snapshot.objects, { semantics: 'spec' }));
  if (i > 0) t.floor.push(floor);
  for (const [k, c] of Object.entries(captures)) {
    const ms = time(() => analyzeCapture(c));
    if (i > 0) t[k].push(ms);
  }
}
const floor = median(t.floor);
console.log(`analysis by controller profile, ${routes} routes, medians of ${runs}, load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
console.log(`| capture | analyzeCapture ms | x one resolve() (${floor.toFixed(0)} ms, same run) | x the no-profile analysis |`);
console.log('|---|---|---|---|');
const none = median(t['no profile (example.com/bench)']);
for (const k of Object.keys(captures)) {
  const m = median(t[k]);
  console.log(`| ${k} | ${m.toFixed(0)} | ${(m / floor).toFixed(2)}x | ${(m / none).toFixed(2)}x |`);
}

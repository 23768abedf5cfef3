#!/usr/bin/env node
// Report benchmark (issue 13): `gwe report -o FORMAT` against its floor, `gwe verify` of the same bundle with
// the same trust root, measured in the same run. Both are the real command (`node bin/gwe.js ...`, output to a
// file), so start-up, reading, verification and rendering are all counted, as a user waits for them.
//
//   node bench/report.mjs [--routes 1000,10000,50000] [--runs 5] [--formats text,markdown,html,json,sarif] [--chromium]
//
// --chromium: each HTML report is also opened in headless Chromium (/usr/bin/chromium through playwright-core,
// network off, as test/browser does): the time to the load event, and what the page shows (the verdict, the
// exposure map's size, the table rows drawn).
//
// Every measurement is a fresh process under /usr/bin/time (wall, user+sys CPU, peak RSS); the figure is the
// median of --runs (after one warm-up run of verify that fills the page cache). The synthetic cluster comes
// from bench/synthetic.mjs (the collect benchmark's), collected into a signed bundle with the library's
// collect(). Needs the built library (`npx tsc -p tsconfig.json`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, option as opt } from './bundles.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'dist');
const gwe = join(root, 'bin', 'gwe.js');

const runs = Number(opt('runs', '5'));
const formats = opt('formats', 'text,markdown,html,json,sarif').split(',');
const hasTime = existsSync('/usr/bin/time');
const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-report-'));

/** One process: wall ms, CPU ms (user + sys), peak RSS KiB. Exit codes 0-2 are verdicts, not failures. */
function once(argv) {
  const t = process.hrtime.bigint();
  const c = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '@@%U %S %M', process.execPath, gwe, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, [gwe, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (c.status === null || c.status > 2) throw new Error(`gwe ${argv.join(' ')} failed (${c.status}): ${c.stderr}`);
  if (!hasTime) return { wall, cpu: NaN, rssKb: NaN };
  const line = c.stderr.split('\n').reverse().find((l) => l.startsWith('@@'));
  const [u, s, m] = line.slice(2).split(' ').map(Number);
  return { wall, cpu: (u + s) * 1000, rssKb: m };
}

function measure(argv) {
  const xs = Array.from({ length: runs }, () => once(argv));
  return { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), rssKb: median(xs.map((x) => x.rssKb)) };
}

const withChromium = process.argv.includes('--chromium');

/** Opens an HTML report in headless Chromium (network off): load time and what the page shows. */
async function openInChromium(file) {
  const { chromium } = await import('playwright-core');
  const { pathToFileURL } = await import('node:url');
  const profile = mkdtempSync(join(tmpdir(), 'gwe-bench-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, offline: true, viewport: { width: 1200, height: 900 }, args });
  try {
    const url = pathToFileURL(file).href;
    await ctx.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await ctx.newPage();
    const t = process.hrtime.bigint();
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
    const loadMs = Number(process.hrtime.bigint() - t) / 1e6;
    const shown = await page.evaluate(() => {
      const svg = document.querySelector('svg.exposure-map');
      const box = svg?.getBoundingClientRect();
      return {
        verdict: document.querySelector('#verdict')?.getAttribute('data-status') ?? null,
        map: box ? `${Math.round(box.width)}x${Math.round(box.height)} px, ${svg.querySelectorAll('g.node').length} nodes` : 'none',
        rows: document.querySelectorAll('tr').length,
      };
    });
    return { loadMs, ...shown };
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const rows = [];
try {
  const { generateCluster } = await import(join(here, 'synthetic.mjs'));
  const { collect } = await import(join(dist, 'collect.js'));
  const crypto = await import(join(dist, 'crypto', 'index.js'));
  const key = crypto.signingKeyFromSeed(new Uint8Array(32).fill(7));
  const pubFile = join(tmp, 'signer.pub.pem');
  writeFileSync(pubFile, crypto.publicKeyPem(key.publicKey));
  for (const n of opt('routes', '1000,10000,50000').split(',').map(Number)) {
    const dumpDir = join(tmp, `cluster-${n}`);
    const gen = generateCluster(n, dumpDir);
    const file = join(tmp, `synthetic-${n}.tar.gz`);
    await collect({ from: gen.files, out: file, keyPem: crypto.privateKeyPem(key), capturedAt: '2026-11-01T00:00:00Z', overwrite: true });
    rmSync(dumpDir, { recursive: true, force: true });
    process.stderr.write(`collected ${n} routes (${gen.objects} objects): ${(readFileSync(file).length / 1048576).toFixed(1)} MiB\n`);
    once(['verify', file, '--key', pubFile, '-o', 'json', '--out', join(tmp, 'v.json')]); // warm-up
    // The floor is measured before and after the reports; its median over both halves is the reference.
    const v1 = measure(['verify', file, '--key', pubFile, '-o', 'json', '--out', join(tmp, 'v.json')]);
    process.stderr.write(`  verify (before the reports): ${v1.wall.toFixed(0)} ms wall, ${v1.cpu.toFixed(0)} ms CPU\n`);
    const reports = {};
    for (const f of formats) {
      const out = join(tmp, `r-${n}.${f}`);
      reports[f] = { ...measure(['report', file, '--key', pubFile, '-o', f, '--out', out]), bytes: statSync(out).size };
      process.stderr.write(`  report -o ${f}: ${reports[f].wall.toFixed(0)} ms wall, ${reports[f].cpu.toFixed(0)} ms CPU, ${(reports[f].bytes / 1048576).toFixed(2)} MiB\n`);
      if (f === 'html' && withChromium) {
        reports[f].chromium = await openInChromium(out);
        process.stderr.write(`  chromium: ${JSON.stringify(reports[f].chromium)}\n`);
      }
    }
    const v2 = measure(['verify', file, '--key', pubFile, '-o', 'json', '--out', join(tmp, 'v.json')]);
    process.stderr.write(`  verify (after the reports): ${v2.wall.toFixed(0)} ms wall, ${v2.cpu.toFixed(0)} ms CPU\n`);
    const verify = { wall: (v1.wall + v2.wall) / 2, cpu: (v1.cpu + v2.cpu) / 2, rssKb: Math.max(v1.rssKb, v2.rssKb) };
    rows.push({ n, objects: gen.objects, size: readFileSync(file).length, verify, reports });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const load = loadavg().map((x) => x.toFixed(2)).join(' ');
const ms = (x) => x.toFixed(0);
const mb = (kb) => (Number.isNaN(kb) ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
console.log(`report benchmark: node ${process.version}, medians of ${runs} runs, load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('Wall ms (ratio to `gwe verify` of the same bundle, measured in the same run); CPU = user + sys ms (ratio)\n');
console.log(`| routes | bundle | verify wall / CPU (floor) | ${formats.map((f) => `report -o ${f} wall / CPU`).join(' | ')} |`);
console.log(`|---:|---:|---|${formats.map(() => '---|').join('')}`);
for (const r of rows) {
  const cells = formats.map((f) => {
    const x = r.reports[f];
    return `${ms(x.wall)} (${(x.wall / r.verify.wall).toFixed(2)}x) / ${ms(x.cpu)} (${(x.cpu / r.verify.cpu).toFixed(2)}x)`;
  });
  console.log(`| ${r.n} | ${(r.size / 1048576).toFixed(1)} MiB | ${ms(r.verify.wall)} / ${ms(r.verify.cpu)} | ${cells.join(' | ')} |`);
}
console.log('\nOutput size and peak RSS\n');
console.log(`| routes | verify RSS | ${formats.map((f) => `${f} size / RSS`).join(' | ')} |`);
console.log(`|---:|---|${formats.map(() => '---|').join('')}`);
for (const r of rows) {
  console.log(`| ${r.n} | ${mb(r.verify.rssKb)} | ${formats.map((f) => `${(r.reports[f].bytes / 1048576).toFixed(2)} MiB / ${mb(r.reports[f].rssKb)}`).join(' | ')} |`);
}
for (const r of rows) {
  const c = r.reports.html?.chromium;
  if (c) console.log(`\n${r.n} routes, HTML in headless Chromium: load event after ${ms(c.loadMs)} ms; verdict ${c.verdict}; exposure map ${c.map}; ${c.rows} table rows`);
}
if (rows.length > 1) {
  const f = formats.includes('html') ? 'html' : formats[0];
  console.log(`\nGrowth (report -o ${f} CPU, relative to the smallest size):`);
  const base = rows[0];
  for (const r of rows.slice(1)) {
    console.log(`  ${base.n} -> ${r.n} routes (x${(r.n / base.n).toFixed(0)}): x${(r.reports[f].cpu / base.reports[f].cpu).toFixed(2)} CPU time`);
  }
}

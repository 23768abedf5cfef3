#!/usr/bin/env node
// Collect benchmark (issue 2 "Benchmark", issue 13): `collect` (read kubectl JSON files -> normalise -> build +
// sign -> atomic write) against its floor, `gzip -6` of the same input bytes plus `JSON.parse` of the same
// files, measured in the same run on the same files. Medians over --runs, plus peak RSS. Imports the built
// library from dist/ (run `npx tsc -p tsconfig.json` first).
//
//   node bench/collect.mjs [--routes 1000,10000,50000] [--runs 5]
//
// The synthetic cluster comes from bench/synthetic.mjs (kubectl List JSON files in a temp dir). Each
// collect measurement runs in a fresh child process (so its peak RSS is the collector's alone) that does
// one warm-up and then --runs timed calls. The floor has two parts, both medians: `cat FILES | gzip -6 -c >
// /dev/null` through bash (peak RSS from /usr/bin/time when present), and, in a fresh child process like
// collect's, reading each file and `JSON.parse` of its text (one warm-up, then --runs timed passes over all
// files; its peak RSS is that child's maxRSS). The floor is their sum. The gzip floor is measured before and
// after the collect child and the parse floor before it, so the three share the machine's load.
// After its timed runs the collect child also times each step of the pipeline alone (`decompose`: reading,
// JSON.parse, the re-serialisation proof, SHA-256, normalisation, canonical JSON, tar, gzip), printed as a
// second table: the measured floor of what is left (issue 13).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const runs = Number(opt('runs', '5'));

if (args[0] === '--child') {
  // child: node bench/collect.mjs --child DIR KEYFILE RUNS
  const [, dir, keyFile, n] = args;
  const { collect } = await import(join(here, '..', 'dist', 'index.js'));
  const { readdirSync } = await import('node:fs');
  const from = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  const out = join(dir, '..', 'bundle.tar.gz');
  const once = async () => {
    const t = process.hrtime.bigint();
    const r = await collect({ from, out, keyFile, capturedAt: '2026-11-01T00:00:00Z', overwrite: true });
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
  };
  await once(); // warm-up
  const times = [];
  let last;
  for (let i = 0; i < Number(n); i++) {
    const { ms, r } = await once();
    times.push(ms);
    last = r;
  }
  const objects = Object.values(last.record.counts).reduce((a, b) => a + b, 0);
  const { statSync, readFileSync } = await import('node:fs');
  // The private-key detector's share (issue 8 item 4): the guard over the written capture (every object,
  // report and the record), timed alone; collect makes this one pass (objects as they are normalised).
  const { openBundle } = await import(join(here, '..', 'dist', 'bundle', 'open.js'));
  const { refuseKeyMaterial } = await import(join(here, '..', 'dist', 'collector', 'key-guard.js'));
  const { capture } = openBundle(new Uint8Array(readFileSync(out)));
  const scans = [];
  for (let i = 0; i < Number(n) + 1; i++) {
    const t = process.hrtime.bigint();
    refuseKeyMaterial(capture);
    if (i > 0) scans.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const maxRssKb = process.resourceUsage().maxRSS; // before the decomposition below allocates more
  const steps = await decompose(from, Number(n));
  process.stdout.write(JSON.stringify({ collectMs: median(times), keyScanMs: median(scans), maxRssKb, objects, bundleBytes: statSync(out).size, steps }));
  process.exit(0);
}

/**
 * What collect is made of, each step timed alone in this child (issue 13: the floor of what is left), medians
 * over `n` passes after one warm-up. Steps, in pipeline order: reading the files (bytes + UTF-8 text), JSON.parse
 * of the texts, the re-serialisation that proves a kubectl-layout file (JSON.stringify with its indent), SHA-256 of
 * the inputs, readInputs as a whole (all of the above plus flattening the Lists), normalisation, canonical JSON of
 * every kept object, SHA-256 of every payload file, the tar of the bag, gzip -6 of that tar (zlib, in one call)
 * and the streamed tar + gzip collect uses.
 */
async function decompose(from, n) {
  const { readFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const { gzipSync } = await import('node:zlib');
  const lib = (p) => import(join(here, '..', 'dist', ...p.split('/')));
  const { readInputs } = await lib('collector/inputs.js');
  const { captureFromInputs } = await import(join(here, '..', 'dist', 'collect.js'));
  const { canonicalize } = await lib('bundle/canonical.js');
  const { buildBag } = await lib('bundle/build.js');
  const { writeTar, writeTarGzip } = await lib('bundle/tar.js');
  const time = async (fn) => {
    await fn(); // warm-up
    const ms = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await fn();
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(ms);
  };
  const bytes = from.map((f) => readFileSync(f));
  const texts = bytes.map((b) => b.toString('utf8'));
  const values = texts.map((t) => JSON.parse(t));
  const input = await readInputs(from, { cwd: '/', readStdin: async () => new Uint8Array() });
  const capture = captureFromInputs(input, { capturedAt: '2026-11-01T00:00:00Z', mode: 'files' });
  const bag = buildBag(capture);
  const entries = [...bag.files].map(([p, b]) => ({ path: `${bag.bundleId}/${p}`, bytes: b }));
  const tar = writeTar(entries, bag.mtime);
  const steps = {
    'read files (bytes + UTF-8 text)': await time(() => from.map((f) => readFileSync(f).toString('utf8'))),
    'JSON.parse': await time(() => texts.map((t) => JSON.parse(t))),
    're-serialise (JSON.stringify, indent 2)': await time(() => values.map((v) => JSON.stringify(v, null, 2))),
    'SHA-256 of the inputs': await time(() => bytes.map((b) => createHash('sha256').update(b).digest('hex'))),
    'readInputs (all of the above + Lists)': await time(() => readInputs(from, { cwd: '/', readStdin: async () => new Uint8Array() })),
    normalize: await time(() => captureFromInputs(input, { capturedAt: '2026-11-01T00:00:00Z', mode: 'files' })),
    'canonical JSON of the objects': await time(() => capture.snapshot.objects.map((o) => canonicalize(o))),
    'SHA-256 of the payload files': await time(() => entries.map((e) => createHash('sha256').update(e.bytes).digest('hex'))),
    'buildBag (paths, canonical JSON, manifests)': await time(() => buildBag(capture)),
    'tar alone': await time(() => writeTar(entries, bag.mtime)),
    'gzip -6 of the tar alone (zlib)': await time(() => gzipSync(tar, { level: 6 })),
    'tar + gzip streamed (collect)': await time(() => writeTarGzip(entries, bag.mtime)),
  };
  return { ...steps, tarBytes: tar.length };
}

if (args[0] === '--parse-child') {
  // child: node bench/collect.mjs --parse-child RUNS FILE...: read + JSON.parse of every file, timed in-process.
  const { readFileSync } = await import('node:fs');
  const [, n, ...files] = args;
  const once = () => {
    const t = process.hrtime.bigint();
    let items = 0;
    for (const f of files) items += JSON.parse(readFileSync(f, 'utf8')).items?.length ?? 1;
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, items };
  };
  once(); // warm-up
  const times = [];
  for (let i = 0; i < Number(n); i++) times.push(once().ms);
  process.stdout.write(JSON.stringify({ parseMs: median(times), maxRssKb: process.resourceUsage().maxRSS }));
  process.exit(0);
}

function parseFloor(files) {
  const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--parse-child', String(runs), ...files], { encoding: 'utf8' });
  if (c.status !== 0) throw new Error(`parse floor failed: ${c.stderr}`);
  return JSON.parse(c.stdout);
}

function floor(files) {
  const script = `cat ${files.map((f) => `'${f}'`).join(' ')} | gzip -6 -c > /dev/null`;
  const hasTime = existsSync('/usr/bin/time');
  const times = [];
  let rssKb = null;
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    const r = hasTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', script], { encoding: 'utf8' })
      : spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`floor failed: ${r.stderr}`);
    if (i > 0) times.push(ms); // first run warms the page cache
    if (hasTime) rssKb = Math.max(rssKb ?? 0, Number(r.stderr.trim().split('\n').pop()));
  }
  return { ms: median(times), rssKb };
}

const { generateCluster } = await import(join(here, 'synthetic.mjs'));
const { privateKeyPem, signingKeyFromSeed } = await import(join(here, '..', 'dist', 'crypto', 'index.js'));
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-collect-'));
const keyFile = join(tmp, 'signer.pem');
writeFileSync(keyFile, privateKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(7))));
const rows = [];
try {
  for (const n of opt('routes', '1000,10000,50000').split(',').map(Number)) {
    const dir = join(tmp, `c${n}`, 'in');
    const g = generateCluster(n, dir);
    process.stderr.write(`generated ${n} routes: ${g.objects} objects, ${(g.bytes / 1048576).toFixed(1)} MiB of kubectl JSON\n`);
    const f1 = floor(g.files);
    const p = parseFloor(g.files);
    const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, keyFile, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (c.status !== 0) throw new Error(`child failed: ${c.stderr}`);
    const v = JSON.parse(c.stdout);
    const f2 = floor(g.files);
    const gzipMs = (f1.ms + f2.ms) / 2;
    const floorMs = gzipMs + p.parseMs;
    rows.push({ label: `${n} routes`, inputBytes: g.bytes, ...v, gzipMs, parseMs: p.parseMs, floorMs, parseRssKb: p.maxRssKb, floorRssKb: Math.max(f1.rssKb ?? 0, f2.rssKb ?? 0) || null, ratio: v.collectMs / floorMs });
    rmSync(join(tmp, `c${n}`), { recursive: true, force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
const cpu = (() => {
  try {
    return execFileSync('bash', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown cpu';
  }
})();
console.log(`collect benchmark: node ${process.version}, ${cpu}, ${runs} runs, medians (ms)\n`);
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end\n`);
console.log('| cluster | input (kubectl JSON) | objects kept | bundle | collect | floor: gzip -6 | floor: JSON.parse | floor (sum) | collect / floor | key scan (one pass) | key scan / collect | peak RSS collect | peak RSS JSON.parse | peak RSS gzip |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${(r.inputBytes / 1048576).toFixed(1)} MiB | ${r.objects} | ${(r.bundleBytes / 1048576).toFixed(1)} MiB | ${r.collectMs.toFixed(0)} | ${r.gzipMs.toFixed(0)} | ${r.parseMs.toFixed(0)} | ${r.floorMs.toFixed(0)} | ${r.ratio.toFixed(2)}x | ${r.keyScanMs.toFixed(0)} | ${((100 * r.keyScanMs) / r.collectMs).toFixed(1)}% | ${mb(r.maxRssKb)} | ${mb(r.parseRssKb)} | ${mb(r.floorRssKb)} |`);
}
console.log('\nWhat collect is made of: each step alone, in the collect child after its runs (medians, ms)\n');
const stepNames = Object.keys(rows[0]?.steps ?? {}).filter((k) => k !== 'tarBytes');
console.log(`| step | ${rows.map((r) => r.label).join(' | ')} |`);
console.log(`|---|${rows.map(() => '---:').join('|')}|`);
for (const k of stepNames) console.log(`| ${k} | ${rows.map((r) => r.steps[k].toFixed(0)).join(' | ')} |`);
console.log(`| (collect, for comparison) | ${rows.map((r) => r.collectMs.toFixed(0)).join(' | ')} |`);
console.log(`| (floor: gzip -6 + JSON.parse) | ${rows.map((r) => r.floorMs.toFixed(0)).join(' | ')} |`);
console.log(`| (tar bytes) | ${rows.map((r) => (r.steps.tarBytes / 1048576).toFixed(1) + ' MiB').join(' | ')} |`);

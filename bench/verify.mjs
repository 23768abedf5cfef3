#!/usr/bin/env node
// Verify benchmark (issue 2 "Benchmark"): verify against its floor `tar -xzf bundle -O | sha256sum`, on the
// same bundle, medians over --runs, plus peak RSS, split into what verify does:
//   readArchive       the strict in-memory archive reader alone
//   integrity         verifyIntegrity: reader + bag + digests + strict JSON of every file + signatures + trust
//                     + content scan, no analysis
//   verifyBundle      the full synchronous verify (integrity + analysis)
//   parallel          verifyBundleParallel (what `gwe verify` runs): integrity in a worker thread while this
//                     thread parses the payload and runs the analysis; includes the worker start-up
//   policy            verifyBundle with the exposure policy bench/policy.yaml (`gwe verify --policy`)
// Imports the built library from dist/ (run `npx tsc -p tsconfig.json` first).
//
//   node bench/verify.mjs [--routes 1000,10000,50000] [--runs 5] [--modes read,integrity,verify,parallel,policy]
//   node bench/verify.mjs --bundle some.tar.gz --pub signer.pub.pem [--runs 5]
//
// Peak RSS is also given as a multiple of the bundle's uncompressed size (the inflated tar), the unit of the
// memory target (issue 13: peak RSS <= 2x the bundle's uncompressed size).
//
// Each verify measurement runs in a fresh child process (so its peak RSS is the verifier's alone), which
// does one warm-up and then --runs timed calls. The floor runs through bash with the system tar/gzip/
// sha256sum; its peak RSS comes from /usr/bin/time when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, option as opt } from './bundles.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const args = process.argv.slice(2);

async function lib() {
  const [{ verifyBundle, verifyIntegrity }, { verifyBundleParallel }, { readArchive }, crypto, build, { loadPolicy }] = await Promise.all([
    import(join(dist, 'verify', 'verify.js')),
    import(join(dist, 'verify-parallel.js')),
    import(join(dist, 'bundle', 'reader.js')),
    import(join(dist, 'crypto', 'index.js')),
    import(join(dist, 'bundle', 'build.js')),
    import(join(dist, 'policy', 'load.js')),
  ]);
  return { verifyBundle, verifyIntegrity, verifyBundleParallel, readArchive, crypto, build, loadPolicy };
}

const ALL_MODES = ['read', 'integrity', 'verify', 'parallel', 'policy'];
const POLICY_FILE = join(here, 'policy.yaml');

// ---- child: time one mode on one file (its own process, so maxRSS is that mode's alone) -------------------
if (args[0] === '--child') {
  const [, mode, file, pubFile, runsS] = args;
  const runs = Number(runsS);
  const { verifyBundle, verifyIntegrity, verifyBundleParallel, readArchive, crypto, loadPolicy } = await lib();
  const policy = mode === 'policy' ? loadPolicy(readFileSync(POLICY_FILE, 'utf8'), POLICY_FILE) : undefined;
  const pub = crypto.parsePublicKey(readFileSync(pubFile, 'utf8'), pubFile);
  const trust = { source: pubFile, keys: [{ name: 'signer', publicKey: pub, keyId: pub.keyId }], threshold: 1, required: [] };
  const bytes = new Uint8Array(readFileSync(file));
  const stats = {};
  const run = {
    read: () => readArchive(bytes),
    integrity: () => verifyIntegrity(bytes, { trust }).report,
    verify: () => verifyBundle(bytes, { trust }),
    // force: the worker split even when the load average says the second core is busy (the CLI would not).
    parallel: () => verifyBundleParallel(bytes, { trust }, { stats, force: true }),
    policy: () => verifyBundle(bytes, { trust, policy }),
  }[mode];
  const first = await run(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = await run();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (mode !== 'read' && r.verdict !== first.verdict) throw new Error('verdict changed between runs');
  }
  const out = { ms: median(times), maxRssKb: process.resourceUsage().maxRSS };
  if (mode === 'parallel') out.parallelMode = stats.mode;
  if (mode === 'verify' || mode === 'integrity') {
    const errors = first.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    Object.assign(out, { verdict: first.verdict, errors: [...new Set(errors)], files: first.integrity.files });
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

// ---- parent ---------------------------------------------------------------------------------------------
const runs = Number(opt('runs', '5'));
const MODES = opt('modes', ALL_MODES.join(',')).split(',');
for (const m of MODES) if (!ALL_MODES.includes(m)) throw new Error(`--modes: expected some of ${ALL_MODES.join(',')}, found ${m}`);
const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-verify-'));
const hasTime = existsSync('/usr/bin/time');

function floor(file) {
  const cmd = `tar -xzf '${file}' -O | sha256sum >/dev/null`;
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    execFileSync('bash', ['-c', cmd]);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  let rssKb = null;
  if (hasTime) {
    // Peak RSS of the largest process in the pipeline (GNU time reports per command; tar runs gzip as a child).
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', cmd], { encoding: 'utf8' });
    rssKb = Number(r.stderr.trim().split('\n').pop());
  }
  return { ms: median(times), times, rssKb };
}

function child(mode, file, pubFile) {
  const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file, pubFile, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (c.status !== 0) throw new Error(`child ${mode} failed: ${c.stderr}`);
  return JSON.parse(c.stdout);
}

function measure(label, file, pubFile) {
  const size = readFileSync(file).length;
  const tarBytes = gunzipSync(readFileSync(file)).length;
  // The floor runs before and after the verify children; its median over both halves is the reference.
  const f1 = floor(file);
  const m = Object.fromEntries(MODES.map((mode) => [mode, child(mode, file, pubFile)]));
  const f2 = floor(file);
  const floorMs = median([...f1.times, ...f2.times]);
  return { label, size, tarBytes, floorMs, floorRssKb: f1.rssKb, ...(m.verify ?? m.integrity), m };
}

const rows = [];
try {
  if (opt('bundle')) {
    rows.push(measure(opt('bundle'), opt('bundle'), opt('pub')));
  } else {
    // Synthetic cluster from bench/synthetic.mjs (shared with the collect benchmark), collected into a
    // signed bundle with the library's collect() - the same path `gwe collect` takes.
    const { generateCluster } = await import(join(here, 'synthetic.mjs'));
    const { collect } = await import(join(dist, 'collect.js'));
    const { crypto } = await lib();
    const key = crypto.signingKeyFromSeed(new Uint8Array(32).fill(7));
    const pubFile = join(tmp, 'signer.pub.pem');
    writeFileSync(pubFile, crypto.publicKeyPem(key.publicKey));
    for (const n of opt('routes', '1000,10000,50000').split(',').map(Number)) {
      const dumpDir = join(tmp, `cluster-${n}`);
      const gen = generateCluster(n, dumpDir);
      const file = join(tmp, `synthetic-${n}.tar.gz`);
      const t = process.hrtime.bigint();
      await collect({ from: gen.files, out: file, keyPem: crypto.privateKeyPem(key), capturedAt: '2026-11-01T00:00:00Z', overwrite: true });
      const buildMs = Number(process.hrtime.bigint() - t) / 1e6;
      rmSync(dumpDir, { recursive: true, force: true });
      process.stderr.write(`collected ${n} routes (${gen.objects} objects): ${(readFileSync(file).length / 1048576).toFixed(1)} MiB in ${buildMs.toFixed(0)} ms\n`);
      rows.push(measure(`${n} routes`, file, pubFile));
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
const cell = (r, mode) => (r.m[mode] ? `${r.m[mode].ms.toFixed(0)} (${(r.m[mode].ms / r.floorMs).toFixed(2)}x)` : 'n/a');
const rss = (r, mode) => (r.m[mode] ? `${mb(r.m[mode].maxRssKb)} (${((r.m[mode].maxRssKb * 1024) / r.tarBytes).toFixed(1)}x)` : 'n/a');
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`verify benchmark: node ${process.version}, ${runs} runs, medians in ms (ratio to the floor), load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('| bundle | .tar.gz | files | verdict | floor (tar -xzf -O \\| sha256sum) | readArchive only | integrity + signatures (no analysis) | verifyBundle (full) | verifyBundleParallel (full) | verifyBundle + policy |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${(r.size / 1048576).toFixed(1)} MiB | ${r.files} | ${r.verdict}${r.errors.length ? ` (${r.errors.join(', ')})` : ''} | ${r.floorMs.toFixed(0)} | ${cell(r, 'read')} | ${cell(r, 'integrity')} | ${cell(r, 'verify')} | ${cell(r, 'parallel')}${!r.m.parallel || r.m.parallel.parallelMode === 'worker' ? '' : ` [${r.m.parallel.parallelMode}]`} | ${cell(r, 'policy')} |`);
}
console.log('\npeak RSS (maxRSS of each mode in its own process, and its multiple of the uncompressed tar; the floor: largest process of the pipeline)\n');
console.log('| bundle | uncompressed tar | floor | readArchive only | integrity | verifyBundle | verifyBundleParallel | verifyBundle + policy |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${(r.tarBytes / 1048576).toFixed(1)} MiB | ${mb(r.floorRssKb)} | ${ALL_MODES.map((m) => rss(r, m)).join(' | ')} |`);
}

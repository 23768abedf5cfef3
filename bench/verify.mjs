#!/usr/bin/env node
// Verify benchmark (issue 2 "Benchmark"): verifyBundle against its floor `tar -xzf bundle -O | sha256sum`,
// on the same bundle, medians over --runs, plus peak RSS. Imports the built library from dist/ (run
// `npx tsc -p tsconfig.json` first).
//
//   node bench/verify.mjs [--routes 1000,10000,50000] [--runs 5]
//   node bench/verify.mjs --bundle some.tar.gz --pub signer.pub.pem [--runs 5]
//
// Each verify measurement runs in a fresh child process (so its peak RSS is the verifier's alone), which
// does one warm-up and then --runs timed calls. The floor runs through bash with the system tar/gzip/
// sha256sum; its peak RSS comes from /usr/bin/time when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function lib() {
  const [{ verifyBundle }, { readArchive }, crypto, build] = await Promise.all([
    import(join(dist, 'verify', 'verify.js')),
    import(join(dist, 'bundle', 'reader.js')),
    import(join(dist, 'crypto', 'index.js')),
    import(join(dist, 'bundle', 'build.js')),
  ]);
  return { verifyBundle, readArchive, crypto, build };
}

// ---- child: time verifyBundle (and readArchive alone) on one file ------------------------------------------
if (args[0] === '--child') {
  const [, file, pubFile, runsS] = args;
  const runs = Number(runsS);
  const { verifyBundle, readArchive, crypto } = await lib();
  const pub = crypto.parsePublicKey(readFileSync(pubFile, 'utf8'), pubFile);
  const trust = { source: pubFile, keys: [{ name: 'signer', publicKey: pub, keyId: pub.keyId }], threshold: 1, required: [] };
  const bytes = new Uint8Array(readFileSync(file));
  const first = verifyBundle(bytes, { trust });
  const verify = [];
  const read = [];
  for (let i = 0; i < runs; i++) {
    let t = process.hrtime.bigint();
    const r = verifyBundle(bytes, { trust });
    verify.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.verdict !== first.verdict) throw new Error('verdict changed between runs');
    t = process.hrtime.bigint();
    readArchive(bytes);
    read.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const errors = first.findings.filter((f) => f.severity === 'error').map((f) => f.code);
  process.stdout.write(JSON.stringify({ verdict: first.verdict, errors: [...new Set(errors)], files: first.integrity.files, verifyMs: median(verify), readMs: median(read), maxRssKb: process.resourceUsage().maxRSS }));
  process.exit(0);
}

// ---- parent ---------------------------------------------------------------------------------------------
const runs = Number(opt('runs', '5'));
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
  return { ms: median(times), rssKb };
}

function measure(label, file, pubFile) {
  const size = readFileSync(file).length;
  const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, pubFile, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (c.status !== 0) throw new Error(`child failed: ${c.stderr}`);
  const v = JSON.parse(c.stdout);
  const f = floor(file);
  return { label, size, ...v, floorMs: f.ms, floorRssKb: f.rssKb, ratio: v.verifyMs / f.ms };
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
console.log(`verify benchmark: node ${process.version}, ${runs} runs, medians (ms)\n`);
console.log('| bundle | .tar.gz | files | verdict | verifyBundle | readArchive only | floor (tar -xzf -O \\| sha256sum) | verify / floor | peak RSS verify | peak RSS floor |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${(r.size / 1048576).toFixed(1)} MiB | ${r.files} | ${r.verdict}${r.errors.length ? ` (${r.errors.join(', ')})` : ''} | ${r.verifyMs.toFixed(0)} | ${r.readMs.toFixed(0)} | ${r.floorMs.toFixed(0)} | ${r.ratio.toFixed(2)}x | ${mb(r.maxRssKb)} | ${mb(r.floorRssKb)} |`);
}

#!/usr/bin/env node
// Verify decomposition (issue 13 "Done means": for a target that cannot be met, the measured floor of what is
// left). One bundle, one child process, every step timed in the same run with medians of --runs calls, next to
// the floor the targets use (`tar -xzf B -O | sha256sum`, wall, through bash) and its own native parts:
//
//   tar floor                `tar -xzf B -O | sha256sum`            (what the targets divide by)
//   native: inflate          zlib.gunzipSync of the whole .tar.gz   (node's zlib, the same inflate gzip does)
//   native: SHA-256 per file crypto.hash('sha256') of every file   (node's OpenSSL, one call per file)
//   native: JSON.parse       TextDecoder + JSON.parse of every .json file (V8's parser, no strictness)
//   native floor             the three above summed: the least any verifier spends that digests every file
//                            against the manifest and reads every object it analyses
//   native: JSON.stringify   of every parsed value: the native half of the canonical check (strict-json.ts)
//   readArchive              the strict reader (headers, names, CRC, caps) on top of the inflate
//   parseStrictJson          strict JSON of every .json file (canonical re-serialisation compare, key order,
//                            __proto__), on top of JSON.parse
//   verifyIntegrity          all of integrity + signatures + trust + content scan
//   resolve (spec)           one Gateway API resolution of the parsed capture
//   analyzeCapture           the whole analysis (resolution(s), drift, exposure, cross-checks)
//   verifyBundle             the full verify
//
//   npx tsc -p tsconfig.json && node bench/verify-floors.mjs [--routes 10000] [--runs 5]
//   node bench/verify-floors.mjs --bundle my.tar.gz --pub signer.pub.pem [--runs 5]
//
// Imports the built library from dist/. Times are wall ms in one process (a child, after one warm-up of each
// step); the machine's load average is printed: quote medians from a quiet machine.
import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { median, option, tarFloor } from './bundles.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const args = process.argv.slice(2);
const runs = Number(option('runs', '5'));

function timeIt(fn) {
  fn(); // warm-up
  const ts = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    out = fn();
    ts.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(ts), out };
}

if (args[0] === '--child') {
  const [, file, pubFile] = args;
  const [{ verifyBundle, verifyIntegrity }, { readArchive }, { parseStrictJson }, { openBundle }, { analyzeCapture }, { resolve }, crypto] = await Promise.all([
    import(join(dist, 'verify', 'verify.js')),
    import(join(dist, 'bundle', 'reader.js')),
    import(join(dist, 'bundle', 'strict-json.js')),
    import(join(dist, 'bundle', 'open.js')),
    import(join(dist, 'verify', 'analysis.js')),
    import(join(dist, 'resolve', 'index.js')),
    import(join(dist, 'crypto', 'index.js')),
  ]);
  const pub = crypto.parsePublicKey(readFileSync(pubFile, 'utf8'), pubFile);
  const trust = { source: pubFile, keys: [{ name: 'signer', publicKey: pub, keyId: pub.keyId }], threshold: 1, required: [] };
  const bytes = new Uint8Array(readFileSync(file));
  const read = readArchive(bytes);
  if (read.fatal) throw new Error(`${file}: not readable: ${read.findings.map((f) => f.message).join('; ')}`);
  const files = [...read.files.entries()];
  const json = files.filter(([p]) => p.endsWith('.json')).map(([, b]) => b);
  const dec = new TextDecoder();
  // Memory floor: the heap that merely holding every parsed .json file takes (what any verifier that analyses
  // the objects must keep), next to the tar it came from; measured before anything else is retained.
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let held = json.map((b) => JSON.parse(dec.decode(b)));
  globalThis.gc?.();
  const parsedHeap = process.memoryUsage().heapUsed - heap0;
  held = undefined;
  globalThis.gc?.();
  const baseRss = process.memoryUsage().rss;
  const { capture } = openBundle(bytes);
  // And what the analysis' result holds (resolution, drift entries, exposure paths, findings) on top.
  globalThis.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  let result = analyzeCapture(capture);
  globalThis.gc?.();
  const analysisHeap = process.memoryUsage().heapUsed - heap1;
  result = result.findings.length;
  const steps = {
    inflate: timeIt(() => gunzipSync(bytes).length).ms,
    sha256: timeIt(() => {
      let n = 0;
      for (const [, b] of files) n += hash('sha256', b, 'hex').length;
      return n;
    }).ms,
    jsonParse: timeIt(() => {
      let n = 0;
      for (const b of json) n += JSON.parse(dec.decode(b)) ? 1 : 0;
      return n;
    }).ms,
    // The canonical check's native part: re-serialise each parsed value (strict-json.ts compares it with the text).
    jsonStringify: (() => {
      const values = json.map((b) => JSON.parse(dec.decode(b)));
      return timeIt(() => {
        let n = 0;
        for (const v of values) n += JSON.stringify(v).length;
        return n;
      }).ms;
    })(),
    readArchive: timeIt(() => readArchive(bytes).files.size).ms,
    strictJson: timeIt(() => {
      let n = 0;
      for (const b of json) n += parseStrictJson(b).ok ? 1 : 0;
      return n;
    }).ms,
    integrity: timeIt(() => verifyIntegrity(bytes, { trust }).pass).ms,
    resolve: timeIt(() => resolve(capture.snapshot.objects, { semantics: 'spec' }).routes.length).ms,
    analysis: timeIt(() => analyzeCapture(capture).findings.length).ms,
    verify: timeIt(() => verifyBundle(bytes, { trust }).verdict).ms,
  };
  process.stdout.write(JSON.stringify({ steps, parsedHeap, baseRss, analysisHeap, files: files.length, jsonFiles: json.length, tarBytes: gunzipSync(bytes).length, objects: capture.snapshot.objects.length }));
  process.exit(0);
}

/** --runs + 1 timings of the tar floor (bench/bundles.mjs tarFloor), the first dropped as a warm-up. */
async function tarFloorRuns(file) {
  const ts = [];
  for (let i = 0; i < runs + 1; i++) ts.push(await tarFloor([file]));
  return ts.slice(1);
}

const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-floors-'));
try {
  let file = option('bundle');
  let pubFile = option('pub');
  if (!file) {
    const routes = Number(option('routes', '10000'));
    const { generateCluster } = await import(join(here, 'synthetic.mjs'));
    const { collect } = await import(join(dist, 'collect.js'));
    const crypto = await import(join(dist, 'crypto', 'index.js'));
    const key = crypto.signingKeyFromSeed(new Uint8Array(32).fill(7));
    pubFile = join(tmp, 'signer.pub.pem');
    writeFileSync(pubFile, crypto.publicKeyPem(key.publicKey));
    const gen = generateCluster(routes, join(tmp, 'cluster'));
    file = join(tmp, `synthetic-${routes}.tar.gz`);
    await collect({ from: gen.files, out: file, keyPem: crypto.privateKeyPem(key), capturedAt: '2026-11-01T00:00:00Z', overwrite: true });
  }
  const f1 = await tarFloorRuns(file);
  const c = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', file, pubFile, '--runs', String(runs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (c.status !== 0) throw new Error(`child failed: ${c.stderr}`);
  const f2 = await tarFloorRuns(file);
  const { steps: s, files, jsonFiles, tarBytes, objects, parsedHeap, baseRss, analysisHeap } = JSON.parse(c.stdout);
  const floor = median([...f1, ...f2]);
  const native = s.inflate + s.sha256 + s.jsonParse;
  const nativeStrict = native + s.jsonStringify;
  const x = (ms) => `${Math.round(ms)} | ${(ms / floor).toFixed(2)}x`;
  const rows = [
    ['tar floor: `tar -xzf B -O | sha256sum`', floor],
    ['native: inflate (zlib.gunzipSync)', s.inflate],
    [`native: SHA-256 of each of the ${files} files`, s.sha256],
    [`native: JSON.parse of the ${jsonFiles} .json files`, s.jsonParse],
    ['**native floor** (the three above)', native],
    ['native: JSON.stringify of the parsed values (the canonical compare)', s.jsonStringify],
    ['**native floor of a strict verifier** (the four above)', nativeStrict],
    ['readArchive (strict reader)', s.readArchive],
    ['parseStrictJson of the .json files', s.strictJson],
    ['verifyIntegrity (integrity + signatures + trust + content scan)', s.integrity],
    ['resolve, spec, one resolution', s.resolve],
    ['analyzeCapture (the whole analysis)', s.analysis],
    ['verifyBundle (full)', s.verify],
  ];
  console.log(`verify decomposition: ${file.split('/').pop()}, ${files} files, ${objects} objects, ${(tarBytes / 1048576).toFixed(1)} MiB tar; node ${process.version}, ${runs} runs, medians; load average at start ${loadStart}, at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}, ${cpus().length} cores\n`);
  console.log('| step | ms | x tar floor |\n|---|---|---|');
  for (const [label, ms] of rows) console.log(`| ${label} | ${x(ms)} |`);
  const mib = (b) => `${(b / 1048576).toFixed(0)} MiB (${(b / tarBytes).toFixed(2)}x the tar)`;
  console.log(`\nmemory floor: the parsed .json files alone hold ${mib(parsedHeap)} of heap; the process with the library loaded and the bundle read is ${mib(baseRss)} RSS (the bytes of the .tar.gz, the inflated tar, and node itself); the analysis result (resolution, drift entries, exposure, findings) holds ${mib(analysisHeap)} more`);
  console.log(`\nintegrity: ${(s.integrity / nativeStrict).toFixed(2)}x the native floor of a strict verifier; analysis: ${(s.analysis / floor).toFixed(2)}x the tar floor, of which one resolution ${(s.resolve / floor).toFixed(2)}x`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

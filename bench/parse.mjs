#!/usr/bin/env node
// Payload parsing benchmark (issue 13, "make the strict canonical check cheap"): reading the objects of a
// bundle with the strict reader (src/bundle/strict-json.ts: UTF-8 check, JSON.parse, canonical re-serialisation
// compared with the bytes, key order / __proto__ walk) against plain JSON.parse of the same files
// (readPayload(files, false)), and the content scan (scanContent: private-key detection over every file), after
// one readArchive, in one process. Medians of --runs (after a warm-up), ms, with the floor `tar -xzf -O |
// sha256sum` of the same bundle.
//
//   npx tsc -p tsconfig.json && node bench/parse.mjs [--routes 10000] [--runs 5]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, quarterBundles } from './bundles.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', '5'));
const dist = new URL('../dist/', import.meta.url);
const { readArchive } = await import(new URL('bundle/reader.js', dist).href);
const { readPayload } = await import(new URL('bundle/layout.js', dist).href);
const { scanContent } = await import(new URL('bundle/check.js', dist).href);
const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-parse-'));
const rows = [];
try {
  for (const n of opt('routes', '10000').split(',').map(Number)) {
    const { files } = await quarterBundles(n, 1, tmp);
    const bytes = new Uint8Array(readFileSync(files[0]));
    const time = (f) => {
      f();
      const xs = [];
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        f();
        xs.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return median(xs);
    };
    const floor = time(() => execFileSync('bash', ['-c', `tar -xzf '${files[0]}' -O | sha256sum >/dev/null`]));
    const read = readArchive(bytes);
    const objectFiles = [...read.files.keys()].filter((p) => p.startsWith('data/objects/')).length;
    const r = {
      n,
      objectFiles,
      floor,
      read: time(() => readArchive(bytes)),
      plain: time(() => readPayload(read.files, false)),
      strict: time(() => readPayload(read.files, true)),
      scan: time(() => scanContent(read.files, undefined)),
    };
    rows.push(r);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`payload parsing benchmark: node ${process.version}, ${runs} runs, medians in ms, load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('| routes | object files | floor (tar -xzf -O \\| sha256sum) | readArchive | plain JSON.parse of the payload | strict read of the payload | strict / plain | content scan |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.n} | ${r.objectFiles} | ${r.floor.toFixed(0)} | ${r.read.toFixed(0)} | ${r.plain.toFixed(0)} (${(r.plain / r.floor).toFixed(2)}x floor) | ${r.strict.toFixed(0)} (${(r.strict / r.floor).toFixed(2)}x floor) | ${(r.strict / r.plain).toFixed(2)}x | ${r.scan.toFixed(0)} (${(r.scan / r.floor).toFixed(2)}x floor) |`);

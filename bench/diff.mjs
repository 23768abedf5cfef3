#!/usr/bin/env node
// Diff benchmark (issue 13): `gwe diff q1.tar.gz q2.tar.gz` (with --key: signatures checked too) against its
// floor, both bundles' `tar -xzf -O | sha256sum`, measured alternately in the same run. The two bundles are
// quarters of one synthetic cluster (bench/bundles.mjs: 1 route in 20 moved to another Service). Each diff
// runs as the CLI in its own process (start-up included); medians over --runs, peak RSS from /usr/bin/time.
//
//   npx tsc -p tsconfig.json && node bench/diff.mjs [--routes 1000,10000] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gweCli, median, option, quarterBundles, tarFloor } from './bundles.mjs';

const runs = Number(option('runs', '3'));
const cli = (argv) => gweCli(argv);

const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-diff-'));
const rows = [];
try {
  for (const n of option('routes', '1000,10000').split(',').map(Number)) {
    const { files, pubFile } = await quarterBundles(n, 2, tmp);
    const floor = [];
    const plain = [];
    const keyed = [];
    await tarFloor(files); // warm the page cache
    for (let i = 0; i < runs; i++) {
      floor.push(await tarFloor(files));
      plain.push(cli(['diff', files[0], files[1], '--output', 'json']));
      keyed.push(cli(['diff', files[0], files[1], '--key', pubFile, '--output', 'json']));
    }
    const f = median(floor);
    rows.push({ n, floor: f, plain: median(plain.map((x) => x.ms)), keyed: median(keyed.map((x) => x.ms)), rss: median(plain.map((x) => x.rssKb)), rssKeyed: median(keyed.map((x) => x.rssKb)) });
    for (const x of files) rmSync(x, { force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`diff benchmark: node ${process.version}, ${runs} runs, medians in ms, load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('| routes | floor (both tar -xzf -O \\| sha256sum) | gwe diff | ratio | gwe diff --key | ratio | peak RSS diff | peak RSS diff --key |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.n} | ${r.floor.toFixed(0)} | ${r.plain.toFixed(0)} | ${(r.plain / r.floor).toFixed(2)}x | ${r.keyed.toFixed(0)} | ${(r.keyed / r.floor).toFixed(2)}x | ${(r.rss / 1024).toFixed(0)} MiB | ${(r.rssKeyed / 1024).toFixed(0)} MiB |`);

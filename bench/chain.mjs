#!/usr/bin/env node
// Chain benchmark (issue 13): `gwe verify --chain q1 q2 q3 q4 --key pub.pem` against one `gwe verify` of the
// last quarter (the target: the chain of 4 costs at most 4 verifies) and against the floor, the four bundles'
// `tar -xzf -O | sha256sum`, measured alternately in the same run. Bundles: bench/bundles.mjs (quarters of one
// synthetic cluster, each linked to the one before). Each command runs as the CLI in its own process (start-up
// included); medians over --runs, peak RSS from /usr/bin/time.
//
//   npx tsc -p tsconfig.json && node bench/chain.mjs [--routes 1000,10000] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gweCli, median, option, quarterBundles, tarFloor } from './bundles.mjs';

const runs = Number(option('runs', '3'));
// verify exits 1 for a bundle with error findings (the synthetic clusters have some); 2+ is a failure here.
const cli = (argv) => gweCli(argv, [0, 1]);

const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-chain-'));
const rows = [];
try {
  for (const n of option('routes', '1000,10000').split(',').map(Number)) {
    const { files, pubFile } = await quarterBundles(n, 4, tmp);
    const floor = [];
    const one = [];
    const chain = [];
    await tarFloor(files);
    for (let i = 0; i < runs; i++) {
      floor.push(await tarFloor(files));
      one.push(cli(['verify', files[3], '--key', pubFile, '--output', 'json']));
      chain.push(cli(['verify', '--chain', ...files, '--key', pubFile, '--output', 'json']));
    }
    rows.push({ n, floor: median(floor), one: median(one.map((x) => x.ms)), chain: median(chain.map((x) => x.ms)), rssOne: median(one.map((x) => x.rssKb)), rssChain: median(chain.map((x) => x.rssKb)) });
    for (const x of files) rmSync(x, { force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`chain benchmark: node ${process.version}, ${runs} runs, medians in ms, load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('| routes | floor (4x tar -xzf -O \\| sha256sum) | one gwe verify | gwe verify --chain (4 bundles) | chain / one verify | chain / floor | peak RSS verify | peak RSS chain |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.n} | ${r.floor.toFixed(0)} | ${r.one.toFixed(0)} | ${r.chain.toFixed(0)} | ${(r.chain / r.one).toFixed(2)}x | ${(r.chain / r.floor).toFixed(2)}x | ${(r.rssOne / 1024).toFixed(0)} MiB | ${(r.rssChain / 1024).toFixed(0)} MiB |`);

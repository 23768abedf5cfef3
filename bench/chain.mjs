#!/usr/bin/env node
// Chain benchmark (issue 13): `gwe verify --chain q1 q2 q3 q4 --key pub.pem` against one `gwe verify` of the
// last quarter (the target: the chain of 4 costs at most 4 verifies) and against the floor, the four bundles'
// `tar -xzf -O | sha256sum`, measured alternately in the same run. Bundles: bench/bundles.mjs (quarters of one
// synthetic cluster, each linked to the one before). Each command runs as the CLI in its own process (start-up
// included); medians over --runs, wall and CPU (user + sys) and peak RSS from /usr/bin/time.
//
// Both commands use the second core only when the load average leaves it free (verify-parallel.ts). On a loaded
// machine `--worker force` measures the two-thread paths anyway: each command then runs in its own process through
// this script (`--child`), which calls the CLI's own code (verify: read, verifyBundleParallel, JSON output as
// `gwe verify --output json`; chain: runChain) with the worker forced.
//
//   npx tsc -p tsconfig.json && node bench/chain.mjs [--routes 1000,10000] [--runs 3] [--worker auto|force] [--bundles DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, option, quarterBundles, tarFloor } from './bundles.mjs';

const dist = new URL('../dist/', import.meta.url);
const args = process.argv.slice(2);

if (args[0] === '--child') {
  // Child mode (--worker force): the CLI's code in-process with the worker forced; output to stdout as the CLI.
  const [, what, key, ...files] = args;
  if (what === 'verify') {
    const { verifyBundleParallel } = await import(new URL('verify-parallel.js', dist).href);
    const { trustFromPublicKey } = await import(new URL('verify/trust.js', dist).href);
    const trust = trustFromPublicKey(readFileSync(key, 'utf8'), key);
    const stats = {};
    const report = await verifyBundleParallel(new Uint8Array(readFileSync(files[0])), { trust, caps: {}, analysis: { semantics: 'auto' } }, { force: true, stats });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (stats.mode !== 'worker') throw new Error(`expected the worker, found ${stats.mode}`);
  } else {
    const { runChain } = await import(new URL('cli/commands/chain.js', dist).href);
    const { nodeIO } = await import(new URL('cli/main.js', dist).href);
    const stats = {};
    const ctx = { io: nodeIO(), exitCode: 0 };
    await runChain(files, { key, output: 'json' }, ctx, { force: true, stats });
    if (!stats.piped?.every((x) => x)) throw new Error(`expected every bundle through the worker, found ${JSON.stringify(stats)}`);
  }
  process.exit(0);
}

const runs = Number(option('runs', '3'));
const worker = option('worker', 'auto');
const gweBin = fileURLToPath(new URL('../bin/gwe.js', import.meta.url));
const self = fileURLToPath(import.meta.url);
const hasTime = existsSync('/usr/bin/time');

/** One command in its own process: wall ms, CPU ms (user + sys) and peak RSS KiB (/usr/bin/time). Exit 0 or 1 (findings). */
function timed(argv) {
  const t = process.hrtime.bigint();
  const r = hasTime ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 }) : spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const [u, s, m] = hasTime ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { ms, cpu: (u + s) * 1000, rssKb: m };
}
const one = (f, pub) => (worker === 'force' ? timed([self, '--child', 'verify', pub, f]) : timed([gweBin, 'verify', f, '--key', pub, '--output', 'json']));
const chain = (files, pub) => (worker === 'force' ? timed([self, '--child', 'chain', pub, ...files]) : timed([gweBin, 'verify', '--chain', ...files, '--key', pub, '--output', 'json']));

const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'gwe-bench-chain-'));
const rows = [];
try {
  for (const n of option('routes', '1000,10000').split(',').map(Number)) {
    const given = option('bundles', undefined);
    const { files, pubFile } = given ? { files: [1, 2, 3, 4].map((q) => join(given, `q${q}-${n}.tar.gz`)), pubFile: join(given, 'signer.pub.pem') } : await quarterBundles(n, 4, tmp);
    const floor = [];
    const ones = [];
    const chains = [];
    await tarFloor(files);
    for (let i = 0; i < runs; i++) {
      floor.push(await tarFloor(files));
      ones.push(one(files[3], pubFile));
      chains.push(chain(files, pubFile));
    }
    const med = (xs, k) => median(xs.map((x) => x[k]));
    rows.push({ n, floor: median(floor), one: med(ones, 'ms'), chain: med(chains, 'ms'), oneCpu: med(ones, 'cpu'), chainCpu: med(chains, 'cpu'), rssOne: med(ones, 'rssKb'), rssChain: med(chains, 'rssKb'), ratios: chains.map((c, i) => c.ms / ones[i].ms) });
    if (!given) for (const x of files) rmSync(x, { force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`chain benchmark: node ${process.version}, ${runs} runs, worker ${worker}, medians in ms, load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('| routes | floor (4x tar -xzf -O \\| sha256sum) | one gwe verify wall / CPU | gwe verify --chain (4 bundles) wall / CPU | chain / one verify (wall; per run) | chain / one (CPU) | chain / floor | peak RSS verify | peak RSS chain |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.n} | ${r.floor.toFixed(0)} | ${r.one.toFixed(0)} / ${r.oneCpu.toFixed(0)} | ${r.chain.toFixed(0)} / ${r.chainCpu.toFixed(0)} | ${(r.chain / r.one).toFixed(2)}x (${r.ratios.map((x) => x.toFixed(2)).join(', ')}) | ${(r.chainCpu / r.oneCpu).toFixed(2)}x | ${(r.chain / r.floor).toFixed(2)}x | ${(r.rssOne / 1024).toFixed(0)} MiB | ${(r.rssChain / 1024).toFixed(0)} MiB |`);
